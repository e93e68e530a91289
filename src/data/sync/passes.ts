/**
 * Passes: on each connection, on `online`, when the app becomes visible, on "Sync now", on an inbox
 * message and once a minute, the device
 *
 *  1. asks the server which records changed elsewhere (the changes feed) and which it may read (the listing);
 *  2. sends every record with changes the server has not proved it stores — records not on screen on the
 *     bulk path (bulkPath.ts, many to a request), records on screen on the live path (liveRecords.ts);
 *  3. fetches what changed elsewhere, in pages (fetching.ts);
 *  4. sends the outbox (commands go after the records they are about), applies the listing (drops records
 *     this person may no longer read, once nothing on them is unsent) and refreshes actions and programme.
 *
 * A pass that leaves something undone keeps the changes cursor where it was, so the next one tries again.
 */
import { parseRecordDocName, recordDocName, type RecordKind } from '../../../domain/records';
import { SYNC_BATCH_SIZE } from '../../../domain/sync';
import { fetchRecordChanges, fetchRecordListing, sendCommand } from '../api';
import { refreshActions } from '../actions';
import { indexSettled, removeLocalRecord } from '../docs/openRecord';
import { pendingCommands, settleCommand } from '../outbox';
import { refreshProgramme } from '../programme';
import { applyRecordListing, cannotBeSent, getMeta, indexedRecordIds, markAccess, setMeta, unsentRecords, writableRecords } from '../records';
import { trackSync } from './activity';
import { BULK_BATCH_SIZE, exchangeBatch, foldSentRecords, readForExchange, type BatchItem, type BatchRead } from './bulkPath';
import type { Connection } from './connection';
import { fetchInBulk } from './fetching';
import type { LiveRecords } from './liveRecords';
import type { SyncShared } from './types';

const SAFETY_PASS_MS = 60_000;
/**
 * Records whose states the bulk path reads at once when sending (then sends a batch at a time): enough
 * for a day's work in one read of the document table, few enough to hold in memory (~3 KB a record).
 */
const READ_AHEAD_RECORDS = 2_000;
/**
 * After a pass leaves records unsent, the next try waits this long, doubling up to FAILED_RETRY_MAX_MS
 * while they keep failing. A fixed short retry re-opened the same record every 5 seconds for minutes
 * (30 "Opened" rows in the audit log for one record).
 */
const FAILED_RETRY_MS = 5_000;
const FAILED_RETRY_MAX_MS = 120_000;

type Ref = { kind: RecordKind; id: string };

export class Passes {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private safety: ReturnType<typeof setInterval> | null = null;
  /** How long to wait before trying records that failed again (see FAILED_RETRY_MS). */
  private failedRetryMs = FAILED_RETRY_MS;

  constructor(
    private readonly shared: SyncShared,
    private readonly connection: Connection,
    private readonly live: LiveRecords,
  ) {}

