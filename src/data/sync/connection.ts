/**
 * The device's one websocket to the server (Hocuspocus multiplexes every live document on it), the
 * person's inbox on it, and the sign-in behind it:
 *
 *  - connects at start, on `online`, on becoming visible, on "Sync now" and whenever the server answers an
 *    HTTP request; backs off with jitter while the server is down;
 *  - listens on the person's inbox for records changed elsewhere, notifications and actions;
 *  - renews the sign-in when the server refuses it, and stops (keeping every local change) when it cannot.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket, WebSocketStatus } from '@hocuspocus/provider';
import { DEVICE_PARAM, inboxDocName, SYNC_PATH, type InboxMessage } from '../../../domain/sync';
import { getMeta, setMeta } from '../records';
import { safeParse, type SyncShared } from './types';

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
export async function deviceIdFor(storeId: string): Promise<string> {
  const existing = await getMeta(storeId, 'deviceId');
  if (existing) return existing;
  const id = crypto.randomUUID();
  await setMeta(storeId, 'deviceId', id);
  return id;
}

export interface ConnectionEvents {
  /** The websocket is up (a fresh one: documents refused on the last one may be opened again). */
  connected(): void;
  notification(): void;
  actionsChanged(): void;
}

export class Connection {
  socket!: HocuspocusProviderWebsocket;
  private inbox: HocuspocusProvider | null = null;
  private renewing: Promise<void> | null = null;

  constructor(
    private readonly shared: SyncShared,
    private readonly events: ConnectionEvents,
  ) {}

  /** Opens the websocket and the inbox. */
  start(): void {
    const { options } = this.shared;
    this.socket = new HocuspocusProviderWebsocket({
      url: wsUrlFor(options.serverUrl, this.shared.deviceId),
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
      if (this.shared.getStatus().connection === 'signed-out') return;
      if (status === WebSocketStatus.Connected) {
        this.events.connected();
        this.shared.update({ connection: 'online' });
        this.shared.requestPass(0);
      } else if (status === WebSocketStatus.Disconnected) {
        this.shared.update({ connection: 'offline', sending: null, fetching: null });
      }
    });
    this.inbox = new HocuspocusProvider({
      websocketProvider: this.socket,
      name: inboxDocName(options.userId),
      token: async () => options.getToken(),
      awareness: null,
      onStateless: ({ payload }) => {
        const message = safeParse(payload) as InboxMessage | null;
        if (message?.type === 'changed') this.shared.requestPass(300);
        if (message?.type === 'notification') this.events.notification();
        if (message?.type === 'actions') this.events.actionsChanged();
      },
      // Changes made elsewhere between a pass's question to the server and the inbox opening would
      // otherwise be missed until the next connection: look again once the inbox is listening.
      onSynced: () => this.shared.requestPass(0),
      onAuthenticationFailed: ({ reason }) => this.onAuthFailure(reason),
    });
    this.inbox.attach();
    void this.socket.connect();
  }

  get connected(): boolean {
    return !!this.socket && this.socket.status === WebSocketStatus.Connected;
  }

  /**
   * "Sync now", `online`, the app becoming visible: connect at once if not connected, then run a pass.
   *
   * HocuspocusProviderWebsocket (3.4) retries through @lifeomic/attempt; its connect() cancels the
   * running retry (which notices at its next attempt, after its sleep) and starts a new one whose first
   * attempt is immediate. So a device waiting out a long backoff connects now, and a failed attempt goes
   * back to the jittered backoff. While an attempt is already on its way, connect() would open a second
   * websocket and orphan the first, so it is left to finish.
   */
  syncNow(): void {
    if (this.shared.destroyed || !this.socket || this.shared.getStatus().connection === 'signed-out') return;
    if (this.socket.status === WebSocketStatus.Connected) this.shared.requestPass(0);
    else if (this.socket.status === WebSocketStatus.Disconnected) void this.socket.connect();
  }

  /** The server answered an HTTP request: it is up. If the websocket is down, connect at once. */
  serverSeen(): void {
    if (this.shared.destroyed || !this.socket || this.shared.getStatus().connection === 'signed-out') return;
    if (this.socket.status === WebSocketStatus.Disconnected) void this.socket.connect();
  }

  /**
   * Drops the websocket and opens a new one. (HocuspocusProviderWebsocket.connect() called straight after
   * disconnect() does nothing — the socket still reads as connected — and then never reconnects; so wait
   * for the old socket to close first.)
   */
  reconnect(): void {
    if (this.shared.destroyed || !this.socket) return;
    if (this.socket.status !== WebSocketStatus.Connected) {
      void this.socket.connect();
      return;
    }
    const connectAgain = () => {
      this.socket.off('disconnect', connectAgain);
      if (!this.shared.destroyed) void this.socket.connect();
    };
    this.socket.on('disconnect', connectAgain);
    this.socket.disconnect();
  }

  onAuthFailure(reason: string): void {
    if (!reason.startsWith('unauthenticated') || this.shared.getStatus().connection === 'signed-out') return;
    // Most often the access token ran out: renew it and reconnect. Only when that fails is the person
    // asked to sign in again.
    const renew = this.shared.options.renewSignIn;
    if (!renew) return this.signedOut();
    this.renewing ??= renew()
      .catch(() => false)
      .then((renewed) => {
        if (this.shared.destroyed) return;
        if (!renewed) return this.signedOut();
        this.reconnect();
      })
      .finally(() => {
        this.renewing = null;
      });
  }

  private signedOut() {
    // The sign-in is no longer accepted: keep every local change, stop trying, and ask the person to sign in.
    this.shared.update({
      connection: 'signed-out',
      sending: null,
      fetching: null,
      problem: 'Your sign-in has expired. Sign in again to send your records — they are kept safe on this tablet.',
    });
    this.socket.disconnect();
  }

  destroy(): void {
    this.inbox?.destroy();
    this.socket?.destroy();
  }
}
