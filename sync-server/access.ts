/**
 * Who may read and write which record — decided from the server's own data (the registry of records,
 * the people added to them, teams and line management), never from anything inside a document, which
 * any writer could change.
 *
 * A record can be READ by:
 *   - its author;
 *   - the people added to it (participants: the practitioner observed, co-reviewers, the IRO);
 *   - the managers up the line of the record's team: the team's manager, their line manager, and so on
 *     (head of service, assistant director, director);
 *   - the QA team and the principal social worker (oversightRoles), for every record.
 * ...and never by an administrator, whatever ties the data shows (separation of duties: administrators
 * manage people, not case records; commands.ts and organisation.ts refuse to make those ties, and this is
 * the backstop if one exists anyway).
 * A record can be WRITTEN (its document opened read-write) only while it is a draft, and only by its
 * author and participants added as contributors. Everything else — completing, adding people, the
 * observed practitioner's reflection — goes through a command (commands.ts), checked here too.
 *
 * The record's team is the team of the person it is about (the practitioner observed) once the author
 * has named them, and the author's own team until then.
 */
import type { ParticipantRole } from '../domain/commands';
import { reviewIdOf } from '../domain/moderation';
import { oversightRoles, readsCaseRecords, type Person } from '../domain/directory';
import { parseRecordDocName, type RecordKind, type RecordStatus } from '../domain/records';
import { parseInboxDocName } from '../domain/sync';
import { summaryReaderRoles, summaryWriterRoles } from '../domain/summary';
import type { ServerDatabase } from './database';

export class AccessDenied extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export type AccessLevel = 'write' | 'read' | 'none';


export type Relationship = 'author' | ParticipantRole | 'line-manager' | 'oversight' | 'none';

/** Moderators of a review: the QA team (independent auditors) and service managers the QA team chose. */
const isModeratorRole = (user: Person) => user.role === 'qa-officer';

export interface RecordRow {
  name: string;
  kind: RecordKind;
  author_id: string;
  team_id: string | null;
  subject_id: string | null;
  status: RecordStatus;
  completed_at: string | null;
  /** The record this one belongs to: a moderation's review, or the review or observation family feedback was gathered for. */
  review_of: string | null;
}

export interface RecordAccess {
  level: AccessLevel;
  relationship: Relationship;
  record: RecordRow;
}

/** Roles that may start a record. Administrators manage people, not case work. */
const mayCreateRecords = (user: Person) => user.role !== 'admin';

/**
 * The teams whose records a person oversees through line management: teams managed by them or by anyone
 * below them in the line. A recursive query over `users.manager_id`, so a move or a new line manager
 * takes effect on the next check. (`@user` is the person's id.)
 */
const OVERSEEN_TEAMS = `
  WITH RECURSIVE reports(id) AS (
    SELECT id FROM users WHERE manager_id = @user
    UNION SELECT u.id FROM users u JOIN reports r ON u.manager_id = r.id
  )
  SELECT id FROM teams WHERE manager_id = @user OR manager_id IN (SELECT id FROM reports)`;

/** SQL: the record document `d` belongs to (a moderation's review; the record family feedback was gathered for). */
const REVIEW_OF_D = `d.review_of`;

/**
 * SQL true when person @user may read quarterly summary `d` (domain/summary.ts): the QA team and the principal
 * social worker (@oversight), the director and the assistant director, and the head of service of its service —
 * nobody else, whoever started it and whatever line management says.
 */
const SUMMARY_READER = `@oversight = 1 OR EXISTS (
  SELECT 1 FROM users su JOIN quarterly_summaries qs ON qs.doc = d.name WHERE su.id = @user AND su.active = 1
  AND (su.role IN ('director', 'assistant-director') OR (su.role = 'head-of-service' AND su.service_id = qs.service_id)))`;

/**
 * SQL true when person @user (with @oversight = 1 for an oversight role) may read document `d`. A record
 * that belongs to another (a moderation, linked family feedback) is read by everyone in that one as well.
 * The cheap tests come first (SQLite evaluates OR in order): the team, read once per statement, before a
 * lookup of participants per row — for the reports' year of rows under line management, about a third less.
 */
const CAN_READ = `(@admin = 0 AND NOT EXISTS (SELECT 1 FROM discarded_records x WHERE x.doc = d.name) AND CASE WHEN d.kind = 'summary' THEN (${SUMMARY_READER}) ELSE (
  @oversight = 1 OR d.author_id = @user
  OR d.team_id IN (${OVERSEEN_TEAMS})
  OR EXISTS (SELECT 1 FROM record_participants p WHERE p.doc = d.name AND p.user_id = @user)
  OR (d.review_of IS NOT NULL AND (
    EXISTS (SELECT 1 FROM record_participants p WHERE p.doc = ${REVIEW_OF_D} AND p.user_id = @user)
    OR EXISTS (SELECT 1 FROM documents r WHERE r.name = ${REVIEW_OF_D} AND r.author_id = @user)))
) END)`;

