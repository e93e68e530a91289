/**
 * `npm run bench`: every benchmark, printed as medians with ratios against a baseline measured in the
 * same run (the machines are shared and noisy). See docs/benchmarks.md.
 *
 *   BENCH_ONLY=startup | sync | reconnect | keystroke | backup | pdf | lists | liststartup | reports | devicestore | live   run one benchmark (start-up, keystroke, pdf and liststartup need `npm run build` and Chromium; devicestore needs Chromium)
 *   BENCH_RUNS_LISTS=5          runs of each case of the liststartup benchmark
 *   BENCH_DEVICESTORE_RECORDS=1000  records in the device storage benchmark (its bulk figures use twice as many documents)
 *   BENCH_BACKUP_RECORDS=20000  records in the backup benchmark's database
 *   BENCH_REPORTS_REVIEWS=10000, BENCH_REPORTS_OTHERS=20000   records in the reports benchmark's database
 *   BENCH_RUNS_PDF=7            PDFs of a 10-page review timed after the first
 *   BENCH_RUNS_RECONNECT=5      runs of the reconnect-after-restart benchmark
 *   BENCH_RUNS=7                runs of the start-up benchmark
 *   BENCH_RUNS_SYNC=3           runs of each sync size (bulk, live-only and baseline, interleaved)
 *   BENCH_SYNC_SIZES=100,500,2000  record counts sent; BENCH_RECEIVE=1000 records a new tablet receives
 *   BENCH_LIVE_RUNS=3, BENCH_LIVE_SECONDS=30, BENCH_LIVE_DOCS=50, BENCH_LIVE_CLIENTS_PER_DOC=4, BENCH_LIVE_RATE=5,
 *   BENCH_LIVE_PROCESSES=2, BENCH_LIVE_BEFORE=<another checkout>   the live co-editing benchmark (tests/bench/live.ts)
 *   BENCH_KEYS=60               keystrokes measured in each field of the keystroke benchmark
 */
import './quietLog';
import { describeBackupBench, runBackupBench } from './backup';
import { describeDeviceStoreBench, runDeviceStoreBench } from './deviceStore';
import { describeDeviceStoreChromium, runDeviceStoreChromium } from './deviceStoreChromium';
import { runKeystrokeBench } from './keystroke';
import { runPdfBench } from './pdf';
import { describeLiveBench, liveOptionsFromEnv, runLiveBench } from './live';
import { runListsBench } from './lists';
import { runListStartupBench } from './listStartup';
import { describeReportsBench, runReportsBench } from './reports';
import { runStartupBench } from './startup';
import { median } from './stats';
import { runReconnectBench } from './reconnect';
import { runSyncBench } from './sync';

const only = process.env.BENCH_ONLY;
const benches = ['startup', 'sync', 'reconnect', 'keystroke', 'backup', 'pdf', 'lists', 'liststartup', 'reports', 'devicestore', 'live'];
if (only && !benches.includes(only)) throw new Error(`BENCH_ONLY must be one of ${benches.join(', ')}, not "${only}".`);

if (!only || only === 'lists') {
  const lists = await runListsBench();
  console.log(`\n## Lists: ${lists.n} records in the tablet's index, filtered and sorted as My records does (target: under 100 ms)`);
  console.log('| filter | median | slowest of 15 | records shown |');
  console.log('|---|---:|---:|---:|');
  for (const c of lists.cases) console.log(`| ${c.label} | ${c.medianMs.toFixed(1)} ms | ${c.maxMs.toFixed(1)} ms | ${c.shown} |`);
  console.log(`Reading all ${lists.n} rows from the index (fake-indexeddb in Node, an upper bound): median ${lists.dexieReadMedianMs.toFixed(0)} ms`);
}

