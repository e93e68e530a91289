/**
 * The bulk path: many records' documents in one request (recordModel/bulkWire.ts), for records a device
 * has NOT open on screen — a day's work made offline, or a new tablet's first fetch. Records on screen stay
 * on Hocuspocus (live, with presence). Every promise of the live path holds here too:
 *
 *  - access is decided from the server's own data, for the whole batch in one query (the rule of
 *    access.ts; the rare record that query cannot settle — a moderation, say — is asked one by one);
 *    a record never seen is registered exactly as opening it live would (Access.authoriseOpen);
 *  - each update passes the same write policy as the live path (writePolicy.ts; not a draft, too large,
 *    server-owned parts, missing dependencies), and read-only means read-only; refusals are answered per
 *    document, with the same SyncRefusal the live path sends;
 *  - everything accepted is stored in ONE write (DocumentStore.appendMany), all or nothing, attributed to
 *    the signed-in person and device, and audited ("open" per record read or written, as the live path
 *    logs each document opened, "change" per record written; refusals as "refused");
 *  - each document's answer carries the storage proof the live path uses (describeStoredState) of a
 *    state that is on disk, and what the device lacks;
 *  - a document open live on the server (or loading, or unloading) is not written here: the answer says
 *    `live`, and the device sends it on the live path — so Hocuspocus' copy never misses a stored update.
 *    A bulk write in progress holds back the loading of its documents (`beforeLoad`), so a document cannot
 *    open between this module's check and its write.
 */
import * as Y from 'yjs';
import type { Person } from '../../domain/directory';
import { parseRecordDocName } from '../../domain/records';
import { inboxDocName, MAX_DOCUMENT_BYTES, type InboxMessage, type SyncRefusal } from '../../domain/sync';
import { BULK_MAX_ANSWER_BYTES, type BulkAnswerDoc, type BulkRequestDoc } from '../../recordModel/bulkWire';
import { deleteSetOf, deletesCovered, describeStoredState } from '../../recordModel/storedState';
import { AccessDenied, type Access, type AccessLevel, type RecordRow } from '../access';
import type { AuditLog } from '../audit';
import { withoutSyncAtCommit, type ServerDatabase } from '../database';
import type { AppendEntry, DocumentStore } from '../persistence/documentStore';
import type { Collaboration } from './collaboration';
import { checkRecordWrite } from './writePolicy';

/** Documents a bulk write is storing right now; a live load of one of them waits until it is stored. */
export function createBulkWrites() {
  const writing = new Map<string, { done: Promise<void>; finish(): void }>();
  return {
    has: (name: string) => writing.has(name),
    claim(name: string) {
      let finish!: () => void;
      const done = new Promise<void>((resolve) => (finish = resolve));
      writing.set(name, { done, finish });
    },
    release(name: string) {
      writing.get(name)?.finish();
      writing.delete(name);
    },
    async settled(name: string) {
      while (writing.has(name)) await writing.get(name)!.done;
    },
  };
}
export type BulkWrites = ReturnType<typeof createBulkWrites>;

export interface BulkSyncDeps {
  db: ServerDatabase;
  store: DocumentStore;
  access: Access;
  audit: AuditLog;
  collaboration: Pick<Collaboration, 'hocuspocus'>;
  writes: BulkWrites;
}

/** Refusals one request may add to the audit log; past that they are summed up in one row. */
const AUDITED_REFUSALS_PER_REQUEST = 20;

interface Work {
  doc: BulkRequestDoc;
  answer: BulkAnswerDoc;
  row: RecordRow | null;
  level: AccessLevel;
}

const refusal = (reason: string, message: string): string => JSON.stringify({ type: 'refused', reason, message } satisfies SyncRefusal);

