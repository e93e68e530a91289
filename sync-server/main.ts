/** `npm start` / `npm run serve`: the Fieldnotes server with its embedded defaults. */
import { installProcessGuards } from './processGuards';
import { roleLabels } from '../domain/directory';
import { configFromEnv } from './config';
import { DEMO_PASSWORD } from './demo';
import { startServer } from './server';

installProcessGuards();
const config = configFromEnv();
const server = await startServer(config);

console.log(`Fieldnotes is running at ${server.url}`);
console.log(`Data directory: ${config.dataDir}`);
if (server.seededAccounts.length > 0) {
  console.log('\nA demo organisation was created. Sign in as any of these, with the password ' + `"${DEMO_PASSWORD}":`);
  for (const a of server.seededAccounts)
    console.log(`  ${a.username.padEnd(11)} ${a.displayName.padEnd(15)} ${roleLabels[a.role]}${a.team ? `, ${a.team}` : ''}`);
  console.log('');
}
// Tests read this line to learn the port when they start the server on port 0.
console.log(`listening on port ${server.port}`);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Fieldnotes…`);
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}
