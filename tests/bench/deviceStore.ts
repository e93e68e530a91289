/**
 * Device storage (issue 20, item 4): 1,000 observations (~1.6 KB of content each) made through the app's
 * real data layer (createRecord, then typing in bursts through a record handle), on fake-indexeddb in Node.
 *
 *  - bytes stored: the document table's rows (update bytes, the document name kept in the row and in its
 *    index, the row key) plus the index rows, against the same records kept as the version before kept
 *    them — one y-indexeddb database per record holding the very same updates, each a row of its own
 *    (plus the row y-indexeddb writes at each opening) — and against the records' JSON. fake-indexeddb
 *    cannot show what a browser adds per database (Chromium's LevelDB, one SQLite file each on Safari; the
 *    issue measured ~1.2 KB per record database), so the baseline here leaves that out: an under-count.
 *  - time to open a record, acquire to loaded, against y-indexeddb opening the same record's database;
 *  - readDocStates and storeDocUpdates of 2,000 documents, against reading and writing 2,000 y-indexeddb
 *    databases one by one (lib0's IndexedDB helpers, which y-indexeddb uses);
 *  - moving 1,000 old per-record databases into the table (legacyDocStores.ts), once.
 */
import 'fake-indexeddb/auto';
import * as idb from 'lib0/indexeddb';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { dbFor, type DocUpdateRow } from '../../src/data/db';
import { compactDocs, readDocStates, storeDocUpdates } from '../../src/data/docs/docStore';
import { legacyDocDbName, migrateLegacyDocStores } from '../../src/data/docs/legacyDocStores';
import { createRecord, indexSettled, openRecord, readStoredRecord } from '../../src/data/docs/openRecord';
import { markSent } from '../../src/data/records';
import { BURST, contentOf } from './deviceStoreContent';
import { median } from './stats';

const utf8 = (text: string) => new TextEncoder().encode(text).length;

export interface DeviceStoreBench {
  records: number;
  jsonBytes: number;
  indexBytes: number;
  beforeBytes: number;
  beforeRows: number;
  afterBytes: number;
  afterRows: number;
  afterFinishedBytes: number;
  afterFinishedRows: number;
  openBeforeMs: number[];
  openAfterMs: number[];
  bulk: number;
  readStatesMs: number[];
  storeUpdatesMs: number[];
  readBaselineMs: number[];
  writeBaselineMs: number[];
  migrateMs: number;
  migrated: number;
}

const rowBytes = (row: DocUpdateRow) => row.update.byteLength + 2 * utf8(row.doc) + 2 * 8;

async function tableBytes(userId: string): Promise<{ bytes: number; rows: number }> {
  const rows = await dbFor(userId).docUpdates.toArray();
  return { bytes: rows.reduce((sum, row) => sum + rowBytes(row), 0), rows: rows.length };
}

async function indexBytes(userId: string): Promise<number> {
  return (await dbFor(userId).records.toArray()).reduce((sum, row) => sum + utf8(JSON.stringify(row)), 0);
}

/** Keeps a record as the version before did: its own y-indexeddb database, one row per update. */
async function keepTheOldWay(name: string, updates: Uint8Array[]): Promise<void> {
  const doc = new Y.Doc();
  const persistence = new IndexeddbPersistence(name, doc);
  await persistence.whenSynced;
  for (const update of updates) Y.applyUpdate(doc, update, 'typing');
  await persistence.destroy();
  doc.destroy();
}

async function oldDatabaseBytes(name: string): Promise<{ bytes: number; rows: number }> {
  const db = await idb.openDB(name, () => undefined);
  const [store] = idb.transact(db, ['updates'], 'readonly');
  const updates = (await idb.getAll(store!)) as unknown as Uint8Array[];
  db.close();
  return { bytes: updates.reduce((sum, u) => sum + u.byteLength + 8, 0), rows: updates.length };
}

