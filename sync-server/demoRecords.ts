/**
 * A year of the demo organisation's work (issue 17, item 5): observations of practice, collaborative case
 * reviews with their grades, moderation and family feedback, actions, the team managers' responses, and
 * two immediate concerns — so that every role's screens and the dashboard have something to show on the
 * first start. Nothing is written behind the server's back: each record's document is written with the
 * record model's own functions and stored with its author's name on it, the way a tablet's would be, and
 * every step after that (completing, submitting, moderating, closing, raising and finishing actions) is
 * the server's own command, applied with the clock held at the day it happened. The registry, the read
 * model, coverage, actions and notifications therefore agree with the documents exactly as they would for
 * real work.
 *
 * Deterministic: a seeded generator picks everything, so the same day gives the same demo. The children
 * and families are made up, named by first name only, with seven-digit case-system IDs.
 */
import * as Y from 'yjs';
import { addDays, dateInEngland } from '../domain/actions';
import type { CommandOutcome } from '../domain/commands';
import type { Person } from '../domain/directory';
import { formLayouts } from '../domain/kinds';
import { moderationIdFor } from '../domain/moderation';
import { periodContaining, previousPeriod } from '../domain/periods';
import type { RecordKind } from '../domain/records';
import { grades, reviewDomains, type Grade } from '../domain/review';
import { initRecordDoc, noteWriter, setField } from '../recordModel/recordDoc';
import type { Access } from './access';
import type { Commands } from './commands';
import * as words from './demoWords';
import type { Child } from './demoWords';
import type { Organisation } from './organisation';
import type { DocumentStore } from './persistence/documentStore';
import type { Actions } from './actions';
import type { Notifications } from './notifications';
import type { Summaries } from './summaries';

export interface DemoRecordsDeps {
  organisation: Organisation;
  access: Access;
  store: DocumentStore;
  commands: Commands;
  /** Read only: what the follow-up rules made of a moderation. */
  actions: Actions;
  /** A year's notices: all but the last fortnight's are marked read, as their readers would have. */
  notifications: Notifications;
  /** Last quarter's summaries are started, written and submitted through it, as people would. */
  summaries: Summaries;
  /** The real day: the year ends here. */
  today: Date;
  /** Holds the server's clock at a moment (null lets it run again). */
  holdClock(at: Date | null): void;
  log(message: string): void;
  seed?: number;
}

export interface DemoRecordCounts {
  observation: number;
  review: number;
  moderation: number;
  feedback: number;
  actions: number;
  concerns: number;
  /** Quarterly summaries submitted (last quarter's, one per service). */
  summaries: number;
  ms: number;
}

/** The device name the demo's records are stored under (the author is the person). */
const DEMO_DEVICE = 'fieldnotes-demo';
const DAY = 24 * 60 * 60 * 1000;

/**
 * mulberry32: a small, fast generator with a 32-bit seed. Written out (six lines) rather than a dependency:
 * only repeatability matters here, not statistical quality.
 */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const chance = (p: number) => next() < p;
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
  /** Some distinct items, in a random order. */
  const some = <T>(items: readonly T[], n: number): T[] => {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(next() * pool.length), 1)[0]!);
    return out;
  };
  return { next, int, pick, chance, uuid, some };
}

/** A moment on a working day: `day` (YYYY-MM-DD) moved to the next weekday if it falls at a weekend, at hh:mm UK time (near enough). */
function at(day: string, hour: number, minute = 0): Date {
  let d = day;
  for (let i = 0; i < 3 && [0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay()); i++) d = addDays(d, 1);
  return new Date(`${d}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00Z`);
}

/** The ordered steps of the year: each runs with the clock held at its moment. */
class Timeline {
  private steps: { at: number; seq: number; run: () => Promise<void> }[] = [];
  private seq = 0;
  constructor(private readonly end: number) {}
  /** Plans a step; a step after the end of the year (today) does not happen. Returns whether it will. */
  plan(when: Date, run: () => Promise<void>): boolean {
    if (when.getTime() > this.end) return false;
    this.steps.push({ at: when.getTime(), seq: this.seq++, run });
    return true;
  }
  next() {
    if (this.steps.length === 0) return null;
    let best = 0;
    for (let i = 1; i < this.steps.length; i++) {
      const s = this.steps[i]!;
      const b = this.steps[best]!;
      if (s.at < b.at || (s.at === b.at && s.seq < b.seq)) best = i;
    }
    return this.steps.splice(best, 1)[0]!;
  }
}

