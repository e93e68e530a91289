/**
 * Immediate concerns about a child's safety (domain/concerns.ts), as the server keeps them: a row per
 * concern, raised on an observation, a review or family feedback, never part of the record's document.
 *
 *   raise     anyone who may read the record (a reviewer, the practitioner, a manager, the QA team).
 *             Told at once: the practitioner the record is about, the child's team manager, the service
 *             manager above them, the director and the QA team (led by the Head of Safeguarding
 *             Standards) — in the app, and by email where it is configured. A response is due within the
 *             organisation's response time (working days).
 *   respond   a manager up the line of the child's team, or the QA team: what is being done now. This
 *             answers the concern and stops the escalation clock; it stays open until resolved.
 *   resolve   the record's lead or a manager up the line, with a recorded resolution (it also answers it).
 *   escalate  the scheduler (the same tick, and the same clock, as overdue actions): a concern still
 *             unanswered at its due time goes to the next manager up from the team manager and to the
 *             director — once, with who was told and when kept on the concern.
 */
import { concernDueAt, formatDueTime } from '../domain/concerns';
import type { Person } from '../domain/directory';
import type { Concern } from '../domain/notifications';
import { recordKindLabels, type RecordKind } from '../domain/records';
import type { Access, RecordRow } from './access';
import type { ServerDatabase } from './database';
import type { Notifications } from './notifications';
import type { Organisation } from './organisation';

/** A concern command the server refuses, with a reason the person can act on. */
export class ConcernRefused extends Error {}

export interface ConcernsDeps {
  db: ServerDatabase;
  access: Access;
  organisation: Organisation;
  notifications: Notifications;
  /** The child ID of a stored record ('' when it has none yet). */
  childIdOf(record: string): Promise<string>;
  now(): Date;
  /** The organisation's response time, in working days. */
  responseWorkingDays: number;
}

interface ConcernRow {
  id: string;
  doc: string;
  raised_by: string;
  raised_at: string;
  child_id: string;
  due_at: string | null;
  responded_at: string | null;
  resolved_at: string | null;
  escalated_at: string | null;
}

const recordPathSegment: Record<RecordKind, string> = { observation: 'observations', review: 'reviews', moderation: 'moderations', feedback: 'feedback', summary: 'summaries' };
const concernKinds: readonly RecordKind[] = ['observation', 'review', 'feedback'];

export class Concerns {
  constructor(private readonly deps: ConcernsDeps) {}

  async raise(user: Person, record: RecordRow, id: string, text: string): Promise<void> {
    const { db, access } = this.deps;
    if (!concernKinds.includes(record.kind)) throw new ConcernRefused('Raise the concern on the review itself.');
    if (access.accessTo(user, record).level === 'none') throw new ConcernRefused('You do not have access to this record.');
    if (db.prepare('SELECT 1 FROM concerns WHERE id = ?').get(id)) throw new ConcernRefused('A concern with this id already exists.');
    const childId = await this.childIdOf(record);
    const raisedAt = this.deps.now();
    const dueAt = concernDueAt(raisedAt, this.deps.responseWorkingDays);
    db.prepare('INSERT INTO concerns (id, doc, raised_by, raised_at, text, child_id, due_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      id,
      record.name,
      user.id,
      raisedAt.toISOString(),
      text,
      childId,
      dueAt.toISOString(),
    );
    const child = childId ? `child ${childId}` : 'a child (no child ID recorded yet)';
    const label = recordKindLabels[record.kind].toLowerCase();
    const kind = `${/^[aeiou]/.test(label) ? 'an' : 'a'} ${label}`;
    this.deps.notifications.notify(
      this.recipients(record).filter((id) => id !== user.id),
      'concern-raised',
      record.name,
      `Immediate concern about ${child}, raised by ${user.displayName} on ${kind}. A response is due by ${formatDueTime(dueAt)}. The concern: ${text}`,
      {
        subject: `Immediate concern: ${childId ? `child ${childId}` : 'a child'} — response due ${formatDueTime(dueAt)}`,
        text: `An immediate concern about the safety of ${child} has been raised in Fieldnotes on ${kind}. A response is due by ${formatDueTime(dueAt)}.`,
        path: recordPath(record),
      },
    );
  }

