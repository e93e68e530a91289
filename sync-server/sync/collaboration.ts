/**
 * The sync server: the Yjs sync protocol on Hocuspocus, over one websocket per device that carries all
 * of its documents. Hocuspocus acknowledges an update before anything is stored (its store hook is
 * debounced), so durability is handled here instead:
 *
 *  - every update is appended to the document store as it arrives, attributed to the signed-in person
 *    who sent it, in order, one document at a time;
 *  - a "mirror" of each open document receives an update only once it is stored, so the mirror is
 *    exactly what is on disk; after each append the server tells the document's devices the mirror's
 *    state (describeStoredState), and a device counts a record as sent only when its own state lies
 *    inside that (src/data/sync/storedState.ts);
 *  - a document whose load fails is refused — never opened blank — and one whose append fails is closed
 *    and dropped from memory, so nothing unstored is ever reported as stored;
 *  - Hocuspocus' debounced store hook only compacts.
 */
import { Hocuspocus } from '@hocuspocus/server';
import * as Y from 'yjs';
import type { Person } from '../../domain/directory';
import { DEVICE_PARAM, inboxDocName, MAX_DOCUMENT_BYTES, MAX_MESSAGE_BYTES, parseInboxDocName, type InboxMessage } from '../../domain/sync';
import { describeStoredState } from '../../src/data/sync/storedState';
import { AccessDenied, type Access } from '../access';
import type { AuditLog } from '../audit';
import type { DocumentStore } from '../persistence/documentStore';

export interface ConnectionContext {
  user: Person;
  /** The id the device sent with its connection (DEVICE_PARAM), if any. */
  deviceId: string | null;
}

interface OpenDocument {
  name: string;
  /** The Hocuspocus document this state belongs to. A document being unloaded and a new one of the same
   * name being loaded can overlap, so state is kept per document instance, never per name. */
  document: Y.Doc & { broadcastStateless(payload: string): void };
  /** Exactly what the store holds for this document. */
  mirror: Y.Doc;
  /** Appends run one after another, in the order updates arrived. */
  queue: Promise<void>;
  /** Set when an append failed: nothing more is stored or acknowledged until it is reloaded. */
  broken: boolean;
  bytes: number;
  ackTimer: ReturnType<typeof setTimeout> | null;
  notifyTimer: ReturnType<typeof setTimeout> | null;
}

export interface CollaborationOptions {
  store: DocumentStore;
  access: Access;
  audit: AuditLog;
  /** The person a sign-in token belongs to, or why it is refused. */
  authenticate(token: string): { user: Person } | { refused: string; message: string };
  /** A person as they are now (null once deactivated): access is re-checked against this. */
  findActiveUser(id: string): Person | null;
  /** How long Hocuspocus waits after the last change before compacting a document. */
  compactAfterMs?: number;
}

const ACK_DELAY_MS = 50;
const NOTIFY_DELAY_MS = 200;

/** Hocuspocus reports `reason` to the client; an object without `message` keeps refusals out of the error log. */
const refuse = (reason: string) => ({ reason });

