/**
 * Where a person's record documents live on the device: ONE Dexie table (`docUpdates` in their own
 * database, db.ts) of Yjs update bytes, keyed by document name, instead of one y-indexeddb database per
 * record. A document is the merge of its rows; every change made while it is open is appended as a row
 * at once (a keystroke is on the device before anything else happens), and a document's rows are folded
 * into one snapshot row when it closes with many rows, or once it is sent and finished.
 *
 * Folding keeps every item with its client id and every deletion (a document that never garbage-collects,
 * see snapshotOf), so who-wrote-what (recordDoc.ts, which maps each live item's client id to its writer)
 * and field history (fieldHistory.ts, an array in the document) read the same before and after.
 *
 * Three ways in:
 *  - DocPersistence: the provider openRecord.ts gives each open Y.Doc (load, then append every update);
 *  - readDocStates / storeDocUpdates: the bulk sync path reads and writes many documents, each call in one
 *    IndexedDB transaction, without making a Y.Doc;
 *  - compactDocs / removeDocs: housekeeping.
 * Each waits, the first time, until the person's old per-record databases are copied in (legacyDocStores.ts).
 */
import * as Y from 'yjs';
import { dbFor, type DocUpdateRow, type FieldnotesDb } from '../db';
import { reportStorageError, reportStorageRecovered } from '../storageHealth';
import { migrateLegacyDocStores } from './legacyDocStores';
import { journalUnstored, replayJournal } from './unloadJournal';

/**
 * The origin of updates that storeDocUpdates stored and then applied to an open document: they came from
 * elsewhere (the bulk path), so the index keeps the record's sent state and screens hear 'elsewhere'; and
 * they are stored already, so the document's own provider does not append them again.
 */
export const STORED_ELSEWHERE = Symbol('stored by the bulk path');

/** A document closed with more rows than this is folded into one row (y-indexeddb folded at 500). */
export const COMPACT_ABOVE_ROWS = 50;

// ---- first use: the old per-record databases are copied in ---------------------------------------

const migrations = new WeakMap<FieldnotesDb, Promise<void>>();

/**
 * The person's document table, once their old per-record stores are in it. Run once per opened database
 * (a sign-out deletes it, so a new sign-in checks again); a failed migration is retried on the next call.
 */
async function storeOf(userId: string, db: FieldnotesDb = dbFor(userId)): Promise<FieldnotesDb> {
  let migrated = migrations.get(db);
  if (!migrated) {
    // Then what the last page left unstored as it closed (unloadJournal.ts), before any document loads.
    migrated = migrateLegacyDocStores(userId).then(() => replayJournal(userId, db).then(() => undefined));
    migrations.set(db, migrated);
    migrated.catch(() => migrations.delete(db));
  }
  await migrated;
  return db;
}

/** A copy of exactly the update's bytes: a view on a larger buffer would store the whole buffer. */
const ownBytes = (update: Uint8Array) => (update.byteOffset === 0 && update.byteLength === update.buffer.byteLength ? update : update.slice());

// ---- documents open on this device ----------------------------------------------------------------

const openKey = (userId: string, docName: string) => `${userId}\u0000${docName}`;
const openPersistences = new Map<string, DocPersistence>();

// As the page goes, what open documents have not yet stored goes to localStorage, synchronously.
if (typeof window !== 'undefined') window.addEventListener('pagehide', () => journalUnstored([...openPersistences.values()].map((open) => open.unstored())));

/**
 * Keeps one Y.Doc in step with its rows: loads them (applied with this object as origin, so listeners can
 * tell replayed updates from changes), then appends every later update. `whenSynced` resolves once
 * loaded; `destroy()` resolves once every pending write is stored (and the rows folded, if many).
 */
export class DocPersistence {
  readonly whenSynced: Promise<void>;
  private queue: Uint8Array[] = [];
  /** The batch being written now: not stored until its transaction commits. */
  private writingBatch: Uint8Array[] = [];
  private writing: Promise<void> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Rows of this document in the table, as far as this provider knows (for deciding to compact). */
  private rows = 0;
  private destroyed = false;
  private readonly key: string;
  /** The database as it was at opening: pending writes still reach it while a sign-out closes documents. */
  private readonly db: FieldnotesDb;

  constructor(
    private readonly userId: string,
    readonly docName: string,
    readonly doc: Y.Doc,
  ) {
    // Throws for a person removed from the device: opening must not bring their database back.
    this.db = dbFor(userId);
    this.key = openKey(userId, docName);
    openPersistences.set(this.key, this);
    doc.on('update', this.onUpdate);
    this.whenSynced = this.load();
  }

