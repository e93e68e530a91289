/**
 * The bulk path on the device: records NOT open on screen travel many to a request (an HTTP POST of
 * binary, recordModel/bulkWire.ts), instead of one Hocuspocus connection each. For one batch:
 *
 *  1. the index rows of the records to send are read (their `updatedAt`), then every record's state in one
 *     read of the document store (readDocStates) — for this batch, or for several ahead (readForExchange);
 *  2. one request carries, per record, the device's state vector and — for records with unsent changes —
 *     its whole state; records the device only wants (changed elsewhere, or new to it) carry the vector;
 *  3. the server stores what it lacks in one commit and answers, per record, with its storage proof and
 *     what the device lacks;
 *  4. what arrived is stored in one write (storeDocUpdates), and the index is written once for the whole
 *     batch (bulkGet + bulkPut): rows of records that changed, and "sent" for each record whose proof
 *     covers everything that was sent and whose row has not changed since — never without proof.
 *
 * A request that fails (the server gone half-way, a refusal of the whole request) marks nothing: the
 * server either stored all of it or none of it, and the next pass sends it again (Yjs makes that
 * harmless). The server answers `live` for a record open live there; those go on the live path.
 */
import * as Y from 'yjs';
import { formLayouts } from '../../../domain/kinds';
import { parseRecordDocName, recordDocName, type RecordKind, type RecordSummary } from '../../../domain/records';
import {
  BULK_MAX_DOCUMENT_BYTES,
  BULK_MAX_REQUEST_BYTES,
  BULK_SYNC_PATH,
  decodeBulkAnswer,
  encodeBulkRequest,
  type BulkAnswerDoc,
  type BulkRequestDoc,
} from '../../../recordModel/bulkWire';
import { readMeta, readValues } from '../../../recordModel/recordDoc';
import { isStoredStateMessage, isUpdateCoveredBy, stateOfUpdate, type UpdateState } from '../../../recordModel/storedState';
import { ApiError, postBinary } from '../api';
import { compactDocs, readDocStates, storeDocUpdates } from '../docs/docStore';
import { indexSettled } from '../docs/openRecord';
import { applyBatchOutcome, indexedVersions, summariseRecord } from '../records';
import type { SyncShared } from './types';

/** Records per bulk request (sending), and per page when fetching. */
export const BULK_BATCH_SIZE = 200;

export interface BatchItem {
  kind: RecordKind;
  id: string;
  /** Send this device's state (it has changes the server has not proved it stores). */
  send: boolean;
}

export interface BatchResult {
  /** Records proved stored as sent (and marked sent, unless they changed meanwhile). */
  stored: string[];
  /** Records whose changes the server refused, with its reason (`read-only`, `not-a-draft`, `forbidden`, ...). */
  refused: Map<string, string>;
  /** Records for the live path (open live on the server, or too large for a request). */
  live: BatchItem[];
  /** Records to ask for again (the server's answer was full). */
  deferred: BatchItem[];
  /** Records the request did not settle (no answer, the server could not store it). */
  failed: string[];
  /** Records that arrived from the server (new or changed). */
  received: number;
}

/** An empty Yjs state vector: a device with none of a record. */
const EMPTY_SV = Y.encodeStateVector(new Y.Doc());

/** What the bulk path reads of the records it exchanges: their index rows' versions and their states. */
export interface BatchRead {
  versions: Map<string, string>;
  states: Map<string, Uint8Array>;
}

/**
 * Reads records for exchangeBatch, for one batch or for several at once (a pass sending thousands reads
 * them in one read of the document table, rather than one index lookup per record per batch). Every
 * change made so far is in the index, then each row's version is noted before the state is read: a change
 * made after this is either in the state read (and so in the proof) or changes the row, and the record
 * is then not marked sent (applyBatchOutcome compares versions) but sent again by the next pass.
 */
export async function readForExchange(storeId: string, items: BatchItem[]): Promise<BatchRead> {
  await indexSettled();
  const versions = await indexedVersions(storeId, items.filter((i) => i.send).map((i) => i.id));
  const states = await readDocStates(storeId, items.map((i) => recordDocName(i.kind, i.id)));
  return { versions, states };
}

