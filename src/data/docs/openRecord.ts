/**
 * Opening and closing a record's Y.Doc on the device. Each document is persisted by docStore.ts, which
 * appends every update to the person's document table in IndexedDB as it happens — a keystroke is on the
 * device before anything else. After each change the record's row in the Dexie index is rewritten from
 * the document.
 *
 * Features never see Yjs: they get a RecordHandle that reads and writes plain field values.
 */
import type { SummaryDraft } from '../../../domain/summary';
import { readDrafted } from '../../../recordModel/summaryDoc';
import * as Y from 'yjs';
import { toBase64 } from '../../../domain/base64';
import { formLayouts } from '../../../domain/kinds';
import { recordDocName, type RecordKind, type RecordMeta } from '../../../domain/records';
import { dbFor, isRemovedFromDevice, RemovedFromDevice } from '../db';
import { DocPersistence, readDocStates, removeDocs } from './docStore';
import { summariseRecord, writeSummary, writeSummaryKeepingSentState } from '../records';
import { contestedFields, recordFieldChange, type ContestedField, type Editor } from '../../../recordModel/fieldHistory';
import {
  addAction,
  FIELDS,
  initRecordDoc,
  noteWriter,
  readActions,
  readMeta,
  readReflection,
  readValues,
  removeAction,
  setField,
  updateAction,
  whoWroteWhat,
  WRITERS,
  type Reflection,
  type ReviewAction,
  type WrittenRun,
} from '../../../recordModel/recordDoc';

export type { WrittenRun };

/** Open documents are per person, so people sharing a tablet never share one. */
const docKey = (userId: string, docName: string) => `${userId}\u0000${docName}`;

export type ChangeSource = 'this-device' | 'elsewhere';

export interface RecordHandle {
  readonly id: string;
  readonly kind: RecordKind;
  meta(): RecordMeta | null;
  values(): Record<string, string>;
  setField(name: string, value: string): void;
  setFields(values: Record<string, string>): void;
  /**
   * What this device has of the record, as a base64 state vector: a command such as "complete" carries
   * it, so the server completes exactly what the person saw (and waits until it has all of it).
   */
  stateVector(): string;
  /** The observed practitioner's reflection (written by the server through a command), if any. */
  reflection(): Reflection | null;
  /** A quarterly summary: what the server drafted into it from the data (null for other kinds). */
  drafted(): SummaryDraft | null;
  /** A narrative field split into runs by the person who wrote them. */
  whoWroteWhat(field: string): WrittenRun[];
  /** A review's actions (what, who, by when), and changing them. */
  actions(): ReviewAction[];
  addAction(action: Omit<ReviewAction, 'id'>): void;
  updateAction(id: string, change: Partial<Omit<ReviewAction, 'id'>>): void;
  removeAction(id: string): void;
  /** Fields two people set differently at the same time, with who chose what and when. */
  contested(): ContestedField[];
  /** Chooses a field's value having seen every contested choice, which settles the contest. */
  settleField(name: string, value: string): void;
  /** Calls back after every change, saying whether it was made here (typing) or came from elsewhere. */
  subscribe(listener: (source: ChangeSource) => void): () => void;
  /**
   * The time the latest change made on this device (by any screen) is indexed under: its index row's
   * `updatedAt` once written. Until the row that `useRecordSummary` gives is at least this new, the row
   * does not yet count that change, and "Sent" on it would be out of date. Null before any change here.
   */
  changedHereAt(): string | null;
  release(): void;
}

interface OpenDoc {
  userId: string;
  docName: string;
  id: string;
  doc: Y.Doc;
  persistence: DocPersistence;
  loaded: Promise<void>;
  refs: number;
  closeTimer: ReturnType<typeof setTimeout> | null;
  /** See RecordHandle.changedHereAt. */
  changedHereAt: string | null;
}

const LOCAL = Symbol('this device');
/**
 * Other origins of changes made on this device: the narrative editor's typing (y-codemirror.next writes
 * with its own origin) and its undo manager. They count as this person's changes everywhere LOCAL does:
 * the index marks the record unsent, the sync manager sends it, screens hear 'this-device'.
 */
