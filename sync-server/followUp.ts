/**
 * What follows a record's findings (domain/followUp.ts): who is told when a record is finished, the team
 * manager's response (required before a review is closed), and the follow-up rules applied when a review
 * is moderated. Follow-ups are actions (actions.ts) of their own kinds, so they are listed, chased when
 * overdue and signed off like any other action, and show on the record that caused them.
 */
import { randomUUID } from 'node:crypto';
import { addDays } from '../domain/actions';
import type { Person } from '../domain/directory';
import { concernGrades, followUpRules, ruleById, type FindingsResponse, type FindingsResponseInput } from '../domain/followUp';
import { moderationIdFor } from '../domain/moderation';
import { labelOf } from '../domain/options';
import { recordKindLabels } from '../domain/records';
import { domainGradeField, grades, reviewDomains, type Grade } from '../domain/review';
import type { Access, RecordRow } from './access';
import { ActionRefused, type Actions } from './actions';
import type { ServerDatabase } from './database';
import type { Notifications } from './notifications';
import type { Organisation } from './organisation';

export interface FollowUpDeps {
  db: ServerDatabase;
  access: Access;
  organisation: Organisation;
  notifications: Notifications;
  actions: Actions;
  /** A stored record's values (every field of its kind's layout; {} when it is not stored). */
  storedValues(name: string): Promise<Record<string, string>>;
  now(): Date;
}

const gradeLabel = (g: string) => (g ? labelOf(grades, g) : 'no grade');
const isConcern = (g: string | undefined) => concernGrades.includes(g as Grade);

export class FollowUps {
  constructor(private readonly deps: FollowUpDeps) {}

  /** The manager of the record's team: the person who responds to its findings. */
  teamManagerOf(record: RecordRow): string | null {
    if (!record.team_id) return null;
    return (this.deps.db.prepare('SELECT manager_id FROM teams WHERE id = ?').get(record.team_id) as { manager_id: string | null } | undefined)?.manager_id ?? null;
  }

  /** The head of service above a person (their service manager), if any. */
  private serviceManagerAbove(userId: string | null): string | null {
    if (!userId) return null;
    return this.deps.organisation.lineAbove(userId).find((id) => this.deps.organisation.findActiveUser(id)?.role === 'head-of-service') ?? null;
  }

  /**
   * An observation completed or a review submitted: the practitioner, their team manager and service
   * manager are told, and the team manager is asked for a response to its findings.
   */
  recordFinished(user: Person, record: RecordRow): void {
    const manager = this.teamManagerOf(record);
    const service = this.serviceManagerAbove(manager);
    const people = [record.subject_id, manager, service].filter((id): id is string => Boolean(id) && id !== user.id);
    const kind = recordKindLabels[record.kind].toLowerCase();
    this.deps.notifications.notify(
      people,
      'record-finished',
      record.name,
      `A ${kind} by ${user.displayName} is ${record.kind === 'review' ? 'submitted for moderation' : 'complete'}. The team manager records a response to its findings${record.kind === 'review' ? ' before the review is closed' : ''}.`,
    );
  }

  /** The team manager's response to a record's findings, with agreed or not agreed for each of its actions. */
  respond(user: Person, record: RecordRow, response: FindingsResponseInput): void {
    const { db, actions } = this.deps;
    if (record.kind !== 'observation' && record.kind !== 'review') throw new ActionRefused('Only an observation or a review has findings to respond to.');
    if (record.status === 'draft') throw new ActionRefused('The findings are responded to once the record is finished.');
    if (record.status === 'closed') throw new ActionRefused('This review is closed.');
    const manager = this.teamManagerOf(record);
    const relationship = this.deps.access.accessTo(user, record).relationship;
    if (manager ? manager !== user.id : relationship !== 'line-manager') throw new ActionRefused('The practitioner’s team manager responds to the findings.');
    const open = (db.prepare("SELECT id FROM actions WHERE doc = ? AND kind = 'action' AND status != 'cancelled'").all(record.name) as { id: string }[]).map((r) => r.id);
    const answered = new Map(response.agreements.map((a) => [a.actionId, a.agreed]));
    if (open.some((id) => !answered.has(id)) || response.agreements.some((a) => !open.includes(a.actionId)))
      throw new ActionRefused('Say whether you agree with each of the record’s actions.');
    const at = this.deps.now().toISOString();
    db.transaction(() => {
      db.prepare(
        `INSERT INTO finding_responses (doc, user_id, at, text, agreements) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (doc) DO UPDATE SET user_id = excluded.user_id, at = excluded.at, text = excluded.text, agreements = excluded.agreements`,
      ).run(record.name, user.id, at, response.text, JSON.stringify(response.agreements));
      for (const [actionId, agreed] of answered) actions.note(actionId, user.id, 'response', agreed ? 'Agreed by the team manager' : 'Not agreed by the team manager', at);
    })();
    this.deps.notifications.notify([record.author_id].filter((id) => id !== user.id), 'record-finished', record.name, `${user.displayName} responded to the findings: ${response.text}`);
    actions.pushFor(record.name);
  }

