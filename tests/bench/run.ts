/**
 * `npm run bench`: every benchmark, printed as medians with ratios against a baseline measured in the
 * same run (the machines are shared and noisy). Needs a build (`npm run build`). See docs/benchmarks.md.
 */
import { runStartupBench } from './startup';

const startup = await runStartupBench(Number(process.env.BENCH_RUNS ?? 7));
console.log('\n## Start-up');
console.log(`Initial JS (gzipped): ${startup.initialJsGzipKiB.toFixed(1)} KiB in ${startup.initialJsFiles.join(', ')}`);
console.log(`Cold start, server stopped (service worker): median ${startup.offlineColdStartMedianMs.toFixed(0)} ms over ${startup.runs} runs`);
console.log(`Cold start, server up (baseline):            median ${startup.onlineColdStartMedianMs.toFixed(0)} ms`);
console.log(`Offline / online ratio: ${startup.offlineToOnlineRatio.toFixed(2)}`);
