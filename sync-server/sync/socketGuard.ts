/**
 * A guard between each sync websocket and Hocuspocus, bounding what one socket can make the server hold
 * or do, whoever is (or is not) behind it.
 *
 * Hocuspocus (3.4) keeps, per socket and per document, every frame that arrives before that document's
 * authentication is answered, without limit, and keeps queueing frames for a refused document for the
 * life of the socket. It also relays "broadcast" stateless messages from any client to every other
 * connection on a document. So, before Hocuspocus sees a frame, the guard:
 *
 *  - reads its envelope (document name, message type and the shape of what follows) and closes the
 *    socket on anything unreadable, instead of letting a handler throw on it;
 *  - drops message types a client has no business sending (broadcast stateless — only the server speaks to
 *    devices — and server-to-client types);
 *  - limits the documents one socket has open or waiting (answering the extra ones "too many documents"),
 *    the bytes it may queue before authentication, and how long a document may wait for it;
 *  - drops every frame for a document that was refused;
 *  - and spreads a flood out in time: past a sustained rate, the socket is paused (TCP pushes back on the
 *    sender) so one device cannot take the event loop from the others.
 *
 * It learns each document's state from the server's own answers (Authenticated, PermissionDenied, Close)
 * as they are sent.
 */
import { log as serverLog } from '../log';
import { AuthMessageType } from '@hocuspocus/common';
import { MessageType, OutgoingMessage } from '@hocuspocus/server';
import * as decoding from 'lib0/decoding';
import type { WebSocket } from 'ws';

export interface SocketLimits {
  /** Documents one socket may have open or waiting for authentication. */
  maxDocuments: number;
  /** Bytes of frames one socket may have queued for documents not yet authenticated. */
  maxPendingBytes: number;
  /** The same, across every socket of the server. */
  maxTotalPendingBytes: number;
  /** How long a document may wait to be authenticated before its socket is closed. */
  authTimeoutMs: number;
  /** Sustained bytes per second one socket may send; past it the socket is paused. */
  bytesPerSecond: number;
  /** Bytes one socket may send at once before the rate applies. */
  burstBytes: number;
  /** A document name longer than this is not a Fieldnotes document. */
  maxNameLength: number;
}

export const defaultSocketLimits: SocketLimits = {
  // A device attaches at most 50 documents at a time while sending (SYNC_BATCH_SIZE), plus its inbox
  // and the records on screen.
  maxDocuments: 120,
  maxPendingBytes: 4 * 1024 * 1024,
  maxTotalPendingBytes: 64 * 1024 * 1024,
  authTimeoutMs: 15_000,
  bytesPerSecond: 8 * 1024 * 1024,
  burstBytes: 16 * 1024 * 1024,
  maxNameLength: 200,
};

/** Close codes the guard uses (4000–4999 are for applications). */
export const GuardCloseCodes = {
  unreadable: 4400,
  tooMuchBeforeAuthentication: 4413,
  authenticationTimeout: 4408,
} as const;

/** `bytes`: what Hocuspocus holds for the document (queued before its answer; kept for good once refused). */
type DocumentState = { state: 'pending'; since: number; bytes: number } | { state: 'open' } | { state: 'refused'; bytes: number };

/** Message types a device may send. (Broadcast stateless is not one: only the server speaks to devices.) */
const clientMessageTypes = new Set<number>([MessageType.Sync, MessageType.Awareness, MessageType.Auth, MessageType.QueryAwareness, MessageType.Stateless, MessageType.CLOSE]);

class Unreadable extends Error {}