const localOrigins = new WeakSet<object>();
const isLocal = (origin: unknown) => origin === LOCAL || (typeof origin === 'object' && origin !== null && localOrigins.has(origin));
const openDocs = new Map<string, OpenDoc>();
/** Documents stay open briefly after their last user lets go, so a quick re-open (React remounts) is free. */
const CLOSE_DELAY_MS = 2000;

function acquire(userId: string, kind: RecordKind, id: string): OpenDoc {
  // Signed out and removed from this tablet: opening a record would create its store again, empty.
  if (isRemovedFromDevice(userId)) throw new RemovedFromDevice();
  const docName = recordDocName(kind, id);
  const key = docKey(userId, docName);
  let entry = openDocs.get(key);
  if (!entry) {
    const doc = new Y.Doc({ guid: docName });
    const persistence = new DocPersistence(userId, docName, doc);
    const loaded = persistence.whenSynced;
    entry = { userId, docName, id, doc, persistence, loaded, refs: 0, closeTimer: null, changedHereAt: null };
    openDocs.set(key, entry);
    watchIndex(userId, kind, entry);
  }
  if (entry.closeTimer) clearTimeout(entry.closeTimer);
  entry.closeTimer = null;
  entry.refs++;
  return entry;
}

function release(key: string, entry: OpenDoc) {
  entry.refs--;
  if (entry.refs > 0) return;
  entry.closeTimer = setTimeout(() => {
    openDocs.delete(key);
    void close(key, entry);
  }, CLOSE_DELAY_MS);
}

/**
 * Stores what is pending, then lets the document go. A record sent and finished has its rows folded into
 * one (nothing more is expected of it but a reflection or a moderator's word); others only when many.
 */
async function close(key: string, entry: OpenDoc) {
  const settled = await isSentAndFinished(entry.userId, entry.id);
  await entry.persistence.destroy({ fold: settled ? 'always' : 'if-many' });
  entry.doc.destroy();
  if (removeWhenClosed.delete(key)) await removeDocs(entry.userId, [entry.docName]);
}

async function isSentAndFinished(userId: string, id: string): Promise<boolean> {
  try {
    const row = await dbFor(userId).records.get(id);
    return row !== undefined && row.unsynced === 0 && row.status !== 'draft';
  } catch {
    return false;
  }
}

/**
 * Keeps the record's index row in step with its document. A change made here marks the record as not
 * yet sent; a change that arrived from the server leaves that mark as it was.
 */
function watchIndex(userId: string, kind: RecordKind, entry: OpenDoc) {
  const layout = formLayouts[kind];
  entry.doc.on('update', (_update: Uint8Array, origin: unknown) => {
    // Updates replayed from the device's store on load are not changes.
    if (origin === entry.persistence) return;
    const meta = readMeta(entry.doc);
    if (!meta) return;
    const summary = summariseRecord(meta, readValues(entry.doc, layout), new Date().toISOString(), 1);
    // Set before the screens' own listeners run (this one was added first), so they read it for this change.
    const local = isLocal(origin);
    if (local) entry.changedHereAt = summary.updatedAt;
    const write =
      local
        ? writeSummary(userId, summary).then(() => localChanges.forEach((listener) => listener(userId, kind, meta.id)))
        : writeSummaryKeepingSentState(userId, summary);
    pendingIndexWrites.add(write);
    void write.finally(() => pendingIndexWrites.delete(write));
  });
}

/** Index rows being written after changes (not awaited by the typing that caused them). */
const pendingIndexWrites = new Set<Promise<void>>();

/**
 * Resolves once every change made so far is in the index: a question such as "what is not yet sent?"
 * asked straight after an edit must count that edit.
 */
export async function indexSettled(): Promise<void> {
  while (pendingIndexWrites.size > 0) await Promise.all([...pendingIndexWrites]);
}

type LocalChangeListener = (userId: string, kind: RecordKind, id: string) => void;
const localChanges = new Set<LocalChangeListener>();

/** Calls back after every change made on this device (once it is in the index), for the sync manager. */
export function onLocalChange(listener: LocalChangeListener): () => void {
  localChanges.add(listener);
  return () => localChanges.delete(listener);
}