export function createBulkSync(deps: BulkSyncDeps) {
  const { db, store, access, audit, writes } = deps;
  const { hocuspocus } = deps.collaboration;

  /** How each person may use each named record, from one query (see the header). */
  /** Kinds written by their author and contributors only, while a draft. */
  const kindsWithSimpleAccess = new Set<string>(['observation', 'review', 'feedback']);

  function levels(user: Person, names: string[]): Map<string, { row: RecordRow; level: AccessLevel }> {
    const { sql, params } = access.readableWhere(user);
    const rows = db
      .prepare(
        `SELECT d.name, d.kind, d.author_id, d.team_id, d.subject_id, d.status, d.completed_at, d.review_of,
                (SELECT role FROM record_participants p WHERE p.doc = d.name AND p.user_id = @user) AS role,
                ${sql} AS readable
         FROM documents d WHERE d.name IN (SELECT value FROM json_each(@names))`,
      )
      .all({ ...params, names: JSON.stringify(names) }) as (RecordRow & { role: string | null; readable: number })[];
    const found = new Map<string, { row: RecordRow; level: AccessLevel }>();
    for (const { role, readable, ...row } of rows) {
      // The writing rule of Access.accessTo for the kinds it is simple for; anything else (a moderation, a
      // quarterly summary, whose writers are not its participants) is asked one by one.
      const simple = readable === 1 && kindsWithSimpleAccess.has(row.kind);
      const writes = simple && row.status === 'draft' && (row.author_id === user.id || role === 'contributor');
      const level: AccessLevel = writes ? 'write' : simple ? 'read' : access.accessTo(user, row).level;
      found.set(row.name, { row, level });
    }
    return found;
  }

  const isLive = (name: string) => hocuspocus.documents.has(name) || hocuspocus.loadingDocuments.has(name) || hocuspocus.unloadingDocuments.has(name) || writes.has(name);

  /**
   * Answers one bulk request. Throws only when storing failed — then nothing of this request was stored
   * (appendMany is all or nothing) and nothing was acknowledged.
   */
  async function handle(user: Person, deviceId: string | null, docs: BulkRequestDoc[]): Promise<BulkAnswerDoc[]> {
    const names = docs.map((d) => d.name);
    if (new Set(names).size !== names.length) throw new BulkRequestError('A document is named twice in one request.');
    const known = levels(user, names);
    const work: Work[] = docs.map((doc) => ({ doc, answer: { name: doc.name, status: 'stored', info: '', missing: new Uint8Array() }, row: known.get(doc.name)?.row ?? null, level: known.get(doc.name)?.level ?? 'none' }));
    const refusedRows: { name: string; detail: string }[] = [];

    // Records the server has never seen, sent with content: registered to this person as a live open would
    // (one transaction for all of them).
    const unknownWrites = work.filter((w) => !w.row && w.doc.update.byteLength > 0 && parseRecordDocName(w.doc.name));
    if (unknownWrites.length > 0) {
      // Committed without an fsync of its own: the append below is committed under synchronous=FULL on the
      // same connection, and its fsync of the WAL makes these earlier frames durable with it. A crash
      // before that loses only registrations nothing was acknowledged for (the device sends them again).
      withoutSyncAtCommit(db, () => db.transaction(() => {
        for (const w of unknownWrites) {
          try {
            const { level, record } = access.authoriseOpen(user, w.doc.name);
            w.level = level;
            w.row = record;
          } catch (error) {
            if (!(error instanceof AccessDenied)) throw error;
            w.level = 'none';
          }
        }
      })());
    }

    // Decide, synchronously and before any await, which documents this request writes, and hold back their
    // live loading until the write is done.
    const toWrite: Work[] = [];
    const toRead: Work[] = [];
    for (const w of work) {
      const { doc, answer } = w;
      if (!parseRecordDocName(doc.name) || (!w.row && doc.update.byteLength === 0)) {
        answer.status = 'not-found';
        answer.info = refusal('not-a-record', 'There is no such record.');
      } else if (w.level === 'none') {
        answer.status = 'forbidden';
        answer.info = refusal('forbidden', 'You do not have access to this record.');
        refusedRows.push({ name: doc.name, detail: 'You do not have access to this record.' });
      } else if (doc.update.byteLength === 0) {
        toRead.push(w);
      } else if (w.level !== 'write') {
        answer.status = 'refused';
        answer.info =
          w.row?.status !== 'draft'
            ? refusal('not-a-draft', 'This record is no longer a draft, so it cannot be changed.')
            : refusal('read-only', 'You may read this record but not change it.');
        refusedRows.push({ name: doc.name, detail: 'read-only' });
      } else if (isLive(doc.name)) {
        answer.status = 'live';
      } else {
        toWrite.push(w);
      }
    }
    for (const w of toWrite) writes.claim(w.doc.name);

    try {
      const entries: AppendEntry[] = [];
      const states = new Map<Work, Y.Doc>();
      /** Documents built from the device's update alone (the server had nothing stored): the device lacks nothing of them. */
      const fromDeviceOnly = new Set<Work>();
      const writing = new Set(toWrite);
      const receivedAt = new Date().toISOString();
      for (const w of [...toWrite, ...toRead]) {
        const stored = await store.load(w.doc.name);
        // A guid of its own: without one Yjs makes a random uuid per document (0.4 ms each, measured).
        const doc = new Y.Doc({ guid: w.doc.name });
        if (stored) Y.applyUpdate(doc, stored);
        states.set(w, doc);
        if (!writing.has(w)) continue;
        const refuse = (problem: SyncRefusal) => {
          w.answer.status = 'refused';
          w.answer.info = JSON.stringify(problem);
          refusedRows.push({ name: w.doc.name, detail: `write-refused: ${problem.reason}` });
          states.delete(w);
          doc.destroy();
        };
        const checked = checkUpdate(w, doc, stored?.byteLength ?? 0, user);
        if ('refusal' in checked) {
          refuse(checked.refusal);
          continue;
        }
        // Only what the stored state lacks is stored (the device sends its whole state): what applying it
        // to the stored document adds, as Yjs encodes it — never the device's bytes as they came.
        let changed: Uint8Array | null = null;
        const onUpdate = (update: Uint8Array) => (changed = update);
        doc.on('update', onUpdate);
        try {
          Y.applyUpdate(doc, checked.diff);
        } catch {
          // Bytes Yjs could decode but not apply (a hostile encoding): this record is refused, the rest of the batch goes on.
          refuse({ type: 'refused', reason: 'malformed', message: 'The change could not be read.' });
          continue;
        } finally {
          doc.off('update', onUpdate);
        }
        if (changed) entries.push({ name: w.doc.name, update: changed, attribution: { userId: user.id, deviceId, receivedAt } });
        if (!stored) fromDeviceOnly.add(w);
      }
      // One durable write for the whole request, all or nothing.
      if (entries.length > 0) await store.appendMany(entries);

      let answerBytes = 0;
      for (const [w, doc] of states) {
        if (w.answer.status !== 'stored') continue;
        if (answerBytes > BULK_MAX_ANSWER_BYTES) {
          // The answer is full. Everything sent was stored (the proof says so); what the device lacks must
          // wait for its next request.
          w.answer.info = JSON.stringify(describeStoredState(doc));
          w.answer.status = 'deferred';
          continue;
        }
        w.answer.info = JSON.stringify(describeStoredState(doc));
        const missing = fromDeviceOnly.has(w) ? null : lacking(doc, w.doc);
        if (missing) {
          w.answer.missing = missing;
          answerBytes += missing.byteLength;
        }
        doc.destroy();
      }

      // As the live path logs each document a device opens: the records this request read or wrote.
      for (const [w] of states)
        if (w.answer.status === 'stored' || w.answer.status === 'deferred') audit.record({ userId: user.id, deviceId, action: 'open', record: w.doc.name, detail: 'bulk' });
      for (const entry of entries) audit.record({ userId: user.id, deviceId, action: 'change', record: entry.name, detail: 'bulk' });
      refusedRows.slice(0, AUDITED_REFUSALS_PER_REQUEST).forEach(({ name, detail }) => audit.record({ userId: user.id, deviceId, action: 'refused', record: name.slice(0, 200), detail }));
      if (refusedRows.length > AUDITED_REFUSALS_PER_REQUEST)
        audit.record({ userId: user.id, deviceId, action: 'refused', record: null, detail: `${refusedRows.length - AUDITED_REFUSALS_PER_REQUEST} more refusals in one bulk request; not logged one by one` });
      if (entries.length > 0) notifyReaders(entries.map((e) => e.name));
      return work.map((w) => w.answer);
    } finally {
      for (const w of toWrite) writes.release(w.doc.name);
    }
  }

  /**
   * What the stored state lacks of a client's update (the part the live path would receive), or why it may
   * not be stored. For a record with nothing stored the whole update is new: it is checked as it came
   * (the write policy decodes it; a diff against an empty state would only copy it).
   */
  function checkUpdate(w: Work, doc: Y.Doc, storedBytes: number, user: Person): { diff: Uint8Array } | { refusal: SyncRefusal } {
    const refused = (reason: string, message: string) => ({ refusal: { type: 'refused' as const, reason, message } });
    const parsed = parseRecordDocName(w.doc.name)!;
    if (w.row?.status !== 'draft') return refused('not-a-draft', 'This record is no longer a draft, so it cannot be changed.');
    let diff: Uint8Array;
    try {
      diff = storedBytes === 0 ? w.doc.update : Y.diffUpdate(w.doc.update, Y.encodeStateVector(doc));
    } catch {
      return refused('malformed', 'The change could not be read.');
    }
    if (storedBytes + diff.byteLength > MAX_DOCUMENT_BYTES) return refused('too-large', 'This change would make the record too large to store. Shorten what you added.');
    const problem = checkRecordWrite(doc, diff, user, parsed);
    return problem ? refused(problem.reason, problem.message) : { diff };
  }

  /**
   * Tells the devices online now (an open inbox) of everyone who may read a changed record, in one query
   * per person online rather than one readers query per record.
   */
  function notifyReaders(names: string[]) {
    for (const documentName of hocuspocus.documents.keys()) {
      if (!documentName.startsWith('inbox/')) continue;
      const userId = documentName.slice('inbox/'.length);
      const person = db.prepare('SELECT id, role FROM users WHERE id = ? AND active = 1').get(userId) as { id: string; role: Person['role'] } | undefined;
      if (!person) continue;
      const { sql, params } = access.readableWhere(person as Person);
      const readable = (
        db.prepare(`SELECT d.name FROM documents d WHERE d.name IN (SELECT value FROM json_each(@names)) AND ${sql}`).all({ ...params, names: JSON.stringify(names) }) as { name: string }[]
      ).map((r) => r.name);
      if (readable.length === 0) continue;
      const message: InboxMessage = { type: 'changed', docs: readable.slice(0, 100) };
      hocuspocus.documents.get(inboxDocName(userId))?.broadcastStateless(JSON.stringify(message));
    }
  }

  return { handle };
}

