/**
 * Summarises a V8 CPU profile (.cpuprofile, as liveServer.ts writes with BENCH_LIVE_PROFILE): self time by
 * function and by module, and inclusive time of the functions that matter to the live server (each counted
 * once per sample, however deep the recursion).
 *
 *   npx tsx tests/bench/profileSummary.ts <file.cpuprofile> [top=25]
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('Usage: profileSummary.ts <file.cpuprofile> [top]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

/** A short name for where a function lives: a package, or a file of this project. */
function moduleOf(url: string): string {
  if (!url) return '(native/V8)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return url;
  const m = /\/(sync-server|recordModel|domain|tests)\/(.*)$/.exec(url);
  return m ? `${m[1]}/${m[2]}` : url;
}
const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${moduleOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const selfUs = new Map<number, number>();
let totalUs = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  totalUs += dt;
});
const idle = [...selfUs].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, t]) => a + t, 0);
const busy = totalUs - idle;
const pct = (us: number) => `${((100 * us) / busy).toFixed(1)} %`;
const ms = (us: number) => `${(us / 1000).toFixed(0)} ms`;

function tally(key: (n: ProfileNode) => string) {
  const out = new Map<string, number>();
  for (const [id, t] of selfUs) {
    const n = byId.get(id)!;
    if (n.callFrame.functionName === '(idle)') continue;
    out.set(key(n), (out.get(key(n)) ?? 0) + t);
  }
  return [...out].sort((a, b) => b[1] - a[1]);
}

console.log(`${file}: ${ms(totalUs)} sampled, ${ms(busy)} busy (${((100 * busy) / totalUs).toFixed(0)} % of wall)`);
console.log(`\nSelf time by module:`);
for (const [k, t] of tally((n) => moduleOf(n.callFrame.url)).slice(0, top)) console.log(`  ${pct(t).padStart(7)} ${ms(t).padStart(8)}  ${k}`);
console.log(`\nSelf time by function:`);
for (const [k, t] of tally(label).slice(0, top)) console.log(`  ${pct(t).padStart(7)} ${ms(t).padStart(8)}  ${k}`);

/** Inclusive time: each sample counted once for every distinct function on its stack. */
const inclusive = new Map<string, number>();
const stackCache = new Map<number, Set<string>>();
function stackOf(id: number): Set<string> {
  const cached = stackCache.get(id);
  if (cached) return cached;
  const up = parent.get(id);
  const set = new Set(up === undefined ? [] : stackOf(up));
  set.add(label(byId.get(id)!));
  stackCache.set(id, set);
  return set;
}
for (const [id, t] of selfUs) {
  if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
  for (const fn of stackOf(id)) inclusive.set(fn, (inclusive.get(fn) ?? 0) + t);
}
console.log(`\nInclusive time by function:`);
for (const [k, t] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top * 2)) console.log(`  ${pct(t).padStart(7)} ${ms(t).padStart(8)}  ${k}`);

/** With a third argument: what the functions whose label contains it spend their time in (their callees, inclusive). */
const focus = process.argv[4];
if (focus) {
  const under = new Map<string, number>();
  let focusTotal = 0;
  for (const [id, t] of selfUs) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    // The path from the root to this sample; the first frame matching `focus`, then the frame below it.
    const path: ProfileNode[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) path.unshift(byId.get(at)!);
    const i = path.findIndex((n) => label(n).includes(focus));
    if (i < 0) continue;
    focusTotal += t;
    const below = path[i + 1];
    const key = below ? label(below) : '(self)';
    under.set(key, (under.get(key) ?? 0) + t);
  }
  console.log(`\nUnder "${focus}" (${ms(focusTotal)}, ${pct(focusTotal)}):`);
  for (const [k, t] of [...under].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(t).padStart(7)} ${ms(t).padStart(8)}  ${k}`);
}

/**
 * Busy time by what the live server is doing: each sample goes to the first of these jobs (in this order)
 * that a frame on its stack names — so a socket write under the broadcast counts as the broadcast, and a
 * query under the write check as the write check.
 */
const jobs: [string, RegExp][] = [
  ['store: commits, fsync (sqliteStore)', /sqliteStore\.ts|^fsync |better-sqlite3/],
  ['proof (sendProof, describeStoredState)', /^sendProof |storedState\.ts/],
  ['write check (checkMessage, writePolicy, access.record)', /^checkMessage |^checkWrite |writePolicy\.ts|clientMessages\.ts|presencePolicy\.ts/],
  ['Hocuspocus broadcast of updates (handleUpdate)', /^handleUpdate @hocuspocus/],
  ['Hocuspocus replies (sync status, awareness)', /^send @hocuspocus/],
  ['compaction (onStoreDocument)', /^compact |mergeUpdates/],
  ['audit log', /audit\.ts/],
  ['our update hook, message order (collaboration.ts)', /collaboration\.ts/],
  ['Yjs apply (applyUpdate)', /^applyUpdate yjs/],
  ['Hocuspocus message handling', /@hocuspocus\/server/],
  ['socket guard (socketGuard.ts)', /socketGuard\.ts/],
  ['socket reads (ws receive)', /^socketOnData |^receiverOnMessage |^onStreamRead /],
  ['garbage collection', /^\(garbage collector\)/],
];
const byJob = new Map<string, number>();
for (const [id, t] of selfUs) {
  if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
  let best = jobs.length;
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const l = label(byId.get(at)!);
    const hit = jobs.findIndex(([, re]) => re.test(l));
    if (hit >= 0 && hit < best) best = hit;
  }
  const job = best < jobs.length ? jobs[best]![0] : 'other';
  byJob.set(job, (byJob.get(job) ?? 0) + t);
}
console.log(`\nBusy time by job:`);
for (const [k, t] of [...byJob].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(t).padStart(7)} ${ms(t).padStart(8)}  ${k}`);
