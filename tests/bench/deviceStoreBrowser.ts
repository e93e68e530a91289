/**
 * The device storage benchmark's browser half (bundled by deviceStoreChromium.ts and run in Chromium): the
 * app's real data layer on Chromium's own IndexedDB, against y-indexeddb keeping the same updates.
 */
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { dbFor } from '../../src/data/db';
import { readDocStates } from '../../src/data/docs/docStore';
import { legacyDocDbName } from '../../src/data/docs/legacyDocStores';
import { createRecord, openRecord } from '../../src/data/docs/openRecord';
import { BURST, contentOf } from './deviceStoreContent';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function usage(): Promise<number> {
  return (await navigator.storage.estimate()).usage ?? 0;
}

const bench = {
  usage,
  /** Makes `n` records through the app; returns their ids. */
  async make(userId: string, n: number): Promise<string[]> {
    const author = { id: userId, displayName: 'Grace Okafor', teamId: 'team-0' };
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const { scalars, narratives } = contentOf(i);
      const id = await createRecord(userId, author, 'observation', scalars);
      const handle = (await openRecord(userId, 'observation', id, author))!;
      for (const [field, text] of Object.entries(narratives)) {
        for (let end = BURST; end < text.length + BURST; end += BURST) handle.setField(field, text.slice(0, Math.min(end, text.length)));
      }
      await readDocStates(userId, [`observation/${id}`]);
      handle.release();
      ids.push(id);
    }
    await sleep(3000);
    return ids;
  },
  /** The same records kept the old way: each record's rows replayed into its own y-indexeddb database. */
  async keepTheOldWay(userId: string, oldUserId: string, ids: string[], rowsOf: Record<string, number[][]>): Promise<void> {
    for (const id of ids) {
      const doc = new Y.Doc();
      const persistence = new IndexeddbPersistence(legacyDocDbName(oldUserId, `observation/${id}`), doc);
      await persistence.whenSynced;
      for (const update of rowsOf[id]!) Y.applyUpdate(doc, Uint8Array.from(update), 'typing');
      await persistence.destroy();
      doc.destroy();
    }
    void userId;
  },
  /** Each record's rows as stored now (before folding), for the old way's replay. */
  async rows(userId: string, ids: string[]): Promise<Record<string, number[][]>> {
    const out: Record<string, number[][]> = {};
    for (const id of ids) out[id] = (await dbFor(userId).docUpdates.where('doc').equals(`observation/${id}`).toArray()).map((r) => Array.from(r.update));
    return out;
  },
  async openNew(userId: string, id: string): Promise<number> {
    const started = performance.now();
    const handle = await openRecord(userId, 'observation', id, { id: userId, displayName: 'Grace Okafor' });
    const ms = performance.now() - started;
    if (!handle) throw new Error(`Record ${id} did not open.`);
    handle.release();
    return ms;
  },
  async openOld(oldUserId: string, id: string): Promise<number> {
    const started = performance.now();
    const doc = new Y.Doc();
    const persistence = new IndexeddbPersistence(legacyDocDbName(oldUserId, `observation/${id}`), doc);
    await persistence.whenSynced;
    const ms = performance.now() - started;
    await persistence.destroy();
    doc.destroy();
    return ms;
  },
};

(window as unknown as { bench: typeof bench }).bench = bench;
