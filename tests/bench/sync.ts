/**
 * Sync figures (issue 3), against an in-process server on port 0 with a fresh database for every run:
 *
 *  - Fieldnotes: a device (the app's real data layer and sync manager, on fake-indexeddb) makes N
 *    observations while offline; timed from `goOnline()` until the device holds the server's proof that
 *    every record is stored (`waitUntilAllSent`). The server's database is then checked for N documents.
 *  - Baseline, in the same run: the same N documents (made by the app's own code on another offline
 *    device and copied out, so the bytes match) sent the naive way — one plain Hocuspocus/Yjs websocket
 *    connection per document, all opened at once — timed until the server's database holds all N
 *    (polled every 20 ms). The baseline holds its documents in memory and waits for no proof, so it
 *    does less client-side work than the device, which reads each record from IndexedDB and marks it sent.
 *  - Server memory per open document: K of those documents opened on a fresh server through Hocuspocus
 *    direct connections (no websocket, no client copy) and written; heap growth after GC / K.
 *
 * Everything runs in one Node process (server, device and baseline clients), so the timings include the
 * client's own work and the memory figure is measured next to the device code of earlier runs.
 */
// First: Dexie looks for IndexedDB when it is loaded, and src/data below loads it.
import { onLogLine } from '../../sync-server/log';
import 'fake-indexeddb/auto';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as Y from 'yjs';
import { recordDocName } from '../../domain/records';
import { SYNC_PATH } from '../../domain/sync';
import { acquireDoc } from '../../src/data/docs/openRecord';
import { readDocStates } from '../../src/data/docs/docStore';
import { dbFor } from '../../src/data/db';
import { startServer, type RunningServer } from '../../sync-server/server';
import { NodeWebSocket, signInAs, TestDevice } from '../support/device';
import { makeDataDir } from '../support/serverProcess';
import { median } from './stats';

/** About 200 characters of narrative, as a manager might type in one field. */
const STRENGTHS =
  'Warm, clear and child-focused throughout the visit. Explained the plan to the family in plain words, checked they understood, ' +
  'and recorded the wishes of the child in their own words before leaving.';

const USERNAME = 'tm.okafor';

export interface SyncBenchOptions {
  sizes: number[];
  /** Records a new tablet receives, and runs of it (bulk), of which this many also on the live path. */
  receiveN: number;
  receiveRuns: number;
  receiveLiveRuns: number;
  runs: number;
  /** Give up on one run (either path) after this long. */
  timeoutMs: number;
  memoryDocs: number;
}

export interface SyncSizeResult {
  n: number;
  fieldnotesMs: number[];
  /** The same device with the bulk path switched off (every record on the live path, as before issue 20). */
  liveMs: number[];
  liveMedianMs: number;
  /** null for a run that did not finish within the timeout. */
  baselineMs: (number | null)[];
  /** CPU time of the whole process during each run: less sensitive than wall time to other load on the machine. */
  fieldnotesCpuMs: number[];
  baselineCpuMs: (number | null)[];
  fieldnotesMedianMs: number;
  /** Median of the runs that finished; null when none did. */
  baselineMedianMs: number | null;
  /** baseline / Fieldnotes (above 1: Fieldnotes is faster). */
  ratio: number | null;
  /** Connections the kernel dropped because the server's accept queue was full, during the baseline runs (Linux; system-wide). */
  baselineListenOverflows: number | null;
}

export interface SyncBenchResult {
  sizes: SyncSizeResult[];
  memory: { docs: number; kibPerDoc: number; externalKibPerDoc: number; gc: boolean; openDocuments: number };
  timeoutMs: number;
  /** Lines the server (or anything else) wrote to console.error / console.warn during the bench. */
  errorLines: string[];
  /** Servers closed while documents were still open (they did not unload within 15 s). */
  leftOpen: string[];
  /** Median size of one observation document as sent (bytes). */
  documentBytes: number;
  receive: ReceiveResult;
}

export interface ReceiveResult {
  n: number;
  /** Median size of one of the records received (bytes of its state). */
  documentBytes: number;
  /** From going online until every record is in the index (and its document stored). */
  bulkMs: number[];
  /** From going online until the first records are in the index (the list has something to show). */
  firstPageMs: number[];
  bulkCpuMs: number[];
  /** The same on the live path (one Hocuspocus document per record, as before issue 20). */
  liveMs: (number | null)[];
  bulkMedianMs: number;
  firstPageMedianMs: number;
  liveMedianMs: number | null;
}

