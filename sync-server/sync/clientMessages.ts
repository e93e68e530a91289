/**
 * Reads what a client sent on an open document, for the checks made before Hocuspocus applies it. The
 * frame has already passed the socket guard's envelope check; anything still unreadable is refused.
 */
import { MessageType } from '@hocuspocus/server';
import * as decoding from 'lib0/decoding';
import { messageYjsSyncStep1, messageYjsSyncStep2, messageYjsUpdate } from 'y-protocols/sync';

export type ClientMessage =
  /** Content: a sync step 2 or an update, as Yjs update bytes. */
  | { kind: 'update'; update: Uint8Array }
  /** Presence: an awareness update. */
  | { kind: 'awareness'; update: Uint8Array }
  /** Anything that changes nothing (sync step 1, queries, stateless requests, close). */
  | { kind: 'other' };

export function readClientMessage(frame: Uint8Array): ClientMessage | null {
  try {
    const decoder = decoding.createDecoder(frame);
    decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type === MessageType.Sync || type === MessageType.SyncReply) {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === messageYjsSyncStep2 || step === messageYjsUpdate) return { kind: 'update', update: payload };
      return step === messageYjsSyncStep1 ? { kind: 'other' } : null;
    }
    if (type === MessageType.Awareness) return { kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
    return { kind: 'other' };
  } catch {
    return null;
  }
}
