/**
 * Runs the real Fieldnotes server as a child process for end-to-end and fault tests: on port 0 the
 * first time (the port it picks is read from its output), then on that same port after a restart, so
 * the browser keeps its origin — and with it the service worker and IndexedDB.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ServerProcess {
  url: string;
  port: number;
  dataDir: string;
  /** Stops the server with SIGTERM and waits for it to exit. */
  stop(): Promise<void>;
  /** Kills the server with SIGKILL (a crash: nothing runs on the way out) and waits for it to die. */
  kill9(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
  output(): string;
  /** The running process's id (for reading its memory). */
  pid(): number;
  /**
   * Moves the server's clock forward and runs its scheduler at once; resolves with how many notices it
   * sent. Only for a server started with `clock: true` (tests/support/clockedServerMain.ts).
   */
  advanceClock(ms: number): Promise<number>;
}

const repoRoot = path.resolve(import.meta.dirname, '../..');

export function makeDataDir(prefix = 'fieldnotes-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function launch(port: number, dataDir: string, env: Record<string, string>, clock = false): Promise<{ child: ChildProcess; port: number; log: string[] }> {
  const log: string[] = [];
  // A server whose clock the test moves is the test's own entry point, spoken to over IPC only.
  const child = spawn(process.execPath, ['--import', 'tsx', clock ? 'tests/support/clockedServerMain.ts' : 'sync-server/main.ts'], {
    cwd: repoRoot,
    // At info: tests read "listening on port" from the log (the test runner's own level is lower).
    // The demo's people only (FIELDNOTES_DEMO=people): tests begin from empty lists, unless they ask for the demo's records.
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', FIELDNOTES_DATA_DIR: dataDir, FIELDNOTES_LOG_LEVEL: 'info', FIELDNOTES_DEMO: 'people', ...env },
    stdio: clock ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    // Making the demo's year of records (FIELDNOTES_DEMO=on) takes a while longer on a busy machine.
    const limit = env.FIELDNOTES_DEMO === 'on' ? 180 : 30;
    const timer = setTimeout(() => reject(new Error(`Server did not start in ${limit} s:\n${log.join('')}`)), limit * 1000);
    const onData = (chunk: Buffer) => {
      log.push(chunk.toString());
      const match = /listening on port (\d+)/.exec(log.join(''));
      if (match) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]), log });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Server exited with ${code} before it started:\n${log.join('')}`));
    });
  });
}

/**
 * `host` names the server in its URL (a name mapped to 127.0.0.1 by the browser, e.g. for a certificate);
 * the scheme is https when the server is given a certificate.
 */
export async function startServerProcess(options: { dataDir?: string; env?: Record<string, string>; host?: string; clock?: boolean } = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? makeDataDir();
  const env = options.env ?? {};
  const clock = options.clock ?? false;
  let current = await launch(0, dataDir, env, clock);
  const port = current.port;
  let running = true;
  const stop = async () => {
    if (!running) return;
    running = false;
    const exited = new Promise<void>((resolve) => current.child.once('exit', () => resolve()));
    current.child.kill('SIGTERM');
    await exited;
  };
  return {
    url: `${env.FIELDNOTES_TLS_CERT ? 'https' : 'http'}://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    dataDir,
    stop,
    async kill9() {
      if (!running) return;
      running = false;
      const exited = new Promise<void>((resolve) => current.child.once('exit', () => resolve()));
      current.child.kill('SIGKILL');
      await exited;
    },
    async restart() {
      await stop(); // no-op when it is already stopped or killed
      current = await launch(port, dataDir, env, clock);
      running = true;
    },
    output: () => current.log.join(''),
    pid: () => current.child.pid!,
    advanceClock(ms: number) {
      const child = current.child;
      if (!clock || !child.send) return Promise.reject(new Error('Start the server with { clock: true } to move its clock.'));
      return new Promise<number>((resolve) => {
        child.once('message', (answer: { told: number }) => resolve(answer.told));
        child.send({ advanceMs: ms });
      });
    },
  };
}