/** About 1.6 KB of content: what a manager writes in an observation's narrative fields. */
const RICH_VALUES = (i: number) => ({
  childId: `MOS${i}`,
  strengths: STRENGTHS + ' ' + STRENGTHS,
  areasForDevelopment: 'Record the plan in the family’s own words and share it within two working days. '.repeat(4),
  reflections: 'We talked through what went well and what the practitioner would do differently next time. '.repeat(4),
  otherComments: 'Nothing further.',
});

/**
 * Receiving: one author's device makes N records of ~1.6 KB and sends them; then, per run, a new tablet of
 * the same person goes online, timed until all N are in its index (and their documents in its store), and
 * until the first ones are (the list can show them). `liveOnly` runs the same on the live path.
 */
export async function receiveRuns(n: number, runs: number, liveRuns: number, timeoutMs: number): Promise<ReceiveResult> {
  const server = await freshServer();
  const bulkMs: number[] = [];
  const firstPageMs: number[] = [];
  const bulkCpuMs: number[] = [];
  const liveMs: (number | null)[] = [];
  const sizes: number[] = [];
  try {
    const author = await TestDevice.signIn(server.url, USERNAME, `author-${n}`);
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(await author.createObservation(RICH_VALUES(i)));
    await author.goOnline();
    await author.waitUntilAllSent(timeoutMs);
    author.goOffline();
    for (const id of ids.slice(0, 50)) sizes.push((await server.store.load(recordDocName('observation', id)))!.byteLength);
    await sleep(DEVICE_SETTLE_MS);

    const once = async (run: string, liveOnly: boolean): Promise<{ ms: number; firstMs: number; cpuMs: number } | null> => {
      const fresh = await TestDevice.signIn(server.url, USERNAME, run, liveOnly ? { liveOnly: true } : {});
      const rows = dbFor(fresh.storeId).records;
      const started = performance.now();
      const cpu = process.cpuUsage();
      let firstMs = 0;
      try {
        await fresh.goOnline();
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const count = await rows.count();
          if (count > 0 && firstMs === 0) firstMs = performance.now() - started;
          if (count >= n) break;
          if (Date.now() > deadline) {
            console.log(`  Receiving N=${n} (${liveOnly ? 'live path' : 'bulk'}): ${count} of ${n} after ${timeoutMs} ms`);
            return null;
          }
          await sleep(10);
        }
        const timing = { ms: performance.now() - started, firstMs, cpuMs: cpuMsSince(cpu) };
        // Every record's document is in the device's store too (checked outside the timing).
        const stored = await readDocStates(fresh.storeId, ids.map((id) => recordDocName('observation', id)));
        if (stored.size !== n) throw new Error(`Receiving: the index lists ${n} records but the store holds ${stored.size}`);
        return timing;
      } finally {
        fresh.goOffline();
        await sleep(DEVICE_SETTLE_MS);
      }
    };
    // Interleaved, so both paths see the same noise on a shared machine.
    for (let run = 0; run < runs; run++) {
      const bulk = await once(`fresh-${run}`, false);
      if (!bulk) throw new Error(`Receiving ${n} records in bulk did not finish in ${timeoutMs} ms`);
      bulkMs.push(bulk.ms);
      firstPageMs.push(bulk.firstMs);
      bulkCpuMs.push(bulk.cpuMs);
      console.log(`  Receiving N=${n} run ${run + 1}: bulk ${bulk.ms.toFixed(0)} ms (first records listed at ${bulk.firstMs.toFixed(0)} ms; CPU ${bulk.cpuMs.toFixed(0)} ms)`);
      if (run < liveRuns) {
        const live = await once(`fresh-live-${run}`, true);
        liveMs.push(live?.ms ?? null);
        console.log(`  Receiving N=${n} run ${run + 1}: live path ${live ? `${live.ms.toFixed(0)} ms` : 'did not finish'}`);
      }
    }
  } finally {
    await closeWhenIdle(server, `receiving N=${n}`);
  }
  const finished = liveMs.filter((v): v is number => v !== null);
  return {
    n,
    documentBytes: median(sizes),
    bulkMs,
    firstPageMs,
    bulkCpuMs,
    liveMs,
    bulkMedianMs: median(bulkMs),
    firstPageMedianMs: median(firstPageMs),
    liveMedianMs: finished.length ? median(finished) : null,
  };
}

/** Each server's data directory, removed when the server is closed. */
const dataDirs = new WeakMap<RunningServer, string>();

