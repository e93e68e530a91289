/**
 * Reports for managers and boards (issue 17): the figures for a period and a scope (a service, a team or
 * everything the reader may read), with the period before for comparison. Pure: the server gives it the
 * read model's facts (sync-server/recordFacts.ts) already limited to records the reader may read, and the
 * open actions and concerns; nothing here opens a document.
 */
import { z } from 'zod';
import { periodContaining, previousPeriod, withinPeriod, type Period } from './periods';
import { domainGradeField, grades, reviewDomains, type Grade } from './review';

/** Who has reports (the dashboard's people): heads of service, the assistant director, the director, the QA team, the PSW. */
export const reportRoles = ['head-of-service', 'assistant-director', 'director', 'qa-officer', 'principal-social-worker'] as const;

/** The grades a review carries: the seven domains' and the overall grade (the moderation's fields too). */
export const reportGradeFields = [...reviewDomains.map((d) => domainGradeField(d.key)), 'overallGrade'] as const;
export type ReportGradeField = (typeof reportGradeFields)[number];

/** One finished record in the read model, as reports need it. */
export interface ReportFact {
  doc: string;
  kind: 'observation' | 'review' | 'feedback';
  status: string;
  teamId: string;
  practitionerId: string;
  childId: string;
  /** The day it was finished (completed, submitted), in England. */
  onDate: string;
  /** A review's grades as its reviewers gave them. */
  grades: Partial<Record<ReportGradeField, string>>;
  /** Moderation's agreed grades, once a review is moderated; null before. */
  agreed: Partial<Record<ReportGradeField, string>> | null;
  moderatedOn: string | null;
  /** Family feedback: the 0–10 score (null when not given) and consent ('yes' when given). */
  score: number | null;
  consent: string;
}

export interface ReportAction {
  id: string;
  doc: string;
  status: string;
  dueDate: string;
}

export interface ReportConcern {
  id: string;
  doc: string;
  /** When a first response is due (ISO); overdue once passed with no response and not resolved. */
  dueAt: string | null;
  answered: boolean;
  resolved: boolean;
}

/** A count and the records it is built on (each figure opens the records behind it). */
export interface Figure {
  count: number;
  records: string[];
}

export interface PeriodFigures {
  period: { id: string; label: string; start: string; end: string };
  activity: { observation: Figure; review: Figure; feedback: Figure; moderation: Figure };
  /** For each grade field, how many reviews finished in the period were graded each grade (as moderated, where they were). */
  gradeSpread: Record<ReportGradeField, Record<Grade, Figure>>;
  moderation: {
    moderated: Figure;
    /** Reviews where moderation changed at least one grade. */
    changed: Figure;
    /** For each grade field, how often moderation raised and lowered it. */
    byField: Record<ReportGradeField, { up: Figure; down: Figure }>;
  };
  feedback: {
    /** Consented feedback only: how many, and the average of those who gave a score. */
    given: Figure;
    averageScore: number | null;
    byTeam: { teamId: string; given: Figure; scored: number; averageScore: number | null }[];
  };
}

/** One quarter of the trend: the spread of overall grades, and how many were Good or better. */
export interface TrendFigures {
  period: { id: string; label: string; start: string; end: string };
  /** Reviews submitted in the quarter with an overall grade (as moderated, where they were). */
  graded: Figure;
  overall: Record<Grade, Figure>;
  /** Outstanding and Good together: the headline the boards follow. */
  goodOrBetter: Figure;
}

export interface ReportFigures {
  scope: { serviceId: string; teamId: string };
  today: string;
  current: PeriodFigures;
  previous: PeriodFigures;
  /** The last quarters up to the chosen period (oldest first): the overall grades' trend. */
  trends: TrendFigures[];
  /** Now, not per period: actions and immediate concerns on the scope's records that are open, and overdue. */
  actions: { open: Figure; overdue: Figure };
  concerns: { open: Figure; overdue: Figure };
}

export const reportQuerySchema = z.object({
  period: z.string().max(20),
  service: z.string().max(100).default(''),
  team: z.string().max(100).default(''),
});

/**
 * Where a figure sits in the figures, as a dotted path: `current.gradeSpread.planningGrade.good`,
 * `previous.feedback.byTeam.0.given`, `actions.overdue`. The dashboard asks for the records behind one
 * figure at a time, so the figures themselves travel without their (long) lists of records.
 */
export const figurePathSchema = z.string().max(120).regex(/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/, 'Say which figure.');

/** The figure at a path, or null when the path does not lead to one. */
export function figureAt(figures: ReportFigures, path: string): Figure | null {
  let at: unknown = figures;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object' || !Object.prototype.hasOwnProperty.call(at, key)) return null;
    at = (at as Record<string, unknown>)[key];
  }
  const candidate = at as Partial<Figure> | null;
  return candidate && typeof candidate === 'object' && typeof candidate.count === 'number' && Array.isArray(candidate.records) ? (candidate as Figure) : null;
}

