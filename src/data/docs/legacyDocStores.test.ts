/**
 * Issue 20, item 4: records kept by the version before (one y-indexeddb database per record) are moved
 * into the person's document table without loss: every record opens with identical content, and an
 * interrupted move loses nothing and finishes next time.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { formLayouts } from '../../../domain/kinds';
import { recordFieldChange } from '../../../recordModel/fieldHistory';
import { initRecordDoc, noteWriter, readMeta, readValues, setField } from '../../../recordModel/recordDoc';
import { dbFor, userDbName } from '../db';
import { summariseRecord, writeSummary } from '../records';
import { freshUser } from '../../test/renderApp';
import { rowCounts, storeDocUpdates } from './docStore';
import { legacyDocDbName, migrateLegacyDocStores } from './legacyDocStores';
import { openRecord } from './openRecord';

const grace = { id: 'tm-grace', displayName: 'Grace Okafor' };
const yusuf = { id: 'sw-yusuf', displayName: 'Yusuf Ahmed' };

const legacyDatabases = async (userId: string) =>
  (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith(`${userDbName(userId)}/`)).sort();

/**
 * A record as the version before kept it: its own y-indexeddb database, written update by update (typing,
 * a second writer, a contested grade), and its index row. Returns the document as it was written.
 */
async function oldStyleRecord(userId: string, id: string, childId: string): Promise<Y.Doc> {
  const kind = 'observation';
  const layout = formLayouts[kind];
  const doc = new Y.Doc({ guid: `${kind}/${id}` });
  const persistence = new IndexeddbPersistence(legacyDocDbName(userId, `${kind}/${id}`), doc);
  await persistence.whenSynced;
  doc.transact(() => {
    initRecordDoc(doc, { id, kind, status: 'draft', createdAt: '2026-03-01T09:00:00.000Z', authorId: grace.id, authorName: grace.displayName, authorTeamId: 't1' });
    noteWriter(doc, grace);
    setField(doc, layout, 'childId', childId);
  });
  for (const key of 'Clear about the plan. ') doc.getText('strengths').insert(doc.getText('strengths').length, key);
  doc.getText('strengths').delete(0, 6);
  // A colleague's tablet: their words and a different grade, made without seeing Grace's.
  const colleague = new Y.Doc();
  Y.applyUpdate(colleague, Y.encodeStateAsUpdate(doc));
  colleague.transact(() => {
    noteWriter(colleague, yusuf);
    colleague.getText('strengths').insert(0, 'Warm with the family. ');
    setField(colleague, layout, 'levelOfNeed', 'Child in need');
    recordFieldChange(colleague, 'levelOfNeed', 'Child in need', yusuf);
  });
  doc.transact(() => {
    setField(doc, layout, 'levelOfNeed', 'Universal');
    recordFieldChange(doc, 'levelOfNeed', 'Universal', grace);
  });
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(colleague));
  await persistence.destroy();
  await writeSummary(userId, summariseRecord(readMeta(doc)!, readValues(doc, layout), '2026-03-01T10:00:00.000Z', 0));
  return doc;
}

/** What a person sees of a record, opened through the app's data layer. */
async function opened(userId: string, id: string) {
  const handle = await openRecord(userId, 'observation', id, grace);
  if (!handle) throw new Error(`Record ${id} did not open.`);
  const seen = { meta: handle.meta(), values: handle.values(), whoWroteWhat: handle.whoWroteWhat('strengths'), contested: handle.contested(), stateVector: handle.stateVector() };
  handle.release();
  return seen;
}

/** The same, of the document as it was written: a copy of it opened from a store of its own. */
async function expected(written: Y.Doc) {
  const elsewhere = freshUser().id;
  const id = readMeta(written)!.id;
  await storeDocUpdates(elsewhere, [{ docName: `observation/${id}`, update: Y.encodeStateAsUpdate(written) }]);
  return opened(elsewhere, id);
}

afterEach(() => vi.restoreAllMocks());

