/**
 * The sync server: the Yjs sync protocol on Hocuspocus, over one websocket per device that carries all
 * of its documents. Hocuspocus acknowledges an update before anything is stored (its store hook is
 * debounced), so durability is handled here instead:
 *
 *  - every update is appended to the document store as it arrives, attributed to the signed-in person
 *    who sent it, in order; a document's updates that arrive while its last ones are being committed go
 *    together into the store's next group commit;
 *  - the storage proof (describeStoredState) is taken from the document itself, and only at a moment when
 *    every update it has applied is committed — then what it holds is exactly what is stored, with no
 *    second copy of the document (issue 20: the "mirror" doubled the apply work and the memory);
 *  - the proof goes to the connections that need it, not to everyone: each connection that wrote is sent
 *    one, coalesced, at the first such moment after its update — covering its update and everything the
 *    server had sent it — and a device that asks ("stored?") is answered at the first such moment too.
 *    While a document is written continuously its writers' proofs go out together at most once every
 *    PROOF_INTERVAL_MS (each costs a description of the whole document and a message to every writer:
 *    one per edit under live editing, issue 20); the last edit of a burst is always proved.
 *    A device counts a record as sent only when its own state lies inside a proof (recordModel/storedState.ts);
 *  - a document whose load fails is refused — never opened blank — and one whose append fails is closed
 *    and dropped from memory, so nothing unstored is ever reported as stored;
 *  - Hocuspocus' debounced store hook only compacts.
 *
 * Everything a client sends is treated as hostile (see also socketGuard.ts, which bounds each socket):
 * every hook parses what it is given and never lets an exception reach Hocuspocus un-awaited; a client's
 * update is checked before it is applied (writePolicy.ts: nothing the server owns, nothing into an inbox,
 * nothing once the record has left draft, nothing that takes a record past its size limit); presence must
 * name the person signed in; a connection lives no longer than its access token or its sign-in.
 */
import { log } from '../log';
import { Hocuspocus, type Connection } from '@hocuspocus/server';
import type { IncomingMessage } from 'node:http';
import * as Y from 'yjs';
import { z } from 'zod';
import type { Person } from '../../domain/directory';
import { parseRecordDocName } from '../../domain/records';
import { DEVICE_PARAM, inboxDocName, MAX_DOCUMENT_BYTES, MAX_MESSAGE_BYTES, parseInboxDocName, type InboxMessage, type SyncRefusal } from '../../domain/sync';
import { describeStoredState } from '../../recordModel/storedState';
import { AccessDenied, type Access } from '../access';
import type { AuditLog } from '../audit';
import type { DocumentStore, UpdateAttribution } from '../persistence/documentStore';
import type { EndedSignIn } from '../sessions';
import { readClientMessage } from './clientMessages';
import { checkPresence } from './presencePolicy';
import { checkRecordWrite, isEmptyUpdate } from './writePolicy';

/** The sign-in a connection was opened under: it closes when that ends, or when its access token runs out. */
export interface SignInOfConnection {
  familyId: string;
  /** When the access token the connection last showed stops working (ms since the epoch). */
  expiresAt: number;
}

export interface ConnectionContext {
  user: Person;
  /** The id the device sent with its connection (DEVICE_PARAM), if any. */
  deviceId: string | null;
  /** Absent for the server's own edits (commands), which are not a device's. */
  signIn?: SignInOfConnection;
  /** The access the device was told it has on this document when it opened it. */
  scope?: 'read' | 'write';
  /** Timers that ask for a fresh token before this one runs out, and close the connection when it has. */
  expiry?: { renew: ReturnType<typeof setTimeout> | null; close: ReturnType<typeof setTimeout> | null };
}

interface OpenDocument {
  name: string;
  /** The Hocuspocus document this state belongs to. A document being unloaded and a new one of the same
   * name being loaded can overlap, so state is kept per document instance, never per name. */
  document: Y.Doc & { broadcastStateless(payload: string): void };
  /** Updates applied to the document and not yet handed to the store, in the order they were applied. */
  waiting: { update: Uint8Array; attribution: UpdateAttribution }[];
  /** Updates applied to the document and not yet committed: the proof is taken only when this is 0. */
  unstored: number;
  /** Settles once every update applied so far is committed (or the document broke): the appends run one
   * group after another, in the order updates arrived. */
  queue: Promise<void>;
  /** Whether a group of appends is being committed now. */
  writing: boolean;
  /** Connections owed a proof: they wrote (or asked), and have not yet been sent one that covers it. */
  owedProof: Set<Connection>;
  /** Set when an append failed: nothing more is stored or acknowledged until it is reloaded. */
  broken: boolean;
  /** Bytes of the stored state plus every update applied since (the size limit's count). */
  bytes: number;
  ackTimer: ReturnType<typeof setTimeout> | null;
  /** When the writers of this document were last sent their proofs (Date.now). */
  lastProofAt: number;
  notifyTimer: ReturnType<typeof setTimeout> | null;
  /** Which person speaks for each presence (awareness) client id, so nobody speaks for another. */
  presenceOwners: Map<number, string>;
}

