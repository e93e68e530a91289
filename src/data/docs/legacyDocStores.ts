/**
 * Before issue 20 each record document had its own IndexedDB database, written by y-indexeddb and named
 * `fieldnotes-<userId>/<docName>`, with an object store `updates` of update bytes. On first use after the
 * upgrade, each such database still on the device is copied into the person's `docUpdates` table
 * (docStore.ts), checked, and only then deleted:
 *
 *  1. open it alone (no tab of the version before still writing to it) and read every update in it
 *     (plain IndexedDB and y-indexeddb's layout: no Y.Doc, no y-indexeddb needed);
 *  2. unless the table already holds all of it (a migration interrupted after copying), append their
 *     merge as one row, in one transaction;
 *  3. read the table back and check that it holds the old database's whole state: the same state vector
 *     and delete set (a Y.Doc of what is stored, with and without the old updates, gives equal snapshots);
 *  4. delete the old database.
 * Interrupted anywhere, nothing is lost: before 4 the old database is still there and the next start does
 * it again (copying nothing twice, by 2); after 4 its content is in the table.
 */
import * as Y from 'yjs';
import { dbFor, userDbName } from '../db';

/** The name of a record's old y-indexeddb database (per person, so people sharing a tablet never shared). */
export const legacyDocDbName = (userId: string, docName: string) => `${userDbName(userId)}/${docName}`;

const MIGRATED_KEY = 'legacyDocStoresMigrated';

export interface MigrationOutcome {
  /** Old databases copied in (or found already copied) and deleted. */
  migrated: number;
  /** Old databases left in place because the check failed or they could not be deleted yet. */
  kept: string[];
}

/** Copies every old per-record database of this person into the document table, then deletes it. */
export async function migrateLegacyDocStores(userId: string): Promise<MigrationOutcome> {
  const outcome: MigrationOutcome = { migrated: 0, kept: [] };
  const queue = await legacyNames(userId);
  // A few at a time: each database is mostly waiting on IndexedDB.
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      // One database that cannot be moved (the disk full, say) must not keep every record from opening: it
      // stays where it is, whole, and is tried again at the next start.
      const moved = await migrateOne(userId, name).catch((error: unknown) => {
        console.error('Could not move a record store from the version before; it is kept and tried again later.', error);
        return 'kept' as const;
      });
      if (moved === 'moved') outcome.migrated++;
      else if (moved === 'kept') outcome.kept.push(name);
    }
  };
  await Promise.all(Array.from({ length: MIGRATE_AT_ONCE }, worker));
  outcome.kept.sort();
  if (outcome.kept.length === 0) await dbFor(userId).meta.put({ key: MIGRATED_KEY, value: new Date().toISOString() });
  return outcome;
}

const MIGRATE_AT_ONCE = 4;

/** Steps 1–4 for one old database. */
async function migrateOne(userId: string, name: string): Promise<'moved' | 'kept' | 'absent'> {
  const docName = name.slice(`${userDbName(userId)}/`.length);
  const updates = await readLegacyUpdates(name);
  if (updates === null) return 'absent';
  if (updates === 'busy') return 'kept';
  if (updates.length > 0) {
    const legacy = Y.mergeUpdates(updates);
    if (!(await storedCovers(userId, docName, legacy))) {
      await dbFor(userId).docUpdates.add({ doc: docName, update: legacy });
      if (!(await storedCovers(userId, docName, legacy))) return 'kept';
    }
  }
  return (await deleteDatabase(name)) ? 'moved' : 'kept';
}

/**
 * The old databases to look at. Where the browser lists its databases, every one with this person's
 * prefix (which also finds a store the index lost track of). Elsewhere, one per record in the index,
 * until a migration has once completed.
 */
async function legacyNames(userId: string): Promise<string[]> {
  const prefix = `${userDbName(userId)}/`;
  if (typeof indexedDB.databases === 'function') {
    return (await indexedDB.databases()).map((d) => d.name ?? '').filter((name) => name.startsWith(prefix)).sort();
  }
  const db = dbFor(userId);
  if (await db.meta.get(MIGRATED_KEY)) return [];
  return (await db.records.toArray()).map((row) => `${prefix}${row.kind}/${row.id}`);
}

