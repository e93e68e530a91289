/**
 * The quality assurance programme (issue 16; 004 §6.4–6.5 and Appendices 4, 6–8, 002 §3.2, 001 §29): who is
 * expected to observe or review whom, how often — as data the QA team and the principal social worker set —
 * and coverage: for a period, who has done what they are expected to and who is behind. Coverage is worked
 * out here from plain facts (people, what they did, when), so the server computes it from its own data and
 * the arithmetic is tested without a server.
 */
import { z } from 'zod';
import { roles, roleLabels, type Role } from './directory';
import { recordKindLabels, recordKinds, type RecordKind } from './records';
import { elapsedShare, isoDateSchema, periodContaining, periodUnits, requiredInPost, withinPeriod, type Period, type PeriodUnit } from './periods';

/** Who an expectation is for: everyone with a role, one person, or the organisation as a whole. */
export const expectationWhoSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('role'), role: z.enum(roles) }),
  z.object({ type: z.literal('person'), userId: z.string().min(1).max(100) }),
  z.object({ type: z.literal('organisation') }),
]);
export type ExpectationWho = z.infer<typeof expectationWhoSchema>;

/**
 * Of whom: each of the person's direct reports (line management), each team manager below them, any
 * practitioner, or any record of the kind at all (a moderation, family feedback, the organisation's
 * collaborative case reviews).
 */
export const expectationTargets = ['each-direct-report', 'each-team-manager', 'any-practitioner', 'any'] as const;
export type ExpectationTarget = (typeof expectationTargets)[number];
export const expectationTargetLabels: Record<ExpectationTarget, string> = {
  'each-direct-report': 'of each direct report',
  'each-team-manager': 'of each team manager below them',
  'any-practitioner': 'of any practitioner',
  any: 'in all',
};

export const expectationInputSchema = z.object({
  who: expectationWhoSchema,
  activity: z.enum(recordKinds, { error: 'Choose the activity.' }),
  of: z.enum(expectationTargets, { error: 'Choose of whom.' }),
  count: z.number({ error: 'Say how many.' }).int('A whole number, please.').min(1, 'At least one.').max(500, 'At most 500.'),
  period: z.enum(periodUnits, { error: 'Choose how often.' }),
  /** Where it comes from, or why (shown beside it): "St Helens Appendix 6". */
  note: z.string().trim().max(300, 'Keep the note under 300 characters.').default(''),
});
export type ExpectationInput = z.infer<typeof expectationInputSchema>;
export const expectationSchema = expectationInputSchema.extend({ id: z.string() });
export type Expectation = z.infer<typeof expectationSchema>;

/** The programme a new organisation starts with, from the seeds; the QA team and PSW change it on the Programme screen. */
export const defaultExpectations: ExpectationInput[] = [
  { who: { type: 'role', role: 'team-manager' }, activity: 'observation', of: 'each-direct-report', count: 1, period: 'year', note: 'Every practitioner observed by their line manager at least once a year (St Helens 6.4, Appendix 6).' },
  { who: { type: 'role', role: 'head-of-service' }, activity: 'observation', of: 'each-direct-report', count: 1, period: 'year', note: 'Heads of service observe each manager’s practice at least once a year (St Helens Appendix 6).' },
  { who: { type: 'role', role: 'assistant-director' }, activity: 'observation', of: 'any-practitioner', count: 1, period: 'quarter', note: 'The assistant director observes practice once a quarter (St Helens 6.5).' },
  { who: { type: 'role', role: 'director' }, activity: 'observation', of: 'any-practitioner', count: 1, period: 'half-year', note: 'The director observes practice every six months (St Helens 6.5).' },
  { who: { type: 'role', role: 'team-manager' }, activity: 'review', of: 'any', count: 1, period: 'month', note: 'Every manager completes one collaborative practice evaluation each month (3.2 of the fifth authority).' },
  { who: { type: 'role', role: 'head-of-service' }, activity: 'review', of: 'any', count: 1, period: 'month', note: 'Every manager completes one collaborative practice evaluation each month (3.2 of the fifth authority).' },
  { who: { type: 'organisation' }, activity: 'review', of: 'any', count: 20, period: 'quarter', note: 'At least 20 children’s cases reviewed each quarter, across levels of need and teams (St Helens Appendix 4).' },
];

