/**
 * Actions (domain/actions.ts) as the server keeps them: a row per action and a row of history per change,
 * in SQLite, never in a record's Yjs document — who may change an action and what state it is in carry
 * authority, and an owner updates their action long after the record is closed (and read-only).
 *
 * Who may do what (checked here, for every command, whatever the device showed):
 *   raise      the record's author and co-writers, its moderators, managers up the line of its team, and
 *              the QA team — while the record is not closed; the owner must be an active person who is not
 *              an administrator, and the due date today or later.
 *   read       everyone who may read the record; the owner, the person who raised it and the managers up
 *              the owner's line (an owner from another team may not be able to read the record itself).
 *   complete   the owner, while it is open: what was done and where the evidence is.
 *   sign off / send back   a manager up the owner's line, or the QA team — never the owner — once it is done.
 *   cancel     the person who raised it, a manager up the owner's line, or the QA team, with a reason.
 */
import { addDays, dateInEngland, daysBetween, mayRaiseActions, OVERDUE_REMINDER_DAYS, type Action, type ActionKind, type ActionList, type NewAction } from '../domain/actions';
import type { Command } from '../domain/commands';
import type { Person } from '../domain/directory';
import { recordKindLabels, type RecordKind } from '../domain/records';
import type { Access, RecordRow } from './access';
import type { ServerDatabase } from './database';
import type { Notifications } from './notifications';
import type { Organisation } from './organisation';

/** A command about an action that the server refuses, with a reason the person can act on. */
export class ActionRefused extends Error {}

export type ActionCommand = Extract<Command, { type: 'raise-action' | 'complete-action' | 'sign-off-action' | 'send-back-action' | 'cancel-action' }>;
export const actionCommandTypes: readonly string[] = ['raise-action', 'complete-action', 'sign-off-action', 'send-back-action', 'cancel-action'];
export const isActionCommand = (command: Command): command is ActionCommand => actionCommandTypes.includes(command.type);

export interface ActionsDeps {
  db: ServerDatabase;
  access: Access;
  organisation: Organisation;
  notifications: Notifications;
  /** Tells these people's devices that actions they may read changed (through their inboxes). */
  push(userIds: string[]): void;
  /** The child ID of a stored record ('' when it has none yet). */
  childIdOf(record: string): Promise<string>;
  /** The server's clock; tests move it to make actions fall due. */
  now(): Date;
}

export interface ActionRow {
  id: string;
  kind: ActionKind;
  doc: string;
  child_id: string;
  what: string;
  why: string;
  finding: string;
  owner_id: string;
  due_date: string;
  status: Action['status'];
  done_note: string;
  evidence: string;
  reason: string;
  raised_by: string;
  raised_at: string;
  updated_at: string;
  rule: string;
  practitioner_id: string | null;
  due_told_at: string | null;
  overdue_told_at: string | null;
  reminded_at: string | null;
}

/** A follow-up the server creates from a rule (followUp.ts): an action with no person raising it. */
export interface NewFollowUp {
  kind: Exclude<ActionKind, 'action'>;
  rule: string;
  record: string;
  childId: string;
  what: string;
  why: string;
  finding: string;
  ownerId: string;
  dueDate: string;
  practitionerId: string | null;
  /** Who the follow-up is attributed to in its history: the person whose command caused it. */
  causedBy: string;
}

export class Actions {
  constructor(private readonly deps: ActionsDeps) {}

  /** Today, where the council works. */
  today(): string {
    return dateInEngland(this.deps.now());
  }

  find(id: string): ActionRow | null {
    return (this.deps.db.prepare('SELECT * FROM actions WHERE id = ?').get(id) as ActionRow | undefined) ?? null;
  }