async function timeOldOpen(name: string): Promise<number> {
  const started = performance.now();
  const doc = new Y.Doc();
  const persistence = new IndexeddbPersistence(name, doc);
  await persistence.whenSynced;
  const ms = performance.now() - started;
  await persistence.destroy();
  doc.destroy();
  return ms;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runDeviceStoreBench(records = 1000, bulk = 2000, runs = 3, opens = 41): Promise<DeviceStoreBench> {
  const run = Date.now();
  const userId = `bench-store-${run}`;
  // The version before's databases carry another person's prefix, so opening records here does not move them.
  const oldUserId = `bench-store-old-${run}`;
  const author = { id: userId, displayName: 'Grace Okafor', teamId: 'team-0' };
  const ids: string[] = [];
  let jsonBytes = 0;
  const db = dbFor(userId);

  for (let i = 0; i < records; i++) {
    const { scalars, narratives } = contentOf(i);
    const id = await createRecord(userId, author, 'observation', scalars);
    const handle = (await openRecord(userId, 'observation', id, author))!;
    for (const [field, text] of Object.entries(narratives)) {
      for (let end = BURST; end < text.length + BURST; end += BURST) handle.setField(field, text.slice(0, Math.min(end, text.length)));
    }
    // What the version before would have stored: the same updates, each a row (before any folding here).
    await readDocStates(userId, [`observation/${id}`]);
    const rows = await db.docUpdates.where('doc').equals(`observation/${id}`).toArray();
    await keepTheOldWay(legacyDocDbName(oldUserId, `observation/${id}`), rows.map((r) => r.update));
    handle.release();
    ids.push(id);
    if (i % 100 === 99) await sleep(10);
  }
  // Every record closes (and folds, having more than COMPACT_ABOVE_ROWS rows) after its close delay.
  await sleep(3000);
  await indexSettled();
  for (const id of ids) {
    const stored = await readStoredRecord(userId, 'observation', id);
    jsonBytes += utf8(JSON.stringify(stored));
  }
  const index = await indexBytes(userId);
  const after = await tableBytes(userId);
  let beforeBytes = 0;
  let beforeRows = 0;
  for (const id of ids) {
    const old = await oldDatabaseBytes(legacyDocDbName(oldUserId, `observation/${id}`));
    beforeBytes += old.bytes;
    beforeRows += old.rows;
  }

  // Opening a record: the new store against y-indexeddb, alternately, each a record not open yet.
  const openBeforeMs: number[] = [];
  const openAfterMs: number[] = [];
  for (let i = 0; i < opens; i++) {
    const id = ids[(i * 97) % ids.length]!;
    openBeforeMs.push(await timeOldOpen(legacyDocDbName(oldUserId, `observation/${id}`)));
    const started = performance.now();
    const handle = await openRecord(userId, 'observation', id, author);
    openAfterMs.push(performance.now() - started);
    handle!.release();
  }
  await sleep(2500);

  // Finished and sent: every record's rows folded into one.
  await db.records.toCollection().modify({ status: 'complete' });
  for (const id of ids) await markSent(userId, id);
  await compactDocs(userId, ids.map((id) => `observation/${id}`));
  const finished = await tableBytes(userId);

  // Bulk: 2,000 documents (each record's state under two names), into a fresh person's table and back.
  const states = await readDocStates(userId, ids.map((id) => `observation/${id}`));
  const updates = Array.from({ length: bulk }, (_, i) => ({ docName: `observation/bulk-${i}`, update: states.get(`observation/${ids[i % ids.length]}`)! }));
  const readStatesMs: number[] = [];
  const storeUpdatesMs: number[] = [];
  const readBaselineMs: number[] = [];
  const writeBaselineMs: number[] = [];
  for (let r = 0; r < runs; r++) {
    const bulkUser = `bench-store-bulk-${run}-${r}`;
    dbFor(bulkUser);
    await readDocStates(bulkUser, []);
    let started = performance.now();
    await storeDocUpdates(bulkUser, updates);
    storeUpdatesMs.push(performance.now() - started);
    started = performance.now();
    const read = await readDocStates(bulkUser, updates.map((u) => u.docName));
    readStatesMs.push(performance.now() - started);
    if (read.size !== bulk) throw new Error(`readDocStates found ${read.size} of ${bulk} documents.`);

    // The same through one y-indexeddb database per document.
    const prefix = `bench-store-bulk-old-${run}-${r}/`;
    started = performance.now();
    for (const { docName, update } of updates) {
      const old = await idb.openDB(prefix + docName, (d) => idb.createStores(d, [['updates', { autoIncrement: true }], ['custom']]));
      const [store] = idb.transact(old, ['updates']);
      // lib0 types the value narrowly; y-indexeddb stores update bytes this way.
      await idb.addAutoKey(store!, update as unknown as ArrayBuffer);
      old.close();
    }
    writeBaselineMs.push(performance.now() - started);
    started = performance.now();
    let found = 0;
    for (const { docName } of updates) {
      const old = await idb.openDB(prefix + docName, () => undefined);
      const [store] = idb.transact(old, ['updates'], 'readonly');
      const rows = (await idb.getAll(store!)) as unknown as Uint8Array[];
      if (rows.length > 0) found += Y.mergeUpdates(rows).byteLength > 0 ? 1 : 0;
      old.close();
    }
    readBaselineMs.push(performance.now() - started);
    if (found !== bulk) throw new Error(`The baseline found ${found} of ${bulk} documents.`);
  }

  // Moving the version before's 1,000 databases into a table (the first start after the upgrade).
  dbFor(oldUserId);
  const started = performance.now();
  const outcome = await migrateLegacyDocStores(oldUserId);
  const migrateMs = performance.now() - started;
  for (const id of ids.slice(0, 20)) {
    const [mine, moved] = [await readStoredRecord(userId, 'observation', id), await readStoredRecord(oldUserId, 'observation', id)];
    if (JSON.stringify(mine.values) !== JSON.stringify(moved.values)) throw new Error(`Record ${id} differs after moving.`);
  }

  return {
    records,
    jsonBytes,
    indexBytes: index,
    beforeBytes: beforeBytes + index,
    beforeRows,
    afterBytes: after.bytes + index,
    afterRows: after.rows,
    afterFinishedBytes: finished.bytes + (await indexBytes(userId)),
    afterFinishedRows: finished.rows,
    openBeforeMs,
    openAfterMs,
    bulk,
    readStatesMs,
    storeUpdatesMs,
    readBaselineMs,
    writeBaselineMs,
    migrateMs,
    migrated: outcome.migrated,
  };
}

export function describeDeviceStoreBench(b: DeviceStoreBench): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
  const perRecord = (bytes: number) => `${(bytes / b.records).toFixed(0)} B`;
  const x = (bytes: number) => `${(bytes / b.jsonBytes).toFixed(2)}×`;
  const ms = (values: number[]) => `${median(values).toFixed(1)} ms`;
  const lines = [
    `\n## Device storage: ${b.records} observations made through the app's data layer (fake-indexeddb in Node)`,
    `Records' JSON (meta and values): ${kb(b.jsonBytes)} (${perRecord(b.jsonBytes)} a record); index rows ${kb(b.indexBytes)} (${perRecord(b.indexBytes)} a record), counted in every line below`,
    '| store | rows | bytes | per record | against the JSON |',
    '|---|---:|---:|---:|---:|',
    `| before: one y-indexeddb database per record (same updates; per-database overhead not counted) | ${b.beforeRows} | ${kb(b.beforeBytes)} | ${perRecord(b.beforeBytes)} | ${x(b.beforeBytes)} |`,
    `| after: one table, as left once each record closed | ${b.afterRows} | ${kb(b.afterBytes)} | ${perRecord(b.afterBytes)} | ${x(b.afterBytes)} |`,
    `| after: finished and sent (one row each) | ${b.afterFinishedRows} | ${kb(b.afterFinishedBytes)} | ${perRecord(b.afterFinishedBytes)} | ${x(b.afterFinishedBytes)} |`,
    '',
    '| operation | after (one table) | before (y-indexeddb) | before / after |',
    '|---|---:|---:|---:|',
    `| open a record, acquire to loaded (median of ${b.openAfterMs.length}) | ${ms(b.openAfterMs)} | ${ms(b.openBeforeMs)} | ${(median(b.openBeforeMs) / median(b.openAfterMs)).toFixed(1)} |`,
    `| read ${b.bulk} documents' states (median of ${b.readStatesMs.length}) | ${ms(b.readStatesMs)} | ${ms(b.readBaselineMs)} | ${(median(b.readBaselineMs) / median(b.readStatesMs)).toFixed(1)} |`,
    `| store ${b.bulk} documents' updates (median of ${b.storeUpdatesMs.length}) | ${ms(b.storeUpdatesMs)} | ${ms(b.writeBaselineMs)} | ${(median(b.writeBaselineMs) / median(b.storeUpdatesMs)).toFixed(1)} |`,
    `Moving ${b.migrated} old per-record databases into the table (once, at the first start after the upgrade): ${(b.migrateMs / 1000).toFixed(1)} s`,
    `Every run, ms: open after ${b.openAfterMs.map((v) => v.toFixed(1)).join(', ')}; open before ${b.openBeforeMs.map((v) => v.toFixed(1)).join(', ')}`,
    `  read ${b.readStatesMs.map((v) => v.toFixed(0)).join(', ')} vs ${b.readBaselineMs.map((v) => v.toFixed(0)).join(', ')}; store ${b.storeUpdatesMs.map((v) => v.toFixed(0)).join(', ')} vs ${b.writeBaselineMs.map((v) => v.toFixed(0)).join(', ')}`,
  ];
  return lines.join('\n');
}
