/**
 * The sync protocol spoken by hand: a raw `ws` socket that sends whatever bytes a test asks, as a hostile
 * or broken client would — no provider, no app code. Also decodes what the server answers.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';

/** Hocuspocus' message types (the first number after the document name). */
export const Msg = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3, SyncReply: 4, Stateless: 5, BroadcastStateless: 6, Close: 7, SyncStatus: 8 } as const;
/** Sync sub-messages (y-protocols). */
export const SyncStep = { Step1: 0, Step2: 1, Update: 2 } as const;

export interface ServerFrame {
  doc: string;
  type: number;
  /** Auth: 'authenticated' | 'refused' | 'token-request'; Stateless / Close: the text. */
  auth?: 'authenticated' | 'refused' | 'token-request';
  text?: string;
  syncStep?: number;
  payload?: Uint8Array;
}

export function frame(doc: string, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, doc);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export const frames = {
  auth: (doc: string, token: string) =>
    frame(doc, (e) => {
      encoding.writeVarUint(e, Msg.Auth);
      encoding.writeVarUint(e, 0);
      encoding.writeVarString(e, token);
    }),
  step1: (doc: string, stateVector: Uint8Array = Y.encodeStateVector(new Y.Doc())) =>
    frame(doc, (e) => {
      encoding.writeVarUint(e, Msg.Sync);
      encoding.writeVarUint(e, SyncStep.Step1);
      encoding.writeVarUint8Array(e, stateVector);
    }),
  step2: (doc: string, update: Uint8Array) =>
    frame(doc, (e) => {
      encoding.writeVarUint(e, Msg.Sync);
      encoding.writeVarUint(e, SyncStep.Step2);
      encoding.writeVarUint8Array(e, update);
    }),
  update: (doc: string, update: Uint8Array) =>
    frame(doc, (e) => {
      encoding.writeVarUint(e, Msg.Sync);
      encoding.writeVarUint(e, SyncStep.Update);
      encoding.writeVarUint8Array(e, update);
    }),
  awareness: (doc: string, states: { clientId: number; clock: number; state: unknown }[]) =>
    frame(doc, (e) => {
      encoding.writeVarUint(e, Msg.Awareness);
      const inner = encoding.createEncoder();
      encoding.writeVarUint(inner, states.length);
      for (const s of states) {
        encoding.writeVarUint(inner, s.clientId);
        encoding.writeVarUint(inner, s.clock);
        encoding.writeVarString(inner, JSON.stringify(s.state));
      }
      encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
    }),
  stateless: (doc: string, payload: string) =>
    frame(doc, (e) => {
      encoding.writeVarUint(e, Msg.Stateless);
      encoding.writeVarString(e, payload);
    }),
  broadcast: (doc: string, payload: string) =>
    frame(doc, (e) => {
      encoding.writeVarUint(e, Msg.BroadcastStateless);
      encoding.writeVarString(e, payload);
    }),
  queryAwareness: (doc: string) => frame(doc, (e) => encoding.writeVarUint(e, Msg.QueryAwareness)),
  close: (doc: string) => frame(doc, (e) => encoding.writeVarUint(e, Msg.Close)),
};

export function decodeServerFrame(data: Uint8Array): ServerFrame | null {
  try {
    const decoder = decoding.createDecoder(data);
    const doc = decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type === Msg.Auth) {
      const sub = decoding.readVarUint(decoder);
      if (sub === 0) return { doc, type, auth: 'token-request' };
      return { doc, type, auth: sub === 2 ? 'authenticated' : 'refused', text: decoding.readVarString(decoder) };
    }
    if (type === Msg.Stateless || type === Msg.Close) return { doc, type, text: decoding.readVarString(decoder) };
    if (type === Msg.Sync || type === Msg.SyncReply) {
      const syncStep = decoding.readVarUint(decoder);
      return { doc, type, syncStep, payload: decoding.readVarUint8Array(decoder) };
    }
    return { doc, type };
  } catch {
    return null;
  }
}