if (!only || only === 'liststartup') {
  const runs = Number(process.env.BENCH_RUNS_LISTS ?? 5);
  if (!(Number.isInteger(runs) && runs > 0)) throw new Error(`BENCH_RUNS_LISTS must be a positive whole number, not "${process.env.BENCH_RUNS_LISTS}".`);
  const l = await runListStartupBench(runs);
  const cell = (values: number[]) => `${median(values).toFixed(0)} ms (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;
  const ratio = (values: number[], base: number[]) => (median(values) / median(base)).toFixed(2);
  console.log(`\n## Lists at thousands of records, in Chromium (server stopped: service worker and IndexedDB; medians of ${l.runs} runs, range in brackets)`);
  console.log('| figure | 10 records (baseline) | many records | many / 10 |');
  console.log('|---|---:|---:|---:|');
  console.log(`| cold start, new tab, to the first row and the full count (1,000 records) | ${cell(l.coldMs[10]!)} | ${cell(l.coldMs[1000]!)} | ${ratio(l.coldMs[1000]!, l.coldMs[10]!)} |`);
  console.log(`| cold start after relaunching the browser (1,000 records) | ${cell(l.relaunchMs[10]!)} | ${cell(l.relaunchMs[1000]!)} | ${ratio(l.relaunchMs[1000]!, l.relaunchMs[10]!)} |`);
  console.log(`| search, each keystroke to the list and count updated (5,000 records; ${l.searchMs[5000]!.length} keystrokes) | ${cell(l.searchMs[10]!)} | ${cell(l.searchMs[5000]!)} | ${ratio(l.searchMs[5000]!, l.searchMs[10]!)} |`);
  console.log(`Index row: ${l.rowJsonBytes} bytes as JSON (median of the seeded rows)`);
}

if (!only || only === 'startup') {
  const startup = await runStartupBench(Number(process.env.BENCH_RUNS ?? 7));
  console.log('\n## Start-up');
  console.log(`Initial JS (gzipped): ${startup.initialJsGzipKiB.toFixed(1)} KiB in ${startup.initialJsFiles.join(', ')}`);
  console.log(`Cold start, server stopped (service worker): median ${startup.offlineColdStartMedianMs.toFixed(0)} ms over ${startup.runs} runs`);
  console.log(`Cold start, server up (baseline):            median ${startup.onlineColdStartMedianMs.toFixed(0)} ms`);
  console.log(`Offline / online ratio: ${startup.offlineToOnlineRatio.toFixed(2)}`);
}

if (!only || only === 'pdf') {
  const runs = Number(process.env.BENCH_RUNS_PDF ?? 7);
  if (!(Number.isInteger(runs) && runs > 0)) throw new Error(`BENCH_RUNS_PDF must be a positive whole number, not "${process.env.BENCH_RUNS_PDF}".`);
  const pdf = await runPdfBench(runs);
  const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
  console.log('\n## PDF of a record, made on the device (Chromium, the built app\'s own PDF chunk)');
  console.log(`PDF chunk ${pdf.chunk}: ${kib(pdf.chunkBytes)}, ${kib(pdf.chunkGzipBytes)} gzipped, loaded only when a PDF is asked for; fonts ${kib(pdf.fontGzipBytes)} gzipped`);
  console.log(`A review of ${pdf.pages} pages (${kib(pdf.size)} PDF): median ${pdf.medianMs.toFixed(0)} ms over ${pdf.ms.length} runs (every run: ${pdf.ms.map((m) => m.toFixed(0)).join(', ')} ms)`);
  console.log(`The first PDF, loading the chunk and fetching the fonts too: ${pdf.firstMs.toFixed(0)} ms`);
}

if (!only || only === 'keystroke') {
  const keys = Number(process.env.BENCH_KEYS ?? 60);
  if (!(Number.isInteger(keys) && keys > 0)) throw new Error(`BENCH_KEYS must be a positive whole number, not "${process.env.BENCH_KEYS}".`);
  const k = await runKeystrokeBench(keys);
  const line = (s: { median: number; p90: number; min: number; max: number }) => `median ${s.median.toFixed(0)} ms, 90th percentile ${s.p90} ms (min ${s.min}, max ${s.max})`;
  console.log('\n## Live keystroke latency between two browser contexts (keydown on one screen until the other shows it)');
  console.log(`Narrative field (CodeMirror editor on a Y.Text), ${k.keys} keys: ${line(k.narrative)}`);
  console.log(`Child ID box (plain input on the Y.Map, baseline), ${k.keys} keys: ${line(k.input)}`);
}