  /** Applies an action command for a person; `record` is the (registered) record the command names. */
  async run(user: Person, command: ActionCommand, record: RecordRow): Promise<void> {
    if (command.type === 'raise-action') return this.raise(user, record, command.action);
    const action = this.find(command.actionId);
    if (!action || action.doc !== record.name) throw new ActionRefused('There is no such action on this record.');
    const { organisation } = this.deps;
    const managers = organisation.lineAbove(action.owner_id);
    const oversees = managers.includes(user.id) || user.role === 'qa-officer';
    switch (command.type) {
      case 'complete-action': {
        if (action.owner_id !== user.id) throw new ActionRefused('Only the action’s owner says it is done.');
        if (action.kind === 'dip-sample') throw new ActionRefused('This follow-up is done when three reviews of the practitioner’s cases are complete.');
        if (action.status !== 'open') throw new ActionRefused(`This action is ${action.status === 'done' ? 'already done and waiting for sign-off' : action.status}.`);
        this.change(action, user.id, 'done', { status: 'done', done_note: command.doneNote, evidence: command.evidence }, `${command.doneNote}\nEvidence: ${command.evidence}`);
        this.deps.notifications.notify(
          managers.slice(0, 1),
          'action-done',
          action.doc,
          `${user.displayName} has done an action and it is waiting for your sign-off: ${action.what}`,
        );
        break;
      }
      case 'sign-off-action':
      case 'send-back-action': {
        if (action.owner_id === user.id) throw new ActionRefused('Someone other than the owner signs an action off: their manager or the QA team.');
        if (!oversees) throw new ActionRefused('The owner’s manager, or the QA team, signs an action off.');
        if (action.status !== 'done') throw new ActionRefused('Only an action its owner has done can be signed off or sent back.');
        if (command.type === 'sign-off-action') {
          this.change(action, user.id, 'signed-off', { status: 'signed-off' }, '');
          this.deps.notifications.notify([action.owner_id], 'action-signed-off', action.doc, `${user.displayName} signed off your action: ${action.what}`);
        } else {
          this.change(action, user.id, 'sent-back', { status: 'open', reason: command.reason }, command.reason);
          this.deps.notifications.notify([action.owner_id], 'action-sent-back', action.doc, `${user.displayName} sent back your action: ${action.what}. Why: ${command.reason}`);
        }
        break;
      }
      case 'cancel-action': {
        if (action.raised_by !== user.id && !oversees) throw new ActionRefused('The person who raised an action, the owner’s manager or the QA team can cancel it.');
        if (action.status !== 'open' && action.status !== 'done') throw new ActionRefused(`This action is already ${action.status}.`);
        this.change(action, user.id, 'cancelled', { status: 'cancelled', reason: command.reason }, command.reason);
        if (action.owner_id !== user.id)
          this.deps.notifications.notify([action.owner_id], 'action-cancelled', action.doc, `${user.displayName} cancelled your action: ${action.what}. Why: ${command.reason}`);
        break;
      }
    }
    this.pushAbout(action);
  }

  private async raise(user: Person, record: RecordRow, input: NewAction): Promise<void> {
    const { access, organisation, db } = this.deps;
    if (record.kind !== 'observation' && record.kind !== 'review') throw new ActionRefused('Actions are raised on an observation of practice or a collaborative case review.');
    const { level, relationship } = access.accessTo(user, record);
    if (record.status === 'closed') throw new ActionRefused('This review is closed: no more actions can be raised on it.');
    if (level === 'none' || !mayRaiseActions(relationship, user.role, record.status))
      throw new ActionRefused('Actions on a record are raised by the people writing or moderating it, the managers above its team, or the QA team.');
    const owner = organisation.findActiveUser(input.ownerId);
    if (!owner || owner.role === 'admin') throw new ActionRefused('Choose an owner from the directory.');
    if (input.dueDate < this.today()) throw new ActionRefused('The due date has passed: choose today or a later date.');
    if (this.find(input.actionId)) throw new ActionRefused('An action with this id already exists.');
    const childId = await this.deps.childIdOf(record.name);
    const at = this.deps.now().toISOString();
    db.transaction(() => {
      db.prepare(
        `INSERT INTO actions (id, kind, doc, child_id, what, why, finding, owner_id, due_date, status, raised_by, raised_at, updated_at, practitioner_id)
         VALUES (?, 'action', ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)`,
      ).run(input.actionId, record.name, childId, input.what, input.why, input.finding, owner.id, input.dueDate, user.id, at, at, record.subject_id);
      this.event(input.actionId, user.id, 'raised', `Owner: ${owner.displayName}; due ${input.dueDate}`, at);
    })();
    if (owner.id !== user.id)
      this.deps.notifications.notify([owner.id], 'action-assigned', record.name, `${user.displayName} gave you an action on a ${recordKindLabels[record.kind].toLowerCase()}${childId ? ` for child ${childId}` : ''}, due ${input.dueDate}: ${input.what}`);
    this.pushAbout(this.find(input.actionId)!);
  }

  /** Creates a follow-up from a rule (followUp.ts); returns its id. */
  createFollowUp(id: string, followUp: NewFollowUp): void {
    const { db } = this.deps;
    const at = this.deps.now().toISOString();
    db.transaction(() => {
      db.prepare(
        `INSERT INTO actions (id, kind, doc, child_id, what, why, finding, owner_id, due_date, status, raised_by, raised_at, updated_at, rule, practitioner_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)`,
      ).run(id, followUp.kind, followUp.record, followUp.childId, followUp.what, followUp.why, followUp.finding, followUp.ownerId, followUp.dueDate, followUp.causedBy, at, at, followUp.rule, followUp.practitionerId);
      this.event(id, null, 'raised', `Follow-up rule “${followUp.rule}”; due ${followUp.dueDate}`, at);
    })();
    this.pushAbout(this.find(id)!);
  }