  respond(user: Person, record: RecordRow, concernId: string, response: string): void {
    const { db } = this.deps;
    const concern = this.find(concernId, record.name);
    if (concern.resolved_at) throw new ConcernRefused('This concern is already resolved.');
    if (concern.responded_at) throw new ConcernRefused('This concern has already been responded to.');
    if (!this.managesTeamOf(user, record) && user.role !== 'qa-officer')
      throw new ConcernRefused('A manager above the child’s team, or the QA team, responds to a concern.');
    const at = this.deps.now().toISOString();
    db.prepare('UPDATE concerns SET responded_by = ?, responded_at = ?, response = ? WHERE id = ? AND responded_at IS NULL').run(user.id, at, response, concernId);
    this.deps.notifications.notify(
      [...this.recipients(record), concern.raised_by].filter((id) => id !== user.id),
      'concern-responded',
      record.name,
      `${user.displayName} responded to the immediate concern about ${concern.child_id ? `child ${concern.child_id}` : 'the child'}: ${response}`,
    );
  }

  resolve(user: Person, record: RecordRow, concernId: string, resolution: string): void {
    const { db } = this.deps;
    const concern = this.find(concernId, record.name);
    if (concern.resolved_at) throw new ConcernRefused('This concern is already resolved.');
    const relationship = this.deps.access.accessTo(user, record).relationship;
    if (relationship !== 'line-manager' && relationship !== 'author') throw new ConcernRefused('A concern is resolved by the record’s lead or a manager above the child’s team.');
    db.prepare('UPDATE concerns SET resolved_by = ?, resolved_at = ?, resolution = ? WHERE id = ?').run(user.id, this.deps.now().toISOString(), resolution, concernId);
    this.deps.notifications.notify(
      [...this.recipients(record), concern.raised_by].filter((id) => id !== user.id),
      'concern-resolved',
      record.name,
      `Concern resolved by ${user.displayName}: ${resolution}`,
    );
  }

  /**
   * The scheduler's tick: each concern unanswered at its due time escalates to the next manager up from
   * the child's team manager and to the director. The row is claimed (escalated_at set) by the statement
   * that checks it is still unclaimed, so a tick run twice, or two racing, tells nobody twice. Returns how
   * many concerns escalated.
   */
  checkUnanswered(): number {
    const { db, organisation, notifications } = this.deps;
    const now = this.deps.now();
    const due = db
      .prepare('SELECT * FROM concerns WHERE due_at IS NOT NULL AND due_at <= ? AND responded_at IS NULL AND resolved_at IS NULL AND escalated_at IS NULL')
      .all(now.toISOString()) as ConcernRow[];
    let escalated = 0;
    for (const concern of due) {
      const record = this.deps.access.record(concern.doc);
      if (!record) continue;
      const teamManager = this.teamManagerOf(record);
      const nextUp = teamManager ? organisation.lineAbove(teamManager).slice(0, 1) : [];
      const people = [...new Set([...nextUp, ...this.directors()])];
      const claimed = db
        .prepare('UPDATE concerns SET escalated_at = ?, escalated_to = ? WHERE id = ? AND escalated_at IS NULL AND responded_at IS NULL AND resolved_at IS NULL')
        .run(now.toISOString(), JSON.stringify(people), concern.id).changes;
      if (!claimed) continue;
      escalated++;
      const child = concern.child_id ? `child ${concern.child_id}` : 'a child';
      notifications.notify(
        people,
        'concern-escalated',
        concern.doc,
        `Escalated: an immediate concern about ${child}, raised ${formatDueTime(concern.raised_at)}, has had no response by its due time (${formatDueTime(concern.due_at!)}).`,
        {
          subject: `Escalated: immediate concern about ${child} has had no response`,
          text: `An immediate concern about the safety of ${child} has had no response by its due time (${formatDueTime(concern.due_at!)}), so it has been escalated to you.`,
          path: recordPath(record),
        },
      );
    }
    return escalated;
  }

