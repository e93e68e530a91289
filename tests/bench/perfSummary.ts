/**
 * Summarises a Linux perf profile of a live bench server (liveServer.ts with BENCH_LIVE_PERF, the bench run
 * with NODE_OPTIONS=--perf-basic-prof): CPU time — not wall-clock time — by thread, by job and by
 * function, kernel time included.
 *
 *   perf script -i <file.perf.data> > out.txt && npx tsx tests/bench/perfSummary.ts out.txt [top=30] [focus]
 *
 * With a focus (part of a frame's name): what the samples under that frame spend their time in.
 */
import fs from 'node:fs';

const [file, topArg, focus] = process.argv.slice(2);
if (!file) throw new Error('Usage: perfSummary.ts <perf script output> [top] [focus]');
const top = Number(topArg ?? 30);

interface Sample {
  tid: number;
  /** Leaf first. */
  frames: string[];
}

/** A frame's name: a JavaScript function with its file shortened, or a native symbol. */
function frameName(line: string): string {
  const m = /^\s*[0-9a-f]+\s+(.*?)\s+\(([^)]*)\)\s*$/.exec(line);
  if (!m) return line.trim();
  let symbol = m[1]!.replace(/\+0x[0-9a-f]+$/, '');
  const object = m[2]!;
  if (symbol.startsWith('JS:')) {
    symbol = symbol
      .replace(/^JS:[*^~]?/, '')
      .replace(/file:\/\/\/\S*node_modules\/((?:@[^/]+\/)?[^/]+)\/\S*/, '$1')
      .replace(/file:\/\/\/\S*\/(sync-server|recordModel|domain|tests)\/(\S*?):\d+:\d+/, '$1/$2')
      .replace(/(node:\S*?):\d+:\d+/, '$1');
    return symbol || '(anonymous JS)';
  }
  if (symbol === '[unknown]') return `[unknown] ${object.split('/').pop()}`;
  if (object.includes('kernel')) return `[k] ${symbol}`;
  return symbol;
}

const samples: Sample[] = [];
let current: Sample | null = null;
for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
  if (!line.trim()) {
    if (current) samples.push(current);
    current = null;
    continue;
  }
  if (!line.startsWith('\t') && !line.startsWith(' ')) {
    const m = /^\S+\s+(\d+)/.exec(line);
    current = { tid: Number(m?.[1] ?? 0), frames: [] };
    continue;
  }
  current?.frames.push(frameName(line));
}
if (current) samples.push(current);

const total = samples.length;
const mainTid = Math.min(...samples.map((s) => s.tid));
const pct = (n: number, of = total) => `${((100 * n) / of).toFixed(1)} %`;
const count = <K>(keys: Iterable<K>) => {
  const out = new Map<K, number>();
  for (const k of keys) out.set(k, (out.get(k) ?? 0) + 1);
  return [...out].sort((a, b) => b[1] - a[1]);
};

console.log(`${file}: ${total} samples`);
console.log('\nBy thread:');
for (const [tid, n] of count(samples.map((s) => (s.tid === mainTid ? 'main (event loop)' : threadKind(s)))))
  console.log(`  ${pct(n).padStart(7)} ${String(n).padStart(6)}  ${tid}`);

function threadKind(sample: Sample): string {
  const all = sample.frames.join(' ');
  if (/uv__fs_work|uv__fs_fsync|fsync/.test(all)) return 'libuv pool (fsync)';
  if (/Heap|GC|Marking|Sweep|Scaveng|Evacuat/i.test(all)) return 'V8 helper threads (GC)';
  if (/Compil|Turbofan|Maglev/i.test(all)) return 'V8 helper threads (compiler)';
  return 'other threads';
}

/**
 * Jobs of the live server, in order of precedence: a sample goes to the first job that some frame on its
 * stack names (a socket write under the broadcast is the broadcast; a query under the write check is the
 * write check).
 */
const jobs: [string, RegExp][] = [
  ['store: appends, commits (sqliteStore, SQLite)', /sqliteStore\.ts|better_sqlite3|sqlite3/],
  ['proof (sendProof, describeStoredState)', /^sendProof |storedState\.ts/],
  ['write check (checkMessage, checkWrite, writePolicy, access.record)', /^checkMessage |^checkWrite |writePolicy\.ts|clientMessages\.ts|presencePolicy\.ts/],
  ['Hocuspocus broadcast of updates (handleUpdate)', /^handleUpdate /],
  ['Hocuspocus replies (sync status, awareness)', /^send @hocuspocus/],
  ['compaction', /^compact |mergeUpdates/],
  ['audit log', /audit\.ts/],
  ['our update hook, message order (collaboration.ts)', /collaboration\.ts/],
  ['Yjs apply (applyUpdate)', /^applyUpdate yjs/],
  ['Hocuspocus message handling, debounce', /@hocuspocus\/server/],
  ['socket guard', /socketGuard\.ts/],
  ['socket reads (ws, net)', /^socketOnData |^receiverOnMessage |^onStreamRead |uv__read/],
  ['garbage collection (main thread)', /Heap::|Scavenge|MarkCompact|GCTracer/],
  ['timers, immediates, microtasks (other)', /processTimers|processImmediate|RunMicrotasks/],
];
function jobOf(sample: Sample): string {
  if (sample.tid !== mainTid) return `off the event loop: ${threadKind(sample)}`;
  let best = jobs.length;
  for (const frame of sample.frames) {
    const hit = jobs.findIndex(([, re]) => re.test(frame));
    if (hit >= 0 && hit < best) best = hit;
  }
  return best < jobs.length ? jobs[best]![0] : 'other';
}
console.log('\nBy job (CPU time):');
for (const [job, n] of count(samples.map(jobOf))) console.log(`  ${pct(n).padStart(7)} ${String(n).padStart(6)}  ${job}`);

console.log('\nKernel time (samples whose leaf is in the kernel), by the first user-space frame above it:');
const kernel = samples.filter((s) => s.frames[0]?.startsWith('[k]'));
console.log(`  ${pct(kernel.length)} of all samples`);
for (const [k, n] of count(kernel.map((s) => s.frames.find((f) => !f.startsWith('[k]')) ?? '?')).slice(0, 12)) console.log(`  ${pct(n).padStart(7)} ${String(n).padStart(6)}  ${k}`);

console.log('\nSelf time by function:');
for (const [k, n] of count(samples.map((s) => s.frames[0] ?? '?')).slice(0, top)) console.log(`  ${pct(n).padStart(7)} ${String(n).padStart(6)}  ${k}`);

console.log('\nInclusive time by function (main thread):');
const main = samples.filter((s) => s.tid === mainTid);
for (const [k, n] of count(main.flatMap((s) => [...new Set(s.frames)])).slice(0, top)) console.log(`  ${pct(n).padStart(7)} ${String(n).padStart(6)}  ${k}`);

if (focus) {
  const under = samples.flatMap((s) => {
    const i = s.frames.findIndex((f) => f.includes(focus));
    return i < 0 ? [] : [i === 0 ? '(self)' : s.frames[i - 1]!];
  });
  console.log(`\nUnder "${focus}" (${pct(under.length)}):`);
  for (const [k, n] of count(under).slice(0, top)) console.log(`  ${pct(n).padStart(7)} ${String(n).padStart(6)}  ${k}`);
}