  /** Marks a follow-up done by the server itself (a dip sample whose cases are complete). */
  completeAutomatically(action: ActionRow, note: string): void {
    this.change(action, null, 'done', { status: 'done', done_note: note }, note);
    this.deps.notifications.notify(this.deps.organisation.lineAbove(action.owner_id).slice(0, 1), 'action-done', action.doc, `A follow-up is done and waiting for your sign-off: ${action.what}`);
    this.pushAbout(action);
  }

  /** Records that a review is one of a follow-up's cases. */
  link(action: ActionRow, doc: string, userId: string): void {
    const at = this.deps.now().toISOString();
    this.deps.db.transaction(() => {
      this.deps.db.prepare('INSERT OR IGNORE INTO action_links (action_id, doc, linked_by, linked_at) VALUES (?, ?, ?, ?)').run(action.id, doc, userId, at);
      this.event(action.id, userId, 'case-linked', doc, at);
    })();
    this.pushAbout(action);
  }

  linkedRecords(actionId: string): string[] {
    return (this.deps.db.prepare('SELECT doc FROM action_links WHERE action_id = ? ORDER BY linked_at').all(actionId) as { doc: string }[]).map((r) => r.doc);
  }

  private change(action: ActionRow, userId: string | null, event: string, columns: Partial<ActionRow>, note: string): void {
    const at = this.deps.now().toISOString();
    const sets = Object.keys(columns).map((c) => `${c} = @${c}`);
    this.deps.db.transaction(() => {
      this.deps.db.prepare(`UPDATE actions SET ${sets.join(', ')}, updated_at = @at WHERE id = @id`).run({ ...columns, at, id: action.id });
      this.event(action.id, userId, event, note, at);
    })();
  }

  /** Adds a row to an action's history without changing it (the team manager's response to it). */
  note(actionId: string, userId: string, event: string, note: string, at: string): void {
    this.event(actionId, userId, event, note, at);
  }

  /** Tells everyone who reads a record's actions that they changed. */
  pushFor(recordName: string): void {
    const rows = this.deps.db.prepare('SELECT * FROM actions WHERE doc = ?').all(recordName) as ActionRow[];
    const people = new Set(this.deps.access.readersOf(recordName));
    for (const row of rows) for (const id of [row.owner_id, row.raised_by, ...this.deps.organisation.lineAbove(row.owner_id)]) people.add(id);
    this.deps.push([...people]);
  }

  private event(actionId: string, userId: string | null, event: string, note: string, at: string): void {
    this.deps.db.prepare('INSERT INTO action_events (action_id, at, user_id, event, note) VALUES (?, ?, ?, ?, ?)').run(actionId, at, userId, event, note);
  }

  /** Everyone whose devices list this action: they refetch their actions. */
  private pushAbout(action: ActionRow): void {
    const people = new Set([...this.deps.access.readersOf(action.doc), action.owner_id, action.raised_by, ...this.deps.organisation.lineAbove(action.owner_id)]);
    this.deps.push([...people]);
  }

  /** Every action a person may read, with what they may do with each. */
  listFor(user: Person, onRecord?: string): ActionList {
    const { db, access, organisation } = this.deps;
    const rows = db
      .prepare(
        `SELECT a.*, d.kind AS record_kind, COALESCE(d.team_id, '') AS team_id, o.display_name AS owner_name, r.display_name AS raised_by_name
         FROM actions a JOIN documents d ON d.name = a.doc JOIN users o ON o.id = a.owner_id JOIN users r ON r.id = a.raised_by
         ${onRecord ? 'WHERE a.doc = @doc' : ''} ORDER BY a.due_date, a.raised_at`,
      )
      .all(onRecord ? { doc: onRecord } : {}) as (ActionRow & { record_kind: RecordKind; team_id: string; owner_name: string; raised_by_name: string })[];
    const recordAccess = new Map<string, string>();
    const relationshipTo = (doc: string) => {
      if (!recordAccess.has(doc)) {
        const record = access.record(doc);
        const mine = record ? access.accessTo(user, record) : null;
        recordAccess.set(doc, mine && mine.level !== 'none' ? mine.relationship : 'none');
      }
      return recordAccess.get(doc)!;
    };
    const lines = new Map<string, string[]>();
    const lineOf = (owner: string) => {
      if (!lines.has(owner)) lines.set(owner, organisation.lineAbove(owner));
      return lines.get(owner)!;
    };
    const events = db.prepare(
      `SELECT e.at, COALESCE(e.user_id, '') AS byId, COALESCE(u.display_name, 'Fieldnotes') AS byName, e.event, e.note
       FROM action_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.action_id = ? ORDER BY e.id`,
    );
    const actions: ActionList['actions'] = [];
    for (const row of rows) {
      const managesOwner = lineOf(row.owner_id).includes(user.id);
      const relationship = relationshipTo(row.doc);
      const readable = relationship !== 'none' || row.owner_id === user.id || row.raised_by === user.id || managesOwner;
      if (!readable) continue;
      const oversees = managesOwner || user.role === 'qa-officer';
      actions.push({
        id: row.id,
        kind: row.kind,
        record: row.doc,
        recordKind: row.record_kind,
        childId: row.child_id,
        teamId: row.team_id,
        what: row.what,
        why: row.why,
        finding: row.finding,
        ownerId: row.owner_id,
        ownerName: row.owner_name,
        dueDate: row.due_date,
        status: row.status,
        doneNote: row.done_note,
        evidence: row.evidence,
        reason: row.reason,
        raisedById: row.raised_by,
        raisedByName: row.raised_by_name,
        raisedAt: row.raised_at,
        updatedAt: row.updated_at,
        rule: row.rule,
        practitionerId: row.practitioner_id ?? '',
        linkedRecords: this.linkedRecords(row.id),
        history: events.all(row.id) as Action['history'],
        ofMyTeam: managesOwner || relationship === 'line-manager',
        may: {
          complete: row.owner_id === user.id && row.status === 'open' && row.kind !== 'dip-sample',
          signOff: row.status === 'done' && row.owner_id !== user.id && oversees,
          cancel: (row.status === 'open' || row.status === 'done') && (row.raised_by === user.id || oversees),
        },
      });
    }
    return { actions, today: this.today() };
  }