  private async load(): Promise<void> {
    const db = await storeOf(this.userId, this.db);
    const rows = await db.docUpdates.where('doc').equals(this.docName).toArray();
    this.rows += rows.length;
    if (this.destroyed || rows.length === 0) return;
    Y.transact(this.doc, () => rows.forEach((row) => Y.applyUpdate(this.doc, row.update)), this, false);
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this || origin === STORED_ELSEWHERE) return;
    this.queue.push(ownBytes(update));
    this.kick();
  };

  /** Starts writing without waiting; a failure is reported to the person (storageHealth) and retried. */
  private kick() {
    this.flush().catch(() => undefined);
  }

  /** Writes what is queued, one transaction at a time: updates made meanwhile go together in the next. */
  private flush(): Promise<void> {
    this.writing ??= this.writeQueued().finally(() => {
      this.writing = null;
    });
    return this.writing;
  }

  private async writeQueued(): Promise<void> {
    // Loading waits for the migration; a write before it (there is none today) must wait too.
    const db = await storeOf(this.userId, this.db);
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      this.writingBatch = batch;
      try {
        await db.docUpdates.bulkAdd(batch.map((update) => ({ doc: this.docName, update })));
        this.writingBatch = [];
        this.rows += batch.length;
        reportStorageRecovered();
      } catch (error) {
        // Kept, in order, for the next try: a later update stored without this one would not load.
        this.writingBatch = [];
        this.queue = [...batch, ...this.queue];
        reportStorageError(error);
        if (!this.destroyed) {
          this.retryTimer ??= setTimeout(() => {
            this.retryTimer = null;
            this.kick();
          }, 1000);
        }
        throw error;
      }
    }
  }

  /** What this document has changed and not yet stored (for the unload journal). */
  unstored(): { userId: string; docName: string; updates: Uint8Array[] } {
    return { userId: this.userId, docName: this.docName, updates: [...this.writingBatch, ...this.queue] };
  }

  /** Resolves once everything this document has changed so far is stored. */
  async settled(): Promise<void> {
    while (this.writing || this.queue.length > 0) await (this.writing ?? this.flush());
  }

  /**
   * Stops listening, stores what is pending, and folds the rows into one: if there are more than
   * COMPACT_ABOVE_ROWS, or always (a record sent and finished: nothing more is expected), or never (the
   * database is about to be deleted).
   */
  async destroy(options: { fold?: 'if-many' | 'always' | 'never' } = {}): Promise<void> {
    const fold = options.fold ?? 'if-many';
    if (this.destroyed) return;
    this.destroyed = true;
    this.doc.off('update', this.onUpdate);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    try {
      await this.whenSynced.catch(() => undefined);
      await this.settled();
    } finally {
      if (openPersistences.get(this.key) === this) openPersistences.delete(this.key);
    }
    if (fold === 'always' || (fold === 'if-many' && this.rows > COMPACT_ABOVE_ROWS)) await compactDocs(this.userId, [this.docName]);
  }
}

/** Waits until every change already made to these open documents is stored. */
async function openDocsSettled(userId: string, docNames: Iterable<string>): Promise<void> {
  const waits: Promise<void>[] = [];
  for (const name of docNames) {
    const open = openPersistences.get(openKey(userId, name));
    if (open) waits.push(open.settled().catch(() => undefined));
  }
  await Promise.all(waits);
}

// ---- bulk: many documents, one transaction, no Y.Doc ------------------------------------------------

const groupByDoc = (rows: DocUpdateRow[]) => {
  const byDoc = new Map<string, Uint8Array[]>();
  for (const row of rows) {
    const list = byDoc.get(row.doc);
    if (list) list.push(row.update);
    else byDoc.set(row.doc, [row.update]);
  }
  return byDoc;
};

/**
 * Every row of the named documents, in one read transaction. Asking for many of the person's documents
 * (a sync pass, a new tablet) reads the whole table once and keeps the named; asking for a few reads each
 * one's rows through the `doc` index. (Dexie's anyOf over thousands of names was several times slower
 * than either.)
 */
async function rowsOf(db: FieldnotesDb, docNames: string[]): Promise<DocUpdateRow[]> {
  if (docNames.length === 0) return [];
  return db.transaction('r', db.docUpdates, async () => {
    const wanted = new Set(docNames);
    if (docNames.length * 2 >= (await db.docUpdates.count())) return (await db.docUpdates.toArray()).filter((row) => wanted.has(row.doc));
    return (await Promise.all(docNames.map((name) => db.docUpdates.where('doc').equals(name).toArray()))).flat();
  });
}