/** One line in words: "Team managers: 1 observation of practice of each direct report a year". */
export function describeExpectation(e: ExpectationInput, personName?: string): string {
  const who = e.who.type === 'role' ? roleLabels[e.who.role] : e.who.type === 'person' ? (personName ?? 'One person') : 'The organisation';
  const what = `${e.count} ${recordKindLabels[e.activity].toLowerCase()}${e.count === 1 ? '' : 's'}`;
  return `${who}: ${what} ${expectationTargetLabels[e.of]} ${periodUnitPhrase[e.period]}`;
}
const periodUnitPhrase: Record<PeriodUnit, string> = { month: 'each month', quarter: 'each quarter', 'half-year': 'every six months', year: 'each year' };

// ---- coverage -------------------------------------------------------------------------------------

/** A person as coverage needs them. `leftOn` is set for someone who has left (their account deactivated). */
export interface ProgrammePerson {
  id: string;
  displayName: string;
  role: Role;
  teamId: string;
  serviceId: string;
  managerId: string;
  joinedOn: string;
  leftOn: string | null;
}

/** One thing done that counts: a record of a kind finished (or a review moderated) by someone, on a day. */
export interface ProgrammeActivity {
  /** The record behind it (for a moderation, the review moderated): what each figure opens. */
  record: string;
  kind: RecordKind;
  byId: string;
  /** The practitioner it is about, when there is one. */
  subjectId: string | null;
  teamId: string | null;
  on: string;
  levelOfNeed?: string;
}

export type CoverageStatus = 'met' | 'on-track' | 'behind' | 'not-expected';
export const coverageStatusLabels: Record<CoverageStatus, string> = {
  met: 'Done',
  'on-track': 'On track',
  behind: 'Behind',
  'not-expected': 'Not expected yet',
};

export interface CoverageRow {
  expectationId: string;
  description: string;
  personId: string;
  personName: string;
  teamId: string;
  serviceId: string;
  period: Period;
  required: number;
  done: number;
  status: CoverageStatus;
  /** The records counted. */
  records: string[];
  /** For "each direct report" / "each team manager": the people still to be observed or reviewed. */
  outstanding: { id: string; name: string }[];
}

export interface OrganisationRow {
  expectationId: string;
  description: string;
  period: Period;
  required: number;
  done: number;
  status: CoverageStatus;
  records: string[];
  byTeam: { teamId: string; count: number }[];
  byLevelOfNeed: { levelOfNeed: string; count: number }[];
}

export interface CoverageReport {
  asOf: string;
  rows: CoverageRow[];
  organisation: OrganisationRow[];
  /** Practitioners and team managers with no observation of them this financial year. */
  notObserved: { id: string; name: string; teamId: string; serviceId: string }[];
  yearLabel: string;
}

export interface CoverageInput {
  asOf: string;
  expectations: Expectation[];
  people: ProgrammePerson[];
  teams: { id: string; managerId: string }[];
  activities: ProgrammeActivity[];
  /** The people whose rows this report shows (the viewer's line); null for everyone. */
  scope: Set<string> | null;
  /** Whether the organisation-wide rows are shown (the QA team, PSW and director). */
  organisationWide: boolean;
}

/** Who counts as "a practitioner" for an observation of any practitioner, and for "not observed this year". */
const observedRoles: readonly Role[] = ['practitioner', 'team-manager'];

/** A status from what is required, what is done, and how far into the period it is. */
export function coverageStatus(required: number, done: number, period: Period, asOf: string): CoverageStatus {
  if (required === 0) return 'not-expected';
  if (done >= required) return 'met';
  // Behind once fewer are done than the time gone by calls for (none due until some of the period has passed).
  return done < Math.floor(required * elapsedShare(period, asOf) + 1e-9) ? 'behind' : 'on-track';
}

