/**
 * The quality assurance programme on the server (domain/programme.ts): expectations and the quarter's
 * schedule (set by the QA team and the principal social worker), reviews assigned from a sample of children,
 * and coverage — computed from the server's own data (which records exist, their kind, status, people and
 * dates; the facts projection below), never from anything a device says it did.
 *
 * Who may do what (checked here, whatever the device showed):
 *   set expectations and the schedule   the QA team and the principal social worker (programmeSetters)
 *   draw a sample and assign             the QA team and PSW for any team; a head of service for their service's teams
 *   link a record to an assignment       its assignee, who wrote the record
 *   read coverage                        their own and their line's; the whole organisation for the QA team, PSW, director
 *   read the schedule                    the setters all of it; everyone else the entries that name them
 */
import { randomInt, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { dateInEngland } from '../domain/actions';
import { readsCaseRecords, type Person, type Role } from '../domain/directory';
import { concernGrades } from '../domain/followUp';
import { programmeCounting } from '../domain/kinds';
import { addDaysTo, isoDateSchema, parsePeriodId, periodContaining, type Period } from '../domain/periods';
import {
  computeCoverage,
  defaultExpectations,
  defaultProgrammeSettings,
  programmeSettingsSchema,
  type ProgrammeSettings,
  expectationInputSchema,
  organisationWideRoles,
  programmeAssigners,
  programmeSetters,
  scheduleEntryInputSchema,
  scheduleNames,
  type CoverageInput,
  type CoverageReport,
  type Expectation,
  type ExpectationInput,
  type ProgrammeActivity,
  type ProgrammePerson,
  type ScheduleEntry,
  type ScheduleEntryInput,
} from '../domain/programme';
import { assignmentKinds, newAssignmentsSchema, type Assignment, type SampleCandidate } from '../domain/assignments';
import { recordKindLabels, recordKinds, type RecordKind } from '../domain/records';
import type { Access, RecordRow } from './access';
import type { AuditLog } from './audit';
import type { ServerDatabase } from './database';
import type { Notifications } from './notifications';
import type { Organisation } from './organisation';
import type { RecordFacts } from './recordFacts';

/** A request the programme refuses, with a reason the person can act on (and the HTTP status it answers with). */
export class ProgrammeRefused extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 = 400,
  ) {
    super(message);
  }
}

export interface ProgrammeDeps {
  db: ServerDatabase;
  access: Access;
  organisation: Organisation;
  notifications: Notifications;
  audit: AuditLog;
  /** Tells these people's devices that their programme (assignments, schedule, coverage) changed. */
  push(userIds: string[]): void;
  /** People added to a record hear of it at once (their devices fetch it). */
  notifyReaders(record: string): void;
  /** The read model of finished records (recordFacts.ts), shared with the reports. */
  facts: RecordFacts;
  now(): Date;
}

interface AssignmentRow {
  id: string;
  kind: RecordKind;
  quarter: string;
  child_id: string;
  child_name: string;
  practitioner_id: string | null;
  team_id: string | null;
  level_of_need: string;
  reason: string;
  assignee_id: string;
  moderator_id: string | null;
  due_date: string;
  status: Assignment['status'];
  record: string | null;
  assigned_by: string;
  assigned_at: string;
  done_at: string | null;
}

export class Programme {
  constructor(private readonly deps: ProgrammeDeps) {
    this.seedDefaults();
  }

  today(): string {
    return dateInEngland(this.deps.now());
  }

  /** An organisation starts with the seeds' expectations, once: a council that deletes them keeps them deleted. */
  private seedDefaults() {
    const { db } = this.deps;
    if (db.prepare("SELECT 1 FROM programme_settings WHERE key = 'expectations-seeded'").get()) return;
    db.transaction(() => {
      defaultExpectations.forEach((e, i) => this.insertExpectation(randomUUID(), e, i, null));
      db.prepare("INSERT INTO programme_settings (key, value) VALUES ('expectations-seeded', ?)").run(new Date().toISOString());
    })();
  }

  // ---- expectations ------------------------------------------------------------------------------

