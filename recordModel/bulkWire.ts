/**
 * The bulk path's wire format, shared by the device and the server: many records' documents in one HTTP
 * request and one answer, as binary (lib0 encoding), so Yjs updates travel as bytes, not base64.
 *
 * Request (device → server), per document: its name, the device's state vector, and — for a record with
 * changes the server has not proved it stores — the device's whole state as one update (empty when the
 * device only asks for what it lacks).
 * Answer (server → device), per document: what happened (`stored`, `refused`, `live`, `deferred`,
 * `not-found`, `forbidden`), the storage proof (describeStoredState) or the refusal as JSON, and the update
 * the device lacks (empty when it lacks nothing).
 *
 * Both sides decode inside try/catch and check the result with zod: neither trusts the other's bytes.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { z } from 'zod';

export const BULK_SYNC_PATH = '/api/sync/bulk';
export const BULK_WIRE_VERSION = 1;
/** Documents in one request at most. */
export const BULK_MAX_DOCUMENTS = 500;
/** Bytes of one request at most (the server's body limit for the route). */
export const BULK_MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** The server stops adding what devices lack to one answer past this; the rest are `deferred` (asked again). */
export const BULK_MAX_ANSWER_BYTES = 4 * 1024 * 1024;
/** A document larger than this travels on the live path instead (its own websocket messages). */
export const BULK_MAX_DOCUMENT_BYTES = 1024 * 1024;

export interface BulkRequestDoc {
  name: string;
  /** The device's state vector (Y.encodeStateVector / encodeStateVectorFromUpdate). */
  sv: Uint8Array;
  /** The device's whole state when it has changes to send; empty otherwise. */
  update: Uint8Array;
}

export const bulkStatuses = ['stored', 'refused', 'live', 'deferred', 'not-found', 'forbidden'] as const;
export type BulkStatus = (typeof bulkStatuses)[number];

export interface BulkAnswerDoc {
  name: string;
  /**
   * stored: the server holds everything it was sent of this document (and `info` is its storage proof);
   * refused: the change was refused (`info` is a SyncRefusal: read-only, not a draft, server-owned, too large);
   * live: the document is open live on the server; send it on the live path;
   * deferred: the answer was full; ask again;
   * not-found / forbidden: nothing to fetch / not this person's to read (`info` says why).
   */
  status: BulkStatus;
  /** JSON: a StoredStateMessage for `stored`, a SyncRefusal for `refused` and `forbidden`, '' otherwise. */
  info: string;
  /** What the device lacks of the document (a Yjs update), empty when nothing. */
  missing: Uint8Array;
}

const bytes = z.instanceof(Uint8Array);
const requestDocSchema = z.object({ name: z.string().min(1).max(200), sv: bytes.refine((b) => b.byteLength <= 64 * 1024), update: bytes });
export const bulkRequestSchema = z.object({ docs: z.array(requestDocSchema).min(1).max(BULK_MAX_DOCUMENTS) });
const answerDocSchema = z.object({ name: z.string().min(1).max(200), status: z.enum(bulkStatuses), info: z.string(), missing: bytes });
export const bulkAnswerSchema = z.object({ docs: z.array(answerDocSchema) });

export function encodeBulkRequest(docs: BulkRequestDoc[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, BULK_WIRE_VERSION);
  encoding.writeVarUint(encoder, docs.length);
  for (const doc of docs) {
    encoding.writeVarString(encoder, doc.name);
    encoding.writeVarUint8Array(encoder, doc.sv);
    encoding.writeVarUint8Array(encoder, doc.update);
  }
  return encoding.toUint8Array(encoder);
}

/** Reads a request; null when the bytes are not one (wrong version, truncated, trailing bytes, bad shape). */
export function decodeBulkRequest(body: Uint8Array): { docs: BulkRequestDoc[] } | null {
  try {
    const decoder = decoding.createDecoder(body);
    if (decoding.readVarUint(decoder) !== BULK_WIRE_VERSION) return null;
    const count = decoding.readVarUint(decoder);
    if (count > BULK_MAX_DOCUMENTS) return null;
    const docs: BulkRequestDoc[] = [];
    for (let i = 0; i < count; i++) {
      const name = decoding.readVarString(decoder);
      const sv = decoding.readVarUint8Array(decoder);
      const update = decoding.readVarUint8Array(decoder);
      docs.push({ name, sv, update });
    }
    if (decoding.hasContent(decoder)) return null;
    const parsed = bulkRequestSchema.safeParse({ docs });
    return parsed.success ? (parsed.data as { docs: BulkRequestDoc[] }) : null;
  } catch {
    return null;
  }
}

export function encodeBulkAnswer(docs: BulkAnswerDoc[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, BULK_WIRE_VERSION);
  encoding.writeVarUint(encoder, docs.length);
  for (const doc of docs) {
    encoding.writeVarString(encoder, doc.name);
    encoding.writeVarString(encoder, doc.status);
    encoding.writeVarString(encoder, doc.info);
    encoding.writeVarUint8Array(encoder, doc.missing);
  }
  return encoding.toUint8Array(encoder);
}

/** Reads the server's answer; throws when it is not one. */
export function decodeBulkAnswer(body: Uint8Array): BulkAnswerDoc[] {
  const decoder = decoding.createDecoder(body);
  if (decoding.readVarUint(decoder) !== BULK_WIRE_VERSION) throw new Error('Unknown bulk answer version.');
  const count = decoding.readVarUint(decoder);
  const docs: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const name = decoding.readVarString(decoder);
    const status = decoding.readVarString(decoder);
    const info = decoding.readVarString(decoder);
    const missing = decoding.readVarUint8Array(decoder);
    docs.push({ name, status, info, missing });
  }
  return bulkAnswerSchema.parse({ docs }).docs as BulkAnswerDoc[];
}