/** The figures without the records behind each (every list emptied; the counts stay): what the dashboard loads. */
export function withoutRecords<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => withoutRecords(v) as unknown) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'records' && Array.isArray(v) ? [] : withoutRecords(v)])) as T;
}

/** How many quarters the trend shows: five, so the same quarter a year before is beside the latest. */
export const TREND_QUARTERS = 5;

/** The quarters of the trend, oldest first, ending with the quarter the chosen period ends in. */
export function trendQuarters(period: Period, count = TREND_QUARTERS): Period[] {
  const list = [periodContaining('quarter', period.end)];
  while (list.length < count) list.unshift(previousPeriod(list[0]!));
  return list;
}

const gradeOrder: Record<string, number> = { inadequate: 0, 'requires-improvement': 1, good: 2, outstanding: 3 };
const figure = (records: string[]): Figure => ({ count: records.length, records });
const average = (scores: number[]) => (scores.length === 0 ? null : Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10);

/** The grade that counts for a field: moderation's agreed one once moderated, the reviewers' before. */
export const gradeThatCounts = (fact: ReportFact, field: ReportGradeField) => fact.agreed?.[field] || fact.grades[field] || '';

export function periodFigures(facts: ReportFact[], period: Period): PeriodFigures {
  const finished = facts.filter((f) => withinPeriod(period, f.onDate));
  const ofKind = (kind: ReportFact['kind']) => finished.filter((f) => f.kind === kind);
  const reviews = ofKind('review');
  const moderated = facts.filter((f) => f.kind === 'review' && f.agreed && f.moderatedOn && withinPeriod(period, f.moderatedOn));

  const gradeSpread = Object.fromEntries(
    reportGradeFields.map((field) => [
      field,
      Object.fromEntries(grades.map((g) => [g.value, figure(reviews.filter((r) => gradeThatCounts(r, field) === g.value).map((r) => r.doc))])),
    ]),
  ) as PeriodFigures['gradeSpread'];

  const byField = Object.fromEntries(
    reportGradeFields.map((field) => {
      const moved = (sign: 1 | -1) =>
        figure(
          moderated
            .filter((m) => {
              const from = gradeOrder[m.grades[field] ?? ''];
              const to = gradeOrder[m.agreed?.[field] ?? ''];
              return from !== undefined && to !== undefined && Math.sign(to - from) === sign;
            })
            .map((m) => m.doc),
        );
      return [field, { up: moved(1), down: moved(-1) }];
    }),
  ) as PeriodFigures['moderation']['byField'];

  // Families' words and scores count only with their consent.
  const feedback = ofKind('feedback').filter((f) => f.consent === 'yes');
  const teams = [...new Set(feedback.map((f) => f.teamId))].sort();

  return {
    period: { id: period.id, label: period.label, start: period.start, end: period.end },
    activity: {
      observation: figure(ofKind('observation').map((f) => f.doc)),
      review: figure(reviews.map((f) => f.doc)),
      feedback: figure(feedback.map((f) => f.doc)),
      moderation: figure(moderated.map((f) => f.doc)),
    },
    gradeSpread,
    moderation: {
      moderated: figure(moderated.map((m) => m.doc)),
      changed: figure(moderated.filter((m) => reportGradeFields.some((field) => (m.agreed?.[field] ?? '') !== (m.grades[field] ?? ''))).map((m) => m.doc)),
      byField,
    },
    feedback: {
      given: figure(feedback.map((f) => f.doc)),
      averageScore: average(feedback.flatMap((f) => (f.score === null ? [] : [f.score]))),
      byTeam: teams.map((teamId) => {
        const mine = feedback.filter((f) => f.teamId === teamId);
        const scores = mine.flatMap((f) => (f.score === null ? [] : [f.score]));
        return { teamId, given: figure(mine.map((f) => f.doc)), scored: scores.length, averageScore: average(scores) };
      }),
    },
  };
}

/** The overall grades' trend over these quarters (trendQuarters): the reference the server's SQL counts are checked against. */
export function trendFigures(facts: ReportFact[], quarters: Period[]): TrendFigures[] {
  return quarters.map((quarter) => {
    const overall = periodFigures(facts, quarter).gradeSpread.overallGrade;
    return trendFrom(quarter, overall);
  });
}

function trendFrom(quarter: Period, overall: Record<Grade, Figure>): TrendFigures {
  const join = (values: Grade[]) => figure(values.flatMap((g) => overall[g].records));
  const all = join(grades.map((g) => g.value));
  const best = join(['outstanding', 'good']);
  return {
    period: { id: quarter.id, label: quarter.label, start: quarter.start, end: quarter.end },
    // Counts, not the records' lengths: figures built from SQL counts carry no records.
    graded: { ...all, count: grades.reduce((n, g) => n + overall[g.value].count, 0) },
    overall,
    goodOrBetter: { ...best, count: overall.outstanding.count + overall.good.count },
  };
}

/** The share Good or better, as a whole percentage; null when nothing was graded. */
export const goodOrBetterShare = (t: TrendFigures) => (t.graded.count === 0 ? null : Math.round((t.goodOrBetter.count / t.graded.count) * 100));