async function freshServer(): Promise<RunningServer> {
  const dataDir = makeDataDir('fieldnotes-bench-');
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, staticDir: null, seedDemo: true, sessionDays: 1 });
  dataDirs.set(server, dataDir);
  return server;
}

/** How many observation documents the server has at least one stored update for. */
function storedDocuments(server: RunningServer): number {
  return (server.db.prepare('SELECT COUNT(DISTINCT doc) AS n FROM doc_updates WHERE doc LIKE ?').get('observation/%') as { n: number }).n;
}

/** The kernel's count of connections dropped on a full accept queue (Linux only, every process). */
function listenOverflows(): number | null {
  try {
    const [names, values] = fs.readFileSync('/proc/net/netstat', 'utf8').split('\n');
    const index = names!.split(' ').indexOf('ListenOverflows');
    return index < 0 ? null : Number(values!.split(' ')[index]);
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The device keeps a document open for 2 s after its last use (openRecord.ts); waiting past that before
 * timing or measuring keeps the closing of the records just made out of the figures.
 */
const DEVICE_SETTLE_MS = 2500;

/** Size of each document the baseline sent (the same documents the device sends), for the report. */
const documentBytes: number[] = [];

/** Documents still open on a server when the bench closed it anyway (see closeWhenIdle). */
const leftOpen: string[] = [];

/**
 * Closes a server once its clients have gone and every document has unloaded. `server.close()` alone
 * does not wait for that: a document's coalesced "changed" notice (a 200 ms timer) or its last
 * compaction can then run after the database is closed, and the notice's timer throws "The database
 * connection is not open" outside any promise — which ends the whole process.
 */
async function closeWhenIdle(server: RunningServer, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (server.collaboration.openDocumentCount() > 0 && Date.now() < deadline) await sleep(20);
  const open = server.collaboration.openDocumentCount();
  if (open > 0) leftOpen.push(`${what}: ${open} documents still open 15 s after the clients left`);
  await sleep(250); // past the server's 50 ms acknowledgement and 200 ms notice timers
  await server.close();
  const dataDir = dataDirs.get(server);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}

/**
 * N observations exactly as the app makes them (made on an offline device, then copied out of its
 * IndexedDB), so the baseline and the memory figure send the very same documents as the Fieldnotes path.
 */
async function recordsAsTheAppMakesThem(server: RunningServer, n: number): Promise<{ name: string; update: Uint8Array }[]> {
  const maker = await TestDevice.signIn(server.url, USERNAME, `maker-${n}`);
  const records: { name: string; update: Uint8Array }[] = [];
  for (let i = 0; i < n; i++) {
    const id = await maker.createObservation({ childId: `MOS${i}`, strengths: STRENGTHS });
    const { doc, release } = await acquireDoc(maker.storeId, 'observation', id);
    records.push({ name: recordDocName('observation', id), update: Y.encodeStateAsUpdate(doc) });
    release();
  }
  await sleep(DEVICE_SETTLE_MS);
  return records;
}

/** Wall time of one run, and the CPU time this process (server and client together) used in it. */
export interface Timing {
  ms: number;
  cpuMs: number;
}

const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

/**
 * Fieldnotes: N records made offline, then one connection; from going online to proof of storage (and
 * every record marked sent). `liveOnly`: every record on the live path, one Hocuspocus document each, as
 * before the bulk path (issue 20).
 */
export async function fieldnotesRun(n: number, timeoutMs: number, liveOnly = false): Promise<Timing | null> {
  const server = await freshServer();
  let device: TestDevice | null = null;
  try {
    device = await TestDevice.signIn(server.url, USERNAME, `bench-${n}`, liveOnly ? { liveOnly: true } : {});
    for (let i = 0; i < n; i++) await device.createObservation({ childId: `MOS${i}`, strengths: STRENGTHS });
    if ((await device.unsentCount()) !== n) throw new Error(`Expected ${n} unsent records on the device, found ${await device.unsentCount()}`);
    await sleep(DEVICE_SETTLE_MS);

    const started = performance.now();
    const cpu = process.cpuUsage();
    await device.goOnline();
    try {
      await device.waitUntilAllSent(timeoutMs);
    } catch (error) {
      console.log(`  Fieldnotes N=${n}: ${(error as Error).message}`);
      return null;
    }
    const timing = { ms: performance.now() - started, cpuMs: cpuMsSince(cpu) };

    const stored = storedDocuments(server);
    if (stored !== n) throw new Error(`Fieldnotes N=${n}: the device says all sent, but the server stores ${stored} documents`);
    return timing;
  } finally {
    device?.goOffline();
    await closeWhenIdle(server, `Fieldnotes N=${n}`);
  }
}

/** Baseline: one plain Yjs websocket connection per document, all opened at once; until all are stored. */
export async function baselineRun(n: number, timeoutMs: number): Promise<Timing | null> {
  const server = await freshServer();
  const providers: HocuspocusProvider[] = [];
  const sockets: HocuspocusProviderWebsocket[] = [];
  const docs: Y.Doc[] = [];
  try {
    const { token } = await signInAs(server.url, USERNAME);
    const prepared = (await recordsAsTheAppMakesThem(server, n)).map(({ name, update }) => {
      const doc = new Y.Doc({ guid: name });
      Y.applyUpdate(doc, update);
      return { name, doc };
    });
    docs.push(...prepared.map((p) => p.doc));
    documentBytes.push(...prepared.map((p) => Y.encodeStateAsUpdate(p.doc).byteLength));
    const url = server.url.replace(/^http/, 'ws') + SYNC_PATH;

    const started = performance.now();
    const cpu = process.cpuUsage();
    for (const { name, doc } of prepared) {
      // One socket per document (what `new HocuspocusProvider({ url, ... })` makes for itself; built here
      // only because the provider's types do not let `WebSocketPolyfill` through).
      const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: NodeWebSocket });
      const provider = new HocuspocusProvider({ websocketProvider: socket, name, document: doc, token, awareness: null });
      provider.attach();
      sockets.push(socket);
      providers.push(provider);
    }
    const deadline = Date.now() + timeoutMs;
    while (storedDocuments(server) < n) {
      if (Date.now() > deadline) {
        console.log(`  Baseline N=${n}: ${storedDocuments(server)} of ${n} documents stored after ${timeoutMs} ms`);
        return null;
      }
      await sleep(20);
    }
    return { ms: performance.now() - started, cpuMs: cpuMsSince(cpu) };
  } finally {
    providers.forEach((p) => p.destroy());
    sockets.forEach((s) => s.destroy());
    await closeWhenIdle(server, `baseline N=${n}`);
    docs.forEach((d) => d.destroy());
  }
}

