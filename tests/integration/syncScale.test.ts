/** (b) A device holding thousands of records made offline sends them all, each stored once. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../sync-server/server';
import { TestDevice } from '../support/device';
import { makeDataDir } from '../support/serverProcess';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: makeDataDir(), staticDir: null, seedDemo: true, sessionDays: 1 });
});
afterAll(() => server.close());

it('(b) 2,000 records created offline all reach the server after reconnect, each stored once', async () => {
  const tablet = await TestDevice.signIn(server.url, 'tm.okafor', 'busy-tablet');
  const ids: string[] = [];
  for (let i = 0; i < 2000; i++) ids.push(await tablet.createObservation({ childId: `MOS${i}`, strengths: `Record ${i}: spoke with the child alone.` }));
  expect(await tablet.unsentCount()).toBe(2000);

  const progress: { done: number; total: number }[] = [];
  await tablet.goOnline();
  const unsubscribe = tablet.manager!.subscribe(() => {
    const sending = tablet.manager!.getStatus().sending;
    if (sending) progress.push(sending);
  });
  await tablet.waitUntilAllSent(240_000);
  unsubscribe();
  tablet.goOffline();

  const perDoc = server.db
    .prepare("SELECT doc, COUNT(*) AS updates FROM doc_updates WHERE doc LIKE 'observation/%' GROUP BY doc")
    .all() as { doc: string; updates: number }[];
  expect(perDoc).toHaveLength(2000);
  // Sent once: each record reached the server as one update, however many batches and checks it took.
  expect(perDoc.filter((d) => d.updates !== 1)).toEqual([]);
  expect(new Set(perDoc.map((d) => d.doc))).toEqual(new Set(ids.map((id) => `observation/${id}`)));
  // Progress was reported as it went ("Sending 37 of 2000"), never past the total.
  // At least once per batch (the bulk path sends 200 records a batch).
  expect(progress.length).toBeGreaterThanOrEqual(10);
  expect(progress.every((p) => p.total === 2000 && p.done <= p.total)).toBe(true);
  expect(server.collaboration.openDocumentCount()).toBeLessThanOrEqual(60);
}, 300_000);