/**
 * The stored state of each named document that has anything stored, as one update (Y.mergeUpdates of
 * its rows), read in one IndexedDB transaction. Changes already made to a document open on this device
 * are waited for, so they are included.
 */
export async function readDocStates(userId: string, docNames: string[]): Promise<Map<string, Uint8Array>> {
  const db = await storeOf(userId);
  await openDocsSettled(userId, docNames);
  const rows = await rowsOf(db, docNames);
  const states = new Map<string, Uint8Array>();
  for (const [doc, updates] of groupByDoc(rows)) states.set(doc, updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates));
  return states;
}

/**
 * Stores updates of many documents in ONE IndexedDB transaction: all of them or, if it fails, none. Then
 * each update whose document is open on this device is applied to it too, as a change from elsewhere
 * (STORED_ELSEWHERE), so screens show it and the index is rewritten without marking the record unsent.
 */
export async function storeDocUpdates(userId: string, updates: Array<{ docName: string; update: Uint8Array }>): Promise<void> {
  if (updates.length === 0) return;
  const db = await storeOf(userId);
  const rows = updates.map(({ docName, update }) => ({ doc: docName, update: ownBytes(update) }));
  try {
    await db.transaction('rw', db.docUpdates, () => db.docUpdates.bulkAdd(rows));
    reportStorageRecovered();
  } catch (error) {
    reportStorageError(error);
    throw error;
  }
  for (const { docName, update } of updates) {
    const open = openPersistences.get(openKey(userId, docName));
    if (open) Y.applyUpdate(open.doc, update, STORED_ELSEWHERE);
  }
}

/**
 * One update holding everything in `updates`: applied to a document that never garbage-collects (deleted
 * text and overwritten values stay, with every item's client id and clock) and encoded again, which
 * also joins each writer's consecutive keystrokes into one item — about a tenth smaller than
 * Y.mergeUpdates of the same rows (measured on an observation typed in bursts: 3,530 bytes against
 * 3,959). Updates still waiting for earlier ones are kept too (encodeStateAsUpdate adds them).
 */
function snapshotOf(updates: Uint8Array[]): Uint8Array {
  const doc = new Y.Doc({ gc: false });
  Y.transact(doc, () => updates.forEach((update) => Y.applyUpdate(doc, update)));
  const snapshot = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return snapshot;
}

/**
 * Folds each named document's rows into one snapshot (snapshotOf: every item, client id and deletion
 * kept), in one transaction, so nothing appended meanwhile is lost. Documents with one row or none are left.
 * Returns how many documents were folded.
 */
export async function compactDocs(userId: string, docNames: string[]): Promise<number> {
  if (docNames.length === 0) return 0;
  const db = await storeOf(userId);
  return db.transaction('rw', db.docUpdates, async () => {
    const rows = await rowsOf(db, docNames);
    const seqs = new Map<string, number[]>();
    for (const row of rows) {
      const list = seqs.get(row.doc);
      if (list) list.push(row.seq!);
      else seqs.set(row.doc, [row.seq!]);
    }
    const gone: number[] = [];
    const snapshots: DocUpdateRow[] = [];
    for (const [doc, updates] of groupByDoc(rows)) {
      if (updates.length < 2) continue;
      gone.push(...seqs.get(doc)!);
      snapshots.push({ doc, update: snapshotOf(updates) });
    }
    // Two requests for all of them (not two per document): fake-indexeddb and browsers alike pay per request.
    if (snapshots.length > 0) {
      await db.docUpdates.bulkDelete(gone);
      await db.docUpdates.bulkAdd(snapshots);
    }
    return snapshots.length;
  });
}

/** Removes documents from the device (records this person may no longer read, all sent). */
export async function removeDocs(userId: string, docNames: string[]): Promise<void> {
  if (docNames.length === 0) return;
  const db = await storeOf(userId);
  await db.transaction('rw', db.docUpdates, async () => {
    await db.docUpdates.bulkDelete((await rowsOf(db, docNames)).map((row) => row.seq!));
  });
}

/** How many rows each named document has (tests and benchmarks). */
export async function rowCounts(userId: string, docNames: string[]): Promise<Map<string, number>> {
  const db = await storeOf(userId);
  const counts = new Map<string, number>();
  for (const row of await rowsOf(db, docNames)) counts.set(row.doc, (counts.get(row.doc) ?? 0) + 1);
  return counts;
}