const gradeOrder = grades.map((g) => g.value);
const shift = (grade: Grade, by: number): Grade => gradeOrder[Math.max(0, Math.min(3, gradeOrder.indexOf(grade) + by))]!;

export async function seedDemoRecords(deps: DemoRecordsDeps): Promise<DemoRecordCounts> {
  const started = performance.now();
  const rng = generator(deps.seed ?? 17);
  const { organisation, access, store, commands } = deps;
  const endMs = deps.today.getTime() - 60 * 60 * 1000;
  const todayIso = dateInEngland(deps.today);
  const timeline = new Timeline(endMs);
  const counts = { observation: 0, review: 0, moderation: 0, feedback: 0, actions: 0, concerns: 0, summaries: 0 };

  const person = (username: string): Person => {
    const account = organisation.findUserByUsername(username);
    const found = account ? organisation.findActiveUser(account.id) : null;
    if (!found) throw new Error(`The demo organisation has no ${username}.`);
    return found;
  };
  const firstName = (p: Person) => p.displayName.split(' ')[0]!;
  const teamManagerOf = (p: Person) => organisation.findActiveUser(organisation.lineAbove(p.id)[0] ?? '')!;

  const practitioners = ['sw.ahmed', 'sw.brown', 'sw.clarke', 'sw.evans', 'pa.davies', 'sw.fraser'].map(person);
  const managers = ['tm.okafor', 'tm.hughes', 'tm.begum'].map(person);
  const heads = { safeguarding: person('hos.patel'), care: person('hos.lewis') };
  const [ad, dcs, psw, qa] = ['ad.wright', 'dcs.morgan', 'psw.khan', 'qa.green'].map(person) as [Person, Person, Person, Person];
  const inCare = (p: Person) => teamManagerOf(p).username === 'tm.begum' || p.username === 'tm.begum';
  const headOf = (p: Person) => (inCare(p) ? heads.care : heads.safeguarding);

  // Each practitioner's caseload: made-up children, their IDs from one made-up case system.
  const usedIds = new Set<string>();
  const caseloads = new Map<string, Child[]>();
  for (const p of practitioners) {
    const needs = inCare(p) ? ['child-in-care', 'child-in-care', 'care-leaver'] : ['child-in-need', 'child-protection', 'child-protection', 'early-help'];
    caseloads.set(
      p.id,
      Array.from({ length: 14 }, () => {
        let id = '';
        do id = String(rng.int(1_000_000, 9_999_999));
        while (usedIds.has(id));
        usedIds.add(id);
        const they = rng.chance(0.06) ? 'they' : rng.chance(0.5) ? 'he' : 'she';
        const levelOfNeed = rng.pick(needs);
        const age = levelOfNeed === 'care-leaver' ? rng.int(18, 21) : rng.int(1, 17);
        const ageBand = age < 5 ? 'under-5' : age <= 10 ? '5-10' : age <= 15 ? '11-15' : '16-plus';
        return { id, name: rng.pick(words.childNames[they]), they, age, ageBand, levelOfNeed, circumstance: rng.pick(words.circumstances[levelOfNeed]!) } satisfies Child;
      }),
    );
  }

  const fill = (text: string, child: Child | null, worker?: Person, extra: Record<string, string> = {}) => {
    const they = child?.they ?? 'they';
    const pronouns = { he: ['he', 'his', 'him'], she: ['she', 'her', 'her'], they: ['they', 'their', 'them'] }[they];
    return text
      .replaceAll('{child}', child?.name ?? 'the child')
      .replaceAll('{worker}', worker ? firstName(worker) : 'the worker')
      .replaceAll('{they}', pronouns[0]!)
      .replaceAll('{their}', pronouns[1]!)
      .replaceAll('{them}', pronouns[2]!)
      .replace(/\{(\w+)\}/g, (whole, key: string) => extra[key] ?? whole)
      .replace(/(^|[.!?]\s+)([a-z])/g, (_m, before: string, letter: string) => before + letter.toUpperCase());
  };
  const sentences = (bank: readonly string[], n: number, child: Child | null, worker?: Person) => rng.some(bank, n).map((s) => fill(s, child, worker)).join(' ');

  const run = async (user: Person, command: Record<string, unknown>): Promise<void> => {
    const outcome: CommandOutcome = await commands.run(user, null, { id: rng.uuid(), ...command });
    if (outcome.status !== 'applied') throw new Error(`The demo's ${String(command.type)} on ${String(command.record)} was not applied: ${outcome.message}`);
  };
  const stateVector = (doc: Y.Doc) => Buffer.from(Y.encodeStateVector(doc)).toString('base64');

  /** Writes a new record as its author's tablet would, stores it under their name and registers it. */
  async function write(kind: RecordKind, author: Person, id: string, values: Record<string, string>, when: Date): Promise<{ name: string; doc: Y.Doc }> {
    const name = `${kind}/${id}`;
    const doc = new Y.Doc();
    doc.clientID = rng.int(1, 2 ** 31 - 1);
    doc.transact(() => {
      initRecordDoc(doc, { id, kind, status: 'draft', createdAt: when.toISOString(), authorId: author.id, authorName: author.displayName, authorTeamId: author.teamId });
      noteWriter(doc, author);
      for (const [field, value] of Object.entries(values)) if (value) setField(doc, formLayouts[kind], field, value);
    });
    access.authoriseOpen(author, name);
    await store.append(name, Y.encodeStateAsUpdate(doc), { userId: author.id, deviceId: DEMO_DEVICE, receivedAt: when.toISOString() });
    return { name, doc };
  }

  /** A second person's writing in a record (another copy of it, noted as theirs), stored under their name. */
  async function writeAs(name: string, doc: Y.Doc, writer: Person, values: Record<string, string>, kind: RecordKind, when: Date) {
    const before = Y.encodeStateVector(doc);
    const theirs = new Y.Doc();
    Y.applyUpdate(theirs, Y.encodeStateAsUpdate(doc));
    theirs.clientID = rng.int(1, 2 ** 31 - 1);
    theirs.transact(() => {
      noteWriter(theirs, writer);
      for (const [field, value] of Object.entries(values)) setField(theirs, formLayouts[kind], field, value);
    });
    const update = Y.encodeStateAsUpdate(theirs, before);
    Y.applyUpdate(doc, update);
    await store.append(name, update, { userId: writer.id, deviceId: DEMO_DEVICE, receivedAt: when.toISOString() });
  }

  /** Actions raised on a record; each may be done and signed off later, or left open (and so, in time, overdue). */
  function raiseActions(record: string, raiser: Person, child: Child, practitioner: Person, findings: string[], when: Date): string[] {
    const ids: string[] = [];
    for (const finding of findings) {
      const template = rng.pick(words.actionBank[finding] ?? words.actionBank.planning!);
      const owner = rng.chance(0.8) ? practitioner : teamManagerOf(practitioner);
      const raisedOn = dateInEngland(when);
      const dueDate = addDays(raisedOn, rng.pick([14, 21, 28, 42, 56]));
      const actionId = rng.uuid();
      ids.push(actionId);
      timelineSteps.push({
        when,
        run: async () => {
          await run(raiser, { type: 'raise-action', record, action: { actionId, what: fill(template.what, child, practitioner), why: fill(template.why, child, practitioner), finding, ownerId: owner.id, dueDate } });
          counts.actions++;
        },
      });
      // Most actions are done, some before their due date and a few late; some are still open (and, in time, overdue).
      if (rng.chance(Date.parse(dueDate) < endMs - 90 * DAY ? 0.95 : 0.75)) {
        const span = Math.max(1, Math.round((Date.parse(dueDate) - Date.parse(raisedOn)) / DAY));
        const doneOn = addDays(raisedOn, Math.round(span * (0.4 + rng.next() * 0.75)));
        const done = words.doneNotes[rng.int(0, words.doneNotes.length - 1)]!;
        const doneAt = at(doneOn, 14, rng.int(0, 59));
        timelineSteps.push({ when: doneAt, run: () => run(owner, { type: 'complete-action', record, actionId, doneNote: done.note, evidence: done.evidence }) });
        if (doneAt.getTime() < endMs - 60 * DAY || rng.chance(0.7)) {
          const signer = organisation.findActiveUser(organisation.lineAbove(owner.id)[0] ?? '') ?? qa;
          timelineSteps.push({ when: at(addDays(dateInEngland(doneAt), rng.int(1, 6)), 11, rng.int(0, 59)), run: () => run(signer, { type: 'sign-off-action', record, actionId }) });
        }
      }
    }
    return ids;
  }
  // Steps added while a step runs: put on the timeline once it has finished.
  const timelineSteps: { when: Date; run: () => Promise<void> }[] = [];
  const flushSteps = () => {
    for (const step of timelineSteps.splice(0)) timeline.plan(step.when, step.run);
  };

  // ---- observations of practice -----------------------------------------------------------------

  function planObservation(observer: Person, subject: Person, day: string) {
    // A team manager is observed in supervision or a meeting about one of their team's children.
    const caseOf = subject.role === 'practitioner' ? subject : (practitioners.find((p) => teamManagerOf(p).id === subject.id) ?? practitioners[0]!);
    const child = rng.pick(caseloads.get(caseOf.id)!);
    const when = at(day, rng.int(8, 13), rng.int(0, 59));
    timeline.plan(when, async () => {
      const nature = rng.pick(['home-visit', 'home-visit', 'meeting', 'supervision']);
      const meetingType = nature === 'meeting' ? rng.pick(['cp-conference', 'core-group', 'cin-review', 'cla-review', 'strategy-meeting']) : '';
      const id = rng.uuid();
      const { name, doc } = await write('observation', observer, id, {
        practitionerId: subject.id,
        practitionerName: subject.displayName,
        teamId: subject.teamId,
        dateOfObservation: dateInEngland(when),
        childId: child.id,
        levelOfNeed: child.levelOfNeed,
        nature,
        meetingType,
        strengths: sentences(words.observationStrengths, 2, child, subject),
        areasForDevelopment: sentences(words.observationDevelopment, rng.int(1, 2), child, subject),
        reflections: sentences(words.observationReflections, 1, child, subject),
        otherComments: fill(rng.pick(words.observationOtherComments), child, subject),
        practitionerResponse: rng.chance(0.6) ? fill(rng.pick(words.observationResponses), child, subject) : '',
        equalityDiversityIdentity: sentences(words.observationEqualities, 1, child, subject),
      }, when);
      counts.observation++;
      await run(observer, { type: 'set-subject', record: name, userId: subject.id });
      const completeAt = new Date(when.getTime() + rng.int(1, 3) * 60 * 60 * 1000);
      const actionIds = rng.chance(0.35) ? raiseActions(name, observer, child, subject, ['areasForDevelopment'], completeAt) : [];
      timelineSteps.push({ when: completeAt, run: () => run(observer, { type: 'complete', record: name, stateVector: stateVector(doc) }) });
      if (rng.chance(0.5))
        timelineSteps.push({ when: at(addDays(dateInEngland(when), rng.int(1, 6)), 15, 30), run: () => run(subject, { type: 'add-reflection', record: name, text: fill(rng.pick(words.reflectionsLater), child, subject) }) });
      // The practitioner's team manager responds to the findings (Wandsworth 34).
      const manager = subject.role === 'practitioner' ? teamManagerOf(subject) : null;
      if (manager && rng.chance(0.85))
        timelineSteps.push({
          when: at(addDays(dateInEngland(when), rng.int(2, 8)), 10, 15),
          run: () => run(manager, { type: 'respond-to-findings', record: name, response: { text: rng.pick(words.findingsResponses), agreements: actionIds.map((actionId) => ({ actionId, agreed: true })) } }),
        });
    });
  }

  // ---- collaborative case reviews, their feedback and moderation -------------------------------------

  interface ReviewPlan {
    lead: Person;
    practitioner: Person;
    day: string;
    /** Leaves the review a draft (one still being written). */
    draft?: boolean;
    /** A case of a dip sample: linked to the follow-up, and good enough not to need another. */
    dipSample?: string;
    concern?: boolean;
  }

  function planReview(plan: ReviewPlan) {
    const { lead, practitioner } = plan;
    const child = rng.pick(caseloads.get(practitioner.id)!);
    const manager = teamManagerOf(practitioner);
    const when = at(plan.day, rng.int(9, 13), rng.int(0, 59));
    timeline.plan(when, async () => {
      const id = rng.uuid();
      // A dip sample's cases are mostly better: the first review's findings were acted on.
      const overall: Grade = plan.dipSample ? rng.pick(['good', 'good', 'good', 'outstanding', 'requires-improvement'] as const) : rng.pick(['outstanding', 'good', 'good', 'good', 'good', 'requires-improvement', 'requires-improvement', 'requires-improvement', 'inadequate'] as const);
      const domainGrades = Object.fromEntries(reviewDomains.map((d) => [`${d.key}Grade`, rng.chance(0.55) ? overall : shift(overall, plan.dipSample ? -1 : rng.pick([-1, 1]))])) as Record<string, Grade>;
      const weak = reviewDomains.filter((d) => ['requires-improvement', 'inadequate'].includes(domainGrades[`${d.key}Grade`]!)).map((d) => d.key);
      const values: Record<string, string> = {
        childId: child.id,
        childName: child.name,
        socialWorkerId: practitioner.id,
        socialWorkerName: practitioner.displayName,
        teamId: practitioner.teamId,
        teamManagerName: manager.displayName,
        levelOfNeed: child.levelOfNeed,
        reviewDate: dateInEngland(when),
        location: rng.pick(words.locations),
        conversationMinutes: String(rng.pick([45, 60, 60, 75, 90])),
        additionalWorkMinutes: '',
        reviewers: fill(rng.pick(lead.id === manager.id ? words.reviewerLinesLedByManager : words.reviewerLines), child, practitioner, { lead: lead.displayName, manager: manager.displayName }),
        additionalWork: rng.pick(words.additionalWorkBank),
        penPicture: fill(`{child} is ${child.age} and ${child.circumstance}.`, child, practitioner),
        ...Object.fromEntries(
          reviewDomains.map((d) => {
            const g = domainGrades[`${d.key}Grade`]!;
            return [`${d.key}Evaluation`, fill(rng.pick(words.domainWords[d.key]![g === 'outstanding' || g === 'good' ? 'good' : 'poor']), child, practitioner)];
          }),
        ),
        ...domainGrades,
        overallGrade: overall,
        overallEvaluation: fill(rng.pick(words.overallEvaluations[overall === 'outstanding' || overall === 'good' ? 'good' : 'poor']), child, practitioner),
        wentWell: sentences(words.wentWellBank, 2, child, practitioner),
        needsToHappen: sentences(words.needsToHappenBank, rng.int(1, 3), child, practitioner),
        overallGradeRationale: fill(words.rationales[overall], child, practitioner),
      };
      if (values.additionalWork) values.additionalWorkMinutes = String(rng.pick([30, 45, 60]));
      const { name, doc } = await write('review', lead, id, values, when);
      counts.review++;
      await run(lead, { type: 'set-subject', record: name, userId: practitioner.id });
      if (plan.dipSample) await run(manager, { type: 'link-follow-up', record: name, actionId: plan.dipSample });
      const reflectAt = new Date(when.getTime() + 2 * 60 * 60 * 1000);
      if (rng.chance(0.6))
        timelineSteps.push({ when: reflectAt, run: () => writeAs(name, doc, practitioner, { practitionerReflections: fill(rng.pick(words.practitionerReflectionBank), child, practitioner) }, 'review', reflectAt) });
      if (plan.concern) planConcern(name, lead, manager, child, new Date(when.getTime() + 3 * 60 * 60 * 1000));
      if (plan.draft) return;

      const submitAt = at(addDays(dateInEngland(when), rng.int(1, 4)), 15, rng.int(0, 59));
      const findings = (weak.length > 0 ? rng.some(weak, rng.int(1, Math.min(3, weak.length))) : rng.chance(0.4) ? ['overall'] : []) as string[];
      const actionIds = raiseActions(name, lead, child, practitioner, findings.filter((f) => f !== 'overall' || words.actionBank.planning), new Date(submitAt.getTime() - 30 * 60 * 1000));
      timelineSteps.push({ when: submitAt, run: () => run(lead, { type: 'submit', record: name, stateVector: stateVector(doc) }) });
      if (rng.chance(0.7)) planFeedback(lead, child, name, dateInEngland(when), at(addDays(dateInEngland(when), 1), 14, 0));

      const respondAt = at(addDays(dateInEngland(submitAt), rng.int(2, 7)), 10, rng.int(0, 59));
      const respondOn = dateInEngland(respondAt);
      timelineSteps.push({
        when: respondAt,
        run: () => run(manager, { type: 'respond-to-findings', record: name, response: { text: rng.pick(words.findingsResponses), agreements: actionIds.map((actionId) => ({ actionId, agreed: rng.chance(0.92) })) } }),
      });
      if (plan.dipSample || rng.chance(0.62)) {
        const moderateOn = addDays(dateInEngland(submitAt), rng.int(6, 20));
        planModeration(name, id, lead, practitioner, manager, child, values, moderateOn, respondOn, plan.dipSample);
      }
    });
  }

  function planModeration(name: string, reviewId: string, lead: Person, practitioner: Person, manager: Person, child: Child, review: Record<string, string>, day: string, respondOn: string, dipSample?: string) {
    // A quarter of moderations are by a head of service from the other service, chosen by the QA team.
    const other = inCare(practitioner) ? heads.safeguarding : heads.care;
    const moderator = rng.chance(0.25) ? other : qa;
    const when = at(day, rng.int(10, 15), rng.int(0, 59));
    timeline.plan(when, async () => {
      if (moderator.id !== qa.id) await run(qa, { type: 'add-participant', record: name, userId: moderator.id, role: 'moderator' });
      const agreed: Record<string, string> = Object.fromEntries([...reviewDomains.map((d) => `${d.key}Grade`), 'overallGrade'].map((f) => [f, review[f]!]));
      const changes = rng.chance(0.32) && !dipSample;
      if (changes) {
        for (const field of rng.some(reviewDomains.map((d) => `${d.key}Grade`), rng.int(1, 2))) agreed[field] = shift(agreed[field] as Grade, rng.pick([-1, 1]));
        if (rng.chance(0.55)) agreed.overallGrade = shift(agreed.overallGrade as Grade, rng.chance(0.65) ? 1 : -1);
      }
      const changed = Object.keys(agreed).some((f) => agreed[f] !== review[f]);
      const values = {
        ...agreed,
        wentWell: fill(rng.pick(words.moderationWords.wentWell), child, practitioner),
        needsToHappen: fill(rng.pick(words.moderationWords.needsToHappen), child, practitioner),
        summary: rng.pick(words.moderationWords.summary),
        gradeChangeReason: changed ? rng.pick(words.moderationWords.changeReason) : '',
      };
      const { doc } = await write('moderation', moderator, moderationIdFor(reviewId), values, when);
      counts.moderation++;
      await run(moderator, { type: 'moderate', record: name, stateVector: stateVector(doc) });
      // What the follow-up rules made of it: a dip sample's three cases are audited by the team manager.
      for (const followUp of deps.actions.listFor(qa, name).actions) {
        if (followUp.kind === 'dip-sample') {
          const starts = [5, 12, 19].map((d) => addDays(day, d + rng.int(0, 4)));
          for (const start of starts) planReview({ lead: manager, practitioner, day: start, dipSample: followUp.id });
        } else if (followUp.kind === 're-audit' && rng.chance(0.7)) {
          const doneOn = addDays(day, rng.int(40, 80));
          timelineSteps.push({ when: at(doneOn, 12, 0), run: () => run(lead, { type: 'complete-action', record: name, actionId: followUp.id, doneNote: 'Re-audited with the social worker: the plan now has dates and the child has been seen alone.', evidence: 'Re-audit case note in Mosaic.' }) });
        }
      }
      // The dip sample this review was a case of is done once its three cases are moderated: its owner's manager signs it off.
      const dip = dipSample ? deps.actions.find(dipSample) : null;
      if (dip?.status === 'done') {
        const signer = organisation.findActiveUser(organisation.lineAbove(dip.owner_id)[0] ?? '') ?? qa;
        timelineSteps.push({ when: at(addDays(dateInEngland(when), rng.int(3, 10)), 11, 30), run: () => run(signer, { type: 'sign-off-action', record: dip.doc, actionId: dip.id }) });
        // A caseload audit the dip sample led to: its head of service does it within a couple of months, most times.
        for (const audit of deps.actions.listFor(qa, dip.doc).actions.filter((a) => a.kind === 'caseload-audit' && a.status === 'open')) {
          if (!rng.chance(0.75)) continue;
          const owner = organisation.findActiveUser(audit.ownerId);
          const doneAt = at(addDays(dateInEngland(when), rng.int(25, 50)), 15, 0);
          if (!owner) continue;
          timelineSteps.push({ when: doneAt, run: () => run(owner, { type: 'complete-action', record: audit.record, actionId: audit.id, doneNote: `Audited all ${rng.int(14, 22)} of the practitioner’s cases with the team manager; a development plan is agreed in supervision.`, evidence: 'Caseload audit summary on the practitioner’s supervision file.' }) });
          const manager = organisation.findActiveUser(organisation.lineAbove(owner.id)[0] ?? '');
          if (manager) timelineSteps.push({ when: at(addDays(dateInEngland(doneAt), rng.int(2, 7)), 10, 0), run: () => run(manager, { type: 'sign-off-action', record: audit.record, actionId: audit.id }) });
        }
      }
      // Closed once the team manager has responded (the lead reviewer closes it).
      if (rng.chance(0.6)) {
        const moderatedOn = dateInEngland(when);
        const closeOn = addDays(moderatedOn > respondOn ? moderatedOn : respondOn, rng.int(2, 10));
        timelineSteps.push({ when: at(closeOn, 15, rng.int(0, 59)), run: () => run(lead, { type: 'close', record: name }) });
      }
    });
  }

  function planFeedback(author: Person, child: Child, linkedTo: string | null, day: string, when: Date) {
    timeline.plan(when, async () => {
      const giver = child.age >= 8 && rng.chance(0.45) ? 'child' : child.levelOfNeed === 'child-in-care' ? rng.pick(['carer', 'carer', 'parent']) : rng.pick(['parent', 'parent', 'family-member']);
      const bank = giver === 'child' ? words.feedbackWords.child : giver === 'carer' ? words.feedbackWords.carer : words.feedbackWords.parent;
      const score = Math.max(0, Math.min(10, Math.round(6.5 + (rng.next() + rng.next() + rng.next() - 1.5) * 4)));
      const id = rng.uuid();
      const { name, doc } = await write('feedback', author, id, {
        childId: child.id,
        linkedRecord: linkedTo ?? '',
        giver,
        relationship: giver === 'parent' ? rng.pick(['Mum', 'Dad']) : giver === 'carer' ? rng.pick(['Foster carer', 'Kinship carer (aunt)']) : giver === 'family-member' ? rng.pick(['Grandmother', 'Older sister']) : '',
        ageBand: giver === 'child' ? child.ageBand : '',
        seenAlone: giver === 'child' ? rng.pick(['yes', 'yes', 'no']) : '',
        how: rng.pick(['meeting', 'home-visit', 'phone', 'own-hand']),
        score: String(score),
        consent: 'yes',
        date: day,
        workingWell: rng.pick(bank.workingWell),
        worried: rng.chance(0.7) ? rng.pick(bank.worried) : '',
        needsToHappen: rng.chance(0.6) ? rng.pick(bank.needsToHappen) : '',
        goneWell: rng.chance(0.6) ? rng.pick(bank.goneWell) : '',
        couldBeBetter: rng.chance(0.5) ? rng.pick(bank.couldBeBetter) : '',
      }, when);
      counts.feedback++;
      if (linkedTo) await run(author, { type: 'link-record', record: name, linkedTo });
      await run(author, { type: 'complete', record: name, stateVector: stateVector(doc) });
    });
  }

  function planConcern(record: string, lead: Person, manager: Person, child: Child, when: Date) {
    const concern = words.concernWords[counts.concerns % words.concernWords.length]!;
    counts.concerns++;
    const concernId = rng.uuid();
    timelineSteps.push({
      when,
      run: async () => {
        const outcome = await commands.run(lead, null, { id: concernId, type: 'raise-concern', record, text: fill(concern.text, child) });
        if (outcome.status !== 'applied') throw new Error(`The demo's concern was not raised: ${outcome.message}`);
      },
    });
    timelineSteps.push({ when: new Date(when.getTime() + 2 * 60 * 60 * 1000), run: () => run(manager, { type: 'respond-to-concern', record, concernId, response: concern.response }) });
    timelineSteps.push({ when: at(addDays(dateInEngland(when), rng.int(3, 8)), 15, 0), run: () => run(manager, { type: 'resolve-concern', record, concernId, resolution: fill(concern.resolution, child) }) });
  }

  // ---- the year's plan -------------------------------------------------------------------------------

  // The last four quarters and this one so far (councils plan in financial-year quarters).
  const firstDay = periodContaining('quarter', addDays(todayIso, -365)).start;
  const months: string[] = [];
  for (let m = firstDay.slice(0, 7); `${m}-01` <= todayIso; ) {
    months.push(m);
    const [y, mo] = m.split('-').map(Number) as [number, number];
    m = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
  }
  const dayIn = (month: string, from = 1, to = 26) => `${month}-${String(rng.int(from, to)).padStart(2, '0')}`;
  const concernMonths = new Set([months[Math.floor(months.length / 3)], months[Math.floor((2 * months.length) / 3)]]);

  months.forEach((month, index) => {
    // Each practitioner is observed by their team manager every two or three months.
    for (const p of practitioners) if ((index + practitioners.indexOf(p)) % rng.pick([2, 3]) === 0) planObservation(teamManagerOf(p), p, dayIn(month));
    // Heads of service observe each team manager twice a year; the AD each quarter, the director every six months; the PSW now and then.
    for (const m of managers) if ((index + managers.indexOf(m)) % 6 === 0) planObservation(headOf(m), m, dayIn(month));
    if (index % 3 === 1) planObservation(ad, rng.pick([...practitioners, ...managers]), dayIn(month));
    if (index % 6 === 2) planObservation(dcs, rng.pick(practitioners), dayIn(month));
    if (index % 2 === 0) planObservation(psw, rng.pick(practitioners), dayIn(month));
    // One practice evaluation per team manager a month; heads of service and the PSW each quarter.
    for (const m of managers) {
      const team = practitioners.filter((p) => teamManagerOf(p).id === m.id);
      const concern = concernMonths.has(month) && m.username === (index < months.length / 2 ? 'tm.okafor' : 'tm.begum');
      planReview({ lead: m, practitioner: rng.pick(team), day: dayIn(month), ...(concern ? { concern: true } : {}) });
    }
    if (index % 3 === 2) {
      planReview({ lead: heads.safeguarding, practitioner: rng.pick(practitioners.filter((p) => !inCare(p))), day: dayIn(month) });
      planReview({ lead: heads.care, practitioner: rng.pick(practitioners.filter(inCare)), day: dayIn(month) });
      planReview({ lead: psw, practitioner: rng.pick(practitioners), day: dayIn(month) });
    }
    // Family feedback gathered at visits, not for a review.
    for (const p of practitioners) {
      if (!rng.chance(0.45)) continue;
      const day = dayIn(month);
      planFeedback(p, rng.pick(caseloads.get(p.id)!), null, day, at(day, 15, 0));
    }
  });
  // Reviews still being written this week.
  planReview({ lead: person('tm.okafor'), practitioner: person('sw.ahmed'), day: addDays(todayIso, -4), draft: true });
  planReview({ lead: heads.safeguarding, practitioner: person('sw.clarke'), day: addDays(todayIso, -3), draft: true });

  const total = () => counts.observation + counts.review + counts.feedback + counts.moderation;
  let reported = 0;
  for (let step = timeline.next(); step; step = timeline.next()) {
    deps.holdClock(new Date(step.at));
    await step.run();
    flushSteps();
    if (total() - reported >= 100) {
      reported = total();
      deps.log(`Demo organisation: ${reported} records made so far, up to ${dateInEngland(new Date(step.at))}.`);
    }
  }
  // Last quarter's summaries: each head of service starts theirs (the server drafts it from the quarter's
  // records), writes it with the QA officer a week or so after the quarter ends, and submits it.
  const lastQuarter = previousPeriod(periodContaining('quarter', todayIso));
  for (const head of [heads.safeguarding, heads.care]) {
    const startedAt = at(addDays(lastQuarter.end, rng.int(5, 9)), 10, rng.int(0, 59));
    if (startedAt.getTime() > endMs) continue;
    deps.holdClock(startedAt);
    const { name } = await deps.summaries.start(head, { service: head.serviceId, quarter: lastQuarter.id });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await store.load(name))!);
    await writeAs(name, doc, head, { workingWell: sentences(words.summaryWords.workingWell, 3, null), actionNeeded: sentences(words.summaryWords.actionNeeded, 3, null) }, 'summary', startedAt);
    const writtenAt = new Date(startedAt.getTime() + 2 * 60 * 60 * 1000);
    await writeAs(name, doc, qa, { worried: sentences(words.summaryWords.worried, 3, null) }, 'summary', writtenAt);
    const submittedAt = new Date(writtenAt.getTime() + DAY);
    if (submittedAt.getTime() > endMs) continue;
    deps.holdClock(submittedAt);
    await run(head, { type: 'submit', record: name, stateVector: stateVector(doc) });
    counts.summaries++;
  }
  deps.holdClock(null);
  const fortnightAgo = new Date(deps.today.getTime() - 14 * DAY).toISOString();
  for (const account of organisation.accounts()) {
    const old = deps.notifications.list(account.id, 100_000).notifications.filter((n) => n.at < fortnightAgo && !n.read);
    if (old.length > 0) deps.notifications.markRead(account.id, old.map((n) => n.id));
  }
  const result = { ...counts, ms: Math.round(performance.now() - started) };
  deps.log(
    `Demo organisation: a year of records made in ${(result.ms / 1000).toFixed(1)} s — ${counts.observation} observations, ${counts.review} reviews (${counts.moderation} moderated), ${counts.feedback} family feedback, ${counts.actions} actions, ${counts.concerns} immediate concerns, ${counts.summaries} quarterly summaries submitted.`,
  );
  return result;
}