export interface CollaborationOptions {
  store: DocumentStore;
  access: Access;
  audit: AuditLog;
  /** The person (and sign-in) an access token belongs to, or why it is refused. */
  authenticate(token: string): { user: Person; signIn: SignInOfConnection } | { refused: string; message: string };
  /** Sign-ins ended at or after an ISO time (by this process or another on the same database). */
  revokedSince?(since: string): string[];
  /** A person as they are now (null once deactivated): access is re-checked against this. */
  findActiveUser(id: string): Person | null;
  /** How long Hocuspocus waits after the last change before compacting a document. */
  compactAfterMs?: number;
  /** The server's clock, for when an update was received (the demo's records are written at their own dates). */
  now?(): Date;
  /** Resolves once no bulk write (bulk.ts) of this document is under way, so a load sees all of it. */
  beforeLoad?(documentName: string): Promise<void>;
}

const ACK_DELAY_MS = 50;
/** The least time between two rounds of proofs to a document's writers (see the top of this file). */
export const PROOF_INTERVAL_MS = 500;
const NOTIFY_DELAY_MS = 200;
/** How often the server looks for sign-ins ended elsewhere (the admin command line). */
const REVOCATION_SWEEP_MS = 5_000;
/** Refusals one socket may add to the audit log each minute; past that they are counted in one row. */
const AUDITED_REFUSALS_PER_MINUTE = 20;

/** Hocuspocus reports `reason` to the client; an object without `message` keeps refusals out of the error log. */
const refuse = (reason: string) => ({ reason });

/** What a device may ask the server on a record's document; anything else is ignored. */
const syncRequestSchema = z.object({ type: z.literal('stored?') });