/**
 * A record's document for the sync manager: opened (or shared, if a screen has it open) until released.
 * Only src/data uses this; screens use RecordHandle.
 */
export async function acquireDoc(userId: string, kind: RecordKind, id: string): Promise<{ doc: Y.Doc; release(): void }> {
  const key = docKey(userId, recordDocName(kind, id));
  const entry = acquire(userId, kind, id);
  await entry.loaded;
  let released = false;
  return {
    doc: entry.doc,
    release() {
      if (released) return;
      released = true;
      release(key, entry);
    },
  };
}

/** Sets fields, recording who changed each scalar that changed (fieldHistory.ts). */
function writeFields(doc: Y.Doc, kind: RecordKind, values: Record<string, string>, editor: Editor, settle = false) {
  // Settling writes a change even when the value stays the same: it records that both choices were seen.
  const layout = formLayouts[kind];
  const tracked = trackedFields(kind);
  doc.transact(() => {
    noteWriter(doc, editor);
    const before = doc.getMap(FIELDS);
    for (const [name, value] of Object.entries(values)) {
      const changed = (before.get(name) ?? '') !== value;
      setField(doc, layout, name, value);
      if (tracked.includes(name) && (changed || settle)) recordFieldChange(doc, name, value, editor);
    }
  }, LOCAL);
}

/** The scalar fields whose changes are tracked and may be contested. */
const trackedFields = (kind: RecordKind) => {
  const layout = formLayouts[kind];
  return layout.scalarFields.filter((f) => !layout.derivedFields?.includes(f));
};

function handleFor(userId: string, kind: RecordKind, id: string, entry: OpenDoc, editor: Editor): RecordHandle {
  const key = docKey(userId, recordDocName(kind, id));
  const layout = formLayouts[kind];
  const { doc } = entry;
  let released = false;
  const handle: RecordHandle = {
    id,
    kind,
    meta: () => readMeta(doc),
    values: () => readValues(doc, layout),
    setField: (name, value) => writeFields(doc, kind, { [name]: value }, editor),
    setFields: (values) => writeFields(doc, kind, values, editor),
    stateVector: () => toBase64(Y.encodeStateVector(doc)),
    reflection: () => readReflection(doc),
    drafted: () => (kind === 'summary' ? readDrafted(doc) : null),
    whoWroteWhat: (field) => whoWroteWhat(doc, field),
    actions: () => readActions(doc),
    addAction: (action) => doc.transact(() => addAction(doc, { id: crypto.randomUUID(), ...action }), LOCAL),
    updateAction: (id, change) => doc.transact(() => updateAction(doc, id, change), LOCAL),
    removeAction: (id) => doc.transact(() => removeAction(doc, id), LOCAL),
    contested: () => contestedFields(doc, trackedFields(kind), (field) => readValues(doc, layout)[field] ?? ''),
    settleField: (name, value) => writeFields(doc, kind, { [name]: value }, editor, true),
    subscribe(listener) {
      const onUpdate = (_u: Uint8Array, origin: unknown) => listener(isLocal(origin) ? 'this-device' : 'elsewhere');
      doc.on('update', onUpdate);
      return () => doc.off('update', onUpdate);
    },
    changedHereAt: () => entry.changedHereAt,
    release() {
      if (released) return;
      released = true;
      release(key, entry);
    },
  };
  narratives.set(handle, {
    text(field) {
      if (!(layout.narrativeFields as readonly string[]).includes(field)) throw new Error(`"${field}" is not a narrative field of this form.`);
      return doc.getText(field);
    },
    noteWriter: () => {
      const writers = doc.getMap<{ id: string }>(WRITERS);
      if (writers.get(String(doc.clientID))?.id !== editor.id) doc.transact(() => noteWriter(doc, editor), LOCAL);
    },
    markLocal: (origin) => void localOrigins.add(origin),
  });
  return handle;
}