  /**
   * The scheduler's tick: an open action tells its owner on the day it falls due; the day after, it is
   * overdue and tells its owner and their manager, once; OVERDUE_REMINDER_DAYS later, once more. Each
   * notice is marked on the row in the same transaction as it is written, so a tick run twice (or two
   * ticks racing) tells nobody twice. Returns how many notices went out.
   */
  checkDue(): number {
    const { db, organisation, notifications } = this.deps;
    const now = this.deps.now();
    const today = dateInEngland(now);
    const open = db.prepare("SELECT * FROM actions WHERE status = 'open' AND due_date <= ?").all(today) as ActionRow[];
    let told = 0;
    for (const action of open) {
      const manager = organisation.lineAbove(action.owner_id).slice(0, 1);
      const about = `${action.child_id ? ` for child ${action.child_id}` : ''}: ${action.what}`;
      if (action.due_date === today && !action.due_told_at) {
        if (this.mark(action.id, 'due_told_at', now, 'due-told', 'Owner told it is due today')) {
          notifications.notify([action.owner_id], 'action-due', action.doc, `An action you own is due today${about}`);
          told++;
        }
      } else if (action.due_date < today && !action.overdue_told_at) {
        if (this.mark(action.id, 'overdue_told_at', now, 'overdue-told', 'Owner and their manager told it is overdue')) {
          notifications.notify([action.owner_id, ...manager], 'action-overdue', action.doc, `An action is overdue (due ${action.due_date})${about}`, overdueMail(action, false));
          told++;
        }
      } else if (action.overdue_told_at && !action.reminded_at && daysBetween(dateInEngland(new Date(action.overdue_told_at)), today) >= OVERDUE_REMINDER_DAYS) {
        if (this.mark(action.id, 'reminded_at', now, 'overdue-reminded', 'Owner and their manager reminded it is still overdue')) {
          notifications.notify([action.owner_id, ...manager], 'action-overdue', action.doc, `Reminder: an action is still overdue (due ${action.due_date})${about}`, overdueMail(action, true));
          told++;
        }
      }
    }
    return told;
  }

  /** Sets a *_told_at column if nobody has yet; true when this call set it. */
  private mark(id: string, column: 'due_told_at' | 'overdue_told_at' | 'reminded_at', now: Date, event: string, note: string): boolean {
    return this.deps.db.transaction(() => {
      const changed = this.deps.db.prepare(`UPDATE actions SET ${column} = ? WHERE id = ? AND ${column} IS NULL`).run(now.toISOString(), id).changes;
      if (changed) this.event(id, null, event, note, now.toISOString());
      return changed > 0;
    })();
  }
}

/** The email for an overdue action: the child ID and due date only — what the action says stays in the app. */
function overdueMail(action: ActionRow, reminder: boolean) {
  const child = action.child_id ? ` for child ${action.child_id}` : '';
  return {
    subject: `${reminder ? 'Reminder: still overdue' : 'Overdue'}: an action${child}`,
    text: `An action${child}, owned by you or someone you manage, was due on ${action.due_date} and is ${reminder ? 'still ' : ''}not done.`,
    path: '/actions',
  };
}

/** A due date `days` after today, for follow-ups. */
export const dueIn = (today: string, days: number) => addDays(today, days);
