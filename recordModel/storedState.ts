/**
 * The proof behind "sent": the server reports the state it has durably stored for a document (its state
 * vector and its delete set), and the device checks that everything it has is inside that. State vectors
 * alone are not enough — a deletion does not move a state vector — so deletions are compared too.
 * Pure Yjs, used by the server to describe what it stored and by the device to check it.
 */
import * as Y from 'yjs';
import { fromBase64, toBase64 } from '../domain/base64';

export interface StoredStateMessage {
  type: 'stored';
  /** Base64 of the stored state vector. */
  sv: string;
  /** Base64 of an update holding only the stored delete set. */
  ds: string;
}

/** Describes a document's state (on the server: the state it has stored). */
export function describeStoredState(doc: Y.Doc): StoredStateMessage {
  const sv = Y.encodeStateVector(doc);
  return { type: 'stored', sv: toBase64(sv), ds: toBase64(Y.encodeStateAsUpdate(doc, sv)) };
}

export function isStoredStateMessage(value: unknown): value is StoredStateMessage {
  const v = value as StoredStateMessage | null;
  return !!v && v.type === 'stored' && typeof v.sv === 'string' && typeof v.ds === 'string';
}

type DeleteRanges = Map<number, { clock: number; len: number }[]>;

export function deleteSetOf(update: Uint8Array): DeleteRanges {
  return Y.decodeUpdate(update).ds.clients as DeleteRanges;
}

/** Whether every deleted range of `inner` lies inside the deleted ranges of `outer`. */
export function deletesCovered(inner: DeleteRanges, outer: DeleteRanges): boolean {
  for (const [client, ranges] of inner) {
    const cover = [...(outer.get(client) ?? [])].sort((a, b) => a.clock - b.clock);
    for (const range of ranges) {
      let from = range.clock;
      const to = range.clock + range.len;
      for (const c of cover) {
        if (c.clock > from) break;
        if (c.clock + c.len > from) from = c.clock + c.len;
        if (from >= to) break;
      }
      if (from < to) return false;
    }
  }
  return true;
}

/** Whether the server's stored state holds everything this document has: then it counts as sent. */
export function isCoveredBy(doc: Y.Doc, stored: StoredStateMessage): boolean {
  const storedClocks = Y.decodeStateVector(fromBase64(stored.sv));
  const localSv = Y.encodeStateVector(doc);
  for (const [client, clock] of Y.decodeStateVector(localSv)) if ((storedClocks.get(client) ?? 0) < clock) return false;
  return deletesCovered(deleteSetOf(Y.encodeStateAsUpdate(doc, localSv)), deleteSetOf(fromBase64(stored.ds)));
}

/** What a state held as update bytes contains: its state vector and its delete set. */
export interface UpdateState {
  /** Per client, the clock up to which the update holds every struct (as Y.encodeStateVectorFromUpdate counts). */
  sv: Map<number, number>;
  ds: DeleteRanges;
}

/**
 * Reads an update's state vector and delete set in ONE decoding (the bulk path needs both of every record
 * it sends: the vector for the request, both for checking the proof). Counted as
 * Y.encodeStateVectorFromUpdate counts: a client's structs from clock 0 on, up to the first gap (a Skip
 * or a struct not starting where the one before ended) — what a document made from the update would hold.
 */
export function stateOfUpdate(update: Uint8Array): UpdateState {
  const { structs, ds } = Y.decodeUpdate(update);
  const sv = new Map<number, number>();
  const gap = new Set<number>();
  for (const struct of structs) {
    const client = struct.id.client;
    if (gap.has(client)) continue;
    const held = sv.get(client) ?? 0;
    if (struct instanceof Y.Skip || struct.id.clock !== held) gap.add(client);
    else sv.set(client, held + struct.length);
  }
  return { sv, ds: ds.clients as DeleteRanges };
}

/**
 * The same question for a state held as update bytes (the device's merged state of a record not open on
 * screen): no document is built. `state` is the update's own (stateOfUpdate), when the caller has it already.
 */
export function isUpdateCoveredBy(update: Uint8Array, stored: StoredStateMessage, state: UpdateState = stateOfUpdate(update)): boolean {
  const storedClocks = Y.decodeStateVector(fromBase64(stored.sv));
  for (const [client, clock] of state.sv) if ((storedClocks.get(client) ?? 0) < clock) return false;
  return deletesCovered(state.ds, deleteSetOf(fromBase64(stored.ds)));
}