/** Records whose registry rows `record()` keeps in memory at most (a hostile client can ask for any name). */
const CACHED_RECORDS = 5_000;
/** Numbers each Access's invalidation hooks, so two on one connection never share (or replace) one. */
let accessInstances = 0;

export class Access {
  private readonly statements;
  /**
   * Registry rows as committed, by record name (issue 20: the live write check asks for the record's row
   * with every update — 800 times a second under load, ~18 µs of CPU each). A row is cached only when read
   * outside any transaction, so it is always committed state; TEMP triggers on this connection drop a
   * record's row the moment it is inserted, changed or deleted (even in a transaction that later rolls
   * back: then it is merely read again). Only this connection writes the registry — the server holds the
   * data directory's lock, and the admin command line never writes records.
   */
  private readonly rows = new Map<string, Readonly<RecordRow>>();
  constructor(
    private readonly db: ServerDatabase,
    /** The server's clock: when a record was first seen (the demo's records are made at their own dates). */
    private readonly now: () => Date = () => new Date(),
  ) {
    const forget = `fieldnotes_record_changed_${++accessInstances}`;
    db.function(forget, { deterministic: false }, (name: unknown) => {
      if (typeof name === 'string') this.rows.delete(name);
      return null;
    });
    for (const [event, row] of [
      ['INSERT', 'NEW'],
      ['UPDATE', 'OLD'],
      ['UPDATE', 'NEW'],
      ['DELETE', 'OLD'],
    ] as const)
      db.exec(`CREATE TEMP TRIGGER ${forget}_${event.toLowerCase()}_${row.toLowerCase()} AFTER ${event} ON main.documents BEGIN SELECT ${forget}(${row}.name); END`);
    this.statements = {
      find: db.prepare('SELECT name, kind, author_id, team_id, subject_id, status, completed_at, review_of FROM documents WHERE name = ?'),
      register: db.prepare('INSERT OR IGNORE INTO documents (name, kind, author_id, team_id, created_at, review_of) VALUES (?, ?, ?, ?, ?, ?)'),
      participant: db.prepare('SELECT role FROM record_participants WHERE doc = ? AND user_id = ?'),
      participantsOfReadable: db.prepare(
        `SELECT p.doc, p.user_id AS userId, p.role FROM record_participants p JOIN documents d ON d.name = p.doc WHERE ${CAN_READ} ORDER BY p.added_at`,
      ),
      oversees: db.prepare(`SELECT 1 FROM (${OVERSEEN_TEAMS}) WHERE id = @team`),
      readable: db.prepare(
        `SELECT d.name, d.kind, d.author_id, d.team_id, d.subject_id, d.status, d.completed_at, d.review_of
         FROM documents d WHERE ${CAN_READ} ORDER BY d.created_at`,
      ),
      readersOf: db.prepare(
        `SELECT u.id FROM users u JOIN documents d ON d.name = @doc
         WHERE u.active = 1 AND u.role != 'admin' AND CASE WHEN d.kind = 'summary' THEN (
           u.role IN (${oversightRoles.map((r) => `'${r}'`).join(', ')}, 'director', 'assistant-director')
           OR (u.role = 'head-of-service' AND u.service_id = (SELECT service_id FROM quarterly_summaries WHERE doc = d.name))
         ) ELSE (
           u.role IN (${oversightRoles.map((r) => `'${r}'`).join(', ')}) OR u.id = d.author_id
           OR EXISTS (SELECT 1 FROM record_participants p WHERE p.doc = d.name AND p.user_id = u.id)
           OR (d.review_of IS NOT NULL AND (
             EXISTS (SELECT 1 FROM record_participants p WHERE p.doc = ${REVIEW_OF_D} AND p.user_id = u.id)
             OR EXISTS (SELECT 1 FROM documents r WHERE r.name = ${REVIEW_OF_D} AND r.author_id = u.id)))
           OR u.id IN (
             WITH RECURSIVE line(id, depth) AS (
               SELECT manager_id, 1 FROM teams WHERE id = d.team_id AND manager_id IS NOT NULL
               UNION SELECT m.manager_id, line.depth + 1 FROM users m JOIN line ON m.id = line.id
               WHERE m.manager_id IS NOT NULL AND line.depth < 50
             ) SELECT id FROM line)) END`,
      ),
      readableChanges: db.prepare(
        `SELECT du.doc AS name, MAX(du.id) AS seq FROM doc_updates du JOIN documents d ON d.name = du.doc
         WHERE du.id > @after AND (du.device_id IS NULL OR du.device_id != @device) AND ${CAN_READ}
         GROUP BY du.doc ORDER BY seq LIMIT @limit`,
      ),
      latestUpdate: db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM doc_updates'),
      derived: db.prepare('SELECT name FROM documents WHERE review_of = ?'),
      discarded: db.prepare('SELECT 1 FROM discarded_records WHERE doc = ?'),
      summaryService: db.prepare('SELECT service_id FROM quarterly_summaries WHERE doc = ?'),
    };
  }