/** Sends and fetches one batch of records on the bulk path (`read`: readForExchange of them, or of more). */
export async function exchangeBatch(shared: SyncShared, items: BatchItem[], read?: BatchRead): Promise<BatchResult> {
  const result: BatchResult = { stored: [], refused: new Map(), live: [], deferred: [], failed: [], received: 0 };
  const { versions, states } = read ?? (await readForExchange(shared.options.storeId, items));

  const requests: { item: BatchItem; doc: BulkRequestDoc }[][] = [[]];
  /** What each record sent holds (its state vector and deletions), read once for the request and the proof. */
  const held = new Map<string, UpdateState>();
  let bytes = 0;
  for (const item of items) {
    const name = recordDocName(item.kind, item.id);
    const state = states.get(name);
    const send = item.send && !!state;
    if (state && state.byteLength > BULK_MAX_DOCUMENT_BYTES) {
      result.live.push(item);
      continue;
    }
    let sv = EMPTY_SV;
    if (state && send) {
      const own = stateOfUpdate(state);
      held.set(name, own);
      sv = Y.encodeStateVector(own.sv);
    } else if (state) sv = Y.encodeStateVectorFromUpdate(state);
    const doc: BulkRequestDoc = { name, sv, update: send ? state! : new Uint8Array() };
    const size = name.length + doc.sv.byteLength + doc.update.byteLength + 16;
    // Sized to fit the server's body limit, with room for the envelope.
    if (bytes + size > BULK_MAX_REQUEST_BYTES - 64 * 1024 && requests.at(-1)!.length > 0) {
      requests.push([]);
      bytes = 0;
    }
    requests.at(-1)!.push({ item, doc });
    bytes += size;
  }

  for (const request of requests) {
    if (request.length === 0) continue;
    if (shared.destroyed) {
      result.failed.push(...request.map((r) => r.item.id));
      continue;
    }
    let answer: BulkAnswerDoc[];
    try {
      const body = await postBinary(BULK_SYNC_PATH, encodeBulkRequest(request.map((r) => r.doc)), {
        token: await shared.options.getToken(),
        baseUrl: shared.options.serverUrl,
        deviceId: shared.deviceId,
      });
      answer = decodeBulkAnswer(body);
    } catch (error) {
      // Nothing of this request counts as stored. A refused sign-in is renewed (or the person asked to sign in).
      if (error instanceof ApiError && error.status === 401) shared.onAuthFailure(`unauthenticated: ${error.message}`);
      result.failed.push(...request.map((r) => r.item.id));
      continue;
    }
    await settle(shared, request, answer, states, held, versions, result);
  }
  return result;
}

