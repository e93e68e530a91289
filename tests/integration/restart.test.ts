/** (d) The server restarts with 50 devices connected: all come back, spread out, and nothing is lost. */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServer, type RunningServer } from '../../sync-server/server';
import { TestDevice } from '../support/device';
import { makeDataDir } from '../support/serverProcess';

const people = ['tm.okafor', 'sw.ahmed', 'sw.brown', 'tm.hughes', 'sw.clarke', 'sw.evans', 'tm.begum', 'pa.davies', 'sw.fraser', 'hos.patel', 'qa.green'];

it('(d) restart with 50 devices connected: all reconnect, spread out, and lose nothing', async () => {
  const config = { port: 0, host: '127.0.0.1', dataDir: makeDataDir(), staticDir: null, seedDemo: true, sessionDays: 1 };
  let server: RunningServer = await startServer(config);
  const port = server.port;
  const devices = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      // The app's own reconnection settings: first retry after 250–1000 ms, doubling, with jitter.
      TestDevice.signIn(server.url, people[i % people.length]!, `device-${i}`, { reconnect: { delay: 1000, maxDelay: 8000 } }),
    ),
  );
  const ids = await Promise.all(devices.map((d, i) => d.createObservation({ childId: `MOS${i}`, strengths: `Before the restart ${i}.` })));
  await Promise.all(devices.map((d) => d.goOnline()));
  await Promise.all(devices.map((d) => d.waitUntilAllSent()));

  const reconnectedAt = new Map<number, number>();
  const unsubscribes = devices.map((d, i) => {
    const manager = d.manager!;
    let wasOffline = false;
    return manager.subscribe(() => {
      const online = manager.getStatus().connection === 'online';
      if (!online && stoppedAt) wasOffline = true;
      if (online && wasOffline && !reconnectedAt.has(i)) reconnectedAt.set(i, Date.now());
    });
  });
  let stoppedAt = 0;
  await server.close();
  stoppedAt = Date.now();
  // Everyone keeps working while the server is away.
  await Promise.all(devices.map((d, i) => d.edit(ids[i]!, { reflections: `Written while the server was down ${i}.` })));
  // Down long enough for every device to be a few attempts into its backoff.
  await new Promise((r) => setTimeout(r, 4000));
  const restartedAt = Date.now();
  server = await startServer({ ...config, port });

  try {
    await Promise.all(devices.map((d) => d.waitUntilAllSent(60_000)));
    expect(reconnectedAt.size).toBe(50);
    const times = [...reconnectedAt.values()].map((t) => t - restartedAt);
    // Spread out by jitter, rather than 50 devices arriving in the same instant.
    console.log(`50 devices reconnected between ${Math.min(...times)} and ${Math.max(...times)} ms after the restart`);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(500);
    for (const [i, id] of ids.entries()) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, (await server.store.load(`observation/${id}`))!);
      expect(doc.getText('strengths').toString()).toBe(`Before the restart ${i}.`);
      expect(doc.getText('reflections').toString()).toBe(`Written while the server was down ${i}.`);
    }
  } finally {
    unsubscribes.forEach((u) => u());
    devices.forEach((d) => d.goOffline());
    await server.close();
  }
}, 180_000);
