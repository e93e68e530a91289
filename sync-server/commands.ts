/**
 * Applies commands (domain/commands.ts): checked against the server's own access rules, applied once,
 * and remembered by id so that a device resending after a lost answer gets the same answer back.
 */
import * as Y from 'yjs';
import { commandSchema, type Command, type CommandOutcome } from '../domain/commands';
import { changedGrades, moderationIdFor, moderationLabels, moderationLayout, moderationSchema } from '../domain/moderation';
import { labelOf } from '../domain/options';
import { grades } from '../domain/review';
import { readsCaseRecords, type Person } from '../domain/directory';
import { completeSchemas, formLayouts, statusAfterDraft } from '../domain/kinds';
import { recordKindLabels } from '../domain/records';
import { contestedFields } from '../recordModel/fieldHistory';
import { readValues, setStatus, writeReflection } from '../recordModel/recordDoc';
import type { Access, RecordAccess } from './access';
import { ActionRefused, isActionCommand, type Actions } from './actions';
import { ConcernRefused, type Concerns } from './concerns';
import type { FollowUps } from './followUp';
import { ProgrammeRefused, type Programme } from './programme';
import type { AuditLog } from './audit';
import type { ServerDatabase } from './database';
import type { Notifications } from './notifications';
import type { Organisation } from './organisation';
import type { DocumentStore } from './persistence/documentStore';
import type { Collaboration } from './sync/collaboration';
import { SummaryRefused, type Summaries } from './summaries';

export interface CommandDeps {
  db: ServerDatabase;
  notifications: Notifications;
  access: Access;
  audit: AuditLog;
  organisation: Organisation;
  store: DocumentStore;
  collaboration: Collaboration;
  actions: Actions;
  followUps: FollowUps;
  concerns: Concerns;
  programme: Programme;
  /** Issue 17: the quarterly summaries, which the submit command hands on. */
  summaries: Summaries;
  /** The server's clock (the demo's records are completed and moderated at their own dates). */
  now(): Date;
}

class Rejected extends Error {
  constructor(
    message: string,
    readonly problems?: { field: string; message: string }[],
  ) {
    super(message);
  }
}

class RetryLater extends Error {}

export class Commands {
  constructor(private readonly deps: CommandDeps) {}

  /** Commands being applied now, by id: the same command sent again meanwhile (two tabs) waits for the first. */
  private readonly inFlight = new Map<string, Promise<CommandOutcome>>();

