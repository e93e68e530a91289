/**
 * The device's sync manager. One websocket to the server carries every document of this person
 * (Hocuspocus multiplexes them); the manager:
 *
 *  - connects whenever it can (at start, on `online`, on becoming visible, on "Sync now") and backs off
 *    with jitter while the server is down (HocuspocusProviderWebsocket's retry);
 *  - on each connection runs a pass: asks the server which records changed elsewhere, and sends every
 *    record with changes the server has not confirmed — attaching at most SYNC_BATCH_SIZE documents at
 *    a time, so a device with thousands of records never floods the server;
 *  - marks a record as sent only when the server proves it has stored everything this device has
 *    (storedState.ts) — never on Hocuspocus' own acknowledgement, which comes before storage;
 *  - keeps records that are open on screen attached, so edits flow both ways live;
 *  - listens on the person's inbox for records changed on other devices;
 *  - stops, keeping every local change, when the server no longer accepts the sign-in.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket, WebSocketStatus } from '@hocuspocus/provider';
import type * as Y from 'yjs';
import { parseRecordDocName, recordDocName, type RecordKind } from '../../../domain/records';
import { DEVICE_PARAM, inboxDocName, SYNC_BATCH_SIZE, SYNC_PATH, type InboxMessage, type SyncRefusal } from '../../../domain/sync';
import { fetchRecordChanges, fetchRecordListing, sendCommand } from '../api';
import { acquireDoc, indexSettled, onLocalChange, removeLocalRecord } from '../docs/openRecord';
import { onCommandQueued, pendingCommands, settleCommand } from '../outbox';
import { refreshActions } from '../actions';
import { refreshProgramme } from '../programme';
import { applyRecordListing, cannotBeSent, getMeta, indexedRecordIds, markAccess, markSent, setMeta, unsentRecords, writableRecords } from '../records';
import { trackSync } from './activity';
import { isCoveredBy, isStoredStateMessage, type StoredStateMessage } from '../../../recordModel/storedState';

export type ConnectionState = 'connecting' | 'online' | 'offline' | 'signed-out';

export interface SyncStatus {
  connection: ConnectionState;
  /** While a pass sends records: how many of how many are confirmed stored. */
  sending: { done: number; total: number } | null;
  /** When the last complete pass finished (ISO time). */
  lastSyncAt: string | null;
  /** Something the person should know that the index cannot tell: the sign-in is no longer accepted. */
  problem: string | null;
  /**
   * Records a pass tried and failed to get stored (no proof of storage in time, or the server closed
   * them). An id leaves the list the moment the record is proved stored. The status bar shows only those
   * still unsent in the index, so it never reports a failure that has since been put right.
   */
  failed: readonly string[];
}

/**
 * Who has a record open right now, and where they are in it (Yjs awareness, only for records on screen).
 * The server accepts a state only when `userId` and `name` are the signed-in person's, so those two stay
 * at the top level; the caret and colour ride in fields of their own (a state stays far under 4 KiB).
 */
export interface PresenceState {
  userId: string;
  name: string;
  /** The field they are in, or '' when none has the focus. */
  field: string;
  /** The colour their caret and selection are drawn in on other screens (#rrggbb). */
  colour?: string;
  /** Their caret and selection in a narrative field, as Yjs relative positions (JSON), or null. */
  cursor?: PresenceCursor | null;
}

export interface PresenceCursor {
  field: string;
  anchor: unknown;
  head: unknown;
}

const isSyncRefusal = (value: unknown): value is SyncRefusal =>
  typeof value === 'object' && value !== null && (value as SyncRefusal).type === 'refused' && typeof (value as SyncRefusal).message === 'string';

const isPresenceState = (value: unknown): value is PresenceState =>
  typeof value === 'object' && value !== null && typeof (value as PresenceState).userId === 'string' && typeof (value as PresenceState).name === 'string';

export interface SyncManagerOptions {
  /** Whose device stores to use (the signed-in person's id in the app). */
  storeId: string;
  userId: string;
  /** A valid access token (the app renews it with the refresh token when it is about to run out). */
  getToken(): string | Promise<string>;
  /**
   * Called when the server refuses the sign-in: try to renew it (refresh token). Resolves true when a new
   * token is ready, false when the person must sign in again. Without it, a refusal stops sync at once.
   */
  renewSignIn?(): Promise<boolean>;
  /** The server's origin, e.g. http://127.0.0.1:8080; '' for the page's own origin. */
  serverUrl: string;
  /** Whether to keep the QA programme (assignments, schedule, coverage) on the device; not for administrators. */
  fetchProgramme?: boolean;
  /** For Node, where there is no global WebSocket (tests, benchmarks). */
  WebSocketPolyfill?: unknown;
  batchSize?: number;
  /** How long to wait for one record to be confirmed stored before leaving it for the next pass. */
  recordTimeoutMs?: number;
  /** Backoff between reconnection attempts (with jitter). */
  reconnect?: { delay: number; maxDelay: number };
}

