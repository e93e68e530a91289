/**
 * The audit log: who opened, changed, shared or ran a command on which record, when, and from which
 * device. Written by the sync server and the API as things happen; read by the QA team and admins.
 */
import type { AuditAction, AuditEntry, AuditPage } from '../domain/audit';
import type { ServerDatabase } from './database';

export interface AuditEvent {
  userId: string | null;
  deviceId: string | null;
  action: AuditAction;
  record: string | null;
  detail?: string;
}

export class AuditLog {
  private readonly insert;
  private pending: (AuditEvent & { at: string })[] = [];

  constructor(private readonly db: ServerDatabase) {
    this.insert = db.prepare('INSERT INTO audit_log (at, user_id, device_id, action, doc, detail) VALUES (?, ?, ?, ?, ?, ?)');
  }

  /**
   * Notes an event, timed now. Entries are written together at the end of the current turn of the event
   * loop (one transaction, one sync to disk), because a device opening 2,000 records at once would
   * otherwise pay for 2,000 separate commits.
   */
  record(event: AuditEvent): void {
    this.pending.push({ ...event, at: new Date().toISOString() });
    if (this.pending.length === 1) setImmediate(this.flush);
  }

  /** Writes every pending entry (also before a read, and when the server stops). */
  flush = (): void => {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    if (!this.db.open) return;
    this.db.transaction(() => {
      for (const e of batch) this.insert.run(e.at, e.userId, e.deviceId, e.action, e.record, e.detail ?? null);
    })();
  };

  /** Newest first, a page at a time; optionally one record's or one person's entries. */
  page(filter: { record?: string; userId?: string; before?: number; limit?: number }): AuditPage {
    this.flush();
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 500);
    const rows = this.db
      .prepare(
        `SELECT a.id, a.at, COALESCE(a.user_id, '') AS userId, COALESCE(u.display_name, '') AS userName,
                COALESCE(a.device_id, '') AS deviceId, a.action, COALESCE(a.doc, '') AS record, COALESCE(a.detail, '') AS detail
         FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
         WHERE (@record IS NULL OR a.doc = @record) AND (@userId IS NULL OR a.user_id = @userId) AND (@before IS NULL OR a.id < @before)
         ORDER BY a.id DESC LIMIT @limit`,
      )
      .all({ record: filter.record ?? null, userId: filter.userId ?? null, before: filter.before ?? null, limit }) as AuditEntry[];
    return { entries: rows, nextBefore: rows.length === limit ? rows.at(-1)!.id : null };
  }
}
