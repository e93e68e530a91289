/**
 * The last line of defence for the server process. Every hook and route handles what a client sends
 * itself (tests/security proves it); these handlers are for what slips past:
 *
 *  - a promise rejected with nobody listening (a library that does not await a hook, say) is logged and
 *    the server keeps serving: nothing was half-done by it that the next request relies on, and every
 *    update a device was told is stored is already in the database;
 *  - an exception thrown with nobody to catch it may have left memory half-changed, so the process logs it
 *    and exits with a failure, for its supervisor (the systemd unit in the README) to start it again in a
 *    second. Nothing a device was told is stored can be lost that way: it is on disk before it is reported.
 */
import { log as serverLog } from './log';

export function installProcessGuards(log: (message: string, error: unknown) => void = (message, error) => serverLog.error({ err: error }, message)): void {
  process.on('unhandledRejection', (reason) => {
    log('A promise was rejected and nothing handled it; the server carries on.', reason);
  });
  process.on('uncaughtException', (error) => {
    log('An exception reached the top of the server; exiting so the supervisor starts it afresh.', error);
    process.exitCode = 1;
    // Let the log reach its file, then go.
    setTimeout(() => process.exit(1), 100).unref();
  });
}