export type BulkSync = ReturnType<typeof createBulkSync>;

/** The request itself is wrong (not one of its documents): answered 400. */
export class BulkRequestError extends Error {}

/** What the device lacks of the stored document, or null when it has all of it. */
function lacking(doc: Y.Doc, sent: BulkRequestDoc): Uint8Array | null {
  let deviceSv: Map<number, number>;
  try {
    deviceSv = Y.decodeStateVector(sent.sv);
  } catch {
    deviceSv = new Map();
  }
  const serverSv = Y.encodeStateVector(doc);
  const behind = [...Y.decodeStateVector(serverSv)].some(([client, clock]) => (deviceSv.get(client) ?? 0) < clock);
  // Structs the device lacks: everything after its state vector (a bad one counts as empty).
  if (behind) return Y.encodeStateAsUpdate(doc, Y.encodeStateVector(deviceSv as unknown as Y.Doc)); // Yjs takes a Map here too
  // Only deletions can be missing; with the device's whole state at hand they are compared, else sent.
  if (sent.update.byteLength > 0 && deletionsCovered(doc, sent.update)) return null;
  const deletions = Y.encodeStateAsUpdate(doc, serverSv);
  return Y.decodeUpdate(deletions).ds.clients.size > 0 ? deletions : null;
}

/** Whether every deletion the server holds is in the update the device sent (its whole state). */
function deletionsCovered(doc: Y.Doc, deviceUpdate: Uint8Array): boolean {
  const server = deleteSetOf(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc)));
  return server.size === 0 || deletesCovered(server, deleteSetOf(deviceUpdate));
}
