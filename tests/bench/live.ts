/**
 * Live co-editing under load (issue 20, goal 3): 200 clients on 50 documents (4 per document), each
 * making 5 edits a second to a Y.Text for 30 s, against the Fieldnotes server and, in the same run, a stock
 * Hocuspocus server of the same version with a SQLite store (liveServer.ts). Each server runs in a process
 * of its own, and the clients in other processes (liveClients.ts; every client of a document in the same
 * one, so an edit's latency is read from one clock).
 *
 * On Fieldnotes the documents are reviews made as drafts by one team manager with three co-writers
 * (add-participant, contributor), so all four write, as a review's group does; each client signs in as one
 * of them. Runs alternate between the servers (Fieldnotes, stock, Fieldnotes, …), each on a fresh server.
 *
 * Reported per server: edit → arrival at every other client (p50, p95, p99, max), the server process's
 * CPU per edit and as a share of one core, and its event-loop delay (p99, max).
 *
 *   BENCH_LIVE_RUNS=3 runs per server · BENCH_LIVE_SECONDS=30 · BENCH_LIVE_DOCS=50 · BENCH_LIVE_CLIENTS_PER_DOC=4
 *   BENCH_LIVE_RATE=5 edits/s per client · BENCH_LIVE_PROCESSES=2 client processes
 *   BENCH_LIVE_BEFORE=/path/to/checkout   also measure the Fieldnotes server of another checkout ("before")
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { signInResponseSchema } from '../../domain/auth';
import { SYNC_PATH } from '../../domain/sync';
import type { LiveClientsResult, LiveClientsSetup } from './liveClients';
import type { LiveServerStats } from './liveServer';
import { median } from './stats';

const here = import.meta.dirname;
const DEMO_PASSWORD = 'fieldnotes-demo';
/** The author and three co-writers of every document (demo organisation). */
const GROUP = ['tm.okafor', 'sw.ahmed', 'sw.brown', 'iro.walsh'];

export interface LiveBenchOptions {
  runs: number;
  seconds: number;
  docs: number;
  clientsPerDoc: number;
  perSecond: number;
  processes: number;
  /** Another checkout whose Fieldnotes server is measured too (the code before a change). */
  beforeRoot: string | null;
}

export interface LiveRun {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  samples: number;
  missing: number;
  edits: number;
  cpuMsPerEdit: number;
  cpuShare: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  rssMiB: number;
  errors: string[];
}

export type ServerKind = 'fieldnotes' | 'before' | 'stock';

class NodeWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    this.on('error', () => undefined);
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Sends a message and waits for the first answer that has `key`. */
function ask<T>(child: ChildProcess, message: object | null, key: string, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No "${key}" from a bench process in ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (answer: Record<string, unknown>) => {
      if ('failed' in answer) {
        clearTimeout(timer);
        child.off('message', onMessage);
        reject(new Error(String(answer.failed)));
      } else if (key in answer) {
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(answer[key] as T);
      }
    };
    child.on('message', onMessage);
    if (message) child.send(message);
  });
}

function forkTs(file: string, env: Record<string, string> = {}): ChildProcess {
  return fork(path.join(here, file), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

async function signIn(url: string, username: string): Promise<{ token: string; userId: string }> {
  const response = await fetch(`${url}/api/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (!response.ok) throw new Error(`Sign-in as ${username} failed: ${response.status}`);
  const { token, user } = signInResponseSchema.parse(await response.json());
  return { token, userId: user.id };
}

/** Opens a document once as its author (which registers it on the server) and waits until it is synced. */
async function openOnce(wsUrl: string, name: string, token: string): Promise<void> {
  const socket = new HocuspocusProviderWebsocket({ url: wsUrl, WebSocketPolyfill: NodeWebSocket });
  const doc = new Y.Doc();
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not open`)), 20_000);
      const provider = new HocuspocusProvider({
        websocketProvider: socket,
        name,
        document: doc,
        token,
        onSynced: () => {
          clearTimeout(timer);
          provider.destroy();
          resolve();
        },
        onAuthenticationFailed: ({ reason }) => reject(new Error(`${name}: ${reason}`)),
      });
      provider.attach();
    });
  } finally {
    socket.destroy();
    doc.destroy();
  }
}

