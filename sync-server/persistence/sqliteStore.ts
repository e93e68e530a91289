/**
 * The embedded document store on better-sqlite3. Its writes are done by a commit thread (commitWorker.mjs)
 * with a connection of its own to the same WAL database, synchronous=FULL: a commit's fsync blocks that
 * thread, not the server's event loop (measured in issue 20: 8.7 s of every 30 s under 200 live clients).
 *
 * Group commit: appends that arrive while a commit is under way wait, and then go together in the next
 * transaction; each append resolves only once the transaction holding it is on disk, and a transaction
 * that fails rejects every append in it (nothing of it is written). A batch of appends queued as one unit
 * (see `enqueue`) is therefore committed all or nothing. Compaction runs on the commit thread too, folding
 * updates into a snapshot while keeping a row of attribution for every update ever received.
 * Reads (load, history) stay on the main connection, after the writes queued before them are committed.
 */
import { Worker } from 'node:worker_threads';
import * as Y from 'yjs';
import type { ServerDatabase } from '../database';
import { DocumentLoadError, type DocumentStore, type StoredUpdateInfo, type UpdateAttribution } from './documentStore';

/** One row of doc_updates as the commit thread takes it. */
type AppendRow = [doc: string, data: Uint8Array, bytes: number, userId: string | null, deviceId: string | null, receivedAt: string];

/** Appends that succeed or fail together (one `append`, or a batch of them). */
interface PendingUnit {
  rows: AppendRow[];
  resolve(): void;
  reject(error: unknown): void;
}

type Job = { type: 'append'; rows: AppendRow[] } | { type: 'compact'; name: string };

export class SqliteDocumentStore implements DocumentStore {
  private readonly statements;
  private worker: Worker | null = null;
  private nextJobId = 1;
  private readonly replies = new Map<number, { resolve(): void; reject(error: unknown): void }>();
  /** Appends waiting for the commit under way. */
  private pending: PendingUnit[] = [];
  private committing = false;
  /** Settles once every write queued so far has been committed or has failed. */
  private tail: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly db: ServerDatabase) {
    this.statements = {
      snapshot: db.prepare('SELECT data, last_update_id FROM doc_snapshots WHERE doc = ?'),
      updatesAfter: db.prepare('SELECT id, data FROM doc_updates WHERE doc = ? AND id > ? AND data IS NOT NULL ORDER BY id'),
      history: db.prepare('SELECT id, doc, bytes, user_id, device_id, received_at FROM doc_updates WHERE doc = ? ORDER BY id'),
    };
  }

  /** The commit thread, started on the first write (a store used only to read never starts one). */
  private commitThread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./commitWorker.mjs', import.meta.url), { workerData: { file: this.db.name }, execArgv: [] });
    worker.unref();
    worker.on('message', (reply: { id: number; error?: string }) => {
      const waiting = this.replies.get(reply.id);
      this.replies.delete(reply.id);
      if (reply.error === undefined) waiting?.resolve();
      else waiting?.reject(new Error(`The document store could not commit: ${reply.error}`));
    });
    const failAll = (error: unknown) => {
      if (this.worker === worker) this.worker = null; // the next write starts a new thread
      for (const waiting of this.replies.values()) waiting.reject(error);
      this.replies.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`The document store's commit thread stopped (exit code ${code}).`)));
    this.worker = worker;
    return worker;
  }

  private run(job: Job): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The document store is closed.'));
    const worker = this.commitThread();
    const id = this.nextJobId++;
    return new Promise((resolve, reject) => {
      this.replies.set(id, { resolve, reject });
      worker.postMessage({ id, ...job });
    });
  }

  /** Queues appends to be committed together, all or nothing, in the next group commit. */
  private enqueue(rows: AppendRow[]): Promise<void> {
    const committed = new Promise<void>((resolve, reject) => this.pending.push({ rows, resolve, reject }));
    this.tail = Promise.all([this.tail, committed.catch(() => undefined)]).then(() => undefined);
    if (!this.committing) void this.commitPending();
    return committed;
  }

  /** Commits everything pending in one transaction on the commit thread, then whatever arrived meanwhile. */
  private async commitPending(): Promise<void> {
    this.committing = true;
    try {
      // Appends made in the same turn of the event loop join the first transaction.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        try {
          await this.run({ type: 'append', rows: batch.flatMap((unit) => unit.rows) });
        } catch (error) {
          batch.forEach((unit) => unit.reject(error));
          continue;
        }
        batch.forEach((unit) => unit.resolve());
      }
    } finally {
      this.committing = false;
    }
  }

  private readParts(name: string): Uint8Array[] {
    const snapshot = this.statements.snapshot.get(name) as { data: Buffer; last_update_id: number } | undefined;
    const updates = this.statements.updatesAfter.all(name, snapshot?.last_update_id ?? 0) as { id: number; data: Buffer }[];
    return [...(snapshot ? [snapshot.data] : []), ...updates.map((u) => u.data)].map((b) => new Uint8Array(b));
  }

  async load(name: string): Promise<Uint8Array | null> {
    await this.tail; // a load sees every append made before it
    try {
      const parts = this.readParts(name);
      if (parts.length === 0) return null;
      return Y.mergeUpdates(parts);
    } catch (error) {
      throw new DocumentLoadError(name, error);
    }
  }

  append(name: string, update: Uint8Array, attribution: UpdateAttribution): Promise<void> {
    return this.enqueue([[name, update, update.byteLength, attribution.userId, attribution.deviceId, attribution.receivedAt]]);
  }

  async compact(name: string): Promise<void> {
    await this.tail;
    await this.run({ type: 'compact', name });
  }

  async history(name: string): Promise<StoredUpdateInfo[]> {
    await this.tail;
    return (
      this.statements.history.all(name) as { id: number; doc: string; bytes: number; user_id: string | null; device_id: string | null; received_at: string }[]
    ).map((r) => ({ id: r.id, doc: r.doc, bytes: r.bytes, userId: r.user_id, deviceId: r.device_id, receivedAt: r.received_at }));
  }

  /** Waits for every write queued, then stops the commit thread (before the database is closed). */
  async close(): Promise<void> {
    await this.tail;
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage({ type: 'close' });
    await exited;
  }
}