  /**
   * The reading rule as SQL over a documents row aliased `d`, with its named parameters: reports filter
   * their queries with it, so a figure is built only on records this person may read (the same rule as
   * every list), without fetching every readable record first.
   */
  readableWhere(user: Person): { sql: string; params: { user: string; oversight: number; admin: number } } {
    return { sql: CAN_READ, params: this.who(user) };
  }

  private who(user: Person) {
    return { user: user.id, oversight: oversightRoles.includes(user.role) ? 1 : 0, admin: readsCaseRecords(user.role) ? 0 : 1 };
  }

  /** A record's registry row (read-only: the same object is handed to every caller until it changes). */
  record(docName: string): Readonly<RecordRow> | null {
    const cached = this.rows.get(docName);
    if (cached) return cached;
    const row = (this.statements.find.get(docName) as RecordRow | undefined) ?? null;
    // Inside a transaction the row may not be committed yet (or ever): read it, keep nothing.
    if (!row || this.db.inTransaction) return row;
    if (this.rows.size >= CACHED_RECORDS) this.rows.delete(this.rows.keys().next().value!);
    const frozen = Object.freeze(row);
    this.rows.set(docName, frozen);
    return frozen;
  }

  /** How a person may use a registered record, and why. */
  accessTo(user: Person, record: RecordRow): RecordAccess {
    if (!readsCaseRecords(user.role)) return { level: 'none', relationship: 'none', record };
    // A draft its author discarded (issue 16) is read by nobody: kept on the server, gone from every list.
    if (this.statements.discarded.get(record.name)) return { level: 'none', relationship: 'none', record };
    if (record.kind === 'moderation') return this.moderationAccess(user, record);
    if (record.kind === 'summary') return this.summaryAccess(user, record);
    let relationship = this.relationship(user, record);
    // Family feedback gathered for a review or observation is read by everyone who may read that.
    if (relationship === 'none' && record.review_of) {
      const linked = this.record(record.review_of);
      if (linked && this.accessTo(user, linked).level !== 'none') relationship = 'reader';
    }
    const readable = relationship !== 'none';
    const writable = record.status === 'draft' && (relationship === 'author' || relationship === 'contributor');
    return { level: writable ? 'write' : readable ? 'read' : 'none', relationship, record };
  }

  /** The review a moderation document belongs to. */
  reviewOf(moderationName: string): RecordRow | null {
    return this.record(`review/${reviewIdOf(moderationName.slice('moderation/'.length))}`);
  }

  /** Whether a person moderates this review. */
  isModerator(user: Person, review: RecordRow): boolean {
    if (isModeratorRole(user)) return true;
    return (this.statements.participant.get(review.name, user.id) as { role: ParticipantRole } | undefined)?.role === 'moderator';
  }

  /**
   * A moderation is written by the review's moderators while the review waits for moderation, and read by
   * everyone who may read the review.
   */
  private moderationAccess(user: Person, record: RecordRow): RecordAccess {
    const review = this.reviewOf(record.name);
    if (!review) return { level: 'none', relationship: 'none', record };
    if (this.isModerator(user, review)) return { level: review.status === 'submitted' ? 'write' : 'read', relationship: 'moderator', record };
    const { level, relationship } = this.accessTo(user, review);
    return { level: level === 'none' ? 'none' : 'read', relationship, record };
  }

  /**
   * A quarterly summary (domain/summary.ts) is written, while a draft, by the head of service of its service
   * and the QA team, and read by them, the director, the assistant director and the principal social worker.
   * Nobody is its author in the sense of the other kinds: it cannot be shared, discarded or completed but by
   * the submit command (summaries.ts).
   */
  private summaryAccess(user: Person, record: RecordRow): RecordAccess {
    const row = this.statements.summaryService.get(record.name) as { service_id: string } | undefined;
    if (!row) return { level: 'none', relationship: 'none', record };
    if ((summaryWriterRoles as readonly string[]).includes(user.role) && (user.role === 'qa-officer' || user.serviceId === row.service_id))
      return { level: record.status === 'draft' ? 'write' : 'read', relationship: 'contributor', record };
    if ((summaryReaderRoles as readonly string[]).includes(user.role)) return { level: 'read', relationship: 'reader', record };
    return { level: 'none', relationship: 'none', record };
  }

