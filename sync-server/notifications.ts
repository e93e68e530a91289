/**
 * Notifications in the app: stored per person, and pushed at once to their devices through their inbox
 * (the app then fetches the list). Unread counts come from here.
 */
import type { NotificationList } from '../domain/notifications';
import type { ServerDatabase } from './database';

export class Notifications {
  constructor(
    private readonly db: ServerDatabase,
    /** Tells a person's devices that something new has arrived. */
    private readonly push: (userId: string) => void,
  ) {}

  notify(userIds: Iterable<string>, kind: string, record: string, text: string): void {
    const at = new Date().toISOString();
    const people = [...new Set(userIds)];
    const insert = this.db.prepare('INSERT INTO notifications (user_id, at, kind, doc, text) VALUES (?, ?, ?, ?, ?)');
    this.db.transaction(() => people.forEach((userId) => insert.run(userId, at, kind, record, text)))();
    people.forEach((userId) => this.push(userId));
  }

  list(userId: string, limit = 100): NotificationList {
    const rows = this.db
      .prepare("SELECT id, at, kind, COALESCE(doc, '') AS record, text, read_at FROM notifications WHERE user_id = ? ORDER BY id DESC LIMIT ?")
      .all(userId, limit) as { id: number; at: string; kind: NotificationList['notifications'][number]['kind']; record: string; text: string; read_at: string | null }[];
    const { unread } = this.db.prepare('SELECT COUNT(*) AS unread FROM notifications WHERE user_id = ? AND read_at IS NULL').get(userId) as { unread: number };
    return { notifications: rows.map(({ read_at, ...row }) => ({ ...row, read: read_at !== null })), unread };
  }

  /** Marks some (or, with no ids, all) of a person's notifications as read. */
  markRead(userId: string, ids?: number[]): void {
    const now = new Date().toISOString();
    if (!ids) this.db.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL').run(now, userId);
    else {
      const update = this.db.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND id = ? AND read_at IS NULL');
      this.db.transaction(() => ids.forEach((id) => update.run(now, userId, id)))();
    }
  }
}