/** Makes the documents on a Fieldnotes server: drafts of the group's author, the other three added as co-writers. */
async function prepareFieldnotes(url: string, names: string[], perDoc: number): Promise<string[]> {
  const people = [];
  for (const username of GROUP.slice(0, perDoc)) people.push(await signIn(url, username));
  const tokens = people.map((p) => p.token);
  const ids = people.slice(1).map((p) => p.userId);
  const wsUrl = url.replace(/^http/, 'ws') + SYNC_PATH;
  for (const name of names) {
    await openOnce(wsUrl, name, tokens[0]!);
    for (const userId of ids) {
      const response = await fetch(`${url}/api/commands`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens[0]}` },
        body: JSON.stringify({ id: crypto.randomUUID(), type: 'add-participant', record: name, userId, role: 'contributor' }),
      });
      const outcome = (await response.json()) as { status: string };
      if (outcome.status !== 'applied') throw new Error(`Adding a co-writer to ${name}: ${JSON.stringify(outcome)}`);
    }
  }
  return tokens;
}

async function runOnce(kind: ServerKind, options: LiveBenchOptions): Promise<LiveRun> {
  const env: Record<string, string> = { LIVE_SERVER: kind === 'stock' ? 'stock' : 'fieldnotes' };
  if (kind === 'before' && options.beforeRoot) env.LIVE_ROOT = options.beforeRoot;
  const server = forkTs('liveServer.ts', env);
  const clientProcesses: ChildProcess[] = [];
  try {
    const port = await ask<number>(server, null, 'port');
    const url = `http://127.0.0.1:${port}`;
    const names = Array.from({ length: options.docs }, () => `review/${crypto.randomUUID()}`);
    const tokens = kind === 'stock' ? Array.from({ length: options.clientsPerDoc }, () => 'stock') : await prepareFieldnotes(url, names, options.clientsPerDoc);
    // Let the documents opened to make them unload, so every run starts the same way.
    await new Promise((r) => setTimeout(r, 1000));

    const groups: LiveClientsSetup['docs'][] = Array.from({ length: options.processes }, () => []);
    names.forEach((name, i) => groups[i % options.processes]!.push({ name, tokens }));
    const setups = groups.map((docs) => ({ url: url.replace(/^http/, 'ws') + SYNC_PATH, docs, perSecond: options.perSecond, durationMs: options.seconds * 1000 }));
    for (const _ of setups) clientProcesses.push(forkTs('liveClients.ts'));
    await Promise.all(clientProcesses.map((child, i) => ask(child, { setup: setups[i] }, 'ready')));
    await new Promise((r) => setTimeout(r, 500));

    await ask(server, { measure: 'start' }, 'started');
    const started = performance.now();
    const results = await Promise.all(clientProcesses.map((child) => ask<LiveClientsResult>(child, { start: true }, 'done', options.seconds * 1000 + 60_000)));
    const stats = await ask<LiveServerStats>(server, { measure: 'stop' }, 'stats');
    const wallMs = performance.now() - started;

    const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const edits = results.reduce((n, r) => n + r.edits, 0);
    const cpuMs = stats.cpuUserMs + stats.cpuSystemMs;
    return {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? NaN,
      samples: latencies.length,
      missing: results.reduce((n, r) => n + r.missing, 0),
      edits,
      cpuMsPerEdit: cpuMs / edits,
      cpuShare: cpuMs / wallMs,
      loopDelayP99Ms: stats.loopDelayP99Ms,
      loopDelayMaxMs: stats.loopDelayMaxMs,
      rssMiB: stats.rssMiB,
      errors: results.flatMap((r) => r.errors),
    };
  } finally {
    for (const child of clientProcesses) {
      child.send({ close: true });
      await new Promise((r) => child.once('exit', r));
    }
    server.send({ close: true });
    await new Promise((r) => server.once('exit', r));
  }
}

export async function runLiveBench(options: LiveBenchOptions): Promise<Record<ServerKind, LiveRun[]>> {
  const kinds: ServerKind[] = options.beforeRoot ? ['fieldnotes', 'before', 'stock'] : ['fieldnotes', 'stock'];
  const runs: Record<ServerKind, LiveRun[]> = { fieldnotes: [], before: [], stock: [] };
  for (let i = 0; i < options.runs; i++) {
    for (const kind of kinds) {
      const run = await runOnce(kind, options);
      runs[kind].push(run);
      console.log(
        `  run ${i + 1} ${kind}: p50 ${run.p50.toFixed(1)} p95 ${run.p95.toFixed(1)} p99 ${run.p99.toFixed(1)} max ${run.max.toFixed(0)} ms; ` +
          `${run.edits} edits, ${run.samples} arrivals (${run.missing} missing); server CPU ${run.cpuMsPerEdit.toFixed(3)} ms/edit (${(run.cpuShare * 100).toFixed(0)} %); ` +
          `loop delay p99 ${run.loopDelayP99Ms.toFixed(1)} max ${run.loopDelayMaxMs.toFixed(1)} ms; RSS ${run.rssMiB.toFixed(0)} MiB` +
          (run.errors.length ? `; ${run.errors.length} errors, e.g. ${run.errors[0]}` : ''),
      );
    }
  }
  return runs;
}

/** The markdown table of medians over the runs, with ratios to the stock server. */
export function describeLiveBench(runs: Record<ServerKind, LiveRun[]>, options: LiveBenchOptions): string {
  const med = (list: LiveRun[], key: keyof LiveRun) => median(list.map((r) => r[key] as number));
  const label: Record<ServerKind, string> = { fieldnotes: 'Fieldnotes (this code)', before: 'Fieldnotes before', stock: 'stock Hocuspocus + SQLite store' };
  const lines = [
    `\n## Live co-editing: ${options.docs * options.clientsPerDoc} clients on ${options.docs} documents, ${options.perSecond} edits/s each for ${options.seconds} s (medians of ${options.runs} runs per server, interleaved)`,
    '| server | p50 | p95 | p99 | p99 / stock | server CPU per edit | / stock | server CPU (one core) | event-loop delay p99 / max | RSS |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const stock = runs.stock;
  for (const kind of ['fieldnotes', 'before', 'stock'] as const) {
    const list = runs[kind];
    if (list.length === 0) continue;
    lines.push(
      `| ${label[kind]} | ${med(list, 'p50').toFixed(1)} ms | ${med(list, 'p95').toFixed(1)} ms | ${med(list, 'p99').toFixed(1)} ms | ${(med(list, 'p99') / med(stock, 'p99')).toFixed(2)} | ` +
        `${(med(list, 'cpuMsPerEdit') * 1000).toFixed(0)} µs | ${(med(list, 'cpuMsPerEdit') / med(stock, 'cpuMsPerEdit')).toFixed(2)} | ${(med(list, 'cpuShare') * 100).toFixed(0)} % | ` +
        `${med(list, 'loopDelayP99Ms').toFixed(1)} / ${med(list, 'loopDelayMaxMs').toFixed(1)} ms | ${med(list, 'rssMiB').toFixed(0)} MiB |`,
    );
  }
  for (const kind of ['fieldnotes', 'before', 'stock'] as const)
    if (runs[kind].length) lines.push(`  ${label[kind]} p99 every run: ${runs[kind].map((r) => r.p99.toFixed(0)).join(', ')} ms; missing arrivals: ${runs[kind].map((r) => r.missing).join(', ')}`);
  return lines.join('\n');
}

export function liveOptionsFromEnv(): LiveBenchOptions {
  const whole = (name: string, fallback: number) => {
    const value = Number(process.env[name] ?? fallback);
    if (!(Number.isInteger(value) && value > 0)) throw new Error(`${name} must be a positive whole number, not "${process.env[name]}".`);
    return value;
  };
  return {
    runs: whole('BENCH_LIVE_RUNS', 3),
    seconds: whole('BENCH_LIVE_SECONDS', 30),
    docs: whole('BENCH_LIVE_DOCS', 50),
    clientsPerDoc: Math.min(GROUP.length, whole('BENCH_LIVE_CLIENTS_PER_DOC', 4)),
    perSecond: whole('BENCH_LIVE_RATE', 5),
    processes: whole('BENCH_LIVE_PROCESSES', 2),
    beforeRoot: process.env.BENCH_LIVE_BEFORE ? path.resolve(process.env.BENCH_LIVE_BEFORE) : null,
  };
}
