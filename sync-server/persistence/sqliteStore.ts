/**
 * The embedded document store on better-sqlite3: every update is appended in its own transaction (on
 * disk when it commits: WAL with synchronous=FULL), and compaction folds them into a snapshot while
 * keeping a row of attribution for every update ever received.
 */
import * as Y from 'yjs';
import type { ServerDatabase } from '../database';
import { DocumentLoadError, type DocumentStore, type StoredUpdateInfo, type UpdateAttribution } from './documentStore';

export class SqliteDocumentStore implements DocumentStore {
  private readonly statements;

  constructor(private readonly db: ServerDatabase) {
    this.statements = {
      snapshot: db.prepare('SELECT data, last_update_id FROM doc_snapshots WHERE doc = ?'),
      updatesAfter: db.prepare('SELECT id, data FROM doc_updates WHERE doc = ? AND id > ? AND data IS NOT NULL ORDER BY id'),
      append: db.prepare('INSERT INTO doc_updates (doc, data, bytes, user_id, received_at) VALUES (?, ?, ?, ?, ?)'),
      saveSnapshot: db.prepare(
        `INSERT INTO doc_snapshots (doc, data, last_update_id) VALUES (?, ?, ?)
         ON CONFLICT(doc) DO UPDATE SET data = excluded.data, last_update_id = excluded.last_update_id`,
      ),
      dropCompacted: db.prepare('UPDATE doc_updates SET data = NULL WHERE doc = ? AND id <= ?'),
      history: db.prepare('SELECT id, doc, bytes, user_id, received_at FROM doc_updates WHERE doc = ? ORDER BY id'),
    };
  }

  private readParts(name: string): { parts: Uint8Array[]; lastId: number } {
    const snapshot = this.statements.snapshot.get(name) as { data: Buffer; last_update_id: number } | undefined;
    const updates = this.statements.updatesAfter.all(name, snapshot?.last_update_id ?? 0) as { id: number; data: Buffer }[];
    const parts = [...(snapshot ? [snapshot.data] : []), ...updates.map((u) => u.data)].map((b) => new Uint8Array(b));
    return { parts, lastId: updates.at(-1)?.id ?? snapshot?.last_update_id ?? 0 };
  }

  async load(name: string): Promise<Uint8Array | null> {
    try {
      const { parts } = this.readParts(name);
      if (parts.length === 0) return null;
      return Y.mergeUpdates(parts);
    } catch (error) {
      throw new DocumentLoadError(name, error);
    }
  }

  async append(name: string, update: Uint8Array, attribution: UpdateAttribution): Promise<void> {
    this.statements.append.run(name, Buffer.from(update), update.byteLength, attribution.userId, attribution.receivedAt);
  }

  async compact(name: string): Promise<void> {
    this.db.transaction(() => {
      const { parts, lastId } = this.readParts(name);
      if (parts.length <= 1) return;
      this.statements.saveSnapshot.run(name, Buffer.from(Y.mergeUpdates(parts)), lastId);
      this.statements.dropCompacted.run(name, lastId);
    })();
  }

  async history(name: string): Promise<StoredUpdateInfo[]> {
    return (this.statements.history.all(name) as { id: number; doc: string; bytes: number; user_id: string | null; received_at: string }[]).map(
      (r) => ({ id: r.id, doc: r.doc, bytes: r.bytes, userId: r.user_id, receivedAt: r.received_at }),
    );
  }
}