describe('moving records from their own databases into the document table', () => {
  it('copies every record, checks it, deletes the old database, and every record opens as it was', async () => {
    const user = freshUser();
    const ids = ['a', 'b', 'c'].map(() => crypto.randomUUID());
    const written = [];
    for (const [i, id] of ids.entries()) written.push(await oldStyleRecord(user.id, id, `OLD${i}`));
    expect(await legacyDatabases(user.id)).toHaveLength(3);

    // The first record opened after the upgrade moves them all.
    for (const [i, id] of ids.entries()) {
      const seen = await opened(user.id, id);
      expect(seen).toEqual(await expected(written[i]!));
      expect(seen.values.childId).toBe(`OLD${i}`);
      expect(seen.whoWroteWhat.map((run) => run.by)).toEqual(['Yusuf Ahmed', 'Grace Okafor']);
      expect(seen.contested).toHaveLength(1);
      expect(seen.stateVector).toBe(btoa(String.fromCharCode(...Y.encodeStateVector(written[i]!))));
    }
    expect(await legacyDatabases(user.id)).toEqual([]);
    // One row each: the old database's updates, merged.
    const counts = await rowCounts(user.id, ids.map((id) => `observation/${id}`));
    expect([...counts.values()]).toEqual([1, 1, 1]);
  });

  it('interrupted before deleting an old database, keeps it, and next time deletes it without copying twice', async () => {
    const user = freshUser();
    const id = crypto.randomUUID();
    const written = await oldStyleRecord(user.id, id, 'HALF1');
    dbFor(user.id);
    // The tab closes between the copy and the deletion: here, the deletion never happens.
    const realDelete = indexedDB.deleteDatabase.bind(indexedDB);
    const deleting = vi.spyOn(indexedDB, 'deleteDatabase').mockImplementation(() => {
      throw new Error('The tab was closed.');
    });
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await migrateLegacyDocStores(user.id)).toEqual({ migrated: 0, kept: [legacyDocDbName(user.id, `observation/${id}`)] });
    deleting.mockImplementation(realDelete);
    expect(await legacyDatabases(user.id)).toEqual([legacyDocDbName(user.id, `observation/${id}`)]);

    expect(await migrateLegacyDocStores(user.id)).toEqual({ migrated: 1, kept: [] });
    expect(await legacyDatabases(user.id)).toEqual([]);
    expect((await rowCounts(user.id, [`observation/${id}`])).get(`observation/${id}`)).toBe(1);
    expect(await opened(user.id, id)).toEqual(await expected(written));
  });

  it('interrupted while copying, loses nothing: the records not yet copied keep their databases until next time', async () => {
    const user = freshUser();
    const ids = [crypto.randomUUID(), crypto.randomUUID()];
    const written = [await oldStyleRecord(user.id, ids[0]!, 'CUT1'), await oldStyleRecord(user.id, ids[1]!, 'CUT2')];
    const table = dbFor(user.id).docUpdates;
    const realAdd = table.add.bind(table);
    // The disk fills before the second record is copied.
    vi.spyOn(table, 'add').mockImplementation((row) => {
      if (row.doc === `observation/${ids[1]}`) return Promise.reject(new DOMException('The disk is full.', 'QuotaExceededError')) as never;
      return realAdd(row);
    });
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await migrateLegacyDocStores(user.id)).toEqual({ migrated: 1, kept: [legacyDocDbName(user.id, `observation/${ids[1]}`)] });
    vi.restoreAllMocks();
    // The first is moved; the second is still in its own database, whole.
    expect(await legacyDatabases(user.id)).toEqual([legacyDocDbName(user.id, `observation/${ids[1]}`)]);
    expect(await dbFor(user.id).docUpdates.where('doc').equals(`observation/${ids[1]}`).count()).toBe(0);

    for (const [i, id] of ids.entries()) expect(await opened(user.id, id)).toEqual(await expected(written[i]!));
    expect(await legacyDatabases(user.id)).toEqual([]);
  });

  it('keeps the old database when what was written does not check out', async () => {
    const user = freshUser();
    const id = crypto.randomUUID();
    await oldStyleRecord(user.id, id, 'CHECK1');
    const table = dbFor(user.id).docUpdates;
    // A write that silently stores something else than the record.
    const realAdd = table.add.bind(table);
    vi.spyOn(table, 'add').mockImplementation((row) => {
      const partial = new Y.Doc();
      partial.getMap('fields').set('childId', 'CHECK1');
      return realAdd({ ...row, update: Y.encodeStateAsUpdate(partial) });
    });
    const name = legacyDocDbName(user.id, `observation/${id}`);
    expect(await migrateLegacyDocStores(user.id)).toEqual({ migrated: 0, kept: [name] });
    expect(await legacyDatabases(user.id)).toEqual([name]);
  });

  it('leaves an old database that another connection will not let go of, and moves it once it is closed', async () => {
    const user = freshUser();
    const id = crypto.randomUUID();
    const name = legacyDocDbName(user.id, `observation/${id}`);
    await oldStyleRecord(user.id, id, 'BUSY1');
    // A connection that ignores requests to close (y-indexeddb's own, through lib0, closes at once).
    const holder = await new Promise<IDBDatabase>((resolve) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
    });
    expect(await migrateLegacyDocStores(user.id)).toEqual({ migrated: 0, kept: [name] });
    // Still writable by its holder, and written to after the attempt.
    const extra = new Y.Doc();
    extra.getText('strengths').insert(0, 'Written meanwhile. ');
    await new Promise((resolve) => {
      const request = holder.transaction('updates', 'readwrite').objectStore('updates').add(Y.encodeStateAsUpdate(extra));
      request.onsuccess = resolve;
    });
    holder.close();
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(await migrateLegacyDocStores(user.id)).toEqual({ migrated: 1, kept: [] });
    expect(await legacyDatabases(user.id)).toEqual([]);
    expect((await opened(user.id, id)).values.strengths).toContain('Written meanwhile. ');
  });

  it('where the browser cannot list its databases, finds old ones from the index, and creates none for a record that never had one', async () => {
    const user = freshUser();
    const id = crypto.randomUUID();
    const written = await oldStyleRecord(user.id, id, 'LIST1');
    await writeSummary(
      user.id,
      summariseRecord(
        { id: 'no-store', kind: 'observation', status: 'draft', createdAt: '2026-03-01T09:00:00.000Z', authorId: grace.id, authorName: grace.displayName, authorTeamId: 't1' },
        {},
        '2026-03-01T10:00:00.000Z',
        0,
      ),
    );
    const listing = IDBFactory.prototype.databases;
    Object.defineProperty(IDBFactory.prototype, 'databases', { value: undefined, configurable: true, writable: true });
    try {
      expect(await migrateLegacyDocStores(user.id)).toEqual({ migrated: 1, kept: [] });
    } finally {
      Object.defineProperty(IDBFactory.prototype, 'databases', { value: listing, configurable: true, writable: true });
    }
    expect(await legacyDatabases(user.id)).toEqual([]);
    expect(await opened(user.id, id)).toEqual(await expected(written));
  });
});