/** Reads a frame's envelope and checks the rest has the shape its type needs. */
function readEnvelope(frame: Uint8Array, maxNameLength: number): { name: string; type: number } {
  try {
    const decoder = decoding.createDecoder(frame);
    const name = decoding.readVarString(decoder);
    if (name.length === 0 || name.length > maxNameLength) throw new Unreadable('document name');
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync: {
        const step = decoding.readVarUint(decoder);
        if (step > 2) throw new Unreadable('sync step');
        decoding.readVarUint8Array(decoder);
        break;
      }
      case MessageType.Awareness:
        decoding.readVarUint8Array(decoder);
        break;
      case MessageType.Auth:
        if (decoding.readVarUint(decoder) !== AuthMessageType.Token) throw new Unreadable('auth type');
        decoding.readVarString(decoder);
        break;
      case MessageType.Stateless:
      case MessageType.BroadcastStateless:
        decoding.readVarString(decoder);
        break;
      default:
        break;
    }
    return { name, type };
  } catch (error) {
    throw error instanceof Unreadable ? error : new Unreadable(String(error));
  }
}

/** Reads what the server is telling a device about a document (for the guard's own bookkeeping). */
function readServerAnswer(frame: Uint8Array): { name: string; answer: 'authenticated' | 'refused' | 'closed' } | null {
  try {
    const decoder = decoding.createDecoder(frame);
    const name = decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type === MessageType.CLOSE) return { name, answer: 'closed' };
    if (type !== MessageType.Auth) return null;
    const auth = decoding.readVarUint(decoder);
    if (auth === AuthMessageType.Authenticated) return { name, answer: 'authenticated' };
    if (auth === AuthMessageType.PermissionDenied) return { name, answer: 'refused' };
    return null;
  } catch {
    return null;
  }
}

const asBytes = (data: unknown): Uint8Array | null => {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data) && data.every((part) => part instanceof Uint8Array)) return Buffer.concat(data);
  return null;
};

export interface SocketGuardStats {
  /** Bytes queued before authentication, across every socket. */
  pendingBytes: number;
  /** Frames dropped (refused documents, types a client may not send). */
  droppedFrames: number;
  /** Sockets closed for breaking a limit. */
  closedSockets: number;
}

/**
 * Makes a guard for a server: call it on each new websocket before handing it to Hocuspocus.
 * `log` hears of each socket closed by the guard (at most once per socket).
 */
