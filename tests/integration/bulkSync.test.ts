/**
 * Issue 20: the bulk path with the app's real sync manager. Records not on screen travel many to a request
 * (never one Hocuspocus document each), attributed and audited as on the live path; a record whose access
 * changed while the device was offline is refused and shown so; a new tablet fetches every record it may
 * read in pages, with progress; a record open live on the server goes on the live path, so the people who
 * have it open see the change.
 */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { rowCounts } from '../../src/data/docs/docStore';
import { openRecord } from '../../src/data/docs/openRecord';
import { dbFor } from '../../src/data/db';
import { completeObservationValues } from '../support/records';
import { waitFor } from '../support/device';
import { useTestServer } from '../support/testServer';

const t = useTestServer();

function auditRows(action: string, record: string) {
  t.server().audit.flush();
  return t.server().db.prepare('SELECT user_id AS userId, device_id AS deviceId, detail FROM audit_log WHERE action = ? AND doc = ?').all(action, record) as {
    userId: string;
    deviceId: string;
    detail: string | null;
  }[];
}

it('sends records made offline in bulk: stored, attributed to the person and device, audited, never opened one by one', async () => {
  const device = await t.device('tm.okafor', 'offline-tablet');
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) ids.push(await device.createObservation({ childId: `BULK${i}`, strengths: `Strengths ${i}` }));
  await device.goOnline();
  await device.waitUntilAllSent();
  const deviceId = (await dbFor(device.storeId).meta.get('deviceId'))!.value;
  for (const id of ids) {
    const name = `observation/${id}`;
    const history = await t.server().store.history(name);
    expect(history.length).toBeGreaterThan(0);
    for (const update of history) expect(update).toMatchObject({ userId: device.user.id, deviceId });
    expect(auditRows('change', name)).toEqual([{ userId: device.user.id, deviceId, detail: 'bulk' }]);
    // Opened on the bulk path only (logged as such), never on the live path: no Hocuspocus document was made for it.
    expect(auditRows('open', name).length).toBeGreaterThan(0);
    expect(auditRows('open', name).filter((r) => r.detail !== 'bulk')).toEqual([]);
    expect(auditRows('open', name).every((r) => r.userId === device.user.id && r.deviceId === deviceId)).toBe(true);
  }
  // An edit made later, not on screen, goes the same way and is stored.
  await device.edit(ids[0]!, { childId: 'BULK-EDITED' });
  await device.waitUntilAllSent();
  expect(auditRows('change', `observation/${ids[0]}`)).toHaveLength(2);
  expect(auditRows('open', `observation/${ids[0]}`).filter((r) => r.detail !== 'bulk')).toEqual([]);
});

it('records sent in bulk are folded on the device after the pass into one row each, and read the same', async () => {
  const device = await t.device('tm.okafor', 'folding-tablet');
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push(await device.createObservation({ childId: `FOLD${i}`, strengths: `Strengths ${i}` }));
  const names = ids.map((id) => `observation/${id}`);
  const before = await Promise.all(ids.map((id) => device.read(id)));
  expect([...(await rowCounts(device.storeId, names)).values()].every((rows) => rows > 1)).toBe(true);
  await device.goOnline();
  await device.waitUntilAllSent();
  await waitFor('every sent record folded into one row', async () => [...(await rowCounts(device.storeId, names)).values()].every((rows) => rows === 1));
  expect(await Promise.all(ids.map((id) => device.read(id)))).toEqual(before);
});

it('a record changed after its pass read it ahead is not marked sent on the proof of its older state; the change is stored, then it is sent', async () => {
  // Two records a batch: the pass reads all of them before the first request, and sends them over many.
  const device = await t.device('tm.okafor', 'read-ahead-tablet', { bulkBatchSize: 2 });
  const ids: string[] = [];
  for (let i = 0; i < 40; i++) ids.push(await device.createObservation({ childId: `AHEAD${i}` }));
  const last = ids.at(-1)!;
  const change: { edited: Promise<void> | null } = { edited: null };
  await device.goOnline();
  const manager = device.manager!;
  const unsubscribe = manager.subscribe(() => {
    // The first batches are proved; the last record, read with them, changes before its own batch goes.
    if (!change.edited && (manager.getStatus().sending?.done ?? 0) >= 2) change.edited = device.edit(last, { childId: 'CHANGED-MID-PASS' });
  });
  await waitFor('the last record changed during the pass', () => change.edited !== null);
  await change.edited;
  await device.waitUntilAllSent();
  unsubscribe();
  const stored = new Y.Doc();
  Y.applyUpdate(stored, (await t.server().store.load(`observation/${last}`))!);
  expect(stored.getMap('fields').get('childId')).toBe('CHANGED-MID-PASS');
});