/** Does the table hold everything in `legacy`: the same state vector and deletions with it as without? */
async function storedCovers(userId: string, docName: string, legacy: Uint8Array): Promise<boolean> {
  const rows = await dbFor(userId).docUpdates.where('doc').equals(docName).toArray();
  if (rows.length === 0) return false;
  const stored = Y.mergeUpdates(rows.map((row) => row.update));
  const without = new Y.Doc({ gc: false });
  const withLegacy = new Y.Doc({ gc: false });
  Y.applyUpdate(without, stored);
  Y.applyUpdate(withLegacy, stored);
  Y.applyUpdate(withLegacy, legacy);
  const covered = Y.equalSnapshots(Y.snapshot(without), Y.snapshot(withLegacy)) && pendingOf(without) === pendingOf(withLegacy);
  without.destroy();
  withLegacy.destroy();
  return covered;
}

/** Updates a document holds back for want of earlier ones (none, normally), as comparable text. */
const pendingOf = (doc: Y.Doc) => {
  const { pendingStructs, pendingDs } = doc.store;
  return [pendingStructs?.update, pendingDs].map((bytes) => (bytes ? Array.from(bytes).join(',') : '')).join('|');
};

/** Opens a database only if it exists (opening an absent one would create it), or null. */
function openExisting(name: string): Promise<IDBDatabase | null> {
  return new Promise((resolve, reject) => {
    let absent = false;
    const request = indexedDB.open(name);
    request.onupgradeneeded = (event) => {
      if (event.oldVersion === 0) {
        absent = true;
        request.transaction?.abort();
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = (event) => {
      if (!absent) return reject(request.error ?? new Error(`Could not open ${name}.`));
      event.preventDefault();
      resolve(null);
    };
  });
}

/**
 * Opens an existing database alone: by asking for the next version, which the browser grants only once
 * every other connection has closed. 'busy' when another tab (still running the version before) has it
 * open: its writes must not be cut off, so the database is left for the next start.
 */
async function openAlone(name: string): Promise<IDBDatabase | null | 'busy'> {
  const probe = await openExisting(name);
  if (!probe) return null;
  const version = probe.version;
  probe.close();
  return new Promise((resolve, reject) => {
    let settled = false;
    const request = indexedDB.open(name, version + 1);
    request.onblocked = () => {
      settled = true;
      resolve('busy');
    };
    request.onsuccess = () => {
      // Granted after all, once the other tab let go: this run has moved on, so just let go too.
      if (settled) request.result.close();
      else resolve(request.result);
    };
    request.onerror = () => {
      if (!settled) reject(request.error ?? new Error(`Could not open ${name}.`));
    };
  });
}

/** Update bytes (by their tag, not instanceof: values read from IndexedDB may come from another realm). */
const isBytes = (value: unknown): value is Uint8Array => Object.prototype.toString.call(value) === '[object Uint8Array]';

/** Every update an old database holds, oldest first; null when there is no such database. */
async function readLegacyUpdates(name: string): Promise<Uint8Array[] | null | 'busy'> {
  const db = await openAlone(name);
  if (db === null || db === 'busy') return db;
  try {
    if (!db.objectStoreNames.contains('updates')) return [];
    return await new Promise<Uint8Array[]>((resolve, reject) => {
      const request = db.transaction('updates', 'readonly').objectStore('updates').getAll();
      request.onsuccess = () => resolve((request.result as unknown[]).filter(isBytes).map((bytes) => new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
      request.onerror = () => reject(request.error ?? new Error(`Could not read ${name}.`));
    });
  } finally {
    db.close();
  }
}

/**
 * Deletes a database. False if another connection holds it open (opened in the moment since it was read:
 * the deletion then waits, in the browser, until that connection closes).
 */
export function deleteDatabase(name: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve(true);
    request.onblocked = () => resolve(false);
    request.onerror = () => reject(request.error ?? new Error(`Could not delete ${name}.`));
  });
}
