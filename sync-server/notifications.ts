/**
 * Notifications in the app: stored per person, and pushed at once to their devices through their inbox
 * (the app then fetches the list). Unread counts come from here. What cannot wait also goes by email
 * (mail.ts) to those with an address — after the notice is stored, in the background, never failing it.
 */
import { urgentNotificationKinds } from '../domain/concerns';
import type { NotificationList } from '../domain/notifications';
import type { ServerDatabase } from './database';
import type { Mailer, MailMessage } from './mail';

export class Notifications {
  constructor(
    private readonly db: ServerDatabase,
    /** Tells a person's devices that something new has arrived. */
    private readonly push: (userId: string) => void,
    /** The server's clock (tests move it). */
    private readonly now: () => Date = () => new Date(),
    /** Email, when it is configured; null when it is off. */
    readonly mailer: Mailer | null = null,
  ) {}

  /**
   * While true (the demo organisation's year of records is being made), notices are stored but no email
   * goes out: none of it happened today, and demo addresses are made up.
   */
  mailHeld = false;

  /**
   * Stores a notice for each person and tells their devices. With `mail`, each of them who has an email
   * address is also sent that message (written by the caller to name no child beyond the child ID).
   */
  notify(userIds: Iterable<string>, kind: string, record: string, text: string, mail?: MailMessage): void {
    const at = this.now().toISOString();
    const people = [...new Set(userIds)];
    const insert = this.db.prepare('INSERT INTO notifications (user_id, at, kind, doc, text) VALUES (?, ?, ?, ?, ?)');
    this.db.transaction(() => people.forEach((userId) => insert.run(userId, at, kind, record, text)))();
    people.forEach((userId) => this.push(userId));
    if (mail && this.mailer && !this.mailHeld && people.length > 0) {
      try {
        const addresses = this.db
          .prepare(`SELECT email FROM users WHERE active = 1 AND email IS NOT NULL AND email != '' AND id IN (${people.map(() => '?').join(', ')})`)
          .all(...people) as { email: string }[];
        this.mailer.send(addresses.map((row) => row.email), mail);
      } catch (error) {
        // The notices are stored: a problem on the way to mail must not undo or fail them.
        console.warn(`Email for a ${kind} notice was not sent (${(error as Error).name}).`);
      }
    }
  }

  list(userId: string, limit = 100): NotificationList {
    const rows = this.db
      .prepare("SELECT id, at, kind, COALESCE(doc, '') AS record, text, read_at FROM notifications WHERE user_id = ? ORDER BY id DESC LIMIT ?")
      .all(userId, limit) as { id: number; at: string; kind: NotificationList['notifications'][number]['kind']; record: string; text: string; read_at: string | null }[];
    const { unread, urgent } = this.db
      .prepare(
        `SELECT COUNT(*) AS unread, COALESCE(SUM(kind IN (${urgentNotificationKinds.map(() => '?').join(', ')})), 0) AS urgent
         FROM notifications WHERE user_id = ? AND read_at IS NULL`,
      )
      .get(...urgentNotificationKinds, userId) as { unread: number; urgent: number };
    return { notifications: rows.map(({ read_at, ...row }) => ({ ...row, read: read_at !== null })), unread, urgent };
  }

  /** Marks some (or, with no ids, all) of a person's notifications as read. */
  markRead(userId: string, ids?: number[]): void {
    const now = this.now().toISOString();
    if (!ids) this.db.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL').run(now, userId);
    else {
      const update = this.db.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND id = ? AND read_at IS NULL');
      this.db.transaction(() => ids.forEach((id) => update.run(now, userId, id)))();
    }
  }
}