  /** The closest tie between a person and a record (the one that grants the most). */
  private relationship(user: Person, record: RecordRow): Relationship {
    if (record.author_id === user.id) return 'author';
    const participant = this.statements.participant.get(record.name, user.id) as { role: ParticipantRole } | undefined;
    if (participant) return participant.role;
    if (record.team_id && this.statements.oversees.get({ user: user.id, team: record.team_id })) return 'line-manager';
    if (oversightRoles.includes(user.role)) return 'oversight';
    return 'none';
  }

  /**
   * Decides how a person may open a document: 'write' or 'read', or throws AccessDenied with the reason.
   * A record name the server has never seen is registered to the person opening it (a record made on a
   * device reaches the server this way); its author and team come from the server's own data.
   */
  authoriseOpen(user: Person, docName: string): { level: 'read' | 'write'; record: RecordRow | null } {
    const inboxOwner = parseInboxDocName(docName);
    if (inboxOwner !== null) {
      if (inboxOwner !== user.id) throw new AccessDenied('This is not your inbox.');
      return { level: 'write', record: null };
    }
    const parsed = parseRecordDocName(docName);
    if (!parsed) throw new AccessDenied(`"${docName}" is not the name of a record.`);
    let record = this.record(docName);
    if (!record) {
      if (!mayCreateRecords(user)) throw new AccessDenied('Your role cannot start records.');
      // A quarterly summary is started by the server, drafted from the data (summaries.ts), never by a device.
      if (parsed.kind === 'summary') throw new AccessDenied('You do not have access to this record.');
      let teamId = user.teamId || null;
      let reviewName: string | null = null;
      if (parsed.kind === 'moderation') {
        // Only a moderator starts a review's moderation, once it has been submitted; it belongs to the review's team.
        const review = this.reviewOf(docName);
        if (!review || !this.isModerator(user, review) || review.status !== 'submitted') throw new AccessDenied('You do not have access to this record.');
        teamId = review.team_id;
        reviewName = review.name;
      }
      this.statements.register.run(docName, parsed.kind, user.id, teamId, this.now().toISOString(), reviewName);
      record = this.record(docName)!;
    }
    const { level } = this.accessTo(user, record);
    if (level === 'none') throw new AccessDenied('You do not have access to this record.');
    return { level, record };
  }

  /** Every record a person may read, with how they may use it and who is in it: what their devices list and sync. */
  readableRecords(user: Person): (RecordAccess & { participants: { userId: string; role: ParticipantRole }[] })[] {
    const rows = this.statements.readable.all(this.who(user)) as RecordRow[];
    const participants = new Map<string, { userId: string; role: ParticipantRole }[]>();
    for (const p of this.statements.participantsOfReadable.all(this.who(user)) as { doc: string; userId: string; role: ParticipantRole }[]) {
      const list = participants.get(p.doc) ?? [];
      list.push({ userId: p.userId, role: p.role });
      participants.set(p.doc, list);
    }
    return rows.map((record) => ({ ...this.accessTo(user, record), participants: participants.get(record.name) ?? [] }));
  }

  /**
   * Records whose access derives from this one (a review's moderation, family feedback gathered for it),
   * and theirs in turn: when access to this record changes, theirs may have too.
   */
  derivedRecords(docName: string): string[] {
    const found: string[] = [];
    const queue = [docName];
    while (queue.length > 0 && found.length < 1000) {
      for (const { name } of this.statements.derived.all(queue.shift()!) as { name: string }[]) {
        if (name === docName || found.includes(name)) continue;
        found.push(name);
        queue.push(name);
      }
    }
    return found;
  }

  /** Everyone who may read a record, to tell their devices it has changed. */
  readersOf(docName: string): string[] {
    return (this.statements.readersOf.all({ doc: docName }) as { id: string }[]).map((r) => r.id);
  }

  /**
   * Records this person may read that others (not this device) changed after `after`, oldest first, and
   * the cursor to ask from next time. Read in one transaction, so the cursor matches what was listed.
   */
  changesFor(user: Person, after: number, deviceId: string | null, limit = 1000): { changes: { name: string; seq: number }[]; cursor: number; more: boolean } {
    return this.db.transaction(() => {
      const changes = this.statements.readableChanges.all({ ...this.who(user), after, device: deviceId ?? '', limit }) as {
        name: string;
        seq: number;
      }[];
      const more = changes.length === limit;
      const latest = (this.statements.latestUpdate.get() as { id: number }).id;
      return { changes, more, cursor: more ? changes.at(-1)!.seq : Math.max(after, latest) };
    })();
  }
}
