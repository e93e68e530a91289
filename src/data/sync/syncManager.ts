/**
 * The device's sync manager: what the app (SyncContext) and tests (TestDevice) use. It puts together
 * parts that each do one job, each readable on its own:
 *
 *  - connection.ts: the one websocket, its backoff, the person's inbox, renewing the sign-in;
 *  - passes.ts:     what to send and fetch on each pass, the outbox, the listing, actions;
 *  - bulkPath.ts:   records not on screen, many to a request, marked sent in one write per batch on proof;
 *  - fetching.ts:   records made or changed elsewhere, a page at a time, with progress;
 *  - liveRecords.ts: records on screen, live over Hocuspocus with presence (and single records).
 *
 * A record is marked sent only when the server has proved it stores everything this device has of it
 * (recordModel/storedState.ts). Sync stops, keeping every local change, when the server no longer accepts
 * the sign-in.
 */
import { recordDocName, type RecordKind } from '../../../domain/records';
import { onLocalChange } from '../docs/openRecord';
import { onCommandQueued } from '../outbox';
import { getMeta, markSent } from '../records';
import { Connection, deviceIdFor } from './connection';
import { LiveRecords } from './liveRecords';
import { Passes } from './passes';
import type { PresenceState, SyncManagerOptions, SyncShared, SyncStatus } from './types';

export { RECONNECT_DELAY_MS, RECONNECT_MAX_DELAY_MS } from './connection';
export type { ConnectionState, PresenceCursor, PresenceState, SyncManagerOptions, SyncStatus } from './types';

export class SyncManager {
  private status: SyncStatus = { connection: 'connecting', sending: null, fetching: null, lastSyncAt: null, problem: null, failed: [] };
  private readonly listeners = new Set<() => void>();
  private readonly notificationListeners = new Set<() => void>();
  private destroyed = false;
  /** Stops listening for local changes and queued commands. */
  private readonly stopWatching: (() => void)[] = [];
  private readonly shared: SyncShared;
  private readonly connection: Connection;
  private readonly live: LiveRecords;
  private readonly passes: Passes;

  constructor(private readonly options: SyncManagerOptions) {
    const isDestroyed = () => this.destroyed;
    this.shared = {
      options,
      deviceId: '',
      get destroyed() {
        return isDestroyed();
      },
      getStatus: () => this.status,
      update: (patch) => this.update(patch),
      requestPass: (delayMs) => this.passes.request(delayMs),
      onAuthFailure: (reason) => this.connection.onAuthFailure(reason),
      recordStored: (id) => this.recordStored(id),
      forgetFailures: (ids) => {
        if (ids.some((id) => this.status.failed.includes(id))) this.update({ failed: this.status.failed.filter((f) => !ids.includes(f)) });
      },
    };
    this.connection = new Connection(this.shared, {
      connected: () => this.live.refusedOnSocket.clear(),
      notification: () => this.notificationListeners.forEach((listener) => listener()),
      actionsChanged: () => void this.passes.refreshActions(),
    });
    this.live = new LiveRecords(this.shared, this.connection);
    this.passes = new Passes(this.shared, this.connection, this.live);
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
    this.shared.deviceId = await deviceIdFor(this.options.storeId);
    this.update({ lastSyncAt: await getMeta(this.options.storeId, 'lastSyncAt') });
    if (this.destroyed) return;
    this.connection.start();
    const mine = (storeId: string) => storeId === this.options.storeId && this.status.connection === 'online';
    this.stopWatching.push(
      // A change to a record that is not attached (not on screen) is sent by a pass shortly after.
      onLocalChange((storeId, kind, id) => mine(storeId) && !this.live.isAttached(recordDocName(kind, id)) && this.passes.request(500)),
      // A command is sent at once (a pass sends the outbox).
      onCommandQueued((storeId) => mine(storeId) && this.passes.request(200)),
    );
    this.passes.start();
  }

  /** "Sync now", `online`, the app becoming visible: connect at once if not connected, then run a pass. */
  syncNow(): void {
    this.connection.syncNow();
  }

  /** The server answered an HTTP request: if the websocket is down, connect at once rather than wait out the backoff. */
  serverSeen(): void {
    this.connection.serverSeen();
  }

  /** Drops the websocket and opens a new one. */
  reconnect(): void {
    this.connection.reconnect();
  }

  /** Stops syncing (sign-out, tests). Local data is untouched. */
  destroy(): void {
    this.destroyed = true;
    this.passes.stop();
    this.stopWatching.splice(0).forEach((stop) => stop());
    this.live.destroy();
    this.connection.destroy();
  }

  /** The server has proved it stores everything this device has of a record. */
  private async recordStored(id: string) {
    await markSent(this.options.storeId, id);
    if (this.status.failed.includes(id)) this.update({ failed: this.status.failed.filter((f) => f !== id) });
  }

  // ---- records on screen ----------------------------------------------------------------------

  /** Keeps a record attached while it is on screen, so edits are sent and received live. */
  keepLive(kind: RecordKind, id: string): () => void {
    return this.live.keepLive(kind, id);
  }

  /**
   * Fetches a record this device does not have yet (a deep link to a record made elsewhere). Resolves
   * true once it has arrived, false when offline, refused or not found in time.
   */
  async fetchRecord(kind: RecordKind, id: string, timeoutMs = 15_000): Promise<boolean> {
    // Just after the app opens the connection may still be on its way: give it a moment.
    if (!(await this.whenOnline(Math.min(timeoutMs, 10_000)))) return false;
    return (await this.live.syncOnce(kind, id, timeoutMs)).ok;
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

  /** Calls back when the server says a notification has arrived for this person. */
  onNotification(listener: () => void): () => void {
    this.notificationListeners.add(listener);
    return () => this.notificationListeners.delete(listener);
  }

  /** Says where this person is in a record on screen (which field), for everyone else who has it open. */
  setPresence(kind: RecordKind, id: string, state: PresenceState | null): void {
    this.live.setPresence(kind, id, state);
  }

  /** Calls back with everyone else who has the record open, whenever that changes. */
  watchPresence(kind: RecordKind, id: string, listener: (others: PresenceState[]) => void): () => void {
    return this.live.watchPresence(kind, id, listener);
  }
}
