/**
 * The embedded document store on better-sqlite3. Updates are appended with group commit: those that
 * arrive in the same turn of the event loop are written in one transaction (on disk when it commits:
 * WAL with synchronous=FULL), and each append resolves only after that commit. Compaction folds them
 * into a snapshot while keeping a row of attribution for every update ever received.
 */
interface PendingAppend {
  name: string;
  update: Uint8Array;
  attribution: UpdateAttribution;
  resolve(): void;
  reject(error: unknown): void;
}

import * as Y from 'yjs';
import type { ServerDatabase } from '../database';
import { DocumentLoadError, type AppendEntry, type DocumentStore, type StoredUpdateInfo, type UpdateAttribution } from './documentStore';

export class SqliteDocumentStore implements DocumentStore {
  private readonly statements;

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

  private pending: PendingAppend[] = [];

  /** Commits every pending append in one transaction, then settles their promises. */
  private flush = () => {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    try {
      this.db.transaction(() => {
        for (const a of batch)
          this.statements.append.run(a.name, Buffer.from(a.update), a.update.byteLength, a.attribution.userId, a.attribution.deviceId, a.attribution.receivedAt);
      })();
    } catch (error) {
      batch.forEach((a) => a.reject(error));
      return;
    }
    batch.forEach((a) => a.resolve());
  };

  private readParts(name: string): { parts: Uint8Array[]; lastId: number } {
    const snapshot = this.statements.snapshot.get(name) as { data: Buffer; last_update_id: number } | undefined;
    const updates = this.statements.updatesAfter.all(name, snapshot?.last_update_id ?? 0) as { id: number; data: Buffer }[];
    const parts = [...(snapshot ? [snapshot.data] : []), ...updates.map((u) => u.data)].map((b) => new Uint8Array(b));
    return { parts, lastId: updates.at(-1)?.id ?? snapshot?.last_update_id ?? 0 };
  }

  async load(name: string): Promise<Uint8Array | null> {
    this.flush(); // a load sees every append made before it
    try {
      const { parts } = this.readParts(name);
      if (parts.length === 0) return null;
      return Y.mergeUpdates(parts);
    } catch (error) {
      throw new DocumentLoadError(name, error);
    }
  }

  append(name: string, update: Uint8Array, attribution: UpdateAttribution): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ name, update, attribution, resolve, reject });
      if (this.pending.length === 1) setImmediate(this.flush);
    });
  }

  /**
   * Every entry in one transaction, committed before this returns (synchronously, so nothing can load a
   * document between the caller's checks and the write); a failure rolls back every entry.
   */
  appendMany(entries: AppendEntry[]): Promise<void> {
    try {
      this.flush(); // appends already queued go first, in the order they arrived
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
    this.flush();
    this.db.transaction(() => {
      const { parts, lastId } = this.readParts(name);
      if (parts.length <= 1) return;
      this.statements.saveSnapshot.run(name, Buffer.from(Y.mergeUpdates(parts)), lastId);
      this.statements.dropCompacted.run(name, lastId);
    })();
  }

  async history(name: string): Promise<StoredUpdateInfo[]> {
    this.flush();
    return (
      this.statements.history.all(name) as { id: number; doc: string; bytes: number; user_id: string | null; device_id: string | null; received_at: string }[]
    ).map((r) => ({ id: r.id, doc: r.doc, bytes: r.bytes, userId: r.user_id, deviceId: r.device_id, receivedAt: r.received_at }));
  }
}