export function createCollaboration(options: CollaborationOptions) {
  const { store, access } = options;
  const open = new WeakMap<Y.Doc, OpenDocument>();
  /** Set by close(): timers and hooks that would touch the database do nothing any more. */
  let closed = false;
  /** Every document state still in use, so that closing can wait for their appends. */
  const live = new Set<OpenDocument>();
  /** Connections (update origins) whose changes are already in the audit log. */
  const auditedChanges = new WeakSet<object>();

  const hocuspocus = new Hocuspocus({
    quiet: true,
    debounce: options.compactAfterMs ?? 10_000,
    maxDebounce: 60_000,
    timeout: 30_000,

    async onAuthenticate({ token, documentName, requestParameters, connectionConfig }): Promise<ConnectionContext> {
      const result = options.authenticate(token);
      if ('refused' in result) throw refuse(`unauthenticated: ${result.message}`);
      const deviceId = requestParameters.get(DEVICE_PARAM)?.slice(0, 64) || null;
      const isInbox = parseInboxDocName(documentName) !== null;
      try {
        const { level } = access.authoriseOpen(result.user, documentName);
        // A read-only connection: Hocuspocus drops every update it sends, and tells the device its scope
        // ("readonly"), so the app shows the record as read-only instead of piling up edits.
        connectionConfig.readOnly = level === 'read';
        if (!isInbox) options.audit.record({ userId: result.user.id, deviceId, action: 'open', record: documentName, detail: level === 'read' ? 'read-only' : 'read-write' });
      } catch (error) {
        if (!(error instanceof AccessDenied)) throw error;
        options.audit.record({ userId: result.user.id, deviceId, action: 'refused', record: documentName.slice(0, 200), detail: error.reason });
        throw refuse(`forbidden: ${error.reason}`);
      }
      return { user: result.user, deviceId };
    },

    async onLoadDocument({ documentName, document }) {
      // A failed load throws: Hocuspocus then refuses the document instead of serving (and later storing) a blank one.
      const state = await store.load(documentName);
      const mirror = new Y.Doc();
      if (state) {
        Y.applyUpdate(document, state);
        Y.applyUpdate(mirror, state);
      }
      const entry: OpenDocument = {
        name: documentName,
        document,
        mirror,
        queue: Promise.resolve(),
        broken: false,
        bytes: state?.byteLength ?? 0,
        ackTimer: null,
        notifyTimer: null,
      };
      open.set(document, entry);
      live.add(entry);
    },

    async afterLoadDocument({ documentName, document }) {
      if (parseInboxDocName(documentName) !== null) return; // inboxes carry messages, not content
      const entry = open.get(document)!;
      document.on('update', (update: Uint8Array, origin: unknown) => {
        const context = (origin as { context?: Partial<ConnectionContext> } | null)?.context;
        append(entry, update, { userId: context?.user?.id ?? null, deviceId: context?.deviceId ?? null });
        // The audit log says who changed the record: once per connection, not once per keystroke.
        if (origin && typeof origin === 'object' && !auditedChanges.has(origin)) {
          auditedChanges.add(origin);
          options.audit.record({ userId: context?.user?.id ?? null, deviceId: context?.deviceId ?? null, action: 'change', record: documentName });
        }
      });
    },

    async connected({ documentName, connection }) {
      // Hocuspocus can hand a new connection a document that is being unloaded at that moment; it is
      // then destroyed under the connection, and the device, alone on a copy nobody else edits, would
      // never see others' changes. Close such a connection: the device re-attaches to the live document.
      if (hocuspocus.documents.get(documentName) !== connection.document) connection.close();
    },

    async beforeHandleMessage({ update, document }) {
      if (update.byteLength > MAX_MESSAGE_BYTES) throw refuse('message-too-large');
      const entry = open.get(document);
      if (entry && entry.bytes > MAX_DOCUMENT_BYTES) throw refuse('document-too-large');
    },

    async onStateless({ payload, connection, document }) {
      let request: { type?: string };
      try {
        request = JSON.parse(payload) as { type?: string };
      } catch {
        return;
      }
      if (request.type !== 'stored?') return;
      const entry = open.get(document);
      if (!entry) return;
      await entry.queue;
      if (!entry.broken) connection.sendStateless(JSON.stringify(describeStoredState(entry.mirror)));
    },

    async onStoreDocument({ documentName, document }) {
      const entry = open.get(document);
      // Compaction only saves space; after close the database is gone, and every update is stored already.
      if (!entry || entry.broken || closed || parseInboxDocName(documentName) !== null) return;
      await entry.queue;
      await store.compact(documentName);
    },

    async afterUnloadDocument({ documentName }) {
      // Forget the states of unloaded documents of this name (not a newer document of the same name).
      for (const entry of live) {
        if (entry.name !== documentName || hocuspocus.documents.get(documentName) === entry.document) continue;
        // The notification still goes out: a device that sends and detaches at once unloads the document
        // before it fires, and the others must still hear of the change.
        if (entry.ackTimer) clearTimeout(entry.ackTimer);
        void entry.queue.then(() => entry.mirror.destroy());
        live.delete(entry);
      }
    },
  });

  function append(entry: OpenDocument, update: Uint8Array, from: { userId: string | null; deviceId: string | null }) {
    const { name } = entry;
    const receivedAt = new Date().toISOString();
    entry.queue = entry.queue.then(async () => {
      if (entry.broken) return;
      try {
        await store.append(name, update, { ...from, receivedAt });
      } catch (error) {
        console.error(`Storing an update of ${name} failed; closing it so devices resend.`, error);
        entry.broken = true;
        hocuspocus.closeConnections(name);
        return;
      }
      Y.applyUpdate(entry.mirror, update);
      entry.bytes += update.byteLength;
      scheduleAck(entry);
      scheduleNotify(name, entry);
    });
  }

  /** Tells every device on the document what is now stored (coalesced: one message per burst). */
  function scheduleAck(entry: OpenDocument) {
    if (entry.ackTimer) return;
    entry.ackTimer = setTimeout(() => {
      entry.ackTimer = null;
      if (entry.broken || closed) return;
      entry.document.broadcastStateless(JSON.stringify(describeStoredState(entry.mirror)));
    }, ACK_DELAY_MS);
  }

  /** Tells the inboxes of everyone who may read the record that it changed, so their devices fetch it. */
  function scheduleNotify(name: string, entry: OpenDocument) {
    if (entry.notifyTimer) return;
    entry.notifyTimer = setTimeout(() => {
      entry.notifyTimer = null;
      if (closed) return;
      notifyReaders(name);
    }, NOTIFY_DELAY_MS);
  }

  /** Tells the devices of everyone who may read a record (through their inboxes) that it changed. */
  function notifyReaders(documentName: string) {
    const message: InboxMessage = { type: 'changed', docs: [documentName] };
    for (const userId of access.readersOf(documentName)) hocuspocus.documents.get(inboxDocName(userId))?.broadcastStateless(JSON.stringify(message));
  }

  /** Every live connection to a document, with the person behind it. */
  function connectionsTo(documentName: string) {
    const document = hocuspocus.documents.get(documentName);
    return document ? [...document.getConnections()] : [];
  }

  return {
    hocuspocus,

    /**
     * Changes a record as the server, on behalf of a person (a command's effect), and resolves once the
     * change is stored. Devices with the record open receive it like any other update.
     */
    async editAsServer(documentName: string, user: Person, edit: (doc: Y.Doc) => void): Promise<void> {
      const context: ConnectionContext = { user, deviceId: null };
      const direct = await hocuspocus.openDirectConnection(documentName, context);
      try {
        const entry = direct.document ? open.get(direct.document) : undefined;
        await direct.transact((doc) => doc.transact(() => edit(doc), { context }));
        await entry?.queue;
        if (!entry || entry.broken) throw new Error(`The server could not store its change to ${documentName}.`);
      } finally {
        await direct.disconnect();
      }
    },

    /**
     * After a record's access changed (completed, someone added or removed; or, with no name, after a
     * change to the organisation, for every open record): closes every connection whose
     * person may no longer open it, or whose read-only/read-write mode no longer matches. Their devices
     * reopen the record and get the access the rules now give — or a refusal.
     */
    recheckAccess(documentName?: string) {
      const names = documentName === undefined ? [...hocuspocus.documents.keys()] : [documentName];
      for (const name of names) {
        if (parseInboxDocName(name) !== null) continue;
        const record = access.record(name);
        for (const connection of connectionsTo(name)) {
          const context = connection.context as ConnectionContext;
          const user = options.findActiveUser(context.user.id);
          const level = user && record ? access.accessTo(user, record).level : 'none';
          if (level === 'none' || (level === 'read') !== connection.readOnly) connection.close();
        }
      }
    },

    /** Tells everyone who may now read a record (someone was just added to it) to fetch it. */
    notifyReaders,

    /** Tells a person's devices, through their inbox, that a notification has arrived. */
    pushNotification(userId: string) {
      const message: InboxMessage = { type: 'notification' };
      hocuspocus.documents.get(inboxDocName(userId))?.broadcastStateless(JSON.stringify(message));
    },

    /** Cuts every live connection of a person (deactivated, or every sign-in revoked) at once. */
    disconnectUser(userId: string) {
      for (const documentName of hocuspocus.documents.keys()) {
        for (const connection of connectionsTo(documentName)) {
          if ((connection.context as ConnectionContext).user.id === userId) connection.webSocket.close(4401, 'signed-out');
        }
      }
    },

    /** Documents open in memory (for tests and monitoring). */
    openDocumentCount: () => hocuspocus.getDocumentsCount(),
    /** Closes every connection and waits until every update received has been stored. */
    async close() {
      hocuspocus.closeConnections();
      await Promise.all([...live].map((entry) => entry.queue));
      closed = true;
      for (const entry of live) {
        if (entry.ackTimer) clearTimeout(entry.ackTimer);
        if (entry.notifyTimer) clearTimeout(entry.notifyTimer);
      }
    },
  };
}

export type Collaboration = ReturnType<typeof createCollaboration>;