export function createSocketGuard(limits: SocketLimits = defaultSocketLimits, log: (message: string) => void = (m) => serverLog.warn(m)) {
  const stats: SocketGuardStats = { pendingBytes: 0, droppedFrames: 0, closedSockets: 0 };

  function guard(ws: WebSocket): void {
    const documents = new Map<string, DocumentState>();
    /** Frames already let through once: Hocuspocus re-emits the ones it queued, and they are not counted twice. */
    const admitted = new WeakSet<object>();
    let socketPending = 0;
    let closed = false;
    let tokens = limits.burstBytes;
    let lastRefill = Date.now();
    let resumeTimer: ReturnType<typeof setTimeout> | null = null;
    const deadline = setInterval(checkDeadlines, Math.max(250, Math.floor(limits.authTimeoutMs / 3)));
    deadline.unref?.();

    const release = (doc: DocumentState | undefined) => {
      if (!doc || doc.state === 'open') return;
      socketPending -= doc.bytes;
      stats.pendingBytes -= doc.bytes;
    };

    const closeSocket = (code: number, reason: string) => {
      if (closed) return;
      closed = true;
      stats.closedSockets++;
      log(`Closed a sync connection: ${reason}`);
      ws.close(code, reason);
    };

    function checkDeadlines() {
      const now = Date.now();
      for (const doc of documents.values())
        if (doc.state === 'pending' && now - doc.since > limits.authTimeoutMs) return closeSocket(GuardCloseCodes.authenticationTimeout, 'authentication took too long');
    }

    const openCount = () => {
      let count = 0;
      for (const doc of documents.values()) if (doc.state !== 'refused') count++;
      return count;
    };

    /** Spreads a flood out: past the sustained rate, stop reading from this socket for a while. */
    const throttle = (bytes: number) => {
      const now = Date.now();
      tokens = Math.min(limits.burstBytes, tokens + ((now - lastRefill) / 1000) * limits.bytesPerSecond);
      lastRefill = now;
      tokens -= bytes;
      if (tokens >= 0 || resumeTimer || closed) return;
      ws.pause();
      resumeTimer = setTimeout(() => {
        resumeTimer = null;
        if (!closed) ws.resume();
      }, Math.ceil((-tokens / limits.bytesPerSecond) * 1000));
    };

    /** Whether Hocuspocus may see this frame. */
    const admit = (frame: Uint8Array): boolean => {
      if (closed) return false;
      throttle(frame.byteLength);
      let envelope: { name: string; type: number };
      try {
        envelope = readEnvelope(frame, limits.maxNameLength);
      } catch {
        closeSocket(GuardCloseCodes.unreadable, 'unreadable message');
        return false;
      }
      const { name, type } = envelope;
      if (!clientMessageTypes.has(type)) {
        stats.droppedFrames++;
        return false;
      }
      const doc = documents.get(name);
      if (doc?.state === 'refused') {
        stats.droppedFrames++;
        return false;
      }
      if (doc?.state === 'open') {
        return true;
      }
      if (!doc && type !== MessageType.Auth) {
        // Nothing for a document before its authentication: Hocuspocus would keep it until an Auth that may
        // never come (frames a device sends after the server closed the document, say). A device loses
        // nothing by it: once authenticated, the sync handshake exchanges everything either side lacks.
        stats.droppedFrames++;
        return false;
      }
      // Not yet authenticated: Hocuspocus will hold this frame until the document is answered.
      if (!doc && openCount() >= limits.maxDocuments) {
        documents.set(name, { state: 'refused', bytes: 0 });
        stats.droppedFrames++;
        if (type === MessageType.Auth) ws.send(new OutgoingMessage(name).writePermissionDenied('too-many-documents').toUint8Array());
        return false;
      }
      if (socketPending + frame.byteLength > limits.maxPendingBytes || stats.pendingBytes + frame.byteLength > limits.maxTotalPendingBytes) {
        closeSocket(GuardCloseCodes.tooMuchBeforeAuthentication, 'too much sent before authentication');
        return false;
      }
      const pending = doc ?? { state: 'pending' as const, since: Date.now(), bytes: 0 };
      pending.bytes += frame.byteLength;
      socketPending += frame.byteLength;
      stats.pendingBytes += frame.byteLength;
      documents.set(name, pending);
      return true;
    };

    const emit = ws.emit.bind(ws) as (event: string | symbol, ...args: unknown[]) => boolean;
    ws.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (event !== 'message') return emit(event, ...args);
      const data = args[0];
      if (typeof data === 'object' && data !== null && admitted.has(data)) return emit(event, ...args);
      const frame = asBytes(data);
      let ok = false;
      try {
        ok = frame !== null && admit(frame);
      } catch (error) {
        serverLog.error({ err: error }, 'The sync guard failed on a frame; closing that connection.');
        closeSocket(GuardCloseCodes.unreadable, 'unreadable message');
      }
      if (!ok) return false;
      admitted.add(data as object);
      return emit(event, ...args);
    }) as typeof ws.emit;

    const send = ws.send.bind(ws) as (data: unknown, ...rest: unknown[]) => void;
    ws.send = ((data: unknown, ...rest: unknown[]) => {
      const frame = asBytes(data);
      const answer = frame ? readServerAnswer(frame) : null;
      if (answer) {
        const doc = documents.get(answer.name);
        if (answer.answer === 'authenticated') {
          release(doc);
          documents.set(answer.name, { state: 'open' });
        } else if (answer.answer === 'refused') {
          // Hocuspocus keeps a refused document's queued frames for the life of the socket, so they stay
          // counted; nothing more is queued for it.
          documents.set(answer.name, { state: 'refused', bytes: doc && doc.state !== 'open' ? doc.bytes : 0 });
        } else if (doc?.state === 'open') {
          // The document's connection closed; the device may open it again on this socket.
          documents.delete(answer.name);
        }
      }
      return send(data, ...rest);
    }) as typeof ws.send;

    ws.once('close', () => {
      closed = true;
      clearInterval(deadline);
      if (resumeTimer) clearTimeout(resumeTimer);
      for (const doc of documents.values()) release(doc);
      documents.clear();
    });
  }

  return { guard, stats };
}

export type SocketGuard = ReturnType<typeof createSocketGuard>;
