/**
 * Who may open which document — decided from the server's own registry of records, never from what is
 * inside a document (which any writer could change). For now a record belongs to its author's team:
 * its author and the members of that team may read and write it. A person's inbox is theirs alone.
 */
import { parseRecordDocName } from '../domain/records';
import { parseInboxDocName } from '../domain/sync';
import type { Person } from '../domain/directory';
import type { ServerDatabase } from './database';

export class AccessDenied extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export class Access {
  private readonly statements;
  constructor(private readonly db: ServerDatabase) {
    this.statements = {
      find: db.prepare('SELECT author_id, team_id FROM documents WHERE name = ?'),
      register: db.prepare('INSERT OR IGNORE INTO documents (name, kind, author_id, team_id, created_at) VALUES (?, ?, ?, ?, ?)'),
      readersOf: db.prepare(
        `SELECT u.id FROM users u JOIN documents d ON d.name = ?
         WHERE u.active = 1 AND (u.id = d.author_id OR (d.team_id IS NOT NULL AND u.team_id = d.team_id))`,
      ),
      readableChanges: db.prepare(
        `SELECT du.doc AS name, MAX(du.id) AS seq FROM doc_updates du JOIN documents d ON d.name = du.doc
         WHERE du.id > ? AND (du.device_id IS NULL OR du.device_id != ?)
           AND (d.author_id = ? OR (d.team_id IS NOT NULL AND d.team_id = ?))
         GROUP BY du.doc ORDER BY seq LIMIT ?`,
      ),
      latestUpdate: db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM doc_updates'),
    };
  }

  /**
   * Checks that a person may open a document, registering a new record to them (and their team) the
   * first time it reaches the server. Throws AccessDenied with the reason otherwise.
   */
  authoriseOpen(user: Person, docName: string): void {
    const inboxOwner = parseInboxDocName(docName);
    if (inboxOwner !== null) {
      if (inboxOwner !== user.id) throw new AccessDenied('This is not your inbox.');
      return;
    }
    const record = parseRecordDocName(docName);
    if (!record) throw new AccessDenied(`"${docName}" is not the name of a record.`);
    let row = this.statements.find.get(docName) as { author_id: string; team_id: string | null } | undefined;
    if (!row) {
      this.statements.register.run(docName, record.kind, user.id, user.teamId || null, new Date().toISOString());
      row = this.statements.find.get(docName) as { author_id: string; team_id: string | null };
    }
    const allowed = row.author_id === user.id || (!!row.team_id && row.team_id === user.teamId);
    if (!allowed) throw new AccessDenied('You do not have access to this record.');
  }

  /** Everyone who may read a record, to tell their devices it has changed. */
  readersOf(docName: string): string[] {
    return (this.statements.readersOf.all(docName) as { id: string }[]).map((r) => r.id);
  }

  /**
   * Records this person may read that others (not this device) changed after `after`, oldest first, and
   * the cursor to ask from next time. Read in one transaction, so the cursor matches what was listed.
   */
  changesFor(user: Person, after: number, deviceId: string | null, limit = 1000): { changes: { name: string; seq: number }[]; cursor: number; more: boolean } {
    return this.db.transaction(() => {
      const changes = this.statements.readableChanges.all(after, deviceId ?? '', user.id, user.teamId || null, limit) as { name: string; seq: number }[];
      const more = changes.length === limit;
      const latest = (this.statements.latestUpdate.get() as { id: number }).id;
      return { changes, more, cursor: more ? changes.at(-1)!.seq : Math.max(after, latest) };
    })();
  }
}