export class RawSyncClient {
  readonly received: ServerFrame[] = [];
  private readonly waiters = new Set<() => void>();
  closedWith: { code: number; reason: string } | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const decoded = decodeServerFrame(new Uint8Array(data));
      if (decoded) this.received.push(decoded);
      this.waiters.forEach((w) => w());
    });
    ws.on('close', (code, reason) => {
      this.closedWith = { code, reason: reason.toString() };
      this.waiters.forEach((w) => w());
    });
    ws.on('error', () => undefined);
  }

  static connect(serverUrl: string, device = 'raw-client'): Promise<RawSyncClient> {
    const ws = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/sync?device=${encodeURIComponent(device)}`);
    const client = new RawSyncClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  send(bytes: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(bytes);
  }

  /**
   * Resolves with what `check` finds (called now and on every frame or close), or rejects after `ms` with
   * `what` — or at once when the socket closes and `check` found nothing.
   */
  private until<T>(check: () => T | undefined, ms: number, what: string, failOnClose: boolean): Promise<T> {
    return new Promise((resolve, reject) => {
      const run = () => {
        const found = check();
        if (found !== undefined) {
          cleanup();
          resolve(found);
        } else if (failOnClose && this.closedWith) {
          cleanup();
          reject(new Error(`The socket closed (${this.closedWith.code} ${this.closedWith.reason}) before ${what}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`No ${what} within ${ms} ms`));
      }, ms);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(run);
      };
      this.waiters.add(run);
      run();
    });
  }

  /** Resolves with the first frame received (from now or earlier) that matches, or rejects after `ms`. */
  waitFor(match: (f: ServerFrame) => boolean, ms = 5_000, what = 'a frame'): Promise<ServerFrame> {
    return this.until(() => this.received.find(match), ms, what, true);
  }

  /** Waits for the socket to close. */
  closed(ms = 5_000): Promise<{ code: number; reason: string }> {
    return this.until(() => this.closedWith ?? undefined, ms, 'close of the socket', false);
  }

  /** Sends an Auth for a document and resolves with the server's answer. */
  async open(doc: string, token: string): Promise<ServerFrame> {
    const from = this.received.length;
    this.send(frames.auth(doc, token));
    const answer = await this.waitFor((f) => this.received.indexOf(f) >= from && f.doc === doc && f.type === Msg.Auth && f.auth !== 'token-request', 5_000, `an answer to the Auth for ${doc}`);
    return answer;
  }

  /** Opens a document and runs the sync handshake, resolving with the server's state of it. */
  async sync(doc: string, token: string): Promise<{ answer: ServerFrame; state: Y.Doc }> {
    const answer = await this.open(doc, token);
    const state = new Y.Doc();
    if (answer.auth !== 'authenticated') return { answer, state };
    const from = this.received.length;
    this.send(frames.step1(doc));
    const reply = await this.waitFor((f) => this.received.indexOf(f) >= from && f.doc === doc && f.syncStep === SyncStep.Step2, 5_000, `the state of ${doc}`);
    Y.applyUpdate(state, reply.payload!);
    return { answer, state };
  }

  /** Whether a Close for this document arrived (from index `from` on). */
  hasClose(doc: string, from = 0): boolean {
    return this.received.slice(from).some((f) => f.doc === doc && f.type === Msg.Close);
  }

  terminate(): void {
    this.ws.terminate();
  }
}

/** Signs in over HTTP as a demo person: their access token and who they are. */
export async function signInRaw(serverUrl: string, username: string, password = 'fieldnotes-demo') {
  const response = await fetch(`${serverUrl}/api/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`Sign-in as ${username} failed: ${response.status}`);
  const body = (await response.json()) as { token: string; refreshToken?: string; user: { id: string; displayName: string } };
  return { ...body, setCookie: response.headers.get('set-cookie') };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