export function createCollaboration(options: CollaborationOptions) {
  const { store, access } = options;
  const open = new WeakMap<Y.Doc, OpenDocument>();
  /** Set by close(): timers and hooks that would touch the database do nothing any more. */
  let closed = false;
  /** Every document state still in use, so that closing can wait for their appends. */
  const live = new Set<OpenDocument>();
  /** Inboxes open now: with none, nobody's device is listening for "changed" notices. */
  const openInboxes = new Set<string>();
  /**
   * Each connection's last message (see beforeHandleMessage): either checked at a turn of the event loop
   * (`afterTurn`: it is applied before the next turn begins), or still waiting for the one before it
   * (`applied`: settles once it has been checked and applied).
   */
  const lastMessage = new WeakMap<Connection, { afterTurn: number } | { applied: Promise<void> }>();
  /** Turns of the event loop in which messages were checked, counted at the end of each (see currentTurn). */
  let turn = 0;
  let turnEnding = false;
  /** The current turn's number; it goes up once this turn's promise reactions (and their applies) have run. */
  function currentTurn(): number {
    if (!turnEnding) {
      turnEnding = true;
      setImmediate(() => {
        turn++;
        turnEnding = false;
      });
    }
    return turn;
  }
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  /** Connections (update origins) whose changes are already in the audit log. */
  const auditedChanges = new WeakSet<object>();
  /** Refusals written to the audit log per socket (its HTTP upgrade request) this minute. */
  const auditedRefusals = new WeakMap<IncomingMessage, { windowStart: number; count: number }>();
  let lastSweep = new Date().toISOString();
  const sweep = setInterval(() => {
    if (closed || !options.revokedSince) return;
    const now = new Date().toISOString();
    const families = new Set(options.revokedSince(lastSweep));
    lastSweep = now;
    if (families.size > 0) closeWhere((context) => !!context.signIn && families.has(context.signIn.familyId));
  }, REVOCATION_SWEEP_MS);
  sweep.unref();

  /** Whether this refusal may be written to the audit log (a flood of refusals from one socket is summarised). */
  function mayAuditRefusal(request: IncomingMessage): 'yes' | 'summary' | 'no' {
    const now = Date.now();
    let counter = auditedRefusals.get(request);
    if (!counter || now - counter.windowStart > 60_000) {
      counter = { windowStart: now, count: 0 };
      auditedRefusals.set(request, counter);
    }
    counter.count++;
    if (counter.count <= AUDITED_REFUSALS_PER_MINUTE) return 'yes';
    return counter.count === AUDITED_REFUSALS_PER_MINUTE + 1 ? 'summary' : 'no';
  }

  const hocuspocus = new Hocuspocus({
    quiet: true,
    debounce: options.compactAfterMs ?? 10_000,
    maxDebounce: 60_000,
    timeout: 30_000,

    async onAuthenticate({ token, documentName, requestParameters, connectionConfig, request }): Promise<ConnectionContext> {
      const result = options.authenticate(typeof token === 'string' ? token : '');
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
        const audit = mayAuditRefusal(request);
        if (audit === 'yes') options.audit.record({ userId: result.user.id, deviceId, action: 'refused', record: documentName.slice(0, 200), detail: error.reason });
        if (audit === 'summary')
          options.audit.record({ userId: result.user.id, deviceId, action: 'refused', record: documentName.slice(0, 200), detail: `more than ${AUDITED_REFUSALS_PER_MINUTE} refusals on one connection in a minute; the rest are not logged` });
        throw refuse(`forbidden: ${error.reason}`);
      }
      return { user: result.user, deviceId, signIn: result.signIn, scope: connectionConfig.readOnly ? 'read' : 'write' };
    },

    /** The device answered the server's request for a fresh token (sent before the last one runs out). */
    async onTokenSync({ token, connection }) {
      const context = connection.context as ConnectionContext;
      const result = options.authenticate(typeof token === 'string' ? token : '');
      if ('refused' in result || result.user.id !== context.user.id) {
        closeConnection(connection);
        return;
      }
      context.signIn = result.signIn;
      scheduleExpiry(connection);
    },

    async onDisconnect({ context }) {
      clearExpiry(context as ConnectionContext);
    },

    async onLoadDocument({ documentName, document }) {
      await options.beforeLoad?.(documentName);
      // A failed load throws: Hocuspocus then refuses the document instead of serving (and later storing) a blank one.
      const state = await store.load(documentName);
      if (state) Y.applyUpdate(document, state);
      const entry: OpenDocument = {
        name: documentName,
        document,
        waiting: [],
        unstored: 0,
        queue: Promise.resolve(),
        writing: false,
        owedProof: new Set(),
        broken: false,
        bytes: state?.byteLength ?? 0,
        ackTimer: null,
        lastProofAt: 0,
        notifyTimer: null,
        presenceOwners: new Map(),
      };
      open.set(document, entry);
      live.add(entry);
    },

    async afterLoadDocument({ documentName, document }) {
      if (parseInboxDocName(documentName) !== null) {
        openInboxes.add(documentName);
        return; // inboxes carry messages, not content
      }
      const entry = open.get(document)!;
      document.on('update', (update: Uint8Array, origin: unknown) => {
        const context = (origin as { context?: Partial<ConnectionContext> } | null)?.context;
        append(entry, update, { userId: context?.user?.id ?? null, deviceId: context?.deviceId ?? null });
        // The device that wrote is owed a proof that covers this update (the server's own edits are not a device's).
        if (isConnection(origin)) entry.owedProof.add(origin);
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
      if (hocuspocus.documents.get(documentName) !== connection.document) {
        connection.close();
        return;
      }
      scheduleExpiry(connection);
    },

    /**
     * Every message a client sends on an open document passes here before Hocuspocus applies it. A refusal
     * closes that document's connection (the device is told why first); reads are never refused for size.
     */
    beforeHandleMessage({ update: frame, document, connection, documentName }) {
      // Hocuspocus runs this hook for each message as it arrives and applies the message when the hook
      // resolves, so two messages that arrive together are both checked before either is applied: an
      // update that builds on the one before it would then be refused as "missing-dependency" (seen under
      // load, issue 20). Each message of a connection is therefore checked only once the one before it has
      // been applied. Hocuspocus applies a message in promise reactions after its check, so it is in by the
      // next turn of the event loop: a message that arrives in a later turn than the check of the one
      // before it is checked at once (the usual case, with no promise or timer of its own — issue 20); one
      // that arrives in the same turn waits for the next.
      const last = lastMessage.get(connection);
      const now = currentTurn();
      if (!last || ('afterTurn' in last && last.afterTurn < now)) {
        lastMessage.set(connection, { afterTurn: now });
        checkMessage(frame, document, connection, documentName);
        return Promise.resolve();
      }
      const previous = 'afterTurn' in last ? nextTurn() : last.applied;
      const checked = previous.then(() => checkMessage(frame, document, connection, documentName));
      const entry = {
        applied: checked.then(nextTurn, () => undefined).then(() => {
          // Nothing came after it: the next message is checked at once.
          if (lastMessage.get(connection) === entry) lastMessage.delete(connection);
        }),
      };
      lastMessage.set(connection, entry);
      return checked;
    },

    async onStateless({ payload, connection, document }) {
      try {
        let json: unknown;
        try {
          json = JSON.parse(payload);
        } catch {
          return;
        }
        if (!syncRequestSchema.safeParse(json).success) return;
        const entry = open.get(document);
        if (!entry || entry.broken) return;
        // Answered now if everything applied is stored, or else as soon as it is.
        if (!sendProof(entry, [connection])) entry.owedProof.add(connection);
      } catch (error) {
        // Hocuspocus does not await this hook: a rejection here would end the process.
        log.error({ err: error, doc: document.name }, 'A stateless message could not be answered.');
      }
    },

    async onStoreDocument({ documentName, document }) {
      const entry = open.get(document);
      // Compaction only saves space; after close the database is gone, and every update is stored already.
      if (!entry || entry.broken || closed || parseInboxDocName(documentName) !== null) return;
      await entry.queue;
      await store.compact(documentName);
    },

    async afterUnloadDocument({ documentName }) {
      if (!hocuspocus.documents.has(documentName)) openInboxes.delete(documentName);
      // Forget the states of unloaded documents of this name (not a newer document of the same name).
      for (const entry of live) {
        if (entry.name !== documentName || hocuspocus.documents.get(documentName) === entry.document) continue;
        // The notification still goes out: a device that sends and detaches at once unloads the document
        // before it fires, and the others must still hear of the change.
        if (entry.ackTimer) clearTimeout(entry.ackTimer);
        entry.owedProof.clear();
        live.delete(entry);
      }
    },
  });

  /** Throws the refusal of a client's message, if it is refused (see beforeHandleMessage). */
  function checkMessage(frame: Uint8Array, document: Y.Doc, connection: Connection, documentName: string): void {
    if (frame.byteLength > MAX_MESSAGE_BYTES) throw refuse('message-too-large');
    const message = readClientMessage(frame);
    if (!message) throw refuse('unreadable-message');
    const context = connection.context as ConnectionContext;
    const isInbox = parseInboxDocName(documentName) !== null;
    const entry = open.get(document);

    if (message.kind === 'awareness') {
      // Inboxes carry no presence; on a record, presence names the person signed in, and nobody else's.
      const problem = isInbox ? 'An inbox has no presence.' : entry ? checkPresence(message.update, context.user, entry.presenceOwners, (clientId) => (document as Y.Doc & { awareness: { meta: Map<number, { clock: number }> } }).awareness.meta.get(clientId)?.clock) : null;
      if (problem) throw refuse(`presence-refused: ${problem}`);
      return;
    }
    if (message.kind !== 'update') return;
    // A read-only connection's updates are dropped by Hocuspocus itself.
    if (connection.readOnly) return;
    if (isInbox) {
      // An inbox carries messages, not content: it stays empty.
      if (!isEmptyUpdate(message.update)) throw refuse('inbox-is-read-only');
      return;
    }
    // The usual empty update (a sync reply with nothing new) is told by its bytes; the write check decodes
    // every other update once — and allows one that turns out to be empty, as it always has.
    if (isCanonicalEmptyUpdate(message.update)) return;
    const refusal = checkWrite(documentName, document, entry, message.update, context.user);
    if (refusal && isEmptyUpdate(message.update)) return;
    refuseWrite(connection, refusal);
  }

  function append(entry: OpenDocument, update: Uint8Array, from: { userId: string | null; deviceId: string | null }) {
    entry.waiting.push({ update, attribution: { ...from, receivedAt: (options.now?.() ?? new Date()).toISOString() } });
    // Counted as applied, not as committed: the next update's size check must see this one even while it
    // waits for its group commit.
    entry.bytes += update.byteLength;
    entry.unstored++;
    if (!entry.writing) entry.queue = writeWaiting(entry);
  }

  /**
   * Commits a document's waiting updates, one group after another: each group is handed to the store in
   * one synchronous step, so it joins one group commit (one transaction: stored together or not at all),
   * and the next group waits until that one is on disk. Updates stay in the order they were applied.
   */
  async function writeWaiting(entry: OpenDocument): Promise<void> {
    const { name } = entry;
    entry.writing = true;
    try {
      while (entry.waiting.length > 0 && !entry.broken) {
        const group = entry.waiting.splice(0);
        try {
          await Promise.all(group.map(({ update, attribution }) => store.append(name, update, attribution)));
        } catch (error) {
          log.error({ err: error, doc: name }, 'Storing an update failed; closing the document so devices resend.');
          entry.broken = true;
          entry.waiting = [];
          entry.owedProof.clear();
          hocuspocus.closeConnections(name);
          return;
        }
        entry.unstored -= group.length;
        scheduleNotify(name, entry);
      }
      if (entry.owedProof.size > 0) scheduleAck(entry);
    } finally {
      entry.writing = false;
    }
  }

  /** Whether an update is the encoding of nothing: no structs, no deletions (what Yjs writes for an empty diff). */
  function isCanonicalEmptyUpdate(update: Uint8Array): boolean {
    return update.byteLength === 2 && update[0] === 0 && update[1] === 0;
  }

  /** Whether an update's origin is a device's connection (the server's own edits come from elsewhere). */
  function isConnection(origin: unknown): origin is Connection {
    return !!origin && typeof (origin as Partial<Connection>).sendStateless === 'function';
  }

  /**
   * Sends the storage proof to these connections if the document holds exactly what is stored now (every
   * update it applied is committed); returns false, sending nothing, when it does not.
   */
  function sendProof(entry: OpenDocument, connections: Iterable<Connection>): boolean {
    if (entry.broken || closed || entry.unstored > 0) return false;
    // Never describe what is only pending in the document (writePolicy refuses updates that would leave any).
    const pending = entry.document.store as { pendingStructs: unknown; pendingDs: unknown };
    if (pending.pendingStructs || pending.pendingDs) return false;
    const proof = JSON.stringify(describeStoredState(entry.document));
    for (const connection of connections) connection.sendStateless(proof);
    return true;
  }

  /** Why a client's update to a record may not be applied, or null when it may. */
  function checkWrite(documentName: string, document: Y.Doc, entry: OpenDocument | undefined, update: Uint8Array, user: Person): SyncRefusal | null {
    const parsed = parseRecordDocName(documentName);
    const record = access.record(documentName);
    if (!parsed || !record || !entry) return { type: 'refused', reason: 'not-a-record', message: 'This is not a record the server knows.' };
    // From the instant a record leaves draft (the server's own data), no client update to it is stored.
    if (record.status !== 'draft') return { type: 'refused', reason: 'not-a-draft', message: 'This record is no longer a draft, so it cannot be changed.' };
    // Refuse the write that would take the record past its limit; reads go on, so it stays readable.
    if (entry.bytes + update.byteLength > MAX_DOCUMENT_BYTES)
      return { type: 'refused', reason: 'too-large', message: 'This change would make the record too large to store. Shorten what you added.' };
    const refusal = checkRecordWrite(document, update, user, parsed);
    return refusal ? { type: 'refused', reason: refusal.reason, message: refusal.message } : null;
  }

  /** Tells the device why its change was refused (on the server's own path), then refuses it. */
  function refuseWrite(connection: Connection, refusal: SyncRefusal | null) {
    if (!refusal) return;
    connection.sendStateless(JSON.stringify(refusal));
    throw refuse(`write-refused: ${refusal.reason}`);
  }

  /** Closes a connection so that nothing it sends afterwards is applied, even what is already on its way. */
  function closeConnection(connection: Connection) {
    // Hocuspocus checks readOnly as it applies each message, including those already past their hooks.
    connection.readOnly = true;
    clearExpiry(connection.context as ConnectionContext);
    connection.close();
  }

  /** Closes every live connection whose context matches. */
  function closeWhere(matches: (context: ConnectionContext) => boolean) {
    for (const documentName of hocuspocus.documents.keys()) {
      for (const connection of connectionsTo(documentName)) {
        const context = connection.context as ConnectionContext | undefined;
        if (context?.user && matches(context)) closeConnection(connection);
      }
    }
  }

  /**
   * A connection lives no longer than its access token: shortly before the token runs out the server asks
   * the device for its current one (Hocuspocus' token sync); if none comes, the connection is closed.
   */
  function scheduleExpiry(connection: Connection) {
    const context = connection.context as ConnectionContext;
    if (!context?.signIn) return;
    clearExpiry(context);
    // setTimeout takes at most 2^31-1 ms; an access token lasts minutes.
    const left = Math.min(context.signIn.expiresAt - Date.now(), 2 ** 31 - 1);
    if (left <= 0) {
      closeConnection(connection);
      return;
    }
    const renewAhead = Math.min(60_000, left / 4);
    const renew = setTimeout(() => {
      if (context.expiry) context.expiry.renew = null;
      connection.requestToken();
    }, left - renewAhead);
    const close = setTimeout(() => closeConnection(connection), left);
    renew.unref();
    close.unref();
    context.expiry = { renew, close };
  }

  function clearExpiry(context: ConnectionContext | undefined) {
    if (!context?.expiry) return;
    if (context.expiry.renew) clearTimeout(context.expiry.renew);
    if (context.expiry.close) clearTimeout(context.expiry.close);
    context.expiry = { renew: null, close: null };
  }

  /**
   * Sends the proof to the connections owed one (coalesced: one message per burst, and one round at most
   * every PROOF_INTERVAL_MS). If updates are being committed when it fires, the end of that commit
   * schedules it again.
   */
  function scheduleAck(entry: OpenDocument) {
    if (entry.ackTimer) return;
    // Bounded by the interval, so a clock set back cannot hold a proof for longer than that.
    const wait = Math.min(PROOF_INTERVAL_MS, Math.max(ACK_DELAY_MS, entry.lastProofAt + PROOF_INTERVAL_MS - Date.now()));
    entry.ackTimer = setTimeout(() => {
      entry.ackTimer = null;
      if (entry.owedProof.size === 0) return;
      if (sendProof(entry, entry.owedProof)) {
        entry.owedProof.clear();
        entry.lastProofAt = Date.now();
      }
    }, wait);
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
    // Nobody's device is listening: skip the readers query (a recursive one; 250 a second under load, issue 20).
    if (openInboxes.size === 0) return;
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
      // Access to a moderation and to linked family feedback derives from their review: re-check those too.
      const names = documentName === undefined ? [...hocuspocus.documents.keys()] : [documentName, ...access.derivedRecords(documentName)];
      for (const name of names) {
        if (parseInboxDocName(name) !== null) continue;
        const record = access.record(name);
        for (const connection of connectionsTo(name)) {
          const context = connection.context as ConnectionContext;
          const user = options.findActiveUser(context.user.id);
          const level = user && record ? access.accessTo(user, record).level : 'none';
          // Compared with what the device was told (not connection.readOnly, which stopWritersWhoMayNot sets).
          if (level === 'none' || level !== (context.scope ?? (connection.readOnly ? 'read' : 'write'))) closeConnection(connection);
        }
      }
    },

    /**
     * From this instant, connections that may no longer write to a record (or to one whose access derives
     * from it) apply nothing more they send — even what is already on its way. Called in the same
     * synchronous step as the change of status; recheckAccess then closes them, once the server's own edit
     * has reached them.
     */
    stopWritersWhoMayNot(documentName: string) {
      for (const name of [documentName, ...access.derivedRecords(documentName)]) {
        const record = access.record(name);
        for (const connection of connectionsTo(name)) {
          if (connection.readOnly) continue;
          const user = options.findActiveUser((connection.context as ConnectionContext).user.id);
          if (!user || !record || access.accessTo(user, record).level !== 'write') connection.readOnly = true;
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

    /** Tells people's devices, through their inboxes, that actions they may read have changed. */
    pushActions(userIds: Iterable<string>) {
      const message: InboxMessage = { type: 'actions' };
      for (const userId of userIds) hocuspocus.documents.get(inboxDocName(userId))?.broadcastStateless(JSON.stringify(message));
    },

    /** Cuts every live connection of a person (deactivated, or every sign-in revoked) at once. */
    disconnectUser(userId: string) {
      closeWhere((context) => context.user.id === userId);
    },

    /** Closes every connection opened under a sign-in that has ended (or every sign-in of a person). */
    endSignIn(ended: EndedSignIn) {
      closeWhere((context) => ('familyId' in ended ? context.signIn?.familyId === ended.familyId : context.user.id === ended.userId));
    },

    /** Documents open in memory (for tests and monitoring). */
    openDocumentCount: () => hocuspocus.getDocumentsCount(),
    /** Closes every connection and waits until every update received has been stored. */
    async close() {
      clearInterval(sweep);
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