  /** Runs a command sent by a device; `input` is unchecked JSON. */
  async run(user: Person, deviceId: string | null, input: unknown): Promise<CommandOutcome> {
    const parsed = commandSchema.safeParse(input);
    if (!parsed.success) return { status: 'rejected', message: parsed.error.issues[0]?.message ?? 'That is not a command Fieldnotes knows.' };
    const command = parsed.data;
    const key = `${user.id} ${command.id}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const outcome = this.runOnce(user, deviceId, command).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, outcome);
    return outcome;
  }

  private async runOnce(user: Person, deviceId: string | null, command: Command): Promise<CommandOutcome> {
    const { db } = this.deps;
    const earlier = db.prepare('SELECT user_id, outcome FROM commands WHERE id = ?').get(command.id) as { user_id: string; outcome: string } | undefined;
    if (earlier) {
      if (earlier.user_id !== user.id) return { status: 'rejected', message: 'That command id belongs to someone else.' };
      return JSON.parse(earlier.outcome) as CommandOutcome;
    }
    let outcome: CommandOutcome;
    try {
      await this.apply(user, command);
      outcome = { status: 'applied' };
    } catch (thrown) {
      if (thrown instanceof RetryLater) return { status: 'retry', message: thrown.message }; // not remembered: it may work next time
      const error = thrown instanceof SummaryRefused ? new Rejected(thrown.message, thrown.problems) : thrown instanceof ActionRefused || thrown instanceof ConcernRefused || thrown instanceof ProgrammeRefused ? new Rejected(thrown.message) : thrown;
      if (!(error instanceof Rejected)) throw error;
      outcome = { status: 'rejected', message: error.message, ...(error.problems ? { problems: error.problems } : {}) };
    }
    db.prepare('INSERT OR IGNORE INTO commands (id, user_id, type, doc, received_at, outcome) VALUES (?, ?, ?, ?, ?, ?)').run(
      command.id,
      user.id,
      command.type,
      command.record,
      this.deps.now().toISOString(),
      JSON.stringify(outcome),
    );
    this.deps.audit.record({
      userId: user.id,
      deviceId,
      action: auditActionOf(command, outcome),
      record: command.record,
      detail:
        command.type === 'record-copy'
          ? `${command.format === 'pdf' ? `downloaded the PDF ${command.fileName}` : 'printed it'}, made on the device at ${command.madeAt}${outcome.status === 'applied' ? '' : `: refused (${outcome.message})`}`
          : `${command.type}${'userId' in command ? ` ${command.userId}` : ''}: ${outcome.status === 'applied' ? 'applied' : `rejected (${outcome.message})`}`,
    });
    return outcome;
  }

  private async apply(user: Person, command: Command): Promise<void> {
    const { access, db, collaboration } = this.deps;
    const record = access.record(command.record);
    if (!record) throw new RetryLater('The server has not received this record yet.');
    // A quarterly summary is submitted (summaries.ts) or copied; nothing else applies to it.
    if (record.kind === 'summary' && command.type !== 'record-copy') {
      if (command.type !== 'submit') throw new Rejected('A quarterly summary is submitted to the leadership team; nothing else is done to it by a command.');
      if (access.accessTo(user, record).level === 'none') throw new Rejected('You do not have access to this record.');
      const doc = await this.storedDoc(command.record);
      if (!covers(Y.encodeStateVector(doc), command.stateVector)) throw new RetryLater('The summary’s latest changes have not reached the server yet.');
      await this.deps.summaries.submit(user, record, doc);
      collaboration.recheckAccess(command.record);
      return;
    }
    // An action's owner may not be able to read the record it was raised on: actions check their own rules.
    if (isActionCommand(command)) return this.deps.actions.run(user, command, record);
    const mine = access.accessTo(user, record);
    if (mine.level === 'none') throw new Rejected('You do not have access to this record.');

    switch (command.type) {
      // Anyone who may read the record may take a copy: runOnce writes it to the audit log.
      case 'record-copy':
        return;
      case 'complete':
      case 'submit': {
        const expected = record.kind === 'review' ? 'submit' : 'complete';
        if (command.type !== expected) throw new Rejected(`A ${recordKindLabels[record.kind].toLowerCase()} is not ${command.type === 'submit' ? 'submitted' : 'completed'}; it is ${expected === 'submit' ? 'submitted' : 'completed'}.`);
        requireAuthorOfDraft(mine, command.type === 'submit' ? 'submit it' : 'complete it');
        const doc = await this.storedDoc(command.record);
        // Exactly what the person saw: everything their device had must be stored first.
        if (!covers(Y.encodeStateVector(doc), command.stateVector)) throw new RetryLater('The record’s latest changes have not reached the server yet.');
        const layout = formLayouts[record.kind];
        const values = readValues(doc, layout);
        const problems: { field: string; message: string }[] = [];
        const checked = completeSchemas[record.kind].safeParse(values);
        if (!checked.success) problems.push(...checked.error.issues.map((issue) => ({ field: String(issue.path[0] ?? ''), message: issue.message })));
        // Two people chose differently and nobody has settled it: the record cannot move on.
        const tracked = layout.scalarFields.filter((f) => !layout.derivedFields?.includes(f));
        for (const contest of contestedFields(doc, tracked, (field) => values[field] ?? ''))
          problems.push({ field: contest.field, message: 'Two people chose differently here: settle it first.' });
        if (problems.length > 0)
          throw new Rejected(command.type === 'submit' ? 'The review is not ready to be submitted.' : 'The record is not ready to be completed.', problems);
        const at = this.deps.now();
        const status = statusAfterDraft[record.kind];
        db.prepare("UPDATE documents SET status = ?, completed_at = ? WHERE name = ? AND status = 'draft'").run(status, at.toISOString(), command.record);
        // In the same instant: no writer's connection applies anything more, not even what is on its way.
        collaboration.stopWritersWhoMayNot(command.record);
        await collaboration.editAsServer(command.record, user, (liveDoc) => setStatus(liveDoc, status, at));
        // The practitioner, their team manager and service manager are told; the team manager is asked to respond.
        this.deps.followUps.recordFinished(user, { ...record, status });
        // The QA programme: the facts coverage and selection read, and any assignment this record was started for.
        this.deps.programme.recordFinished({ ...record, status }, values as Record<string, string>);
        break;
      }
      case 'set-subject': {
        requireAuthorOfDraft(mine, 'change who it is about');
        const subject = this.caseWorker(command.userId);
        db.transaction(() => {
          if (record.subject_id) db.prepare('DELETE FROM record_participants WHERE doc = ? AND user_id = ?').run(command.record, record.subject_id);
          db.prepare('UPDATE documents SET subject_id = ?, team_id = ? WHERE name = ?').run(subject.id, subject.teamId || null, command.record);
          // Records that belong to this one (its moderation, family feedback gathered for it) belong to its
          // team: the same managers read them, and no longer those of the team before.
          for (const derived of access.derivedRecords(command.record))
            db.prepare('UPDATE documents SET team_id = ? WHERE name = ?').run(subject.teamId || null, derived);
          // The practitioner observed reads an observation and adds their reflection; in a review the
          // child's social worker writes with the reviewers.
          if (subject.id !== record.author_id) this.addParticipant(command.record, subject.id, record.kind === 'review' ? 'contributor' : 'subject', user.id);
        })();
        break;
      }
      case 'add-participant': {
        if (command.role === 'moderator') {
          // The QA team chooses the service managers who moderate a submitted review.
          if (user.role !== 'qa-officer' || record.kind !== 'review') throw new Rejected('Only the QA team chooses the moderators of a review.');
          this.caseWorker(command.userId);
          this.addParticipant(command.record, command.userId, 'moderator', user.id);
          break;
        }
        requireAuthorOfDraft(mine, 'add people to it');
        this.caseWorker(command.userId);
        if (command.userId === record.author_id) throw new Rejected('The author is already part of this record.');
        this.addParticipant(command.record, command.userId, command.role, user.id);
        break;
      }
      case 'remove-participant': {
        requireAuthorOfDraft(mine, 'remove people from it');
        if (command.userId === record.subject_id) throw new Rejected('Choose someone else as the practitioner observed instead.');
        db.prepare('DELETE FROM record_participants WHERE doc = ? AND user_id = ?').run(command.record, command.userId);
        break;
      }
      case 'moderate': {
        if (record.kind !== 'review') throw new Rejected('Only a collaborative case review is moderated.');
        if (!access.isModerator(user, record)) throw new Rejected('Only a moderator of this review can record its moderation.');
        if (record.status !== 'submitted') throw new Rejected('Only a review submitted for moderation can be moderated.');
        const moderationName = `moderation/${moderationIdFor(command.record.slice('review/'.length))}`;
        const moderation = await this.storedDoc(moderationName);
        if (!covers(Y.encodeStateVector(moderation), command.stateVector)) throw new RetryLater('The moderation’s latest changes have not reached the server yet.');
        const values = readValues(moderation, moderationLayout);
        const problems: { field: string; message: string }[] = [];
        const checked = moderationSchema.safeParse(values);
        if (!checked.success) problems.push(...checked.error.issues.map((issue) => ({ field: String(issue.path[0] ?? ''), message: issue.message })));
        const review = readValues(await this.storedDoc(command.record), formLayouts.review);
        const changed = changedGrades(review, values);
        // Wandsworth 29: a changed grade needs a reason, and the reviewer is told.
        if (changed.length > 0 && !values.gradeChangeReason?.trim())
          problems.push({ field: 'gradeChangeReason', message: 'Moderation changed a grade: say why.' });
        if (problems.length > 0) throw new Rejected('The moderation is not ready to be recorded.', problems);
        const at = this.deps.now();
        db.prepare("UPDATE documents SET status = 'moderated' WHERE name = ? AND status = 'submitted'").run(command.record);
        collaboration.stopWritersWhoMayNot(command.record);
        await collaboration.editAsServer(command.record, user, (liveDoc) => setStatus(liveDoc, 'moderated', at, user));
        // The follow-up rules (domain/followUp.ts) act on the grades as moderated.
        await this.deps.followUps.reviewModerated(user, { ...record, status: 'moderated' }, values, review.childId ?? '');
        this.deps.programme.reviewModerated(record, values);
        if (changed.length > 0) {
          const described = changed.map(([field, from, to]) => `${moderationLabels[field as keyof typeof moderationLabels].replace(': agreed grade', '').replace('Agreed overall grade', 'Overall grade')} from ${gradeLabel(from)} to ${gradeLabel(to)}`).join('; ');
          this.deps.audit.record({ userId: user.id, deviceId: null, action: 'command', record: command.record, detail: `moderation changed grades: ${described}; reason: ${values.gradeChangeReason}` });
          this.deps.notifications.notify(
            [record.author_id, ...(record.subject_id ? [record.subject_id] : [])],
            'grade-changed',
            command.record,
            `Moderation by ${user.displayName} changed ${described}. Reason: ${values.gradeChangeReason}`,
          );
        }
        break;
      }
      case 'close': {
        if (record.kind !== 'review') throw new Rejected('Only a collaborative case review is closed.');
        if (mine.relationship !== 'author' && !access.isModerator(user, record)) throw new Rejected('The lead reviewer or a moderator closes a review.');
        if (record.status !== 'moderated') throw new Rejected('A review is closed once it has been moderated.');
        // Wandsworth 34: the team manager's response to the findings comes before the review is closed.
        if (!this.deps.followUps.responseTo(command.record)) throw new Rejected('The team manager has not yet responded to the review’s findings.');
        db.prepare("UPDATE documents SET status = 'closed' WHERE name = ?").run(command.record);
        await collaboration.editAsServer(command.record, user, (liveDoc) => setStatus(liveDoc, 'closed', this.deps.now(), user));
        break;
      }
      case 'link-record': {
        if (record.kind !== 'feedback') throw new Rejected('Only family feedback is linked to another record.');
        if (mine.relationship !== 'author') throw new Rejected('Only the person who recorded the feedback can link it.');
        const linked = access.record(command.linkedTo);
        if (!linked || (linked.kind !== 'review' && linked.kind !== 'observation')) throw new RetryLater('The record it was gathered for has not reached the server yet.');
        if (access.accessTo(user, linked).level === 'none') throw new Rejected('You do not have access to the record this was gathered for.');
        // It belongs to that record's team now, so the same managers read it.
        db.prepare('UPDATE documents SET review_of = ?, team_id = ? WHERE name = ?').run(linked.name, linked.team_id, command.record);
        collaboration.notifyReaders(command.record);
        break;
      }
      case 'raise-concern':
        await this.deps.concerns.raise(user, record, command.id, command.text);
        break;
      case 'respond-to-concern':
        this.deps.concerns.respond(user, record, command.concernId, command.response);
        break;
      case 'resolve-concern':
        this.deps.concerns.resolve(user, record, command.concernId, command.resolution);
        break;
      case 'respond-to-findings':
        this.deps.followUps.respond(user, record, command.response);
        break;
      case 'link-follow-up':
        this.deps.followUps.linkCase(user, record, command.actionId);
        break;
      // Issue 16: a record started from an assignment in "To do".
      case 'link-assignment':
        this.deps.programme.link(user, record, command.assignmentId);
        break;
      case 'discard-draft': {
        requireAuthorOfDraft(mine, 'discard it');
        if (record.kind === 'moderation') throw new Rejected('A moderation is not discarded on its own.');
        // Never a record someone else has written in, nor one with anything hanging on it.
        if (db.prepare('SELECT 1 FROM doc_updates WHERE doc = ? AND user_id IS NOT NULL AND user_id != ? LIMIT 1').get(command.record, user.id))
          throw new Rejected('Someone else has written in this draft: it cannot be discarded.');
        if (db.prepare('SELECT 1 FROM actions WHERE doc = ? UNION SELECT 1 FROM concerns WHERE doc = ? UNION SELECT 1 FROM documents WHERE review_of = ? LIMIT 1').get(command.record, command.record, command.record))
          throw new Rejected('This draft has actions, concerns or family feedback linked to it: it cannot be discarded.');
        db.transaction(() => {
          db.prepare('INSERT OR IGNORE INTO discarded_records (doc, discarded_by, discarded_at) VALUES (?, ?, ?)').run(command.record, user.id, this.deps.now().toISOString());
          db.prepare("UPDATE assignments SET record = NULL WHERE record = ? AND status = 'open'").run(command.record);
        })();
        // Everyone who had it open loses it now; their devices drop it at the next listing.
        collaboration.stopWritersWhoMayNot(command.record);
        break;
      }
      case 'add-reflection': {
        if (record.subject_id !== user.id) throw new Rejected('Only the practitioner observed can add their reflection.');
        await collaboration.editAsServer(command.record, user, (liveDoc) =>
          writeReflection(liveDoc, { text: command.text, byId: user.id, byName: user.displayName, at: this.deps.now().toISOString() }),
        );
        break;
      }
    }
    // Whatever changed, connections to the record now get exactly the access the rules give, and people
    // just added hear of it at once.
    collaboration.recheckAccess(command.record);
    if (command.type === 'set-subject' || command.type === 'add-participant') collaboration.notifyReaders(command.record);
  }

  /** The concerns raised on a record, newest first (for people who may read it). */
  concernsOn(record: string) {
    return this.deps.concerns.listOn(record);
  }

  /**
   * Someone who may be put in a record: in the directory, and not an administrator (administrators manage
   * people, not case records, so nobody can share a record with one).
   */
  private caseWorker(userId: string): Person {
    const person = this.deps.organisation.findActiveUser(userId);
    if (!person) throw new Rejected('That person is not in the directory.');
    if (!readsCaseRecords(person.role)) throw new Rejected('Administrators manage people, not case records: they cannot be added to a record.');
    return person;
  }

  private addParticipant(doc: string, userId: string, role: string, addedBy: string) {
    this.deps.db
      .prepare(
        `INSERT INTO record_participants (doc, user_id, role, added_by, added_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (doc, user_id) DO UPDATE SET role = excluded.role`,
      )
      .run(doc, userId, role, addedBy, this.deps.now().toISOString());
  }

  /** The record exactly as stored. */
  private async storedDoc(name: string): Promise<Y.Doc> {
    const doc = new Y.Doc();
    const state = await this.deps.store.load(name);
    if (state) Y.applyUpdate(doc, state);
    return doc;
  }
}

/** How a command is written in the audit log: a copy taken (or refused) stands out from other commands. */
function auditActionOf(command: Command, outcome: CommandOutcome) {
  if (command.type === 'record-copy') return outcome.status === 'applied' ? 'copy' : 'refused';
  return command.type === 'add-participant' ? 'share' : command.type === 'remove-participant' ? 'unshare' : 'command';
}

const gradeLabel = (value: string) => (value ? labelOf(grades, value) : 'no grade');

function requireAuthorOfDraft(mine: RecordAccess, action: string) {
  if (mine.relationship !== 'author') throw new Rejected(`Only the record’s author can ${action}.`);
  if (mine.record.status !== 'draft') throw new Rejected('This record is complete and can no longer be changed.');
}

/** True when a stored state vector includes everything in the device's (base64) state vector. */
function covers(stored: Uint8Array, deviceStateVector: string): boolean {
  let device: Map<number, number>;
  try {
    device = Y.decodeStateVector(Buffer.from(deviceStateVector, 'base64'));
  } catch {
    throw new Rejected('The record’s state was not readable.');
  }
  const server = Y.decodeStateVector(stored);
  for (const [client, clock] of device) if ((server.get(client) ?? 0) < clock) return false;
  return true;
}