it('a record completed elsewhere while a co-writer edited it offline: their change is refused read-only, never stored, and shown as not sendable', async () => {
  const author = await t.device('tm.okafor', 'author-tablet');
  const iro = await t.device('iro.walsh', 'iro-tablet');
  const practitioner = (await t.device('sw.ahmed', 'ahmed-tablet')).user;
  const id = await author.createObservation(completeObservationValues(practitioner));
  await author.goOnline();
  await author.waitUntilAllSent();
  await author.share(id, iro.user);
  await iro.goOnline();
  await waitFor('the record on the co-writer’s tablet', async () => (await iro.indexedIds()).includes(id));
  await waitFor('its listing applied', async () => (await dbFor(iro.storeId).records.get(id))?.access === 'write');
  iro.goOffline();

  await iro.edit(id, { otherComments: 'Written offline after completion' });
  const stateVector = Buffer.from(new Uint8Array([0])).toString('base64');
  expect(await author.command({ type: 'set-subject', record: `observation/${id}`, userId: practitioner.id })).toEqual({ status: 'applied' });
  expect(await author.command({ type: 'complete', record: `observation/${id}`, stateVector })).toMatchObject({ status: 'applied' });

  await iro.goOnline();
  await waitFor('the refusal noted on the tablet', async () => {
    const row = await dbFor(iro.storeId).records.get(id);
    return row?.access === 'read' && row.unsynced === 1;
  });
  const state = await t.server().store.load(`observation/${id}`);
  expect(new TextDecoder('utf-8', { fatal: false }).decode(state!)).not.toContain('Written offline after completion');
  expect(auditRows('refused', `observation/${id}`).some((r) => r.userId === iro.user.id)).toBe(true);
});

it('a new tablet fetches every record its person may read in pages, with progress, and lists them', async () => {
  const author = await t.device('tm.okafor', 'busy-tablet');
  const ids: string[] = [];
  for (let i = 0; i < 120; i++) ids.push(await author.createObservation({ childId: `PAGE${i}`, strengths: `Narrative ${i} `.repeat(20) }));
  await author.goOnline();
  await author.waitUntilAllSent();

  const fresh = await t.device('tm.okafor', 'new-tablet');
  const progress: { done: number; total: number }[] = [];
  await fresh.goOnline();
  const manager = fresh.manager!;
  manager.subscribe(() => {
    const fetching = manager.getStatus().fetching;
    if (fetching) progress.push(fetching);
  });
  await waitFor('every record on the new tablet', async () => (await fresh.indexedIds()).length === ids.length, 60_000);
  expect(progress.length).toBeGreaterThan(1);
  expect(progress.at(-1)).toEqual({ done: ids.length, total: ids.length });
  // In the index with their values, and in the document store.
  const row = await dbFor(fresh.storeId).records.get(ids[77]!);
  expect(row).toMatchObject({ childId: 'PAGE77', unsynced: 0 });
  expect((await fresh.read(ids[77]!)).values.childId).toBe('PAGE77');
  // Fetched in bulk: every record read is in the audit log as opened in bulk, and none was opened on the live path.
  t.server().audit.flush();
  expect((t.server().db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'open' AND detail IS NOT 'bulk'").get() as { n: number }).n).toBe(0);
  expect(auditRows('open', `observation/${ids[77]}`).map((r) => r.detail)).toContain('bulk');
});

it('a record open live on the server is sent on the live path, and the person who has it open sees the change', async () => {
  const author = await t.device('tm.okafor', 'author-tablet');
  const iro = await t.device('iro.walsh', 'iro-tablet');
  const id = await author.createObservation({ childId: 'LIVE1' });
  await author.goOnline();
  await author.waitUntilAllSent();
  await author.share(id, iro.user);
  await iro.goOnline();
  await waitFor('the record on the co-writer’s tablet', async () => (await iro.indexedIds()).includes(id));
  iro.goOffline();
  await iro.edit(id, { otherComments: 'Added while the author has it open' });

  // The author has it on screen: the server holds it open live.
  const handle = (await openRecord(author.storeId, 'observation', id, author.user))!;
  const stopLive = author.manager!.keepLive('observation', id);
  await waitFor('the record open on the server', () => t.server().collaboration.hocuspocus.documents.has(`observation/${id}`));

  await iro.goOnline();
  await iro.waitUntilAllSent();
  await waitFor('the change on the author’s screen', () => handle.values().otherComments === 'Added while the author has it open');
  // It went live (an open by the co-writer), not in bulk.
  expect(auditRows('open', `observation/${id}`).some((r) => r.userId === iro.user.id)).toBe(true);
  expect(auditRows('change', `observation/${id}`).filter((r) => r.userId === iro.user.id && r.detail === 'bulk')).toEqual([]);
  stopLive();
  handle.release();
});