  responseTo(recordName: string): FindingsResponse | null {
    const row = this.deps.db
      .prepare('SELECT r.doc, r.user_id, u.display_name, r.at, r.text, r.agreements FROM finding_responses r JOIN users u ON u.id = r.user_id WHERE r.doc = ?')
      .get(recordName) as { doc: string; user_id: string; display_name: string; at: string; text: string; agreements: string } | undefined;
    return row ? { record: row.doc, byId: row.user_id, byName: row.display_name, at: row.at, text: row.text, agreements: JSON.parse(row.agreements) as FindingsResponse['agreements'] } : null;
  }

  /** A review's moderation is recorded: apply the follow-up rules to its moderated grades. */
  async reviewModerated(user: Person, review: RecordRow, moderated: Record<string, string>, childId: string): Promise<void> {
    const { actions, notifications } = this.deps;
    const today = actions.today();
    const overall = moderated.overallGrade ?? '';
    const manager = this.teamManagerOf(review);
    const service = this.serviceManagerAbove(manager);
    const practitioner = review.subject_id ? this.deps.organisation.findActiveUser(review.subject_id) : null;
    const who = practitioner?.displayName ?? 'the practitioner';
    const child = childId ? ` of child ${childId}` : '';
    const dipSampleOf = this.dipSampleCasing(review.name);

    const share = ruleById('share-concern-grade')!;
    if (share.grades!.includes(overall as Grade))
      notifications.notify(
        [manager, service].filter((id): id is string => Boolean(id)),
        'follow-up',
        review.name,
        `The review${child} (${who}’s work) was graded ${gradeLabel(overall)} after moderation.`,
      );

    // A case of a dip sample does not start another: the dip sample's own check decides what follows.
    const dip = ruleById('dip-sample')!;
    if (dip.grades!.includes(overall as Grade) && manager && practitioner && !dipSampleOf) {
      actions.createFollowUp(randomUUID(), {
        kind: 'dip-sample',
        rule: dip.id,
        record: review.name,
        childId,
        what: `Audit three more of ${who}’s cases`,
        why: `The review${child} was graded ${gradeLabel(overall)} after moderation (Wandsworth 33).`,
        finding: 'overall',
        ownerId: manager,
        dueDate: addDays(today, dip.dueInDays!),
        practitionerId: practitioner.id,
        causedBy: user.id,
      });
      notifications.notify([manager], 'follow-up', review.name, `Follow-up: audit three more of ${who}’s cases, due ${addDays(today, dip.dueInDays!)}.`, followUpMail('audit three more of a practitioner’s cases', addDays(today, dip.dueInDays!)));
    }

    const reAudit = ruleById('re-audit')!;
    if (reAudit.grades!.includes(overall as Grade)) {
      actions.createFollowUp(randomUUID(), {
        kind: 're-audit',
        rule: reAudit.id,
        record: review.name,
        childId,
        what: `Re-audit the case${child}`,
        why: `The review was graded Inadequate after moderation: a re-audit confirms the work has improved.`,
        finding: 'overall',
        ownerId: review.author_id,
        dueDate: addDays(today, reAudit.dueInDays!),
        practitionerId: practitioner?.id ?? null,
        causedBy: user.id,
      });
      notifications.notify([review.author_id], 'follow-up', review.name, `Follow-up: a re-audit${child} is proposed, due ${addDays(today, reAudit.dueInDays!)}.`, followUpMail(`re-audit the case${child}`, addDays(today, reAudit.dueInDays!)));
    }

    if (dipSampleOf) await this.checkDipSample(dipSampleOf);
  }

