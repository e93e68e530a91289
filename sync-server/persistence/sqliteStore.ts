/**
 * The embedded document store on better-sqlite3, on the server's own connection (WAL).
 *
 * Durability without blocking the event loop: with synchronous=FULL every commit fsyncs the WAL on the
 * calling thread, and under 200 live clients that held the server's event loop 8.7 s of every 30 s (issue
 * 20). So appends are committed with synchronous=NORMAL — SQLite writes the transaction's frames into
 * the WAL file and returns, without syncing — and then the WAL file is fsynced by fs.fsync, on libuv's
 * thread pool. An append resolves only once that fsync, issued after its commit, has completed: then the
 * commit frame is on disk, exactly what synchronous=FULL would have ensured before returning. The
 * connection goes back to FULL straight after, so every other write (commands, people, the audit log)
 * keeps FULL's guarantee. A crash between commit and fsync may lose those appends, but none of them has
 * been acknowledged: the WAL keeps each transaction atomic, and devices resend what was not proved.
 *
 * (A commit thread with a second connection was tried first: the main connection's read-then-write
 * transactions then failed with SQLITE_BUSY whenever the thread committed between their read and their
 * write — "database is locked" in the security tests.)
 *
 * Group commit: appends that arrive in the same turn of the event loop are written in one transaction,
 * and while an fsync is under way the transactions committed meanwhile wait for the next, which covers
 * them all. Transactions of appends are also spaced at least GROUP_COMMIT_MS apart: the first append
 * after a quiet spell is committed at the end of its turn, and those that follow it within the window
 * wait for the window's end and go in together. A commit and its fsync cost ~100–300 µs of CPU against
 * ~4 µs per row, and under live editing (200 clients, 800 updates a second arriving one per turn) each
 * update paid for a commit of its own — most of the server's CPU per edit beyond a stock server's
 * (issue 20; measured in docs/benchmarks.md). The wait delays only acknowledgements (the storage proof
 * already waits 50 ms); what other devices see is broadcast when the update is applied. A transaction that fails rejects every append in it (nothing of it is written), and an fsync
 * that fails rejects every append it was to cover. Appends queued as one unit (`enqueue`) are therefore
 * stored all or nothing. Compaction folds updates into a snapshot while keeping a row of attribution for
 * every update ever received (one transaction: atomic in the WAL, so it needs no fsync of its own).
 */
import fs from 'node:fs';
import * as Y from 'yjs';
import { withoutSyncAtCommit, type ServerDatabase } from '../database';
import { DocumentLoadError, type AppendEntry, type DocumentStore, type StoredUpdateInfo, type UpdateAttribution } from './documentStore';

/** The least time between two transactions of appends (see the group commit above). */
export const GROUP_COMMIT_MS = 20;

/** Appends that succeed or fail together (one `append`, or a batch of them). */
interface PendingUnit {
  rows: { name: string; update: Uint8Array; attribution: UpdateAttribution }[];
  resolve(): void;
  reject(error: unknown): void;
}

export class SqliteDocumentStore implements DocumentStore {
  private readonly statements;
  /** Appends waiting for the next transaction. */
  private pending: PendingUnit[] = [];
  /** When the last transaction of appends was written (Date.now), and the commit waiting for its turn. */
  private lastCommitAt = 0;
  private scheduled: { timer: ReturnType<typeof setTimeout> } | { immediate: ReturnType<typeof setImmediate> } | null = null;
  /** Appends committed, waiting for an fsync of the WAL. */
  private unsynced: PendingUnit[] = [];
  private syncing = false;
  /** The WAL file, opened for fsync once it exists (its inode, to notice if SQLite ever made a new one). */
  private wal: { fd: number; ino: number } | null = null;
  /** Transactions of appends committed so far, and how many of them are known to be on disk. */
  private committedCount = 0;
  private syncedCount = 0;
  /** Loads waiting for a count of transactions to be on disk. */
  private syncWaiters: { upTo: number; done(): void }[] = [];
  /**
   * Set when an fsync failed. What it was to cover may or may not be on disk, and after a failed fsync
   * the kernel may have dropped those pages: no append is acknowledged any more, and no load serves
   * what might not be stored, until the server is restarted (as PostgreSQL does).
   */
  private failed: Error | null = null;