interface Attachment {
  name: string;
  /** The server closed this document's connection (for instance after a failed store); it must be re-attached. */
  closed: boolean;
  id: string;
  provider: HocuspocusProvider;
  doc: Y.Doc;
  releaseDoc(): void;
  /** Screens showing the record; while above 0 the record stays attached. */
  liveRefs: number;
  /** Passes currently waiting on this record. */
  passRefs: number;
  synced: boolean;
  stored: StoredStateMessage | null;
  failure: string | null;
  changed(): void;
  waiters: Set<() => void>;
}

/** While waiting for proof of storage, ask again this often (a reply can race the updates it is about). */
const RECHECK_MS = 500;
/**
 * After a document is detached, wait this long before attaching it again. Hocuspocus (3.4) handles a
 * provider's Close message asynchronously; an Auth message for the same document that arrives before
 * that finishes is passed to the closing connection and never answered, leaving the record silently
 * unsynced. Seen when a record fetched by a pass was opened on screen straight away.
 */
const REATTACH_GAP_MS = 300;
/** The presence clock each document's last provider reached (see connectProvider). */
const presenceClocks = new WeakMap<Y.Doc, number>();
const SAFETY_PASS_MS = 60_000;
/**
 * After a pass leaves records unsent, the next try waits this long, doubling up to FAILED_RETRY_MAX_MS
 * while they keep failing. A fixed short retry re-opened the same record every 5 seconds for minutes
 * (30 "Opened" rows in the audit log for one record).
 */
const FAILED_RETRY_MS = 5_000;
const FAILED_RETRY_MAX_MS = 120_000;
/**
 * The websocket's backoff while the server cannot be reached: the first retry after 1 s, then doubling
 * up to RECONNECT_MAX_DELAY_MS, each wait drawn at random between a quarter of the first delay and the
 * doubled delay ("full jitter"), so a crowd of tablets that lost the server together comes back spread
 * out. Capped at 10 s so that a device left alone notices a restarted server within 10 s; a device that
 * sees the server sooner (a successful request, `online`, becoming visible, Sync now) connects at once.
 */
export const RECONNECT_DELAY_MS = 1_000;
export const RECONNECT_MAX_DELAY_MS = 10_000;