  /** Links a review to a dip sample as one of its cases. */
  linkCase(user: Person, review: RecordRow, actionId: string): void {
    const action = this.deps.actions.find(actionId);
    if (!action || action.kind !== 'dip-sample') throw new ActionRefused('There is no such follow-up.');
    if (action.owner_id !== user.id && user.role !== 'qa-officer') throw new ActionRefused('The follow-up’s owner links the cases they audit.');
    if (action.status !== 'open') throw new ActionRefused('This follow-up is no longer open.');
    if (review.kind !== 'review' || review.name === action.doc) throw new ActionRefused('Link a new collaborative case review of another of the practitioner’s cases.');
    if (review.subject_id !== action.practitioner_id) throw new ActionRefused('This review is not about the practitioner the follow-up is for: choose them as the social worker first.');
    const linked = this.deps.actions.linkedRecords(action.id);
    if (!linked.includes(review.name) && linked.length >= (ruleById('dip-sample')!.cases ?? 3)) throw new ActionRefused('This follow-up already has its cases.');
    this.deps.actions.link(action, review.name, user.id);
  }

  /** The open dip sample a review is a case of, if any. */
  private dipSampleCasing(reviewName: string): string | null {
    return (
      (this.deps.db.prepare("SELECT a.id FROM action_links l JOIN actions a ON a.id = l.action_id WHERE l.doc = ? AND a.kind = 'dip-sample'").get(reviewName) as
        | { id: string }
        | undefined)?.id ?? null
    );
  }

  /**
   * Once a dip sample's cases are all moderated it is done; if a domain graded RI or Inadequate in the
   * review that caused it is graded so again in enough of them, the service manager is given a caseload audit.
   */
  private async checkDipSample(actionId: string): Promise<void> {
    const { actions, access } = this.deps;
    const action = actions.find(actionId);
    const dip = ruleById('dip-sample')!;
    if (!action || action.status !== 'open') return;
    const cases = actions.linkedRecords(actionId).filter((name) => ['moderated', 'closed'].includes(access.record(name)?.status ?? ''));
    if (cases.length < (dip.cases ?? 3)) return;
    actions.completeAutomatically(action, `${cases.length} reviews of the practitioner’s cases are complete.`);

    const moderatedGrades = (name: string) => this.deps.storedValues(`moderation/${moderationIdFor(name.slice('review/'.length))}`);
    const cause = await moderatedGrades(action.doc);
    const caseGrades = await Promise.all(cases.map(moderatedGrades));
    const rule = ruleById('caseload-audit')!;
    const recurring = reviewDomains.filter((d) => {
      const field = domainGradeField(d.key);
      return isConcern(cause[field]) && caseGrades.filter((g) => isConcern(g[field])).length >= (rule.recurringInCases ?? 1);
    });
    if (recurring.length === 0) return;
    const cause_record = access.record(action.doc);
    const service = this.serviceManagerAbove(action.owner_id);
    if (!cause_record || !service) return;
    const practitioner = action.practitioner_id ? this.deps.organisation.findActiveUser(action.practitioner_id) : null;
    const who = practitioner?.displayName ?? 'the practitioner';
    const due = addDays(actions.today(), rule.dueInDays!);
    actions.createFollowUp(randomUUID(), {
      kind: 'caseload-audit',
      rule: rule.id,
      record: action.doc,
      childId: action.child_id,
      what: `Audit ${who}’s whole caseload`,
      why: `The dip sample of three more cases found the same domains graded Requires Improvement or Inadequate again: ${recurring.map((d) => d.label).join(', ')}.`,
      finding: recurring[0]!.key,
      ownerId: service,
      dueDate: due,
      practitionerId: action.practitioner_id,
      causedBy: action.owner_id,
    });
    this.deps.notifications.notify([service], 'follow-up', action.doc, `Follow-up: audit ${who}’s whole caseload, due ${due}. The same domains were found wanting again: ${recurring.map((d) => d.label).join(', ')}.`, followUpMail('audit a practitioner’s whole caseload', due));
  }
}

/** The email for a follow-up given to someone: what kind, and when it is due; the rest is in the app. */
const followUpMail = (what: string, due: string) => ({
  subject: `Follow-up for you in Fieldnotes, due ${due}`,
  text: `A follow-up rule has given you a follow-up: ${what}, due ${due}.`,
  path: '/actions',
});

/** Every rule, for the QA team's screen (GET /api/follow-up-rules). */
export const listRules = () => followUpRules;