/** Stores what arrived and writes the index for one answered request. */
async function settle(
  shared: SyncShared,
  request: { item: BatchItem; doc: BulkRequestDoc }[],
  answer: BulkAnswerDoc[],
  states: Map<string, Uint8Array>,
  held: Map<string, UpdateState>,
  versions: Map<string, string>,
  result: BatchResult,
) {
  const { storeId } = shared.options;
  const byName = new Map(answer.map((a) => [a.name, a]));
  const arrived: { docName: string; update: Uint8Array }[] = [];
  const receivedRows: RecordSummary[] = [];
  const proved = new Map<string, string>();
  const provedWithArrivals = new Map<string, { name: string; proof: Parameters<typeof isUpdateCoveredBy>[1] }>();
  const access = new Map<string, 'read' | 'none'>();
  const now = new Date().toISOString();

  for (const { item, doc } of request) {
    const a = byName.get(doc.name);
    if (!a) {
      result.failed.push(item.id);
      continue;
    }
    if (a.status === 'live') result.live.push(item);
    else if (a.status === 'not-found') {
      if (item.send) result.failed.push(item.id);
    } else if (a.status === 'forbidden') {
      access.set(item.id, 'none');
      result.refused.set(item.id, 'forbidden');
    } else if (a.status === 'refused') {
      const reason = (safeJson(a.info) as { reason?: string } | null)?.reason ?? 'refused';
      // Read-only now (or no longer a draft): the index says so, and the record is not offered again.
      if (reason === 'read-only' || reason === 'not-a-draft') access.set(item.id, 'read');
      result.refused.set(item.id, reason);
    }
    if (a.status !== 'stored' && a.status !== 'deferred') continue;
    if (a.status === 'deferred') result.deferred.push({ ...item, send: false });
    // The proof: everything sent lies inside what the server has stored.
    const proof = safeJson(a.info);
    const covered = item.send && doc.update.byteLength > 0 && isStoredStateMessage(proof) && isUpdateCoveredBy(doc.update, proof, held.get(doc.name)) && versions.has(item.id);
    if (item.send && doc.update.byteLength > 0 && !covered) result.failed.push(item.id);
    if (covered && a.missing.byteLength === 0) proved.set(item.id, versions.get(item.id)!);
    if (a.missing.byteLength > 0) {
      arrived.push({ docName: doc.name, update: a.missing });
      const row = summaryOf(doc.name, states.get(doc.name), a.missing, now);
      if (row) receivedRows.push(row);
      // Sent and received at once: checked again below, against the state with what arrived.
      if (covered && isStoredStateMessage(proof)) provedWithArrivals.set(item.id, { name: doc.name, proof });
    }
  }
  if (arrived.length > 0) await storeDocUpdates(storeId, arrived);
  if (provedWithArrivals.size > 0) {
    // What arrived changed these records (and their rows): the proof must cover the state as it is now,
    // read after the rows of those changes were written.
    await indexSettled();
    const ids = [...provedWithArrivals.keys()];
    const now = await indexedVersions(storeId, ids);
    const current = await readDocStates(storeId, [...provedWithArrivals.values()].map((p) => p.name));
    for (const [id, { name, proof }] of provedWithArrivals) {
      const state = current.get(name);
      if (state && now.has(id) && isUpdateCoveredBy(state, proof)) proved.set(id, now.get(id)!);
    }
  }
  result.received += receivedRows.length;
  const marked = await applyBatchOutcome(storeId, { proved, received: receivedRows, access });
  // Proved and marked sent: stored. Anything else sent stays unsent, and the pass tries it again.
  for (const { item, doc } of request) {
    if (!item.send || doc.update.byteLength === 0 || result.failed.includes(item.id)) continue;
    const status = byName.get(doc.name)?.status;
    if (status !== 'stored' && status !== 'deferred') continue;
    if (marked.has(item.id)) result.stored.push(item.id);
    else result.failed.push(item.id);
  }
  shared.forgetFailures([...marked]);
}

/**
 * Sent and proved: each record's rows on the device are folded into one (docStore.ts keeps every item,
 * client id and deletion), as closing a sent record on screen does, so storage stays near the records'
 * size. Housekeeping, not part of sending: the pass runs it once its records are sent and its commands
 * gone (a Y.Doc per record, ~0.4 ms each, would otherwise stand between one batch and the next), a batch
 * of records per transaction so a change typed meanwhile is not held up behind all of them. Folding again
 * what is already one row does nothing; a fold that fails leaves the rows as they are (they load the same).
 */
export async function foldSentRecords(storeId: string, docNames: string[], perTransaction = BULK_BATCH_SIZE): Promise<void> {
  for (let i = 0; i < docNames.length; i += perTransaction) {
    try {
      await compactDocs(storeId, docNames.slice(i, i + perTransaction));
    } catch {
      return; // the store is failing (reported where writes fail); folding can wait for the next pass
    }
  }
}

/** The index row of a record from its state on the device and what just arrived, or null if it is not a record yet. */
function summaryOf(name: string, local: Uint8Array | undefined, missing: Uint8Array, now: string): RecordSummary | null {
  const parsed = parseRecordDocName(name);
  if (!parsed) return null;
  const doc = new Y.Doc({ guid: name }); // a guid of its own: Yjs would otherwise make a random one each time
  try {
    if (local) Y.applyUpdate(doc, local);
    Y.applyUpdate(doc, missing);
    const meta = readMeta(doc);
    return meta ? summariseRecord(meta, readValues(doc, formLayouts[parsed.kind]), now, 0) : null;
  } catch {
    return null;
  } finally {
    doc.destroy();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
