/**
 * Issue 20: a bulk batch interrupted half-way — the server process killed with SIGKILL while a request of
 * many records is on its way or being stored — leaves nothing marked sent on the device that the server
 * has not stored. After a restart the device sends the rest, and everything is there.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { dbFor } from '../../src/data/db';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { storedObservation } from '../support/storedOnServer';
import { TestDevice, waitFor } from '../support/device';

let server: ServerProcess | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

it('kill -9 in the middle of a bulk batch: every record the device marked sent is stored, and the rest follow after a restart', async () => {
  server = await startServerProcess();
  // One request for the whole batch, so the kill lands inside it.
  const device = await TestDevice.signIn(server.url, 'tm.okafor', 'tablet', { bulkBatchSize: 500 });
  const expected = new Map<string, { childId: string; strengths: string }>();
  let interrupted = 0;
  for (const [round, delayMs] of [0, 40, 150].entries()) {
    for (let i = 0; i < 150; i++) {
      const values = { childId: `KILL${round}-${i}`, strengths: `Round ${round}, record ${i}: steady, warm, clear.` };
      expected.set(await device.createObservation(values), values);
    }
    await device.goOnline();
    await waitFor('the batch to be on its way', () => device.manager!.getStatus().sending !== null, 30_000);
    await new Promise((r) => setTimeout(r, delayMs));
    await server.kill9();
    device.goOffline();

    // Nothing counted as sent that is not on the server's disk.
    const rows = await dbFor(device.storeId).records.toArray();
    const sent = rows.filter((r) => r.unsynced === 0);
    if (rows.some((r) => r.unsynced === 1)) interrupted++;
    for (const row of sent) {
      const stored = await storedObservation(server.dataDir, row.id);
      expect(stored.stored, `record ${row.childId} marked sent but not stored`).toBe(true);
      expect(stored.values).toMatchObject(expected.get(row.id)!);
    }
    await server.restart();
  }
  // At least one kill came before the device had its proof (otherwise this test proved nothing).
  expect(interrupted).toBeGreaterThan(0);

  await device.goOnline();
  await device.waitUntilAllSent(60_000);
  for (const [id, values] of expected) expect((await storedObservation(server.dataDir, id)).values).toMatchObject(values);
  device.goOffline();
  // They travelled on the bulk path.
  const db = new Database(path.join(server.dataDir, 'fieldnotes.sqlite'), { readonly: true });
  try {
    expect((db.prepare("SELECT COUNT(DISTINCT doc) AS n FROM audit_log WHERE action = 'change' AND detail = 'bulk'").get() as { n: number }).n).toBe(expected.size);
  } finally {
    db.close();
  }
}, 240_000);