  start(): void {
    // A safety net for a notification lost in transit: look for changes every minute while online.
    this.safety = setInterval(() => this.shared.getStatus().connection === 'online' && this.request(0), SAFETY_PASS_MS);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.safety) clearInterval(this.safety);
  }

  request(delayMs: number): void {
    if (this.shared.destroyed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.running) {
        this.again = true;
        return;
      }
      const pass = this.pass();
      // Sign-out waits for a pass under way before removing this person's stores (activity.ts).
      trackSync(this.shared.options.storeId, pass);
      this.running = pass.finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.request(0);
        }
      });
    }, delayMs);
  }

  private online = () => !this.shared.destroyed && this.shared.getStatus().connection === 'online';

  /**
   * One pass (see the header). Each record is sent or fetched at most once per pass, and only if it is to
   * be: records this person may no longer write are left alone (they cannot be sent, and the changes feed
   * brings them if someone else changes them).
   */
  private async pass(): Promise<void> {
    if (!this.online()) return;
    const { shared } = this;
    const { storeId } = shared.options;

    // Records changed elsewhere since the last pass.
    let cursor = Number((await getMeta(storeId, 'changesCursor')) ?? 0);
    const incoming: Ref[] = [];
    // The server's database restored from a backup since the last pass: its changes feed started again,
    // and it may lack edits this device was told were stored. Every record this device may write is
    // sent again; the server stores exactly what its (older) state lacks.
    const knownRestore = (await getMeta(storeId, 'serverRestore')) ?? '';
    let restore = knownRestore;
    try {
      for (;;) {
        const page = await fetchRecordChanges(shared.options.getToken, cursor, shared.deviceId, shared.options.serverUrl);
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
      for (const listed of await fetchRecordListing(shared.options.getToken, shared.options.serverUrl)) {
        const parsed = parseRecordDocName(listed.name);
        if (parsed && !onDevice.has(parsed.id)) incoming.push(parsed);
      }
    } catch {
      return; // the server went away again; the next connection runs a new pass
    }

    // Every change made so far counts (index rows are written just after each change).
    await indexSettled();
    // Records this person may only read (or no longer open) cannot be sent: never offered.
    const outgoing: Ref[] = (await unsentRecords(storeId)).filter((r) => !cannotBeSent(r)).map(({ kind, id }) => ({ kind, id }));
    const outgoingIds = new Set(outgoing.map((r) => r.id));
    const restored = restore !== knownRestore;
    // After a restore every writable record is sent again (not only the unsent ones).
    const resend: Ref[] = restored ? (await writableRecords(storeId)).filter((r) => !outgoingIds.has(r.id)) : [];
    const sendIds = new Set([...outgoingIds, ...resend.map((r) => r.id)]);
    const seen = new Set<string>();
    const fetchOnly = incoming.filter((r) => !sendIds.has(r.id) && !seen.has(r.id) && seen.add(r.id));

    // Records on screen go on the live path; so does everything when the bulk path is switched off.
    const onScreen = this.live.onScreen();
    const isLive = (r: Ref) => shared.options.liveOnly === true || onScreen.has(recordDocName(r.kind, r.id));
    const liveQueue: Ref[] = [...outgoing, ...resend, ...fetchOnly].filter(isLive);

    let sent = 0;
    let refused = 0;
    let incomplete = false;
    const failed: string[] = [];
    if (outgoing.length > 0) shared.update({ sending: { done: 0, total: outgoing.length } });

    // 1. Sending on the bulk path, a batch at a time.
    const toSend: BatchItem[] = [...outgoing, ...resend].filter((r) => !isLive(r)).map((r) => ({ ...r, send: true }));
    const toFetch: Ref[] = fetchOnly.filter((r) => !isLive(r));
    const batchSize = shared.options.bulkBatchSize ?? BULK_BATCH_SIZE;
    /** Records proved stored and marked sent on the bulk path: their rows are folded at the end of the pass. */
    const sentOnBulk: string[] = [];
    // Read for several batches at once: one read of the document table instead of a lookup per record.
    const readAhead = Math.max(1, Math.floor(READ_AHEAD_RECORDS / batchSize)) * batchSize;
    let read: BatchRead | null = null;
    for (let i = 0; i < toSend.length; i += batchSize) {
      if (!this.online()) {
        incomplete = true;
        failed.push(...toSend.slice(i).filter((r) => outgoingIds.has(r.id)).map((r) => r.id));
        break;
      }
      if (i % readAhead === 0) read = await readForExchange(storeId, toSend.slice(i, i + readAhead));
      const batch = toSend.slice(i, i + batchSize);
      const result = await exchangeBatch(shared, batch, read!);
      const stored = new Set(result.stored);
      for (const item of batch) if (stored.has(item.id)) sentOnBulk.push(recordDocName(item.kind, item.id));
      for (const id of result.stored) if (outgoingIds.has(id)) sent++;
      for (const [id] of result.refused) if (outgoingIds.has(id)) refused++;
      for (const id of result.failed) {
        if (outgoingIds.has(id)) failed.push(id);
        else incomplete = true;
      }
      liveQueue.push(...result.live);
      toFetch.push(...result.deferred);
      shared.update({ sending: { done: sent, total: outgoing.length } });
    }

    // 2. Fetching what changed elsewhere, a page at a time.
    if (toFetch.length > 0 && this.online()) {
      const fetched = await fetchInBulk(shared, toFetch);
      if (fetched.failed.length > 0) incomplete = true;
      liveQueue.push(...fetched.live);
    }

    // 3. The live path: records on screen, and those the bulk path left to it.
    if (liveQueue.some(({ kind, id }) => this.live.refusedOnSocket.has(recordDocName(kind, id)))) {
      // A document refused earlier on this websocket would never be answered on it: start a fresh one
      // (its connection runs this pass again). Only then — a refusal alone never drops every record on screen.
      this.connection.reconnect();
      await foldSentRecords(storeId, sentOnBulk, batchSize);
      return;
    }
    const timeout = shared.options.recordTimeoutMs ?? 30_000;
    const liveBatch = shared.options.batchSize ?? SYNC_BATCH_SIZE;
    for (let i = 0; i < liveQueue.length; i += liveBatch) {
      if (!this.online()) {
        incomplete = true;
        break;
      }
      await Promise.all(
        liveQueue.slice(i, i + liveBatch).map(async ({ kind, id }) => {
          const { ok, failure } = await this.live.syncOnce(kind, id, timeout);
          const forbidden = failure?.startsWith('forbidden') ?? false;
          if (ok) await shared.recordStored(id);
          // The server refuses this person the record now: stop trying to send it (it stays on the device).
          else if (forbidden) await markAccess(storeId, id, 'none');
          if (!ok && !forbidden && sendIds.has(id) && !outgoingIds.has(id)) incomplete = true;
          if (!outgoingIds.has(id)) return;
          if (ok) sent++;
          else if (forbidden) refused++;
          else failed.push(id);
          shared.update({ sending: { done: sent, total: outgoing.length } });
        }),
      );
    }

    let complete = sent + refused === outgoing.length && !incomplete && this.online();
    // Commands go after the records they are about, so the server checks what the person saw (it answers
    // "try again" for a record it does not have all of yet). Then the device learns what it may keep.
    if (this.online()) {
      const commandsSent = await this.sendCommands();
      const listingApplied = await this.applyListing();
      // The actions this person may read, after the commands that change them (so the list shows their effect).
      const actionsRefreshed = await this.refreshActions();
      complete = complete && commandsSent && listingApplied && actionsRefreshed;
    }
    // Records that cannot be sent do not make a pass incomplete: the status bar says so from the index,
    // and holding the cursor back would fetch the same changes on every pass.
    if (complete) {
      const now = new Date().toISOString();
      await setMeta(storeId, 'changesCursor', String(cursor));
      await setMeta(storeId, 'serverRestore', restore);
      await setMeta(storeId, 'lastSyncAt', now);
      this.failedRetryMs = FAILED_RETRY_MS;
      shared.update({ sending: null, lastSyncAt: now, failed: [] });
    } else {
      shared.update({ sending: null, failed: failed.length > 0 ? failed : shared.getStatus().failed });
      if ((failed.length > 0 || incomplete) && this.online()) {
        this.request(this.failedRetryMs);
        this.failedRetryMs = Math.min(this.failedRetryMs * 2, FAILED_RETRY_MAX_MS);
      }
    }
    // Housekeeping last: the records are sent, the commands gone, the status shown (see foldSentRecords).
    if (!shared.destroyed) await foldSentRecords(storeId, sentOnBulk, batchSize);
  }

  /** Sends the outbox, oldest first. Returns false if something must wait for a later pass. */
  private async sendCommands(): Promise<boolean> {
    const { storeId, serverUrl } = this.shared.options;
    for (const entry of await pendingCommands(storeId)) {
      if (!this.online()) return false;
      let outcome;
      try {
        outcome = await sendCommand(entry.command, this.shared.options.getToken, serverUrl, this.shared.deviceId);
      } catch {
        return false; // offline again, or the server is down: it stays in the outbox
      }
      await settleCommand(storeId, entry.id, outcome);
      if (outcome.status === 'retry') {
        this.request(2000);
        return false;
      }
    }
    return true;
  }

  /** Refreshes the tablet's copy of the actions this person may read; false when the server could not be asked. */
  async refreshActions(): Promise<boolean> {
    const { options } = this.shared;
    try {
      // The QA programme (assignments, schedule, coverage) travels with actions: the same inbox message says
      // either changed. It is best-effort: the tablet keeps its last copy, and a pass is not held back by it
      // (an administrator has none, and does not ask: `fetchProgramme`).
      await Promise.all([
        refreshActions(options.storeId, options.getToken, options.serverUrl),
        options.fetchProgramme === false ? undefined : refreshProgramme(options.storeId, options.getToken, options.serverUrl).catch(() => undefined),
      ]);
      return true;
    } catch {
      return false;
    }
  }

  /** Fetches which records this person may read and brings the device in line (see applyRecordListing). */
  private async applyListing(): Promise<boolean> {
    const { storeId, serverUrl, getToken } = this.shared.options;
    try {
      const lost = await applyRecordListing(storeId, await fetchRecordListing(getToken, serverUrl));
      for (const { kind, id } of lost) await removeLocalRecord(storeId, kind, id);
      return true;
    } catch {
      return false;
    }
  }
}