/** `gc()` when Node was started with --expose-gc; otherwise turned on at run time (V8 allows it). */
function getGc(): (() => void) | null {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return null;
  }
}

async function settledMemory(gc: (() => void) | null): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < 3; i++) {
    await sleep(50);
    gc?.();
  }
  return process.memoryUsage();
}

/** Heap growth per document held open on the server (Hocuspocus document + the store's mirror). */
export async function memoryPerDocument(k: number, timeoutMs: number): Promise<SyncBenchResult['memory']> {
  const gc = getGc();
  const server = await freshServer();
  const connections: Awaited<ReturnType<RunningServer['collaboration']['hocuspocus']['openDirectConnection']>>[] = [];
  try {
    const { user } = await signInAs(server.url, USERNAME);
    const updates = await recordsAsTheAppMakesThem(server, k);

    const before = await settledMemory(gc);
    for (const { name, update } of updates) {
      const connection = await server.collaboration.hocuspocus.openDirectConnection(name, { user });
      await connection.transact((document) => Y.applyUpdate(document, update));
      connections.push(connection);
    }
    const deadline = Date.now() + timeoutMs;
    while (storedDocuments(server) < k) {
      if (Date.now() > deadline) throw new Error(`Memory: only ${storedDocuments(server)} of ${k} documents stored`);
      await sleep(20);
    }
    const after = await settledMemory(gc);
    const openDocuments = server.collaboration.openDocumentCount();
    return {
      docs: k,
      kibPerDoc: (after.heapUsed - before.heapUsed) / k / 1024,
      externalKibPerDoc: (after.external - before.external) / k / 1024,
      gc: gc !== null,
      openDocuments,
    };
  } finally {
    for (const connection of connections) await connection.disconnect();
    await closeWhenIdle(server, 'memory');
  }
}