/** What the narrative editor (src/data/editor) needs of an open record, and screens never see. */
export interface NarrativeAccess {
  /** A narrative field's Y.Text; refuses names that are not narrative fields of the record's form. */
  text(field: string): Y.Text;
  /** Notes whom this device's copy writes for, before its first typing (who wrote what). */
  noteWriter(): void;
  /** Counts changes made with this origin (the editor's, its undo manager's) as this device's own. */
  markLocal(origin: object): void;
}

const narratives = new WeakMap<RecordHandle, NarrativeAccess>();

/** The narrative side of a record handle, for the editor. */
export function narrativeAccess(handle: RecordHandle): NarrativeAccess {
  const access = narratives.get(handle);
  if (!access) throw new Error('Not a record handle opened by openRecord.');
  return access;
}

/**
 * Opens a record that is on this device. Resolves to null when there is no such record here (a deep
 * link to a record this person has never had on this tablet).
 */
export async function openRecord(userId: string, kind: RecordKind, id: string, editor: Editor): Promise<RecordHandle | null> {
  const entry = acquire(userId, kind, id);
  const handle = handleFor(userId, kind, id, entry, editor);
  await entry.loaded;
  if (!readMeta(entry.doc)) {
    handle.release();
    return null;
  }
  return handle;
}

export interface Author extends Editor {
  teamId: string;
}

/** Makes a new record of a kind on this device, stores it and indexes it, and returns its id. */
export async function createRecord(
  userId: string,
  author: Author,
  kind: RecordKind,
  initialValues: Record<string, string> = {},
  /** Normally a new id; a review's moderation takes its review's id. */
  id: string = crypto.randomUUID(),
): Promise<string> {
  const entry = acquire(userId, kind, id);
  const handle = handleFor(userId, kind, id, entry, author);
  await entry.loaded;
  entry.doc.transact(() => {
    initRecordDoc(entry.doc, {
      id,
      kind,
      status: 'draft',
      createdAt: new Date().toISOString(),
      authorId: author.id,
      authorName: author.displayName,
      authorTeamId: author.teamId,
    });
  }, LOCAL);
  handle.setFields(initialValues);
  // The index rows written on each change are not awaited; a new record is listed once this resolves.
  await writeSummary(userId, summariseRecord(readMeta(entry.doc)!, readValues(entry.doc, formLayouts[kind]), new Date().toISOString(), 1));
  handle.release();
  return id;
}

/**
 * Reads a record as it is stored in IndexedDB, through a new document of its own — what a reload
 * would find. Used to rebuild the index from the documents, and by tests to prove what was stored.
 */
export async function readStoredRecord(userId: string, kind: RecordKind, id: string) {
  const doc = new Y.Doc();
  const state = (await readDocStates(userId, [recordDocName(kind, id)])).get(recordDocName(kind, id));
  if (state) Y.applyUpdate(doc, state);
  const record = { meta: readMeta(doc), values: readValues(doc, formLayouts[kind]) };
  doc.destroy();
  return record;
}

/**
 * Removes a record from this device: its index row is gone already (applyRecordListing) and now its
 * document store too. Only for records whose changes are all on the server and that this person may no
 * longer read. A record still open (on screen, or just synced) is removed as soon as it closes.
 */
export async function removeLocalRecord(userId: string, kind: RecordKind, id: string): Promise<void> {
  const key = docKey(userId, recordDocName(kind, id));
  if (openDocs.has(key)) removeWhenClosed.add(key);
  else await removeDocs(userId, [recordDocName(kind, id)]);
}

/**
 * Closes every record document of a person that is open on this device (their screens and sync have
 * stopped: they signed out), storing what is pending, so their database can be deleted.
 */
export async function closeAllDocsOf(userId: string): Promise<void> {
  const prefix = docKey(userId, '');
  const closing: Promise<void>[] = [];
  for (const [key, entry] of openDocs) {
    if (!key.startsWith(prefix)) continue;
    openDocs.delete(key);
    removeWhenClosed.delete(key);
    if (entry.closeTimer) clearTimeout(entry.closeTimer);
    closing.push(entry.persistence.destroy({ fold: 'never' }).then(() => entry.doc.destroy()));
  }
  await Promise.all(closing);
}

/** Records to remove from the device as soon as nothing has them open. */
const removeWhenClosed = new Set<string>();
