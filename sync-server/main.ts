/** `npm start` / `npm run serve`: the Fieldnotes server with its embedded defaults. Logs JSON lines (./log.ts). */
import { installProcessGuards } from './processGuards';
import { roleLabels } from '../domain/directory';
import { configFromEnv } from './config';
import { DatabaseRefused } from './database';
import { DEMO_PASSWORD } from './demo';
import { log } from './log';
import { startServer, type RunningServer } from './server';

installProcessGuards();
const config = configFromEnv();
let server: RunningServer;
try {
  server = await startServer(config);
} catch (error) {
  // A damaged database, a certificate that cannot be read, a port in use: say so in one line, and stop.
  if (error instanceof DatabaseRefused) log.fatal(error.message);
  else log.fatal({ err: error }, `Fieldnotes could not start: ${(error as Error).message}`);
  process.exit(1);
}

log.info({ url: server.url, dataDir: config.dataDir, https: Boolean(config.tls), backups: config.backups ?? 'off' }, `Fieldnotes is running at ${server.url}`);
if (server.seededAccounts.length > 0) {
  // The demo organisation is fictional: its usernames are what someone trying Fieldnotes needs to sign in.
  const accounts = server.seededAccounts.map((a) => `${a.username} (${roleLabels[a.role]}${a.team ? `, ${a.team}` : ''})`);
  log.info({ demoAccounts: accounts }, `A demo organisation was created. Sign in as any of ${accounts.join('; ')} with the password "${DEMO_PASSWORD}".`);
}
// Tests read this line to learn the port when they start the server on port 0.
log.info(`listening on port ${server.port}`);

// A renewed certificate (e.g. by certbot or the council's PKI) is picked up without dropping a connection.
process.on('SIGHUP', () => {
  try {
    server.reloadCertificate();
    log.info('SIGHUP: certificate and key read again; new connections use them.');
  } catch (error) {
    log.error({ err: error }, 'SIGHUP: could not read the certificate or key; still serving the previous ones.');
  }
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping Fieldnotes…`);
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'Stopping failed.');
        process.exit(1);
      },
    );
  });
}
