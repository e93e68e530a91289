/**
 * Records on the live path: each attached as a Hocuspocus provider on the device's one websocket, so edits
 * flow both ways as they are made, with presence (who is here, which field, their caret) for records on
 * screen. A pass also uses this path for a record the bulk path cannot take (open live on the server, or
 * too large for one request), and a deep link fetches a single record this way.
 *
 * A record is marked sent only when the server proves it has stored everything this device has
 * (recordModel/storedState.ts) — never on Hocuspocus' own acknowledgement, which comes before storage.
 */
import { HocuspocusProvider, WebSocketStatus } from '@hocuspocus/provider';
import type * as Y from 'yjs';
import { recordDocName, type RecordKind } from '../../../domain/records';
import type { SyncRefusal } from '../../../domain/sync';
import { isCoveredBy, isStoredStateMessage, type StoredStateMessage } from '../../../recordModel/storedState';
import { acquireDoc } from '../docs/openRecord';
import type { Connection } from './connection';
import { safeParse, type PresenceState, type SyncShared } from './types';

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

const isSyncRefusal = (value: unknown): value is SyncRefusal =>
  typeof value === 'object' && value !== null && (value as SyncRefusal).type === 'refused' && typeof (value as SyncRefusal).message === 'string';

const isPresenceState = (value: unknown): value is PresenceState =>
  typeof value === 'object' && value !== null && typeof (value as PresenceState).userId === 'string' && typeof (value as PresenceState).name === 'string';

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

export class LiveRecords {
  private readonly attachments = new Map<string, Attachment>();
  /** When each document was last detached (see REATTACH_GAP_MS). */
  private readonly detachedAt = new Map<string, number>();
  /** This device's presence on each record on screen, and who wants to hear of others'. */
  private readonly localPresence = new Map<string, PresenceState>();
  private readonly presenceListeners = new Map<string, Set<(others: PresenceState[]) => void>>();
  /** Documents the server refused on the current websocket (3.4 never answers a second open there). */
  readonly refusedOnSocket = new Set<string>();

  constructor(
    private readonly shared: SyncShared,
    private readonly connection: Connection,
  ) {}

  /** Whether a record is attached (on screen, or being synced live by a pass). */
  isAttached(name: string): boolean {
    return this.attachments.has(name);
  }

  /** Records on screen now: a pass sends these on the live path, never in bulk. */
  onScreen(): Set<string> {
    return new Set([...this.attachments.values()].filter((a) => a.liveRefs > 0).map((a) => a.name));
  }

  /**
   * Attaches a record for a pass, waits for proof that the server stores everything this device has of it
   * (or a refusal, or the timeout), and detaches it again.
   */
  async syncOnce(kind: RecordKind, id: string, timeoutMs: number): Promise<{ ok: boolean; failure: string | null }> {
    const attachment = await this.attach(kind, id, false);
    const ok = await this.waitUntilStored(attachment, timeoutMs);
    attachment.passRefs--;
    this.detach(attachment);
    return { ok, failure: attachment.failure };
  }

  /** Keeps a record attached while it is on screen; returns the function to call when the screen closes. */
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

  destroy(): void {
    for (const attachment of this.attachments.values()) this.detach(attachment, true);
  }

  private async attach(kind: RecordKind, id: string, live: boolean): Promise<Attachment> {
    const name = recordDocName(kind, id);
    let attachment = this.attachments.get(name);
    if (!attachment) {
      const sinceDetached = Date.now() - (this.detachedAt.get(name) ?? 0);
      if (sinceDetached < REATTACH_GAP_MS) await new Promise((r) => setTimeout(r, REATTACH_GAP_MS - sinceDetached));
      this.detachedAt.delete(name);
      const { doc, release } = await acquireDoc(this.shared.options.storeId, kind, id);
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
      websocketProvider: this.connection.socket,
      name: attachment.name,
      document: attachment.doc,
      token: async () => this.shared.options.getToken(),
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
        if (isCoveredBy(attachment.doc, message)) void this.shared.recordStored(attachment.id);
        attachment.changed();
      },
      onAuthenticationFailed: ({ reason }) => {
        attachment.failure = reason;
        // Hocuspocus (3.4) remembers a refused document for the life of the websocket and ignores any
        // later attempt to open it there, so a later try needs a fresh connection.
        this.refusedOnSocket.add(attachment.name);
        this.shared.onAuthFailure(reason);
        attachment.changed();
      },
      onClose: () => {
        attachment.synced = false;
        // With the websocket still up, the server closed this one document (a failed store, or a document
        // being unloaded): a waiting pass gives up, and a record on screen gets a new provider, since this
        // one will not open the document again by itself. (After a websocket drop providers resync alone.)
        if (this.connection.connected && !this.shared.destroyed) {
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

  private replaceProvider(attachment: Attachment, closedProvider: HocuspocusProvider) {
    if (this.shared.destroyed || this.attachments.get(attachment.name) !== attachment || attachment.provider !== closedProvider) return;
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
    const socket = this.connection.socket;
    const providers = socket.configuration.providerMap;
    if ((serverClosedIt || socket.status !== WebSocketStatus.Connected) && providers.get(provider.configuration.name) === provider) {
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
}
