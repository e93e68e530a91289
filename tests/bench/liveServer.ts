/**
 * A server process for the live co-editing benchmark (live.ts), spoken to over IPC:
 *
 *   LIVE_SERVER=fieldnotes  the Fieldnotes server (sync-server/server.ts of LIVE_ROOT, default this
 *                           checkout — so the same harness can measure an older copy of the code), on
 *                           port 0, a fresh data directory, the demo organisation;
 *   LIVE_SERVER=stock       a stock Hocuspocus server of the same version, with a store: each document kept
 *                           in SQLite (better-sqlite3, WAL, synchronous=FULL) by Hocuspocus' own debounced
 *                           onStoreDocument, loaded in onLoadDocument. No authentication, no checks.
 *
 * It tells its parent { port } once listening, and answers { measure: 'start' | 'stop' } with its own CPU
 * time and event-loop delay between the two, measured where they happen (perf_hooks).
 *
 * BENCH_LIVE_PROFILE=<directory>: also records a V8 CPU profile of the edit window (node:inspector), written
 * there as <server>-<pid>.cpuprofile (open it in Chrome's DevTools, or summarise it with profileSummary.ts).
 * V8's profiler samples wall-clock time: on a shared machine a function that makes system calls (SQLite,
 * fsync) collects the time the process spent descheduled there. BENCH_LIVE_PERF=<directory> samples CPU
 * time instead, with Linux perf (every thread, kernel included), as <server>-<pid>.perf.data — run the
 * bench with NODE_OPTIONS=--perf-basic-prof so JavaScript frames have names, and summarise the output of
 * `perf script` with perfSummary.ts.
 */
import './quietLog';
import Database from 'better-sqlite3';
import { Server } from '@hocuspocus/server';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';

export interface LiveServerStats {
  cpuUserMs: number;
  cpuSystemMs: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  loopDelayMeanMs: number;
  rssMiB: number;
}

const kind = process.env.LIVE_SERVER ?? 'fieldnotes';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `fieldnotes-live-${kind}-`));

async function startFieldnotes(): Promise<{ port: number; close(): Promise<void> }> {
  const root = process.env.LIVE_ROOT ?? path.resolve(import.meta.dirname, '../..');
  const { startServer } = (await import(pathToFileURL(path.join(root, 'sync-server/server.ts')).href)) as typeof import('../../sync-server/server');
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, staticDir: null, seedDemo: true, sessionDays: 1, accessTokenMinutes: 60 });
  return { port: server.port, close: () => server.close() };
}

async function startStock(): Promise<{ port: number; close(): Promise<void> }> {
  const db = new Database(path.join(dataDir, 'stock.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, data BLOB NOT NULL)');
  const load = db.prepare('SELECT data FROM documents WHERE name = ?');
  const save = db.prepare('INSERT INTO documents (name, data) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET data = excluded.data');
  const server = new Server({
    address: '127.0.0.1',
    port: 0,
    quiet: true,
    async onLoadDocument({ documentName, document }) {
      const row = load.get(documentName) as { data: Buffer } | undefined;
      if (row) Y.applyUpdate(document, new Uint8Array(row.data));
    },
    async onStoreDocument({ documentName, document }) {
      save.run(documentName, Buffer.from(Y.encodeStateAsUpdate(document)));
    },
  });
  await server.listen();
  const address = server.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    close: async () => {
      await server.destroy();
      db.close();
    },
  };
}

const running = kind === 'stock' ? await startStock() : await startFieldnotes();
const delay = monitorEventLoopDelay({ resolution: 5 });
let cpuStart = process.cpuUsage();
const profileDir = process.env.BENCH_LIVE_PROFILE;
const profiler = profileDir ? new Session() : null;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.setSamplingInterval', { interval: 500 });
}

const perfDir = process.env.BENCH_LIVE_PERF;
let perf: ChildProcess | null = null;

process.on('message', (message: { measure?: 'start' | 'stop'; close?: true }) => {
  if (message.measure === 'start') {
    if (profiler) void profiler.post('Profiler.start');
    if (perfDir) {
      fs.mkdirSync(perfDir, { recursive: true });
      const out = path.join(perfDir, `${kind}-${process.pid}.perf.data`);
      perf = spawn('perf', ['record', '-e', 'cpu-clock', '-F', '1999', '-g', '-p', String(process.pid), '-o', out], { stdio: 'ignore' });
    }
    delay.reset();
    delay.enable();
    cpuStart = process.cpuUsage();
    process.send!({ started: true });
  } else if (message.measure === 'stop') {
    delay.disable();
    const cpu = process.cpuUsage(cpuStart);
    perf?.kill('SIGINT');
    const stats: LiveServerStats = {
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      loopDelayP99Ms: delay.percentile(99) / 1e6,
      loopDelayMaxMs: delay.max / 1e6,
      loopDelayMeanMs: delay.mean / 1e6,
      rssMiB: process.memoryUsage().rss / 1024 / 1024,
    };
    if (profiler && profileDir)
      void profiler.post('Profiler.stop').then(({ profile }) => {
        fs.mkdirSync(profileDir, { recursive: true });
        fs.writeFileSync(path.join(profileDir, `${kind}-${process.pid}.cpuprofile`), JSON.stringify(profile));
        process.send!({ stats });
      });
    else process.send!({ stats });
  } else if (message.close) {
    void running.close().finally(() => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  }
});
process.send!({ port: running.port });
