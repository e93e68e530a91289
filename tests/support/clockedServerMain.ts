/**
 * The Fieldnotes server for end-to-end tests that need time to pass: the real server (sync-server/main's
 * config and start-up), with a clock the test moves forward through Node's IPC channel. It lives under
 * tests/ and is only ever started by tests/support/serverProcess.ts with an IPC channel: nothing in the
 * production server (sync-server/) can move its clock, and no HTTP route does.
 *
 * Message in:  { advanceMs: number }  → the clock moves on, the scheduler's checks run at once
 * Message out: { told: number }       → how many notices the checks sent
 */
import { configFromEnv } from '../../sync-server/config';
import { installProcessGuards } from '../../sync-server/processGuards';
import { startServer } from '../../sync-server/server';

if (!process.send) throw new Error('This server is started by the tests, with an IPC channel.');

installProcessGuards();
let offsetMs = 0;
const server = await startServer(configFromEnv(), { now: () => new Date(Date.now() + offsetMs) });
console.log(`listening on port ${server.port}`);

process.on('message', (message: { advanceMs?: unknown }) => {
  if (typeof message?.advanceMs !== 'number' || !Number.isFinite(message.advanceMs) || message.advanceMs < 0) return;
  offsetMs += message.advanceMs;
  process.send!({ told: server.runScheduledChecks() });
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