function wsUrlFor(serverUrl: string, deviceId: string): string {
  const base = serverUrl ? serverUrl.replace(/^http/, 'ws') : `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
  return `${base}${SYNC_PATH}?${DEVICE_PARAM}=${encodeURIComponent(deviceId)}`;
}

/** This device's id for this person's stores: made once, then kept. */
async function deviceIdFor(storeId: string): Promise<string> {
  const existing = await getMeta(storeId, 'deviceId');
  if (existing) return existing;
  const id = crypto.randomUUID();
  await setMeta(storeId, 'deviceId', id);
  return id;
}

export class SyncManager {
  private socket!: HocuspocusProviderWebsocket;
  private deviceId = '';
  private readonly attachments = new Map<string, Attachment>();
  /** When each document was last detached (see REATTACH_GAP_MS). */
  private readonly detachedAt = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private readonly notificationListeners = new Set<() => void>();
  /** This device's presence on each record on screen, and who wants to hear of others'. */
  private readonly localPresence = new Map<string, PresenceState>();
  private readonly presenceListeners = new Map<string, Set<(others: PresenceState[]) => void>>();
  private status: SyncStatus = { connection: 'connecting', sending: null, lastSyncAt: null, problem: null, failed: [] };
  /** Documents the server refused on the current websocket (3.4 never answers a second open there). */
  private readonly refusedOnSocket = new Set<string>();
  /** How long to wait before trying records that failed again (see FAILED_RETRY_MS). */
  private failedRetryMs = FAILED_RETRY_MS;
  private inbox: HocuspocusProvider | null = null;
  private passRunning: Promise<void> | null = null;
  private passAgain = false;
  private passTimer: ReturnType<typeof setTimeout> | null = null;
  private destroyed = false;
  private safetyPass: ReturnType<typeof setInterval> | null = null;
  /** Stops listening for local changes and queued commands. */
  private readonly stopWatching: (() => void)[] = [];

  constructor(private readonly options: SyncManagerOptions) {}

  private createSocket() {
    const { options } = this;
    this.socket = new HocuspocusProviderWebsocket({
      url: wsUrlFor(options.serverUrl, this.deviceId),
      autoConnect: false,
      // With jitter each wait is random up to the (doubling) delay, and at least a quarter of the first
      // delay, so devices that lost the server together do not all come back at the same instant.
      delay: options.reconnect?.delay ?? RECONNECT_DELAY_MS,
      minDelay: (options.reconnect?.delay ?? RECONNECT_DELAY_MS) / 4,
      maxDelay: options.reconnect?.maxDelay ?? RECONNECT_MAX_DELAY_MS,
      factor: 2,
      jitter: true,
      ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
    });
    this.socket.on('status', ({ status }: { status: WebSocketStatus }) => {
      if (this.status.connection === 'signed-out') return;
      if (status === WebSocketStatus.Connected) {
        this.refusedOnSocket.clear();
        this.update({ connection: 'online' });
        this.requestPass(0);
      } else if (status === WebSocketStatus.Disconnected) {
        this.update({ connection: 'offline', sending: null });
      }
    });
  }

  // ---- status -------------------------------------------------------------------------------

  getStatus = (): SyncStatus => this.status;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private update(patch: Partial<SyncStatus>) {
    this.status = { ...this.status, ...patch };
    this.listeners.forEach((l) => l());
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  async start(): Promise<void> {
    this.deviceId = await deviceIdFor(this.options.storeId);
    this.update({ lastSyncAt: await getMeta(this.options.storeId, 'lastSyncAt') });
    if (this.destroyed) return;
    this.createSocket();
    this.inbox = new HocuspocusProvider({
      websocketProvider: this.socket,
      name: inboxDocName(this.options.userId),
      token: async () => this.options.getToken(),
      awareness: null,
      onStateless: ({ payload }) => {
        const message = safeParse(payload) as InboxMessage | null;
        if (message?.type === 'changed') this.requestPass(300);
        if (message?.type === 'notification') this.notificationListeners.forEach((listener) => listener());
        if (message?.type === 'actions') void this.refreshActions();
      },
      // Changes made elsewhere between a pass's question to the server and the inbox opening would
      // otherwise be missed until the next connection: look again once the inbox is listening.
      onSynced: () => this.requestPass(0),
      onAuthenticationFailed: ({ reason }) => this.onAuthFailure(reason),
    });
    this.inbox.attach();
    void this.socket.connect();
    const mine = (storeId: string) => storeId === this.options.storeId && this.status.connection === 'online';
    this.stopWatching.push(
      // A change to a record that is not attached (not on screen) is sent by a pass shortly after.
      onLocalChange((storeId, kind, id) => mine(storeId) && !this.attachments.has(recordDocName(kind, id)) && this.requestPass(500)),
      // A command is sent at once (a pass sends the outbox).
      onCommandQueued((storeId) => mine(storeId) && this.requestPass(200)),
    );
    // A safety net for a notification lost in transit: look for changes every minute while online.
    this.safetyPass = setInterval(() => this.status.connection === 'online' && this.requestPass(0), SAFETY_PASS_MS);
  }

  /**
   * "Sync now", `online`, the app becoming visible: connect at once if not connected, then run a pass.
   * Also called whenever the server answers an HTTP request (see serverSeen).
   *
   * HocuspocusProviderWebsocket (3.4) retries through @lifeomic/attempt; its connect() cancels the
   * running retry (which notices at its next attempt, after its sleep) and starts a new one whose first
   * attempt is immediate. So a device waiting out a long backoff connects now, and a failed attempt goes
   * back to the jittered backoff. While an attempt is already on its way, connect() would open a second
   * websocket and orphan the first, so it is left to finish.
   */
  syncNow(): void {
    if (this.destroyed || !this.socket || this.status.connection === 'signed-out') return;
    if (this.socket.status === WebSocketStatus.Connected) this.requestPass(0);
    else if (this.socket.status === WebSocketStatus.Disconnected) void this.socket.connect();
  }

  /**
   * The server answered an HTTP request: it is up. If the websocket is down, connect at once rather than
   * wait out the backoff; if it is up, nothing to do (no extra pass).
   */
  serverSeen(): void {
    if (this.destroyed || !this.socket || this.status.connection === 'signed-out') return;
    if (this.socket.status === WebSocketStatus.Disconnected) void this.socket.connect();
  }

  /**
   * Drops the websocket and opens a new one. (HocuspocusProviderWebsocket.connect() called straight after
   * disconnect() does nothing — the socket still reads as connected — and then never reconnects; so wait
   * for the old socket to close first.)
   */
  reconnect(): void {
    if (this.destroyed || !this.socket) return;
    if (this.socket.status !== WebSocketStatus.Connected) {
      void this.socket.connect();
      return;
    }
    const connectAgain = () => {
      this.socket.off('disconnect', connectAgain);
      if (!this.destroyed) void this.socket.connect();
    };
    this.socket.on('disconnect', connectAgain);
    this.socket.disconnect();
  }

  /** Stops syncing (sign-out, tests). Local data is untouched. */
  destroy(): void {
    this.destroyed = true;
    if (this.passTimer) clearTimeout(this.passTimer);
    if (this.safetyPass) clearInterval(this.safetyPass);
    this.stopWatching.splice(0).forEach((stop) => stop());
    for (const attachment of this.attachments.values()) this.detach(attachment, true);
    this.inbox?.destroy();
    this.socket?.destroy();
  }

  private renewing: Promise<void> | null = null;

  private onAuthFailure(reason: string) {
    if (!reason.startsWith('unauthenticated') || this.status.connection === 'signed-out') return;
    // Most often the access token ran out: renew it and reconnect. Only when that fails is the person
    // asked to sign in again.
    const renew = this.options.renewSignIn;
    if (!renew) return this.signedOut();
    this.renewing ??= renew()
      .catch(() => false)
      .then((renewed) => {
        if (this.destroyed) return;
        if (!renewed) return this.signedOut();
        this.reconnect();
      })
      .finally(() => {
        this.renewing = null;
      });
  }

  private signedOut() {
    // The sign-in is no longer accepted: keep every local change, stop trying, and ask the person to sign in.
    this.update({
      connection: 'signed-out',
      sending: null,
      problem: 'Your sign-in has expired. Sign in again to send your records — they are kept safe on this tablet.',
    });
    this.socket.disconnect();
  }

  // ---- attaching documents ------------------------------------------------------------------

  private async attach(kind: RecordKind, id: string, live: boolean): Promise<Attachment> {
    const name = recordDocName(kind, id);
    let attachment = this.attachments.get(name);
    if (!attachment) {
      const sinceDetached = Date.now() - (this.detachedAt.get(name) ?? 0);
      if (sinceDetached < REATTACH_GAP_MS) await new Promise((r) => setTimeout(r, REATTACH_GAP_MS - sinceDetached));
      this.detachedAt.delete(name);
      const { doc, release } = await acquireDoc(this.options.storeId, kind, id);
      // Another caller may have attached it while the document loaded.
      attachment = this.attachments.get(name);
      if (attachment) release();
      else attachment = this.createAttachment(name, id, doc, release, live);
    }
    if (live) attachment.liveRefs++;
    else attachment.passRefs++;
    // Attached by a pass (no presence) and now on screen: reopen it with presence.
    if (live && !attachment.provider.awareness) {
      const background = attachment.provider;
      this.destroyProvider(background, attachment.closed);
      setTimeout(() => this.replaceProvider(attachment, background), REATTACH_GAP_MS);
    }
    return attachment;
  }

  private createAttachment(name: string, id: string, doc: Y.Doc, releaseDoc: () => void, live: boolean): Attachment {
    const base: Omit<Attachment, 'provider'> = {
      name,
      closed: false,
      id,
      doc,
      releaseDoc,
      liveRefs: 0,
      passRefs: 0,
      synced: false,
      stored: null,
      failure: null,
      waiters: new Set(),
      changed: () => attachment.waiters.forEach((w) => w()),
    };
    const attachment = base as Attachment;
    attachment.provider = this.connectProvider(attachment, live);
    this.attachments.set(name, attachment);
    return attachment;
  }

  /** A Hocuspocus provider for an attachment's document on the shared websocket, attached. */
  private connectProvider(attachment: Attachment, live: boolean): HocuspocusProvider {
    const provider: HocuspocusProvider = new HocuspocusProvider({
      websocketProvider: this.socket,
      name: attachment.name,
      document: attachment.doc,
      token: async () => this.options.getToken(),
      // Presence is only for records on screen; background sync sends content alone.
      ...(live ? {} : { awareness: null }),
      onSynced: () => {
        attachment.synced = true;
        attachment.closed = false;
        this.askWhatIsStored(attachment);
        attachment.changed();
      },
      // Stateless messages on a record come only from the server: it drops every broadcast a client sends.
      onStateless: ({ payload }) => {
        const message = safeParse(payload);
        if (isSyncRefusal(message)) {
          // The server refused a change this device made (too large, say): the pass stops waiting for it
          // and the person is told why, instead of the record silently staying "not yet sent".
          attachment.failure = `refused: ${message.message}`;
          attachment.changed();
          return;
        }
        if (!isStoredStateMessage(message)) return;
        attachment.stored = message;
        if (isCoveredBy(attachment.doc, message)) void this.recordStored(attachment.id);
        attachment.changed();
      },
      onAuthenticationFailed: ({ reason }) => {
        attachment.failure = reason;
        // Hocuspocus (3.4) remembers a refused document for the life of the websocket and ignores any
        // later attempt to open it there, so a later try needs a fresh connection.
        this.refusedOnSocket.add(attachment.name);
        this.onAuthFailure(reason);
        attachment.changed();
      },
      onClose: () => {
        attachment.synced = false;
        // With the websocket still up, the server closed this one document (a failed store, or a document
        // being unloaded): a waiting pass gives up, and a record on screen gets a new provider, since this
        // one will not open the document again by itself. (After a websocket drop providers resync alone.)
        if (this.socket.status === WebSocketStatus.Connected && !this.destroyed) {
          attachment.closed = true;
          if (attachment.liveRefs > 0) setTimeout(() => this.replaceProvider(attachment, provider), REATTACH_GAP_MS);
        }
        attachment.changed();
      },
    });
    provider.attach();
    const awareness = provider.awareness;
    if (awareness) {
      // A new provider makes a new presence (awareness) that starts its clock at 0, under the document's
      // client id. If this document had a provider before (the record closed and opened again, or the
      // server closed it), the server and every other screen hold that client id at the old, higher clock
      // and would ignore the new presence as old news — showing "Nobody else has this open" while this
      // person types. Carrying on from the old clock keeps it news.
      const previous = presenceClocks.get(attachment.doc);
      if (previous !== undefined) awareness.meta.set(awareness.clientID, { clock: previous, lastUpdated: Date.now() });
      const mine = this.localPresence.get(attachment.name);
      if (mine || previous !== undefined) awareness.setLocalState(mine ?? {});
      awareness.on('change', () => this.notifyPresence(attachment.name, provider));
    }
    return provider;
  }

  private notifyPresence(name: string, provider: HocuspocusProvider) {
    const awareness = provider.awareness;
    const listeners = this.presenceListeners.get(name);
    if (!awareness || !listeners || this.attachments.get(name)?.provider !== provider) return;
    const others = [...awareness.getStates().entries()]
      .filter(([clientId]) => clientId !== awareness.clientID)
      .map(([, state]) => state)
      .filter(isPresenceState);
    listeners.forEach((listener) => listener(others));
  }

  /** Calls back when the server says a notification has arrived for this person. */
  onNotification(listener: () => void): () => void {
    this.notificationListeners.add(listener);
    return () => this.notificationListeners.delete(listener);
  }

  /** Says where this person is in a record on screen (which field), for everyone else who has it open. */
  setPresence(kind: RecordKind, id: string, state: PresenceState | null): void {
    const name = recordDocName(kind, id);
    if (state) this.localPresence.set(name, state);
    else this.localPresence.delete(name);
    this.attachments.get(name)?.provider.awareness?.setLocalState(state);
  }

  /** Calls back with everyone else who has the record open, whenever that changes. */
  watchPresence(kind: RecordKind, id: string, listener: (others: PresenceState[]) => void): () => void {
    const name = recordDocName(kind, id);
    const listeners = this.presenceListeners.get(name) ?? new Set();
    listeners.add(listener);
    this.presenceListeners.set(name, listeners);
    const attachment = this.attachments.get(name);
    if (attachment) this.notifyPresence(name, attachment.provider);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.presenceListeners.delete(name);
    };
  }

  private replaceProvider(attachment: Attachment, closedProvider: HocuspocusProvider) {
    if (this.destroyed || this.attachments.get(attachment.name) !== attachment || attachment.provider !== closedProvider) return;
    this.destroyProvider(closedProvider, true);
    attachment.provider = this.connectProvider(attachment, attachment.liveRefs > 0);
  }

  /**
   * Destroys a provider, telling the server (a Close message) only when it holds a connection for it.
   *
   * Hocuspocus 3.4 queues every message for a document it has no connection for on that websocket until an
   * Auth for it arrives, then replays the queue — so a stray Close is replayed straight after the next open
   * of that document and closes it again. Strays came from two places: a Close sent while the websocket
   * was down (the provider queues it and sends it on the next connection), and a Close for a document the
   * server had already closed. Each then killed the next attempt to send the record, whose own Close became
   * the next stray: the record was re-opened every few seconds and never stored (issue 14).
   */
  private destroyProvider(provider: HocuspocusProvider, serverClosedIt: boolean) {
    const providers = this.socket.configuration.providerMap;
    if ((serverClosedIt || this.socket.status !== WebSocketStatus.Connected) && providers.get(provider.configuration.name) === provider) {
      providers.delete(provider.configuration.name); // then the provider's detach sends no Close
    }
    provider.destroy();
    // Destroying it removed this device's presence, ticking its clock: the next provider starts past it.
    const awareness = provider.awareness;
    const clock = awareness?.meta.get(awareness.clientID)?.clock;
    if (clock !== undefined) presenceClocks.set(provider.document, Math.max(clock, presenceClocks.get(provider.document) ?? 0));
  }

  private askWhatIsStored(attachment: Attachment) {
    attachment.provider.sendStateless(JSON.stringify({ type: 'stored?' }));
  }

  private detach(attachment: Attachment, force = false) {
    if (!force && (attachment.liveRefs > 0 || attachment.passRefs > 0)) return;
    if (this.attachments.get(attachment.name) === attachment) this.attachments.delete(attachment.name);
    this.forgetOldDetachments();
    this.detachedAt.set(attachment.name, Date.now());
    this.destroyProvider(attachment.provider, attachment.closed);
    attachment.releaseDoc();
  }

  /** Only recent detachments matter; a pass over thousands of records must not leave thousands behind. */
  private forgetOldDetachments() {
    if (this.detachedAt.size < 200) return;
    const cutoff = Date.now() - REATTACH_GAP_MS;
    for (const [name, at] of this.detachedAt) if (at < cutoff) this.detachedAt.delete(name);
  }

  /**
   * Keeps a record attached while it is on screen, so edits are sent and received live. Returns the
   * function to call when the screen closes.
   */
  keepLive(kind: RecordKind, id: string): () => void {
    let released = false;
    const attached = this.attach(kind, id, true);
    return () => {
      if (released) return;
      released = true;
      void attached.then((attachment) => {
        attachment.liveRefs--;
        this.detach(attachment);
      });
    };
  }

  /**
   * Fetches a record this device does not have yet (a deep link to a record made elsewhere). Resolves
   * true once it has arrived, false when offline, refused or not found in time.
   */
  async fetchRecord(kind: RecordKind, id: string, timeoutMs = 15_000): Promise<boolean> {
    // Just after the app opens the connection may still be on its way: give it a moment.
    if (!(await this.whenOnline(Math.min(timeoutMs, 10_000)))) return false;
    const attachment = await this.attach(kind, id, false);
    const ok = await this.waitUntilStored(attachment, timeoutMs);
    attachment.passRefs--;
    this.detach(attachment);
    return ok;
  }

  /** Resolves true once connected, false if that takes longer than `timeoutMs` (or sync stops). */
  private whenOnline(timeoutMs: number): Promise<boolean> {
    if (this.status.connection === 'online') return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (online: boolean) => {
        clearTimeout(timer);
        unsubscribe();
        resolve(online);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      const unsubscribe = this.subscribe(() => {
        if (this.status.connection === 'online') done(true);
        else if (this.status.connection === 'signed-out' || this.destroyed) done(false);
      });
    });
  }

  /** Resolves true once the server has proved it stores everything this device has of the record. */
  private waitUntilStored(attachment: Attachment, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        if (attachment.failure || attachment.closed) return finish(false);
        if (attachment.synced && attachment.stored && isCoveredBy(attachment.doc, attachment.stored)) finish(true);
      };
      const recheck = setInterval(() => attachment.synced && this.askWhatIsStored(attachment), RECHECK_MS);
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (ok: boolean) => {
        clearInterval(recheck);
        clearTimeout(timer);
        attachment.waiters.delete(check);
        resolve(ok);
      };
      attachment.waiters.add(check);
      check();
    });
  }

  // ---- passes -------------------------------------------------------------------------------

  private requestPass(delayMs: number) {
    if (this.destroyed) return;
    if (this.passTimer) clearTimeout(this.passTimer);
    this.passTimer = setTimeout(() => {
      this.passTimer = null;
      if (this.passRunning) {
        this.passAgain = true;
        return;
      }
      const pass = this.pass();
      // Sign-out waits for a pass under way before removing this person's stores (activity.ts).
      trackSync(this.options.storeId, pass);
      this.passRunning = pass.finally(() => {
        this.passRunning = null;
        if (this.passAgain) {
          this.passAgain = false;
          this.requestPass(0);
        }
      });
    }, delayMs);
  }

  /** The server has proved it stores everything this device has of a record. */
  private async recordStored(id: string) {
    await markSent(this.options.storeId, id);
    if (this.status.failed.includes(id)) this.update({ failed: this.status.failed.filter((f) => f !== id) });
  }

  /**
   * One pass: learn what changed elsewhere, send every record with changes the server lacks, then the
   * outbox. Each record is attached at most once per pass, and only if it is to be sent or fetched:
   * records this person may no longer write are left alone (they cannot be sent, and the changes feed
   * brings them if someone else changes them).
   */
  private async pass(): Promise<void> {
    if (this.status.connection !== 'online') return;
    const { storeId } = this.options;
    const timeout = this.options.recordTimeoutMs ?? 30_000;

    // Records changed elsewhere since the last pass.
    let cursor = Number((await getMeta(storeId, 'changesCursor')) ?? 0);
    const incoming: { kind: RecordKind; id: string }[] = [];
    // The server's database restored from a backup since the last pass: its changes feed started again,
    // and it may lack edits this device was told were stored. Every record this device may write is
    // attached again; the Yjs sync exchange then sends exactly what the server's (older) state lacks.
    const knownRestore = (await getMeta(storeId, 'serverRestore')) ?? '';
    let restore = knownRestore;
    try {
      for (;;) {
        const page = await fetchRecordChanges(this.options.getToken, cursor, this.deviceId, this.options.serverUrl);
        if ((page.restore ?? '') !== restore) {
          restore = page.restore ?? '';
          cursor = 0;
          incoming.length = 0;
          continue;
        }
        for (const change of page.changes) {
          const parsed = parseRecordDocName(change.name);
          if (parsed) incoming.push(parsed);
        }
        cursor = page.cursor;
        if (!page.more) break;
      }
      // Records shared with this person since their last pass: the changes feed only tells of changes
      // made after its cursor, and a record shared now may not have changed for a while.
      const onDevice = new Set(await indexedRecordIds(storeId));
      for (const listed of await fetchRecordListing(this.options.getToken, this.options.serverUrl)) {
        const parsed = parseRecordDocName(listed.name);
        if (parsed && !onDevice.has(parsed.id)) incoming.push(parsed);
      }
    } catch {
      return; // the server went away again; the next connection runs a new pass
    }

    // Every change made so far counts (index rows are written just after each change).
    await indexSettled();
    // Records this person may only read (or no longer open) cannot be sent: never attached to be sent.
    const unsent = await unsentRecords(storeId);
    const outgoing = unsent.filter((r) => !cannotBeSent(r)).map(({ kind, id }) => ({ kind, id }));
    const outgoingNames = new Set(outgoing.map((r) => recordDocName(r.kind, r.id)));
    if (restore !== knownRestore) incoming.push(...(await writableRecords(storeId)));
    const incomingNames = new Set(incoming.map((r) => recordDocName(r.kind, r.id)).filter((name) => !outgoingNames.has(name)));
    const all = [...outgoing, ...[...incomingNames].map((name) => parseRecordDocName(name)!)];
    // A document refused earlier on this websocket would never be answered on it: start a fresh one
    // (its connection runs this pass again). Only then — a refusal alone never drops every record on screen.
    if (all.some(({ kind, id }) => this.refusedOnSocket.has(recordDocName(kind, id)))) {
      this.reconnect();
      return;
    }
    let sent = 0;
    let refused = 0;
    let resendFailed = false;
    const failed: string[] = [];
    if (outgoing.length > 0) this.update({ sending: { done: 0, total: outgoing.length } });

    const batchSize = this.options.batchSize ?? SYNC_BATCH_SIZE;
    for (let i = 0; i < all.length; i += batchSize) {
      if (this.destroyed || this.status.connection !== 'online') break;
      await Promise.all(
        all.slice(i, i + batchSize).map(async ({ kind, id }) => {
          const attachment = await this.attach(kind, id, false);
          const ok = await this.waitUntilStored(attachment, timeout);
          attachment.passRefs--;
          if (ok) await this.recordStored(id);
          // The server refuses this person the record now: stop trying to send it (it stays on the device).
          else if (attachment.failure?.startsWith('forbidden')) await markAccess(storeId, id, 'none');
          this.detach(attachment);
          // After a restore, a record not stored again keeps the pass incomplete, so the next pass offers it again.
          if (!ok && restore !== knownRestore && !attachment.failure?.startsWith('forbidden')) resendFailed = true;
          if (!outgoingNames.has(recordDocName(kind, id))) return;
          if (ok) sent++;
          else if (attachment.failure?.startsWith('forbidden')) refused++;
          else failed.push(id);
          this.update({ sending: { done: sent, total: outgoing.length } });
        }),
      );
    }

    const online = () => !this.destroyed && this.status.connection === 'online';
    let complete = sent + refused === outgoing.length && !resendFailed && online();
    // Commands go after the records they are about, so the server checks what the person saw (it answers
    // "try again" for a record it does not have all of yet). Then the device learns what it may keep.
    if (online()) {
      const commandsSent = await this.sendCommands();
      const listingApplied = await this.applyListing();
      // The actions this person may read, after the commands that change them (so the list shows their effect).
      const actionsRefreshed = await this.refreshActions();
      complete = complete && commandsSent && listingApplied && actionsRefreshed;
    }
    // Records that cannot be sent do not make a pass incomplete: the status bar says so from the index,
    // and holding the cursor back would fetch (and open) the same changes on every pass.
    if (complete) {
      const now = new Date().toISOString();
      await setMeta(storeId, 'changesCursor', String(cursor));
      await setMeta(storeId, 'serverRestore', restore);
      await setMeta(storeId, 'lastSyncAt', now);
      this.failedRetryMs = FAILED_RETRY_MS;
      this.update({ sending: null, lastSyncAt: now, failed: [] });
    } else {
      this.update({ sending: null, failed: failed.length > 0 ? failed : this.status.failed });
      if (failed.length > 0 && online()) {
        this.requestPass(this.failedRetryMs);
        this.failedRetryMs = Math.min(this.failedRetryMs * 2, FAILED_RETRY_MAX_MS);
      }
    }
  }

  /** Sends the outbox, oldest first. Returns false if something must wait for a later pass. */
  private async sendCommands(): Promise<boolean> {
    const { storeId, serverUrl } = this.options;
    for (const entry of await pendingCommands(storeId)) {
      if (this.destroyed || this.status.connection !== 'online') return false;
      let outcome;
      try {
        outcome = await sendCommand(entry.command, this.options.getToken, serverUrl, this.deviceId);
      } catch {
        return false; // offline again, or the server is down: it stays in the outbox
      }
      await settleCommand(storeId, entry.id, outcome);
      if (outcome.status === 'retry') {
        this.requestPass(2000);
        return false;
      }
    }
    return true;
  }

  /** Refreshes the tablet's copy of the actions this person may read; false when the server could not be asked. */
  private async refreshActions(): Promise<boolean> {
    try {
      // The QA programme (assignments, schedule, coverage) travels with actions: the same inbox message says
      // either changed. It is best-effort: the tablet keeps its last copy, and a pass is not held back by it
      // (an administrator has none, and does not ask: `fetchProgramme`).
      await Promise.all([
        refreshActions(this.options.storeId, this.options.getToken, this.options.serverUrl),
        this.options.fetchProgramme === false ? undefined : refreshProgramme(this.options.storeId, this.options.getToken, this.options.serverUrl).catch(() => undefined),
      ]);
      return true;
    } catch {
      return false;
    }
  }

  /** Fetches which records this person may read and brings the device in line (see applyRecordListing). */
  private async applyListing(): Promise<boolean> {
    const { storeId, serverUrl } = this.options;
    try {
      const lost = await applyRecordListing(storeId, await fetchRecordListing(this.options.getToken, serverUrl));
      for (const { kind, id } of lost) await removeLocalRecord(storeId, kind, id);
      return true;
    } catch {
      return false;
    }
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