  constructor(private readonly db: ServerDatabase) {
    this.statements = {
      snapshot: db.prepare('SELECT data, last_update_id FROM doc_snapshots WHERE doc = ?'),
      updatesAfter: db.prepare('SELECT id, data FROM doc_updates WHERE doc = ? AND id > ? AND data IS NOT NULL ORDER BY id'),
      append: db.prepare('INSERT INTO doc_updates (doc, data, bytes, user_id, device_id, received_at) VALUES (?, ?, ?, ?, ?, ?)'),
      saveSnapshot: db.prepare(
        `INSERT INTO doc_snapshots (doc, data, last_update_id) VALUES (?, ?, ?)
         ON CONFLICT(doc) DO UPDATE SET data = excluded.data, last_update_id = excluded.last_update_id`,
      ),
      dropCompacted: db.prepare('UPDATE doc_updates SET data = NULL WHERE doc = ? AND id <= ?'),
      history: db.prepare('SELECT id, doc, bytes, user_id, device_id, received_at FROM doc_updates WHERE doc = ? ORDER BY id'),
    };
  }

  /** Queues appends to be stored together, all or nothing, in the next group commit. */
  private enqueue(rows: PendingUnit['rows']): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.pending.push({ rows, resolve, reject });
      if (!this.scheduled) this.scheduleCommit();
    });
  }

  /** Commits at the end of this turn, or at the end of the group window if the last commit was within it. */
  private scheduleCommit() {
    // Bounded by the window, so a clock set back cannot hold appends for longer than that.
    const wait = Math.min(GROUP_COMMIT_MS, this.lastCommitAt + GROUP_COMMIT_MS - Date.now());
    this.scheduled = wait > 0 ? { timer: setTimeout(this.commit, wait) } : { immediate: setImmediate(this.commit) };
  }

  /** Writes every pending append in one transaction, then has the WAL synced. */
  private commit = () => {
    if (this.scheduled) {
      if ('timer' in this.scheduled) clearTimeout(this.scheduled.timer);
      else clearImmediate(this.scheduled.immediate);
      this.scheduled = null;
    }
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.lastCommitAt = Date.now();
    try {
      withoutSyncAtCommit(this.db, () =>
        this.db.transaction(() => {
          for (const unit of batch)
            for (const { name, update, attribution } of unit.rows)
              this.statements.append.run(name, Buffer.from(update), update.byteLength, attribution.userId, attribution.deviceId, attribution.receivedAt);
        })(),
      );
    } catch (error) {
      batch.forEach((unit) => unit.reject(error));
      return;
    }
    this.committedCount++;
    this.unsynced.push(...batch);
    if (!this.syncing) this.syncWal();
  };

  /** The WAL file's descriptor, opened (again) if SQLite has made a new file since. */
  private walFd(): number {
    const file = `${this.db.name}-wal`;
    const ino = fs.statSync(file).ino;
    if (this.wal && this.wal.ino === ino) return this.wal.fd;
    if (this.wal) fs.closeSync(this.wal.fd);
    this.wal = { fd: fs.openSync(file, 'r'), ino };
    return this.wal.fd;
  }

  /** Fsyncs the WAL off the event loop; settles the appends committed before it, then the next ones. */
  private syncWal() {
    const covered = this.unsynced;
    const upTo = this.committedCount;
    this.unsynced = [];
    this.syncing = true;
    const settle = (error: unknown) => {
      this.syncing = false;
      this.syncedCount = upTo;
      if (error) {
        this.failed ??= new Error('Syncing the document store to disk failed; restart the server.', { cause: error });
        covered.forEach((unit) => unit.reject(this.failed));
      } else covered.forEach((unit) => unit.resolve());
      // Waiters are released after a failure too: they then see `failed`.
      this.syncWaiters = this.syncWaiters.filter((waiter) => (waiter.upTo <= upTo ? (waiter.done(), false) : true));
      if (this.unsynced.length > 0) this.syncWal();
    };
    let fd: number;
    try {
      fd = this.walFd();
    } catch (error) {
      settle(error);
      return;
    }
    fs.fsync(fd, (error) => settle(error ?? null));
  }

  private readParts(name: string): { parts: Uint8Array[]; lastId: number } {
    const snapshot = this.statements.snapshot.get(name) as { data: Buffer; last_update_id: number } | undefined;
    const updates = this.statements.updatesAfter.all(name, snapshot?.last_update_id ?? 0) as { id: number; data: Buffer }[];
    const parts = [...(snapshot ? [snapshot.data] : []), ...updates.map((u) => u.data)].map((b) => new Uint8Array(b));
    return { parts, lastId: updates.at(-1)?.id ?? snapshot?.last_update_id ?? 0 };
  }

  /** Commits what is pending and waits until every append committed is on disk (or the sync failed). */
  private async synced(): Promise<void> {
    this.commit();
    const upTo = this.committedCount;
    if (this.syncedCount < upTo) await new Promise<void>((done) => this.syncWaiters.push({ upTo, done }));
  }

  async load(name: string): Promise<Uint8Array | null> {
    // A load sees every append made before it, and only once it is durable: a document opened from it is
    // described as stored (the storage proof) and must never include what a crash could still take away.
    await this.synced();
    try {
      if (this.failed) throw this.failed;
      const { parts } = this.readParts(name);
      if (parts.length === 0) return null;
      return Y.mergeUpdates(parts);
    } catch (error) {
      throw new DocumentLoadError(name, error);
    }
  }

  append(name: string, update: Uint8Array, attribution: UpdateAttribution): Promise<void> {
    return this.enqueue([{ name, update, attribution }]);
  }

  /**
   * Every entry in one transaction, committed before this returns (synchronously, so nothing can load a
   * document between the caller's checks and the write); a failure rolls back every entry.
   */
  appendMany(entries: AppendEntry[]): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    try {
      this.commit(); // appends already queued go first, in the order they arrived
      // Under synchronous=FULL (this connection's setting outside group commits): on disk when it returns.
      this.db.transaction(() => {
        for (const e of entries)
          this.statements.append.run(e.name, Buffer.from(e.update), e.update.byteLength, e.attribution.userId, e.attribution.deviceId, e.attribution.receivedAt);
      })();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async compact(name: string): Promise<void> {
    this.commit();
    // Atomic in the WAL: lost whole or kept whole in a crash, and the updates it folds stay stored either way.
    withoutSyncAtCommit(this.db, () =>
      this.db.transaction(() => {
        const { parts, lastId } = this.readParts(name);
        if (parts.length <= 1) return;
        this.statements.saveSnapshot.run(name, Buffer.from(Y.mergeUpdates(parts)), lastId);
        this.statements.dropCompacted.run(name, lastId);
      })(),
    );
  }

  async history(name: string): Promise<StoredUpdateInfo[]> {
    this.commit();
    return (
      this.statements.history.all(name) as { id: number; doc: string; bytes: number; user_id: string | null; device_id: string | null; received_at: string }[]
    ).map((r) => ({ id: r.id, doc: r.doc, bytes: r.bytes, userId: r.user_id, deviceId: r.device_id, receivedAt: r.received_at }));
  }

  /** Waits for the appends under way to be synced, and lets go of the WAL file (before the database is closed). */
  async close(): Promise<void> {
    await this.synced();
    if (this.wal) fs.closeSync(this.wal.fd);
    this.wal = null;
  }
}
