/**
 * Reconnect time after a server restart (issue 14, item 2). Each run: a real server process (the one
 * `npm start` runs) and two devices — the app's real data layer and sync manager on fake-indexeddb, with
 * the app's own backoff (RECONNECT_DELAY_MS doubling to RECONNECT_MAX_DELAY_MS, full jitter) — each with a
 * record sent. The server stops; each device edits its record offline; the server stays down for
 * `downMs` (long enough for the backoff to reach its longest wait), then restarts on the same port and
 * data. Timed from the restarted server listening until each device holds the server's proof that its
 * record is stored ("Everything is sent").
 *
 * Two ways a device comes back, measured in the same runs:
 *  - left alone: only the websocket's backoff brings it back;
 *  - watching: as the signed-in app's status bar does while sync is down, it asks the server's health
 *    endpoint every 4–6 s (at random); the answer (api.ts onServerAnswered) makes the device connect at once
 *    (SyncManager.serverSeen), as SyncProvider wires it.
 */
import 'fake-indexeddb/auto';
import { checkHealthAt, onServerAnswered } from '../../src/data/api';
import { RECONNECT_DELAY_MS, RECONNECT_MAX_DELAY_MS } from '../../src/data/sync/syncManager';
import { TestDevice } from '../support/device';
import { startServerProcess } from '../support/serverProcess';
import { median } from './stats';

export interface ReconnectBenchResult {
  runs: number;
  downMs: number;
  /** Per run, ms from the restarted server listening until the device's record was proved stored. */
  leftAloneMs: number[];
  watchingMs: number[];
  leftAloneMedianMs: number;
  watchingMedianMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function untilAllSent(device: TestDevice, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (device.manager?.getStatus().connection === 'online' && (await device.unsentCount()) === 0) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${device.name} did not send its record within ${timeoutMs} ms of the restart`);
    await sleep(20);
  }
}

/** The status bar's health check while sync is down: every 4–6 s, at random. */
function watchForServer(serverUrl: string): () => void {
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      await sleep(4_000 + Math.round(Math.random() * 2_000));
      if (!stopped) await checkHealthAt(serverUrl).catch(() => undefined);
    }
  };
  void loop();
  return () => {
    stopped = true;
  };
}

export async function runReconnectBench(runs: number, downMs = 12_000): Promise<ReconnectBenchResult> {
  const leftAloneMs: number[] = [];
  const watchingMs: number[] = [];
  const reconnect = { delay: RECONNECT_DELAY_MS, maxDelay: RECONNECT_MAX_DELAY_MS };
  for (let run = 0; run < runs; run++) {
    const server = await startServerProcess();
    try {
      const alone = await TestDevice.signIn(server.url, 'tm.okafor', `alone-${run}`, { reconnect, recordTimeoutMs: 30_000 });
      const watching = await TestDevice.signIn(server.url, 'tm.hughes', `watching-${run}`, { reconnect, recordTimeoutMs: 30_000 });
      const ids = [await alone.createObservation({ childId: `MOS${run}A` }), await watching.createObservation({ childId: `MOS${run}W` })];
      await Promise.all([alone.goOnline(), watching.goOnline()]);
      await Promise.all([alone.waitUntilAllSent(), watching.waitUntilAllSent()]);
      // Only the watching device hears of answers (in the app every device both backs off and watches).
      const stopHearing = onServerAnswered(() => watching.manager?.serverSeen());

      await server.stop();
      await alone.edit(ids[0]!, { childId: `MOS${run}A-offline` });
      await watching.edit(ids[1]!, { childId: `MOS${run}W-offline` });
      const stopWatching = watchForServer(server.url);
      await sleep(downMs);
      await server.restart();
      const [a, w] = await Promise.all([untilAllSent(alone, 60_000), untilAllSent(watching, 60_000)]);
      stopWatching();
      stopHearing();
      leftAloneMs.push(a);
      watchingMs.push(w);
      console.log(`  run ${run + 1}: left alone ${a} ms, watching ${w} ms`);
      alone.goOffline();
      watching.goOffline();
    } finally {
      await server.stop();
    }
  }
  return { runs, downMs, leftAloneMs, watchingMs, leftAloneMedianMs: median(leftAloneMs), watchingMedianMs: median(watchingMs) };
}
