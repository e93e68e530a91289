/**
 * A device for Node tests and benchmarks: the app's real data layer (Dexie + y-indexeddb on
 * fake-indexeddb) and its real sync manager, signed in as one person. Several devices can run in one
 * process; each keeps its own stores (storeId = device name + person).
 */
import 'fake-indexeddb/auto';
import WebSocket from 'ws';
import type { Person } from '../../domain/directory';
import type { ObservationValues } from '../../domain/observation';
import { moderationIdFor } from '../../domain/moderation';
import type { RecordKind } from '../../domain/records';
import type { ReviewValues } from '../../domain/review';
import { signInResponseSchema, type SignInResponse } from '../../domain/auth';
import type { CommandOutcome } from '../../domain/commands';
import type { NewCommand } from '../../src/data/outbox';
import { refreshOnServer } from '../../src/data/api';
import { CookieJar } from './cookieJar';
import { dbFor } from '../../src/data/db';
import { SignInNeeded } from '../../src/data/session';
import { createRecord, indexSettled, openRecord, readStoredRecord } from '../../src/data/docs/openRecord';
import { SyncManager, type SyncManagerOptions } from '../../src/data/sync/syncManager';

export const DEMO_PASSWORD = 'fieldnotes-demo';

/**
 * Node's `ws` for the providers. Closing a socket that is still connecting makes `ws` emit 'error', and
 * the provider removes its own listeners before closing — so with no listener of ours that error would
 * be thrown. (Browsers' WebSocket does not throw there.)
 */
export class NodeWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    this.on('error', () => undefined);
  }
}