// ---- counted in SQL --------------------------------------------------------------------------------

/**
 * What the server counts in SQL for a list of periods (`period` is the index in that list), so a year of a
 * large organisation is counted where it is stored rather than fetched row by row. The figures built from
 * them (below) must equal `periodFigures` and `trendFigures` on the same records, without the lists of
 * records: tests/integration/reportCounts.test.ts checks that on a random set.
 */
export interface ReportCounts {
  /** Finished records by kind; `consented` is the feedback given with consent. */
  activity: { period: number; kind: string; count: number; consented: number }[];
  /** Reviews by the grade that counts in each field. */
  spread: { period: number; field: string; grade: string; count: number }[];
  /** Reviews moderated in the period, and in how many a grade changed. */
  moderated: { period: number; count: number; changed: number }[];
  /** How often moderation raised (1) and lowered (-1) each field. */
  moved: { period: number; field: string; direction: number; count: number }[];
  /** Consented feedback by team: how many, how many scored, and the scores' sum. */
  feedback: { period: number; teamId: string; given: number; scored: number; scoreSum: number }[];
}

const counted = (count: number): Figure => ({ count, records: [] });
const averageOf = (sum: number, n: number) => (n === 0 ? null : Math.round((sum / n) * 10) / 10);

/** The figures of period `index` of the counted list, as `periodFigures` would give them without their records. */
export function periodFiguresFromCounts(counts: ReportCounts, index: number, period: Period): PeriodFigures {
  const activity = counts.activity.filter((a) => a.period === index);
  const ofKind = (kind: string) => activity.find((a) => a.kind === kind);
  const spread = counts.spread.filter((s) => s.period === index);
  const moved = counts.moved.filter((m) => m.period === index);
  const moderated = counts.moderated.find((m) => m.period === index) ?? { count: 0, changed: 0 };
  const feedback = counts.feedback.filter((f) => f.period === index).sort((a, b) => (a.teamId < b.teamId ? -1 : a.teamId > b.teamId ? 1 : 0));
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    period: { id: period.id, label: period.label, start: period.start, end: period.end },
    activity: {
      observation: counted(ofKind('observation')?.count ?? 0),
      review: counted(ofKind('review')?.count ?? 0),
      feedback: counted(ofKind('feedback')?.consented ?? 0),
      moderation: counted(moderated.count),
    },
    gradeSpread: Object.fromEntries(
      reportGradeFields.map((field) => [field, Object.fromEntries(grades.map((g) => [g.value, counted(sum(spread.filter((s) => s.field === field && s.grade === g.value).map((s) => s.count)))]))]),
    ) as PeriodFigures['gradeSpread'],
    moderation: {
      moderated: counted(moderated.count),
      changed: counted(moderated.changed),
      byField: Object.fromEntries(
        reportGradeFields.map((field) => {
          const way = (direction: number) => counted(sum(moved.filter((m) => m.field === field && m.direction === direction).map((m) => m.count)));
          return [field, { up: way(1), down: way(-1) }];
        }),
      ) as PeriodFigures['moderation']['byField'],
    },
    feedback: {
      given: counted(sum(feedback.map((f) => f.given))),
      averageScore: averageOf(sum(feedback.map((f) => f.scoreSum)), sum(feedback.map((f) => f.scored))),
      byTeam: feedback.map((f) => ({ teamId: f.teamId, given: counted(f.given), scored: f.scored, averageScore: averageOf(f.scoreSum, f.scored) })),
    },
  };
}

/** The trend from counts: `spread` rows of the overall grade, one period index per quarter. */
export function trendsFromCounts(spread: ReportCounts['spread'], quarters: Period[]): TrendFigures[] {
  return quarters.map((quarter, index) => {
    const overall = Object.fromEntries(
      grades.map((g) => [g.value, counted(spread.filter((s) => s.period === index && s.field === 'overallGrade' && s.grade === g.value).reduce((n, s) => n + s.count, 0))]),
    ) as Record<Grade, Figure>;
    return trendFrom(quarter, overall);
  });
}

/** Overdue: an open action past its due date (today is not overdue); a concern unanswered past its due time. */
export function openAndOverdue(actions: ReportAction[], concerns: ReportConcern[], today: string, now: Date): Pick<ReportFigures, 'actions' | 'concerns'> {
  const openActions = actions.filter((a) => a.status === 'open');
  const openConcerns = concerns.filter((c) => !c.resolved);
  const docsOf = (items: { doc: string }[]) => items.map((i) => i.doc);
  return {
    actions: { open: figure(docsOf(openActions)), overdue: figure(docsOf(openActions.filter((a) => a.dueDate < today))) },
    concerns: {
      open: figure(docsOf(openConcerns)),
      overdue: figure(docsOf(openConcerns.filter((c) => !c.answered && c.dueAt !== null && new Date(c.dueAt).getTime() < now.getTime()))),
    },
  };
}
