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
  constructor(private readonly db: ServerDatabase) {
    this.insert = db.prepare('INSERT INTO audit_log (at, user_id, device_id, action, doc, detail) VALUES (?, ?, ?, ?, ?, ?)');
  }

  record(event: AuditEvent): void {
    this.insert.run(new Date().toISOString(), event.userId, event.deviceId, event.action, event.record, event.detail ?? null);
  }

  /** Newest first, a page at a time; optionally one record's or one person's entries. */
  page(filter: { record?: string; userId?: string; before?: number; limit?: number }): AuditPage {
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