/** Signs in as a demo person; `cookies` keeps the refresh cookie (as a browser would), in a jar of its own by default. */
export async function signInAs(serverUrl: string, username: string, cookies = new CookieJar()): Promise<SignInResponse & { cookies: CookieJar }> {
  const response = await cookies.fetch(`${serverUrl}/api/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (!response.ok) throw new Error(`Sign-in as ${username} failed: ${response.status}`);
  return { ...signInResponseSchema.parse(await response.json()), cookies };
}

let deviceCount = 0;

export class TestDevice {
  manager: SyncManager | null = null;
  /** How many times the device renewed its sign-in with its refresh token. */
  renewals = 0;
  readonly storeId: string;

  private constructor(
    public serverUrl: string,
    readonly user: Person,
    public token: string,
    /** The device's cookies: its refresh cookie, which it renews with as the app's browser does. */
    readonly cookies: CookieJar,
    readonly name: string,
    private readonly syncOptions: Partial<SyncManagerOptions>,
  ) {
    this.storeId = `${name}-${++deviceCount}-${user.id}`;
  }

  static async signIn(serverUrl: string, username: string, name = 'device', syncOptions: Partial<SyncManagerOptions> = {}): Promise<TestDevice> {
    const { token, cookies, user } = await signInAs(serverUrl, username);
    return new TestDevice(serverUrl, user, token, cookies, name, syncOptions);
  }

  /** Starts syncing (the app opening with a connection). */
  async goOnline(): Promise<void> {
    if (this.manager) return;
    this.manager = new SyncManager({
      storeId: this.storeId,
      userId: this.user.id,
      getToken: () => this.token,
      // As the app does: renew through the refresh cookie (rotated on each use) when the server refuses.
      renewSignIn: async () => {
        try {
          const renewed = await refreshOnServer(this.serverUrl, this.cookies.fetch);
          this.token = renewed.token;
          this.renewals++;
          return true;
        } catch (error) {
          return !(error instanceof SignInNeeded);
        }
      },
      serverUrl: this.serverUrl,
      WebSocketPolyfill: NodeWebSocket,
      reconnect: { delay: 200, maxDelay: 2000 },
      recordTimeoutMs: 15_000,
      ...this.syncOptions,
    });
    await this.manager.start();
  }

  /** Stops syncing (no signal, or the app closed); local work stays on the device. */
  goOffline(): void {
    this.manager?.destroy();
    this.manager = null;
  }

  /** Sends a command straight to the server (the app queues them in its outbox), with a fresh id. */
  async command(command: NewCommand): Promise<CommandOutcome> {
    return sendCommandAs(this.serverUrl, this.token, command);
  }

  /** Adds someone to one of this person's records as a co-writer (or reader), as the author's device would. */
  async share(id: string, withUser: Person, role: 'contributor' | 'reader' = 'contributor', kind: RecordKind = 'observation'): Promise<void> {
    const outcome = await this.command({ type: 'add-participant', record: `${kind}/${id}`, userId: withUser.id, role });
    if (outcome.status !== 'applied') throw new Error(`Sharing failed: ${JSON.stringify(outcome)}`);
  }

  async createObservation(values: Partial<ObservationValues> = {}): Promise<string> {
    return createRecord(this.storeId, this.user, 'observation', values);
  }

  async createReview(values: Partial<ReviewValues> = {}): Promise<string> {
    return createRecord(this.storeId, this.user, 'review', values);
  }

  /** Family feedback (form 3), with whatever fields are given (e.g. its child ID). */
  async createFeedback(values: Record<string, string> = {}): Promise<string> {
    return createRecord(this.storeId, this.user, 'feedback', values);
  }

  /** A moderator starts the moderation of a review; returns the moderation's id. */
  async createModeration(reviewId: string, values: Record<string, string>): Promise<string> {
    return createRecord(this.storeId, this.user, 'moderation', values, moderationIdFor(reviewId));
  }

  async edit(id: string, values: Partial<ObservationValues> | Partial<ReviewValues> | Record<string, string>, kind: RecordKind = 'observation'): Promise<void> {
    const handle = await openRecord(this.storeId, kind, id, this.user);
    if (!handle) throw new Error(`Record ${id} is not on ${this.name}.`);
    handle.setFields(values as Record<string, string>);
    handle.release();
  }

  /** Fields two people set differently at once, as this device sees them. */
  async contested(id: string, kind: RecordKind = 'observation') {
    const handle = await openRecord(this.storeId, kind, id, this.user);
    if (!handle) throw new Error(`Record ${id} is not on ${this.name}.`);
    const contested = handle.contested();
    handle.release();
    return contested;
  }

  async read(id: string, kind: RecordKind = 'observation') {
    return readStoredRecord(this.storeId, kind, id);
  }

  async unsentCount(): Promise<number> {
    await indexSettled();
    // Counted through the index without reading the rows: the benchmarks poll this while the device works.
    return dbFor(this.storeId).records.where('unsynced').equals(1).count();
  }

  async indexedIds(): Promise<string[]> {
    return (await dbFor(this.storeId).records.toArray()).map((r) => r.id);
  }

  /** Waits until the device has proof that every record is stored on the server. */
  async waitUntilAllSent(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.unsentCount()) > 0) {
      if (Date.now() > deadline) throw new Error(`${this.name}: ${await this.unsentCount()} records still unsent after ${timeoutMs} ms`);
      // Every 20 ms, as the benchmark's baseline polls the server's database: the same granularity on both sides.
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function sendCommandAs(serverUrl: string, token: string, command: NewCommand): Promise<CommandOutcome> {
  const response = await fetch(`${serverUrl}/api/commands`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ ...command, id: crypto.randomUUID() }),
  });
  if (!response.ok) throw new Error(`Command refused: ${response.status} ${await response.text()}`);
  return (await response.json()) as CommandOutcome;
}

/**
 * A plain Yjs client on its own websocket, as any program holding a valid token could open one: whether
 * the document opened (and with which scope, 'read-write' or 'readonly'), or why it was refused.
 */
export async function openAs(serverUrl: string, token: string, name: string, WebSocketPolyfill: typeof NodeWebSocket = NodeWebSocket) {
  const { HocuspocusProvider, HocuspocusProviderWebsocket } = await import('@hocuspocus/provider');
  const Y = await import('yjs');
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({ url: `${serverUrl.replace('http', 'ws')}/sync`, WebSocketPolyfill });
  const result = await new Promise<{ opened: boolean; reason?: string; scope?: string }>((resolve) => {
    const provider = new HocuspocusProvider({
      websocketProvider: socket,
      name,
      token,
      document: doc,
      onSynced: () => resolve({ opened: true, scope: provider.authorizedScope ?? '' }),
      onAuthenticationFailed: ({ reason }) => resolve({ opened: false, reason }),
    });
    provider.attach();
    setTimeout(() => resolve({ opened: false, reason: 'timeout' }), 10_000);
  });
  return { ...result, doc, close: () => socket.destroy() };
}