const inPostDuring = (p: ProgrammePerson, period: Period) => p.joinedOn <= period.end && (!p.leftOn || p.leftOn >= period.start);

/** Everyone below a person in the line (their reports, their reports' reports, …). */
function below(people: ProgrammePerson[], managerId: string): ProgrammePerson[] {
  const found: ProgrammePerson[] = [];
  const queue = [managerId];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const p of people) {
      if (p.managerId !== id || seen.has(p.id)) continue;
      seen.add(p.id);
      found.push(p);
      queue.push(p.id);
    }
  }
  return found;
}

/** Coverage of the expectations in the periods containing `asOf`. */
export function computeCoverage(input: CoverageInput): CoverageReport {
  const { asOf, people, activities } = input;
  const byId = new Map(people.map((p) => [p.id, p]));
  const rows: CoverageRow[] = [];
  const organisation: OrganisationRow[] = [];

  for (const e of input.expectations) {
    const period = periodContaining(e.period, asOf);
    const inPeriod = activities.filter((a) => a.kind === e.activity && withinPeriod(period, a.on));
    const description = describeExpectation(e, e.who.type === 'person' ? byId.get(e.who.userId)?.displayName : undefined);

    if (e.who.type === 'organisation') {
      if (!input.organisationWide) continue;
      const counted = e.of === 'any-practitioner' ? inPeriod.filter((a) => a.subjectId) : inPeriod;
      organisation.push({
        expectationId: e.id,
        description,
        period,
        required: e.count,
        done: counted.length,
        status: coverageStatus(e.count, counted.length, period, asOf),
        records: counted.map((a) => a.record),
        byTeam: tally(counted.map((a) => a.teamId ?? '')).map(([teamId, count]) => ({ teamId, count })),
        byLevelOfNeed: tally(counted.map((a) => a.levelOfNeed ?? '')).map(([levelOfNeed, count]) => ({ levelOfNeed, count })),
      });
      continue;
    }

    const holders = e.who.type === 'person' ? people.filter((p) => p.id === (e.who as { userId: string }).userId) : people.filter((p) => p.role === (e.who as { role: Role }).role);
    for (const person of holders) {
      if (!inPostDuring(person, period)) continue;
      if (input.scope && !input.scope.has(person.id)) continue;
      const theirs = inPeriod.filter((a) => a.byId === person.id);
      const base = { expectationId: e.id, description, personId: person.id, personName: person.displayName, teamId: person.teamId, serviceId: person.serviceId, period };

      if (e.of === 'each-direct-report' || e.of === 'each-team-manager') {
        const targets =
          e.of === 'each-direct-report'
            ? people.filter((p) => p.managerId === person.id)
            : (() => {
                const managers = new Set(input.teams.map((t) => t.managerId).filter(Boolean));
                return below(people, person.id).filter((p) => managers.has(p.id));
              })();
        const counted: string[] = [];
        const outstanding: { id: string; name: string }[] = [];
        let required = 0;
        let done = 0;
        for (const target of targets.filter((t) => inPostDuring(t, period))) {
          // Both must have been in post: a report who joined last week is not yet due, nor is a new manager's team.
          const joined = target.joinedOn > person.joinedOn ? target.joinedOn : person.joinedOn;
          const left = [target.leftOn, person.leftOn].filter((d): d is string => Boolean(d)).sort()[0] ?? null;
          const need = requiredInPost(e.count, period, joined, left);
          if (need === 0) continue;
          required++;
          const ofThem = theirs.filter((a) => a.subjectId === target.id);
          counted.push(...ofThem.map((a) => a.record));
          if (ofThem.length >= need) done++;
          else outstanding.push({ id: target.id, name: target.displayName });
        }
        rows.push({ ...base, required, done, status: coverageStatus(required, done, period, asOf), records: counted, outstanding });
      } else {
        const counted = e.of === 'any-practitioner' ? theirs.filter((a) => a.subjectId && observedRoles.includes(byId.get(a.subjectId)?.role ?? 'admin')) : theirs;
        const required = requiredInPost(e.count, period, person.joinedOn, person.leftOn);
        rows.push({ ...base, required, done: counted.length, status: coverageStatus(required, counted.length, period, asOf), records: counted.map((a) => a.record), outstanding: [] });
      }
    }
  }

  const year = periodContaining('year', asOf);
  const observed = new Set(activities.filter((a) => a.kind === 'observation' && withinPeriod(year, a.on) && a.subjectId).map((a) => a.subjectId!));
  const notObserved = people
    .filter((p) => observedRoles.includes(p.role) && !p.leftOn && p.joinedOn <= asOf && !observed.has(p.id) && (!input.scope || input.scope.has(p.id)))
    .map((p) => ({ id: p.id, name: p.displayName, teamId: p.teamId, serviceId: p.serviceId }));

  return { asOf, rows, organisation, notObserved, yearLabel: year.label };
}