/** Counts (and passes on) what is written to console.error / console.warn while `work` runs. */
async function capturingErrors<T>(work: () => Promise<T>): Promise<{ value: T; lines: string[] }> {
  const lines: string[] = [];
  const original = { error: console.error, warn: console.warn };
  const capture =
    (write: (...args: unknown[]) => void) =>
    (...args: unknown[]) => {
      const line = args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(' ');
      lines.push(line);
      if (lines.length <= 20) write(...args);
      else if (lines.length === 21) write('(further console output suppressed; counted in the summary)');
    };
  console.error = capture(original.error);
  console.warn = capture(original.warn);
  // The server logs through pino (JSON lines): its warnings and errors count too.
  const stopListening = onLogLine((line) => {
    const entry = JSON.parse(line) as { level: number; msg?: string };
    if (entry.level >= 40) lines.push(`${entry.level >= 50 ? 'error' : 'warn'}: ${entry.msg ?? ''}`);
  });
  try {
    return { value: await work(), lines };
  } finally {
    stopListening();
    console.error = original.error;
    console.warn = original.warn;
  }
}

export async function runSyncBench(options: Partial<SyncBenchOptions> = {}): Promise<SyncBenchResult> {
  const { sizes, runs, timeoutMs, memoryDocs } = {
    sizes: [100, 500, 2000],
    runs: 3,
    timeoutMs: 120_000,
    memoryDocs: 500,
    ...options,
  };
  const { receiveN, receiveRuns: receiveRunCount, receiveLiveRuns } = { receiveN: 1000, receiveRuns: 3, receiveLiveRuns: 1, ...options };
  documentBytes.length = 0;
  leftOpen.length = 0;
  const { value, lines } = await capturingErrors(async () => {
    // One small unmeasured round of each, so the first measured run does not pay for JIT warm-up alone.
    await fieldnotesRun(20, timeoutMs);
    await baselineRun(20, timeoutMs);
    const results: SyncSizeResult[] = [];
    for (const n of sizes) {
      const fieldnotesMs: number[] = [];
      const liveMs: number[] = [];
      const baselineMs: (number | null)[] = [];
      const fieldnotesCpuMs: number[] = [];
      const baselineCpuMs: (number | null)[] = [];
      let overflows: number | null = 0;
      // Interleaved, so both paths see the same noise on a shared machine.
      for (let run = 0; run < runs; run++) {
        const f = await fieldnotesRun(n, timeoutMs);
        if (f === null) throw new Error(`Fieldnotes did not send ${n} records in ${timeoutMs} ms`);
        fieldnotesMs.push(f.ms);
        fieldnotesCpuMs.push(f.cpuMs);
        console.log(`  N=${n} run ${run + 1}: Fieldnotes ${f.ms.toFixed(0)} ms (CPU ${f.cpuMs.toFixed(0)} ms)`);
        const l = await fieldnotesRun(n, timeoutMs, true);
        if (l !== null) liveMs.push(l.ms);
        console.log(`  N=${n} run ${run + 1}: Fieldnotes, live path only ${l === null ? 'did not finish' : `${l.ms.toFixed(0)} ms (CPU ${l.cpuMs.toFixed(0)} ms)`}`);
        const overflowsBefore = listenOverflows();
        const b = await baselineRun(n, timeoutMs);
        const overflowsAfter = listenOverflows();
        overflows = overflows === null || overflowsBefore === null || overflowsAfter === null ? null : overflows + overflowsAfter - overflowsBefore;
        baselineMs.push(b?.ms ?? null);
        baselineCpuMs.push(b?.cpuMs ?? null);
        console.log(
          `  N=${n} run ${run + 1}: baseline ${b === null ? `did not finish in ${timeoutMs / 1000} s` : `${b.ms.toFixed(0)} ms (CPU ${b.cpuMs.toFixed(0)} ms)`}`,
        );
      }
      const finished = baselineMs.filter((b): b is number => b !== null);
      const fieldnotesMedianMs = median(fieldnotesMs);
      const baselineMedianMs = finished.length > 0 ? median(finished) : null;
      results.push({
        n,
        fieldnotesMs,
        liveMs,
        liveMedianMs: liveMs.length ? median(liveMs) : Number.NaN,
        baselineMs,
        fieldnotesCpuMs,
        baselineCpuMs,
        fieldnotesMedianMs,
        baselineMedianMs,
        ratio: baselineMedianMs === null ? null : baselineMedianMs / fieldnotesMedianMs,
        baselineListenOverflows: overflows,
      });
    }
    const receive = await receiveRuns(receiveN, receiveRunCount, receiveLiveRuns, timeoutMs);
    const memory = await memoryPerDocument(memoryDocs, timeoutMs);
    return { sizes: results, memory, receive };
  });
  return { ...value, timeoutMs, errorLines: lines, leftOpen: [...leftOpen], documentBytes: median(documentBytes) };
}