  /** The concerns raised on a record, newest first (for people who may read it). */
  listOn(record: string): Concern[] {
    const rows = this.deps.db
      .prepare(
        `SELECT c.id, c.doc AS record, c.child_id AS childId, c.raised_by AS raisedBy, r.display_name AS raisedByName, c.raised_at AS raisedAt, c.text,
                c.due_at AS dueAt, p.display_name AS respondedByName, c.responded_at AS respondedAt, c.response,
                c.escalated_at AS escalatedAt, c.escalated_to AS escalatedTo,
                s.display_name AS resolvedByName, c.resolved_at AS resolvedAt, c.resolution
         FROM concerns c JOIN users r ON r.id = c.raised_by LEFT JOIN users s ON s.id = c.resolved_by LEFT JOIN users p ON p.id = c.responded_by
         WHERE c.doc = ? ORDER BY c.raised_at DESC`,
      )
      .all(record) as (Omit<Concern, 'escalatedTo'> & { escalatedTo: string | null })[];
    const nameOf = this.deps.db.prepare('SELECT display_name AS name FROM users WHERE id = ?');
    return rows.map((row) => ({
      ...row,
      escalatedTo: row.escalatedTo ? (JSON.parse(row.escalatedTo) as string[]).map((id) => (nameOf.get(id) as { name: string } | undefined)?.name ?? 'someone who has left') : [],
    }));
  }

  /**
   * Who is told of a concern raised on a record: the practitioner it is about, the child's team manager,
   * the service manager above them, the director and the QA team.
   */
  recipients(record: RecordRow): string[] {
    const { db, organisation } = this.deps;
    const teamManager = this.teamManagerOf(record);
    const line = teamManager ? organisation.lineAbove(teamManager) : [];
    const serviceManagers = line.filter((id) => organisation.findActiveUser(id)?.role === 'head-of-service');
    const qaTeam = (db.prepare("SELECT id FROM users WHERE role = 'qa-officer' AND active = 1").all() as { id: string }[]).map((r) => r.id);
    const practitioner = this.practitionerOf(record);
    return [...new Set([...(practitioner ? [practitioner] : []), ...(teamManager ? [teamManager] : []), ...serviceManagers, ...this.directors(), ...qaTeam])];
  }

  private find(concernId: string, record: string): ConcernRow {
    const concern = this.deps.db.prepare('SELECT * FROM concerns WHERE id = ? AND doc = ?').get(concernId, record) as ConcernRow | undefined;
    if (!concern) throw new ConcernRefused('There is no such concern on this record.');
    return concern;
  }

  /** The child's team manager or anyone above them (whatever their part in the record: they may have written it). */
  private managesTeamOf(user: Person, record: RecordRow): boolean {
    const teamManager = this.teamManagerOf(record);
    if (teamManager) return teamManager === user.id || this.deps.organisation.lineAbove(teamManager).includes(user.id);
    return this.deps.access.accessTo(user, record).relationship === 'line-manager';
  }

  private directors(): string[] {
    return (this.deps.db.prepare("SELECT id FROM users WHERE role = 'director' AND active = 1").all() as { id: string }[]).map((r) => r.id);
  }

  private teamManagerOf(record: RecordRow): string | null {
    if (!record.team_id) return null;
    return (this.deps.db.prepare('SELECT manager_id FROM teams WHERE id = ?').get(record.team_id) as { manager_id: string | null } | undefined)?.manager_id ?? null;
  }

  /** The practitioner a record is about: its own subject, or that of the record it belongs to (family feedback gathered for a review). */
  private practitionerOf(record: RecordRow): string | null {
    if (record.subject_id) return record.subject_id;
    const parent = record.review_of ? this.deps.access.record(record.review_of) : null;
    return parent?.subject_id ?? null;
  }

  /** The child ID: the record's own, or that of the record it belongs to. */
  private async childIdOf(record: RecordRow): Promise<string> {
    const own = await this.deps.childIdOf(record.name);
    if (own || !record.review_of) return own;
    return this.deps.childIdOf(record.review_of);
  }
}

const recordPath = (record: RecordRow) => `/${recordPathSegment[record.kind]}/${record.name.slice(record.name.indexOf('/') + 1)}`;