  expectations(): Expectation[] {
    const rows = this.deps.db.prepare('SELECT id, body FROM programme_expectations ORDER BY position, updated_at').all() as { id: string; body: string }[];
    return rows.flatMap(({ id, body }) => {
      const parsed = expectationInputSchema.safeParse(JSON.parse(body));
      return parsed.success ? [{ ...parsed.data, id }] : [];
    });
  }

  private requireSetter(user: Person) {
    if (!programmeSetters.includes(user.role)) throw new ProgrammeRefused('Only the QA team and the principal social worker set the programme.', 403);
  }

  private checkWho(input: ExpectationInput) {
    if (input.who.type === 'person') {
      const person = this.deps.organisation.findActiveUser(input.who.userId);
      if (!person || !readsCaseRecords(person.role)) throw new ProgrammeRefused('That person is not in the directory.');
    }
    if (input.who.type === 'role' && !readsCaseRecords(input.who.role)) throw new ProgrammeRefused('Administrators manage people, not case work: they have no QA activity.');
  }

  private insertExpectation(id: string, input: ExpectationInput, position: number, by: string | null) {
    this.deps.db
      .prepare(
        `INSERT INTO programme_expectations (id, body, position, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      )
      .run(id, JSON.stringify(input), position, by, this.deps.now().toISOString());
  }

  /** Adds an expectation (no id) or changes one; `body` is unchecked JSON. */
  saveExpectation(user: Person, id: string | null, body: unknown): Expectation {
    this.requireSetter(user);
    const parsed = expectationInputSchema.safeParse(body);
    if (!parsed.success) throw new ProgrammeRefused(parsed.error.issues[0]?.message ?? 'Check the expectation.');
    this.checkWho(parsed.data);
    const { db } = this.deps;
    if (id !== null && !db.prepare('SELECT 1 FROM programme_expectations WHERE id = ?').get(id)) throw new ProgrammeRefused('There is no such expectation.', 404);
    const newId = id ?? randomUUID();
    const position = id ? 0 : ((db.prepare('SELECT COALESCE(MAX(position), 0) + 1 AS next FROM programme_expectations').get() as { next: number }).next);
    if (id) db.prepare('UPDATE programme_expectations SET body = ?, updated_by = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(parsed.data), user.id, this.deps.now().toISOString(), id);
    else this.insertExpectation(newId, parsed.data, position, user.id);
    this.deps.audit.record({ userId: user.id, deviceId: null, action: 'command', record: null, detail: `programme: expectation ${id ? 'changed' : 'added'}: ${JSON.stringify(parsed.data)}` });
    this.pushEveryone();
    return { ...parsed.data, id: newId };
  }

  deleteExpectation(user: Person, id: string): void {
    this.requireSetter(user);
    const changed = this.deps.db.prepare('DELETE FROM programme_expectations WHERE id = ?').run(id).changes;
    if (changed === 0) throw new ProgrammeRefused('There is no such expectation.', 404);
    this.deps.audit.record({ userId: user.id, deviceId: null, action: 'command', record: null, detail: `programme: expectation removed (${id})` });
    this.pushEveryone();
  }

  // ---- settings -------------------------------------------------------------------------------------

  settings(): ProgrammeSettings {
    const row = this.deps.db.prepare("SELECT value FROM programme_settings WHERE key = 'settings'").get() as { value: string } | undefined;
    const parsed = row ? programmeSettingsSchema.safeParse(JSON.parse(row.value)) : null;
    return parsed?.success ? parsed.data : defaultProgrammeSettings;
  }

  saveSettings(user: Person, body: unknown): ProgrammeSettings {
    this.requireSetter(user);
    const parsed = programmeSettingsSchema.safeParse(body);
    if (!parsed.success) throw new ProgrammeRefused(parsed.error.issues[0]?.message ?? 'Check the settings.');
    this.deps.db
      .prepare("INSERT INTO programme_settings (key, value) VALUES ('settings', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .run(JSON.stringify(parsed.data));
    this.deps.audit.record({ userId: user.id, deviceId: null, action: 'command', record: null, detail: `programme: moderation panel share set to ${parsed.data.moderationPanelShare}%` });
    return parsed.data;
  }

  // ---- the schedule --------------------------------------------------------------------------------

  /** A quarter's schedule: all of it for the people who set it, the entries that name them for everyone else. */
  schedule(user: Person, quarterId: string): ScheduleEntry[] {
    const rows = this.deps.db.prepare('SELECT id, quarter, body FROM programme_schedule WHERE quarter = ?').all(quarterId) as { id: string; quarter: string; body: string }[];
    const entries = rows.flatMap(({ id, quarter, body }) => {
      const parsed = scheduleEntryInputSchema.safeParse(JSON.parse(body));
      return parsed.success ? [{ ...parsed.data, id, quarter }] : [];
    });
    const visible = programmeSetters.includes(user.role) ? entries : entries.filter((e) => scheduleNames(e, user));
    return visible.sort((a, b) => a.month.localeCompare(b.month) || a.weekBeginning.localeCompare(b.weekBeginning) || a.activity.localeCompare(b.activity));
  }

  saveScheduleEntry(user: Person, quarterId: string, id: string | null, body: unknown): ScheduleEntry {
    this.requireSetter(user);
    const quarter = parsePeriodId(quarterId);
    if (!quarter || quarter.unit !== 'quarter') throw new ProgrammeRefused('Choose a quarter.');
    const parsed = scheduleEntryInputSchema.safeParse(body);
    if (!parsed.success) throw new ProgrammeRefused(parsed.error.issues[0]?.message ?? 'Check the entry.');
    const entry: ScheduleEntryInput = parsed.data;
    if (`${entry.month}-01` < quarter.start || `${entry.month}-01` > quarter.end) throw new ProgrammeRefused(`The month must be in ${quarter.label}.`);
    if (entry.roles.length === 0 && entry.people.length === 0) throw new ProgrammeRefused('Say who does it.');
    for (const personId of entry.people) if (!this.deps.organisation.findActiveUser(personId)) throw new ProgrammeRefused('Someone named is not in the directory.');
    const { db } = this.deps;
    if (id !== null && !db.prepare('SELECT 1 FROM programme_schedule WHERE id = ? AND quarter = ?').get(id, quarterId)) throw new ProgrammeRefused('There is no such entry.', 404);
    const newId = id ?? randomUUID();
    db.prepare(
      `INSERT INTO programme_schedule (id, quarter, body, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    ).run(newId, quarterId, JSON.stringify(entry), user.id, this.deps.now().toISOString());
    this.deps.audit.record({ userId: user.id, deviceId: null, action: 'command', record: null, detail: `programme: schedule entry ${id ? 'changed' : 'added'} in ${quarterId}: ${entry.activity}` });
    this.pushEveryone();
    return { ...entry, id: newId, quarter: quarterId };
  }

  deleteScheduleEntry(user: Person, id: string): void {
    this.requireSetter(user);
    if (this.deps.db.prepare('DELETE FROM programme_schedule WHERE id = ?').run(id).changes === 0) throw new ProgrammeRefused('There is no such entry.', 404);
    this.deps.audit.record({ userId: user.id, deviceId: null, action: 'command', record: null, detail: `programme: schedule entry removed (${id})` });
    this.pushEveryone();
  }

  /** The demo's people have been in post since a date (a fresh demo would otherwise expect nothing of anyone yet). */
  markInPostSince(date: string): void {
    this.deps.db.prepare('UPDATE users SET created_at = ? WHERE created_at > ?').run(`${date}T09:00:00.000Z`, `${date}T09:00:00.000Z`);
  }

  /** Seeds a quarter's schedule (the demo organisation), as the system. */
  seedSchedule(quarterId: string, entries: ScheduleEntryInput[]): void {
    const insert = this.deps.db.prepare('INSERT INTO programme_schedule (id, quarter, body, updated_by, updated_at) VALUES (?, ?, ?, NULL, ?)');
    this.deps.db.transaction(() => {
      for (const entry of entries) insert.run(randomUUID(), quarterId, JSON.stringify(scheduleEntryInputSchema.parse(entry)), new Date().toISOString());
    })();
  }

  private pushEveryone() {
    const ids = (this.deps.db.prepare("SELECT id FROM users WHERE active = 1 AND role != 'admin'").all() as { id: string }[]).map((r) => r.id);
    this.deps.push(ids);
  }

  // ---- facts about finished records (a projection, so nothing opens documents one by one) ------------

  /** A record left the draft state: keep what selection, coverage and reports need, and finish its assignment. */
  recordFinished(record: RecordRow, values: Record<string, string>): void {
    this.deps.facts.finished(record.name, values);
    this.finishAssignmentsOf(record.name);
  }

  /** A review's moderation is recorded: its agreed grades are the ones that count. */
  reviewModerated(review: RecordRow, moderated: Record<string, string>): void {
    this.deps.facts.moderated(review.name, moderated, this.deps.now());
  }

  // ---- selection and assignment ---------------------------------------------------------------------

  /** The teams a person may sample and assign for: every team, or their service's. */
  private assignableTeams(user: Person): Set<string> {
    if (!programmeAssigners.includes(user.role)) throw new ProgrammeRefused('Only the QA team, the principal social worker or a head of service assigns reviews.', 403);
    const all = this.deps.db.prepare('SELECT id, service_id FROM teams').all() as { id: string; service_id: string }[];
    if (user.role !== 'head-of-service') return new Set(all.map((t) => t.id));
    return new Set(all.filter((t) => t.service_id === user.serviceId).map((t) => t.id));
  }

  /**
   * A sample of children for a quarter's reviews, from the children the server's records are about: spread
   * across teams and levels of need in turn, those whose latest review was graded Requires Improvement or
   * Inadequate first when asked, and none already assigned this quarter.
   */
  sample(user: Person, query: unknown): SampleCandidate[] {
    const parsed = z
      .object({ quarter: z.string().max(20), size: z.coerce.number().int().min(1).max(200).default(20), includeConcerns: z.enum(['yes', 'no']).default('yes') })
      .safeParse(query);
    if (!parsed.success) throw new ProgrammeRefused(parsed.error.issues[0]?.message ?? 'Check the sample.');
    const quarter = this.requireQuarter(parsed.data.quarter);
    const teams = this.assignableTeams(user);
    const rows = this.deps.db
      .prepare(
        `SELECT f.child_id, f.child_name, f.level_of_need, f.grade, f.on_date, d.kind, d.team_id, d.subject_id, d.completed_at
         FROM record_facts f JOIN documents d ON d.name = f.doc
         WHERE f.child_id != '' AND d.status != 'draft' ORDER BY d.completed_at`,
      )
      .all() as { child_id: string; child_name: string; level_of_need: string; grade: string; on_date: string; kind: RecordKind; team_id: string | null; subject_id: string | null }[];
    const assigned = new Set((this.deps.db.prepare("SELECT child_id FROM assignments WHERE quarter = ? AND status != 'cancelled'").all(quarter.id) as { child_id: string }[]).map((r) => r.child_id));
    // The latest of each child's records says where they are now; their latest review's grade is the one that counts.
    const children = new Map<string, SampleCandidate>();
    for (const row of rows) {
      if (assigned.has(row.child_id)) continue;
      const known = children.get(row.child_id);
      const next: SampleCandidate = {
        childId: row.child_id,
        childName: row.child_name || known?.childName || '',
        teamId: row.team_id ?? '',
        practitionerId: row.subject_id ?? '',
        levelOfNeed: row.level_of_need || known?.levelOfNeed || '',
        lastGrade: row.kind === 'review' ? row.grade : (known?.lastGrade ?? ''),
        lastReviewed: row.kind === 'review' ? row.on_date : (known?.lastReviewed ?? ''),
        reason: '',
      };
      children.set(row.child_id, next);
    }
    const pool = [...children.values()].filter((c) => teams.has(c.teamId));
    const concern = (c: SampleCandidate) => concernGrades.includes(c.lastGrade as (typeof concernGrades)[number]);
    const picked: SampleCandidate[] = [];
    if (parsed.data.includeConcerns === 'yes')
      for (const c of shuffle(pool.filter(concern))) if (picked.length < parsed.data.size) picked.push({ ...c, reason: `Earlier review graded ${c.lastGrade === 'inadequate' ? 'Inadequate' : 'Requires Improvement'}` });
    // Spread, not the largest team's: teams take turns, and within a team its levels of need take turns.
    const byTeam = new Map<string, Map<string, SampleCandidate[]>>();
    for (const c of shuffle(pool.filter((c) => !picked.some((p) => p.childId === c.childId)))) {
      const levels = byTeam.get(c.teamId) ?? new Map<string, SampleCandidate[]>();
      const same = levels.get(c.levelOfNeed);
      if (same) same.push(c);
      else levels.set(c.levelOfNeed, [c]);
      byTeam.set(c.teamId, levels);
    }
    const queues = shuffle([...byTeam.values()].map((levels) => interleave(shuffle([...levels.values()]))));
    for (const next of interleave(queues)) {
      if (picked.length >= parsed.data.size) break;
      picked.push({ ...next, reason: 'Random, spread across teams and levels of need' });
    }
    return picked;
  }

  private requireQuarter(id: string): Period {
    const quarter = parsePeriodId(id);
    if (!quarter || quarter.unit !== 'quarter') throw new ProgrammeRefused('Choose a quarter.');
    return quarter;
  }

  /** Assigns children's reviews (or observations, feedback) to people; `body` is unchecked JSON. */
  assign(user: Person, body: unknown): Assignment[] {
    const parsed = newAssignmentsSchema.safeParse(body);
    if (!parsed.success) throw new ProgrammeRefused(parsed.error.issues[0]?.message ?? 'Check the assignments.');
    const quarter = this.requireQuarter(parsed.data.quarter);
    const teams = this.assignableTeams(user);
    const { db, organisation } = this.deps;
    const today = this.today();
    const ids: string[] = [];
    const told = new Set<string>();
    const panel = this.panelModerators(parsed.data.assignments);
    for (const [index, item] of parsed.data.assignments.entries()) {
      const assignee = organisation.findActiveUser(item.assigneeId);
      if (!assignee || !readsCaseRecords(assignee.role) || assignee.role === 'practitioner') throw new ProgrammeRefused('Assign each one to a manager, the QA team or the principal social worker.');
      if (item.moderatorId) {
        const moderator = organisation.findActiveUser(item.moderatorId);
        if (!moderator || !readsCaseRecords(moderator.role) || moderator.id === assignee.id) throw new ProgrammeRefused('Choose a moderator other than the lead reviewer.');
      }
      let teamId = item.teamId || null;
      if (item.practitionerId) {
        const practitioner = organisation.findActiveUser(item.practitionerId);
        if (!practitioner) throw new ProgrammeRefused('The practitioner is not in the directory.');
        teamId = practitioner.teamId || teamId;
      }
      if (!teamId || !teams.has(teamId)) throw new ProgrammeRefused(user.role === 'head-of-service' ? 'A head of service assigns cases of their own service’s teams.' : 'Say which team the child is with.');
      if (item.dueDate < today) throw new ProgrammeRefused('The due date must be today or later.');
      const id = randomUUID();
      db.prepare(
        `INSERT INTO assignments (id, kind, quarter, child_id, child_name, practitioner_id, team_id, level_of_need, reason, assignee_id, moderator_id, due_date, status, assigned_by, assigned_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
      ).run(id, item.kind, quarter.id, item.childId, item.childName, item.practitionerId || null, teamId, item.levelOfNeed, item.reason, assignee.id, item.moderatorId || panel.get(index)?.(teamId, assignee.id) || null, item.dueDate, user.id, this.deps.now().toISOString());
      ids.push(id);
      told.add(assignee.id);
      this.deps.notifications.notify([assignee.id], 'assigned', '', `${user.displayName} has asked you to do ${item.kind === 'observation' ? 'an' : 'a'} ${recordKindLabels[item.kind].toLowerCase()} for child ${item.childId} by ${item.dueDate}. It is in your To do list.`);
    }
    this.deps.audit.record({ userId: user.id, deviceId: null, action: 'command', record: null, detail: `programme: ${ids.length} assigned for ${quarter.id}` });
    this.deps.push([...told, user.id]);
    return ids.map((id) => this.toAssignment(this.find(id)!));
  }

  /**
   * The organisation's share of reviews assigned without a named moderator that the service managers' panel
   * moderates (programmeSettings): which of them, at random, each with a way to choose a head of service
   * from outside the child's team's line (never the lead reviewer).
   */
  private panelModerators(items: { moderatorId: string; kind: string }[]): Map<number, (teamId: string, assigneeId: string) => string | null> {
    const share = this.settings().moderationPanelShare;
    const open = items.flatMap((item, index) => (!item.moderatorId && item.kind === 'review' ? [index] : []));
    const chosen = shuffle(open).slice(0, Math.round((open.length * share) / 100));
    const heads = (this.deps.db.prepare("SELECT id FROM users WHERE role = 'head-of-service' AND active = 1").all() as { id: string }[]).map((r) => r.id);
    const pick = (teamId: string, assigneeId: string) => {
      const teamManager = (this.deps.db.prepare('SELECT manager_id FROM teams WHERE id = ?').get(teamId) as { manager_id: string | null } | undefined)?.manager_id;
      const line = new Set(teamManager ? [teamManager, ...this.deps.organisation.lineAbove(teamManager)] : []);
      const eligible = heads.filter((id) => !line.has(id) && id !== assigneeId);
      return eligible.length > 0 ? eligible[randomInt(eligible.length)]! : null;
    };
    return new Map(chosen.map((index) => [index, pick]));
  }

  cancel(user: Person, id: string): void {
    const row = this.find(id);
    if (!row) throw new ProgrammeRefused('There is no such assignment.', 404);
    const teams = this.assignableTeams(user);
    if (row.assigned_by !== user.id && !(row.team_id && teams.has(row.team_id))) throw new ProgrammeRefused('Only the person who assigned it, or the QA team, can withdraw it.', 403);
    if (row.status !== 'open') throw new ProgrammeRefused('Only an open assignment can be withdrawn.');
    this.deps.db.prepare("UPDATE assignments SET status = 'cancelled' WHERE id = ?").run(id);
    this.deps.push([row.assignee_id, user.id]);
  }

  private find(id: string): AssignmentRow | null {
    return (this.deps.db.prepare('SELECT * FROM assignments WHERE id = ?').get(id) as AssignmentRow | undefined) ?? null;
  }

  /**
   * The assignee links the record they started for an assignment (a command, so it works offline and waits
   * in the outbox until the record reaches the server). A moderator named on the assignment is added to the
   * review; a record already finished finishes the assignment.
   */
  link(user: Person, record: RecordRow, assignmentId: string): void {
    const row = this.find(assignmentId);
    if (!row || row.assignee_id !== user.id) throw new ProgrammeRefused('There is no such assignment for you.');
    if (row.status === 'cancelled') throw new ProgrammeRefused('This assignment was withdrawn.');
    if (row.record && row.record !== record.name) throw new ProgrammeRefused('Another record was already started for this assignment.');
    if (record.author_id !== user.id || record.kind !== row.kind) throw new ProgrammeRefused('Link a record of the assigned kind that you started.');
    const { db } = this.deps;
    db.transaction(() => {
      db.prepare('UPDATE assignments SET record = ? WHERE id = ?').run(record.name, row.id);
      if (row.moderator_id && record.kind === 'review')
        db.prepare(
          `INSERT INTO record_participants (doc, user_id, role, added_by, added_at) VALUES (?, ?, 'moderator', ?, ?)
           ON CONFLICT (doc, user_id) DO NOTHING`,
        ).run(record.name, row.moderator_id, row.assigned_by, this.deps.now().toISOString());
    })();
    if (record.status !== 'draft') this.finishAssignmentsOf(record.name);
    if (row.moderator_id) this.deps.notifyReaders(record.name);
    this.deps.push([row.assignee_id, row.assigned_by]);
  }

  private finishAssignmentsOf(recordName: string) {
    const rows = this.deps.db.prepare("SELECT id, assignee_id, assigned_by FROM assignments WHERE record = ? AND status = 'open'").all(recordName) as { id: string; assignee_id: string; assigned_by: string }[];
    if (rows.length === 0) return;
    this.deps.db.prepare("UPDATE assignments SET status = 'done', done_at = ? WHERE record = ? AND status = 'open'").run(this.deps.now().toISOString(), recordName);
    this.deps.push(rows.flatMap((r) => [r.assignee_id, r.assigned_by]));
  }

  /** The assignments a person has (as lead reviewer), and those they gave out (the QA team's list). */
  assignmentsFor(user: Person): { mine: Assignment[]; given: Assignment[] } {
    const { db } = this.deps;
    const mine = db.prepare("SELECT * FROM assignments WHERE assignee_id = ? AND status != 'cancelled' ORDER BY due_date").all(user.id) as AssignmentRow[];
    let given: AssignmentRow[] = [];
    if (programmeAssigners.includes(user.role)) {
      const teams = this.assignableTeams(user);
      given = (db.prepare("SELECT * FROM assignments WHERE status != 'cancelled' ORDER BY quarter DESC, due_date").all() as AssignmentRow[]).filter(
        (r) => r.assigned_by === user.id || (r.team_id && teams.has(r.team_id)),
      );
    }
    return { mine: mine.map((r) => this.toAssignment(r)), given: given.map((r) => this.toAssignment(r)) };
  }

  private toAssignment(r: AssignmentRow): Assignment {
    const name = (id: string | null) => (id ? (this.deps.organisation.findActiveUser(id)?.displayName ?? '') : '');
    return {
      id: r.id,
      kind: assignmentKinds.includes(r.kind as (typeof assignmentKinds)[number]) ? (r.kind as Assignment['kind']) : 'review',
      quarter: r.quarter,
      childId: r.child_id,
      childName: r.child_name,
      practitionerId: r.practitioner_id ?? '',
      practitionerName: name(r.practitioner_id),
      teamId: r.team_id ?? '',
      levelOfNeed: r.level_of_need,
      reason: r.reason,
      assigneeId: r.assignee_id,
      assigneeName: name(r.assignee_id),
      moderatorId: r.moderator_id ?? '',
      moderatorName: name(r.moderator_id),
      dueDate: r.due_date,
      status: r.status,
      record: r.record ?? '',
      assignedById: r.assigned_by,
      assignedByName: name(r.assigned_by),
    };
  }

  // ---- coverage -------------------------------------------------------------------------------------

  private people(): ProgrammePerson[] {
    const rows = this.deps.db
      .prepare("SELECT id, display_name, role, team_id, service_id, manager_id, created_at, active, left_at FROM users WHERE role != 'admin'")
      .all() as { id: string; display_name: string; role: Role; team_id: string | null; service_id: string | null; manager_id: string | null; created_at: string; active: number; left_at: string | null }[];
    return rows.flatMap((r) => {
      // Someone deactivated before the day they left was kept is simply gone.
      if (r.active === 0 && !r.left_at) return [];
      return [
        {
          id: r.id,
          displayName: r.display_name,
          role: r.role,
          teamId: r.team_id ?? '',
          serviceId: r.service_id ?? '',
          managerId: r.manager_id ?? '',
          joinedOn: dateInEngland(new Date(r.created_at)),
          leftOn: r.active === 0 && r.left_at ? dateInEngland(new Date(r.left_at)) : null,
        },
      ];
    });
  }

  /** What counts, from the server's own data: finished records by their authors, moderations by their moderators. */
  private activities(since: string): ProgrammeActivity[] {
    const { db } = this.deps;
    const finishedKinds = recordKinds.filter((k) => programmeCounting[k] === 'finished');
    const finished = db
      .prepare(
        `SELECT d.name, d.kind, d.author_id, d.subject_id, d.team_id, d.completed_at, f.level_of_need
         FROM documents d LEFT JOIN record_facts f ON f.doc = d.name
         WHERE d.status != 'draft' AND d.completed_at IS NOT NULL AND d.completed_at >= ? AND d.kind IN (${finishedKinds.map(() => '?').join(', ')})`,
      )
      .all(since, ...finishedKinds) as { name: string; kind: RecordKind; author_id: string; subject_id: string | null; team_id: string | null; completed_at: string; level_of_need: string | null }[];
    const activities: ProgrammeActivity[] = finished.map((r) => ({
      record: r.name,
      kind: r.kind,
      byId: r.author_id,
      subjectId: r.subject_id,
      teamId: r.team_id,
      on: dateInEngland(new Date(r.completed_at)),
      ...(r.level_of_need ? { levelOfNeed: r.level_of_need } : {}),
    }));
    if (recordKinds.some((k) => programmeCounting[k] === 'moderated')) {
      const moderated = db
        .prepare(
          `SELECT c.doc, c.user_id, c.received_at, d.subject_id, d.team_id FROM commands c JOIN documents d ON d.name = c.doc
           WHERE c.type = 'moderate' AND c.outcome = '{"status":"applied"}' AND c.received_at >= ?`,
        )
        .all(since) as { doc: string; user_id: string; received_at: string; subject_id: string | null; team_id: string | null }[];
      for (const m of moderated)
        activities.push({ record: m.doc, kind: 'moderation', byId: m.user_id, subjectId: m.subject_id, teamId: m.team_id, on: dateInEngland(new Date(m.received_at)) });
    }
    return activities;
  }

  /** The people whose coverage a person sees: themselves and everyone below them in the line (null: everyone). */
  private scopeOf(user: Person, people: ProgrammePerson[]): Set<string> | null {
    if (organisationWideRoles.includes(user.role)) return null;
    const scope = new Set([user.id]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const p of people) {
        if (!scope.has(p.managerId) || scope.has(p.id)) continue;
        scope.add(p.id);
        grew = true;
      }
    }
    return scope;
  }

  /**
   * Coverage on a day (today by the server's clock when not given), for what this person may see. Only
   * records they may read are counted, so no figure rests on a record they could not open.
   */
  coverage(user: Person, asOfInput?: string): CoverageReport {
    if (!readsCaseRecords(user.role)) throw new ProgrammeRefused('Administrators manage people, not case work.', 403);
    const asOf = asOfInput ?? this.today();
    if (!isoDateSchema.safeParse(asOf).success) throw new ProgrammeRefused('"asOf" is a date, YYYY-MM-DD.');
    // The longest period is a financial year; a day's margin for time zones.
    return computeCoverage({ asOf, ...this.coverageInputs(user, addDaysTo(periodContaining('year', asOf).start, -1)) });
  }

  /**
   * What coverage is computed from, for this person: expectations, people, teams, what was done since a
   * day (only records they may read) and whose rows they see. The dashboard adds these up over a period.
   */
  coverageInputs(user: Person, since: string): Omit<CoverageInput, 'asOf'> {
    const people = this.people();
    const readable = new Set(this.deps.access.readableRecords(user).map((r) => r.record.name));
    const activities = this.activities(since).filter((a) => readable.has(a.record));
    const teams = (this.deps.db.prepare('SELECT id, manager_id FROM teams').all() as { id: string; manager_id: string | null }[]).map((t) => ({ id: t.id, managerId: t.manager_id ?? '' }));
    return {
      expectations: this.expectations(),
      people,
      teams,
      activities,
      scope: this.scopeOf(user, people),
      organisationWide: organisationWideRoles.includes(user.role),
    };
  }

}

/** The first of each list, then the second of each, and so on. */
function interleave<T>(lists: T[][]): T[] {
  const out: T[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
  return out;
}

/** A fair shuffle (crypto randomness: a sample nobody can predict or steer). */
function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