function tally(values: string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

// ---- the schedule ---------------------------------------------------------------------------------

/** One line of a quarter's plan (004 Appendices 7–8): in a month, an activity, who does it, the week, its theme. */
export const scheduleEntryInputSchema = z.object({
  /** The month, `YYYY-MM`. */
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Choose the month.'),
  activity: z.string().trim().min(1, 'Say what the activity is.').max(200, 'Keep the activity under 200 characters.'),
  /** The kind of record it produces, when it is one (a thematic audit may not be). */
  kind: z.enum(recordKinds).or(z.literal('')).default(''),
  /** Who does it: roles, and named people. */
  roles: z.array(z.enum(roles)).max(roles.length).default([]),
  people: z.array(z.string().min(1).max(100)).max(50).default([]),
  /** The Monday of the week it happens in. */
  weekBeginning: isoDateSchema.or(z.literal('')).default(''),
  theme: z.string().trim().max(300, 'Keep the theme under 300 characters.').default(''),
});
export type ScheduleEntryInput = z.infer<typeof scheduleEntryInputSchema>;
export type ScheduleEntry = ScheduleEntryInput & { id: string; quarter: string };

/** Whether a schedule entry names this person (by role or by name). */
export const scheduleNames = (entry: Pick<ScheduleEntry, 'roles' | 'people'>, person: { id: string; role: Role }) =>
  entry.people.includes(person.id) || entry.roles.includes(person.role);

// ---- moderation ---------------------------------------------------------------------------------

/**
 * How the organisation moderates assigned reviews (001 §29: reviews are dip-sampled for moderation): the
 * share, in per cent, of those assigned without a named moderator that go to the moderation panel of service
 * managers — a head of service from outside the child's own line, chosen at random — the rest to the QA team.
 */
export const programmeSettingsSchema = z.object({
  moderationPanelShare: z.number({ error: 'Give a share between 0 and 100.' }).int('A whole number, please.').min(0, 'At least 0.').max(100, 'At most 100.'),
});
export type ProgrammeSettings = z.infer<typeof programmeSettingsSchema>;
export const defaultProgrammeSettings: ProgrammeSettings = { moderationPanelShare: 0 };

// ---- who may do what --------------------------------------------------------------------------------

/** Who sets the programme (expectations and the schedule): the QA team and the principal social worker. */
export const programmeSetters: readonly Role[] = ['qa-officer', 'principal-social-worker'];
/** Who draws samples and assigns reviews: the QA team and PSW for every team; a head of service for their service's teams. */
export const programmeAssigners: readonly Role[] = ['qa-officer', 'principal-social-worker', 'head-of-service'];
/** Who sees coverage of the whole organisation; everyone else sees their own and their line's. */
export const organisationWideRoles: readonly Role[] = ['qa-officer', 'principal-social-worker', 'director'];