if (!only || only === 'sync') {
  const runs = Number(process.env.BENCH_RUNS_SYNC ?? 3);
  if (!(Number.isInteger(runs) && runs > 0)) throw new Error(`BENCH_RUNS_SYNC must be a positive whole number, not "${process.env.BENCH_RUNS_SYNC}".`);
  console.log('\n## Sync (running…)');
  const sizes = (process.env.BENCH_SYNC_SIZES ?? '100,500,2000').split(',').map(Number);
  const sync = await runSyncBench({ runs, sizes, receiveN: Number(process.env.BENCH_RECEIVE ?? 1000) });
  const ms = (v: number | null) => (v === null ? `did not finish in ${sync.timeoutMs / 1000} s` : `${v.toFixed(0)} ms`);
  console.log(`\n## Sync: records made offline until durably stored on the server (one observation: ${sync.documentBytes} bytes)`);
  console.log('| N | Fieldnotes (one socket, proof of storage) | baseline (one socket per document) | baseline / Fieldnotes |');
  console.log('|---:|---:|---:|---:|');
  for (const s of sync.sizes) {
    const fieldnotes = `${ms(s.fieldnotesMedianMs)} (median of ${s.fieldnotesMs.length})`;
    const finished = s.baselineMs.filter((b) => b !== null).length;
    const baseline = s.baselineMedianMs === null ? ms(null) : `${ms(s.baselineMedianMs)} (${finished === 1 ? 'one run' : `median of ${finished}`})`;
    const unfinished = s.baselineMs.filter((b) => b === null).length;
    const note = unfinished > 0 && s.baselineMedianMs !== null ? `; ${unfinished} run(s) did not finish` : '';
    console.log(`| ${s.n} | ${fieldnotes} | ${baseline}${note} | ${s.ratio === null ? '—' : s.ratio.toFixed(2)} |`);
  }
  const list = (values: (number | null)[]) => values.map((v) => (v === null ? 'timeout' : v.toFixed(0))).join(', ');
  for (const s of sync.sizes) {
    const overflows = s.baselineListenOverflows === null ? '' : `; accept-queue overflows during the baseline runs: ${s.baselineListenOverflows}`;
    const baselineCpu = s.baselineCpuMs.filter((v): v is number => v !== null);
    console.log(
      `  N=${s.n} every run: Fieldnotes ${list(s.fieldnotesMs)} ms; baseline ${list(s.baselineMs)} ms${overflows}\n` +
        `         CPU of the process (median): Fieldnotes ${median(s.fieldnotesCpuMs).toFixed(0)} ms, ` +
        `baseline ${baselineCpu.length ? `${median(baselineCpu).toFixed(0)} ms` : '—'}`,
    );
  }
  console.log(`\n## Sync, issue 20: the bulk path (records not on screen, many to a request) against the live path and the baseline`);
  console.log('| N | bulk path (proof, marked sent) | live path only (as before) | baseline (one socket per document) | baseline / bulk |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const s of sync.sizes)
    console.log(`| ${s.n} | ${ms(s.fieldnotesMedianMs)} | ${Number.isNaN(s.liveMedianMs) ? '—' : ms(s.liveMedianMs)} | ${ms(s.baselineMedianMs)} | ${s.ratio === null ? '—' : `${s.ratio.toFixed(1)}×`} |`);
  const r = sync.receive;
  console.log(`\n## Receiving: a new tablet with ${r.n} readable records (${r.documentBytes} bytes each, median)`);
  console.log('| | median | every run |');
  console.log('|---|---:|---|');
  console.log(`| bulk: first records listed | ${ms(r.firstPageMedianMs)} | ${r.firstPageMs.map((v) => v.toFixed(0)).join(', ')} ms |`);
  console.log(`| bulk: all ${r.n} in the index and stores | ${ms(r.bulkMedianMs)} | ${r.bulkMs.map((v) => v.toFixed(0)).join(', ')} ms (CPU ${r.bulkCpuMs.map((v) => v.toFixed(0)).join(', ')} ms) |`);
  console.log(`| live path only (as before) | ${ms(r.liveMedianMs)} | ${list(r.liveMs)} ms |`);
  for (const line of sync.leftOpen) console.log(`  closed with documents still open: ${line}`);
  const m = sync.memory;
  console.log(
    `Server memory per open document: ${m.kibPerDoc.toFixed(1)} KiB heap (+${m.externalKibPerDoc.toFixed(1)} KiB external) over ${m.docs} documents ` +
      `(${m.openDocuments} open; ${m.gc ? 'after forced GC' : 'no GC available'}; measured in the bench's own process)`,
  );
  console.log(`console.error/warn lines during the sync bench: ${sync.errorLines.length}`);
  const distinct = new Map<string, number>();
  for (const line of sync.errorLines) {
    const key = line.slice(0, 160);
    distinct.set(key, (distinct.get(key) ?? 0) + 1);
  }
  for (const [line, count] of distinct) console.log(`  ${count}× ${line}`);
}

if (!only || only === 'reconnect') {
  const runs = Number(process.env.BENCH_RUNS_RECONNECT ?? 5);
  if (!(Number.isInteger(runs) && runs > 0)) throw new Error(`BENCH_RUNS_RECONNECT must be a positive whole number, not "${process.env.BENCH_RUNS_RECONNECT}".`);
  console.log('\n## Reconnect after a server restart (running…)');
  const r = await runReconnectBench(runs);
  console.log(`\n## Reconnect after a server restart (server down ${r.downMs / 1000} s; from listening again to the record proved stored)`);
  console.log(`Left alone (backoff only):          median ${r.leftAloneMedianMs.toFixed(0)} ms over ${r.runs} runs (${r.leftAloneMs.join(', ')})`);
  console.log(`Watching (health check every 4–6 s): median ${r.watchingMedianMs.toFixed(0)} ms over ${r.runs} runs (${r.watchingMs.join(', ')})`);
}

if (!only || only === 'backup') {
  const records = Number(process.env.BENCH_BACKUP_RECORDS ?? 20_000);
  if (!(Number.isInteger(records) && records > 0)) throw new Error(`BENCH_BACKUP_RECORDS must be a positive whole number, not "${process.env.BENCH_BACKUP_RECORDS}".`);
  console.log('\n## Backup (running…)');
  console.log(describeBackupBench(await runBackupBench(records)));
}

if (!only || only === 'reports') {
  const reviews = Number(process.env.BENCH_REPORTS_REVIEWS ?? 10_000);
  const others = Number(process.env.BENCH_REPORTS_OTHERS ?? 20_000);
  if (!(Number.isInteger(reviews) && reviews > 0 && Number.isInteger(others) && others >= 0)) throw new Error('BENCH_REPORTS_REVIEWS and BENCH_REPORTS_OTHERS must be whole numbers.');
  console.log('\n## Reports (running…)');
  console.log('\n## Reports: the dashboard\'s figures from the read model (target: server time under 200 ms), and rebuilding it');
  console.log(describeReportsBench(await runReportsBench(reviews, others)));
}

if (!only || only === 'devicestore') {
  const records = Number(process.env.BENCH_DEVICESTORE_RECORDS ?? 1000);
  if (!(Number.isInteger(records) && records > 0)) throw new Error(`BENCH_DEVICESTORE_RECORDS must be a positive whole number, not "${process.env.BENCH_DEVICESTORE_RECORDS}".`);
  console.log('\n## Device storage (running…)');
  console.log(describeDeviceStoreChromium(await runDeviceStoreChromium(records)));
  console.log(describeDeviceStoreBench(await runDeviceStoreBench(records, records * 2)));
}
if (!only || only === 'live') {
  const options = liveOptionsFromEnv();
  console.log('\n## Live co-editing (running…)');
  console.log(describeLiveBench(await runLiveBench(options), options));
}
