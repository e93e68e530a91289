/**
 * The head of service's quarterly summary of quality assurance (St Helens 2.6 and 4.2, appendices 1–2):
 * for a service and a financial-year quarter, what QA activity took place, what is working well, what we are
 * worried about and what action is needed. The server drafts it from the data (the activity table, the spread
 * of grades, quotes from the quarter's reviews and families' words given with consent); the head of service
 * and the QA team then write the three narrative fields together, and submit it to the leadership team.
 *
 * It is a record like any other (`summary/<uuid>`, a Yjs document): the narratives are Y.Text; the draft the
 * server made sits in a map only the server writes (recordModel/summaryDoc.ts). Pure: no Yjs here.
 */
import { z } from 'zod';
import type { FormLayout } from './forms';
import { feedbackGivers } from './feedback';
import { labelOf } from './options';
import { parsePeriodId, previousPeriod, type Period } from './periods';
import { periodFigures, reportGradeFields, type ReportFact, type ReportGradeField } from './reports';
import { domainGradeField, grades, reviewDomains } from './review';
import { narrative } from './validation';

export const summaryLayout = {
  scalarFields: [],
  narrativeFields: ['workingWell', 'worried', 'actionNeeded'],
} as const satisfies FormLayout<string, string>;

export type SummaryField = (typeof summaryLayout.narrativeFields)[number];
export type SummaryValues = Record<SummaryField, string>;

export const summaryLabels: Record<SummaryField, string> = {
  workingWell: 'What is working well',
  worried: 'What we are worried about',
  actionNeeded: 'What action is needed',
};

export const summaryHints: Record<SummaryField, string> = {
  workingWell: 'Good practice seen this quarter, and the difference it made for children.',
  worried: 'Areas for improvement, patterns and risks the quarter’s QA activity showed.',
  actionNeeded: 'What will be done, by whom, and how we will know it has made a difference.',
};

/** The check when the summary is submitted to the leadership team: all three parts written. */
export const summarySubmitSchema = z.object({
  workingWell: narrative('Say what is working well.'),
  worried: narrative('Say what we are worried about.'),
  actionNeeded: narrative('Say what action is needed.'),
});

/** Who writes a summary: the head of service of its service, and the QA team. */
export const summaryWriterRoles = ['head-of-service', 'qa-officer'] as const;
/** Who reads every summary: the leadership team (the director, the assistant director) and the principal social worker. */
export const summaryReaderRoles = ['director', 'assistant-director', 'principal-social-worker'] as const;
/** Who is told when a summary is submitted to the leadership team. */
export const summaryRecipientRoles = ['director', 'assistant-director'] as const;

/** Starting (or opening) the summary of a service for a quarter: what a device sends. */
export const startSummarySchema = z.object({
  service: z.string().min(1, 'Choose a service.').max(100),
  quarter: z
    .string()
    .max(20)
    .refine((id) => parsePeriodId(id)?.unit === 'quarter', 'Choose a quarter.'),
  /** Draft an existing summary again from the records as they are now (while it is being written). */
  redraft: z.boolean().optional(),
});

/** A quote drafted in from a record: the words, and where they came from (the record, its team, its day). */
export interface SummaryQuote {
  doc: string;
  text: string;
  teamId: string;
  teamName: string;
  onDate: string;
  /** Family feedback: who gave it ("A parent") and their score, worded; '' for a review. */
  from?: string;
}

export interface SummaryActivityRow {
  label: string;
  count: number;
  previous: number;
}

export interface SummaryGradeRow {
  /** "Overall grade", "Assessment"… */
  label: string;
  /** How many reviews were graded each grade, in `grades` order (Outstanding first). */
  counts: number[];
}

/** What the server drafts into a new summary; kept in the document, written by the server only. */
export interface SummaryDraft {
  serviceId: string;
  serviceName: string;
  quarter: { id: string; label: string; start: string; end: string };
  previousLabel: string;
  draftedAt: string;
  activity: SummaryActivityRow[];
  grades: SummaryGradeRow[];
  wentWell: SummaryQuote[];
  needsToHappen: SummaryQuote[];
  familyWords: SummaryQuote[];
  /** Family feedback finished in the quarter without consent to its use: counted, never quoted. */
  feedbackLeftOut: number;
}

export const summaryDraftSchema: z.ZodType<SummaryDraft> = z.object({
  serviceId: z.string(),
  serviceName: z.string(),
  quarter: z.object({ id: z.string(), label: z.string(), start: z.string(), end: z.string() }),
  previousLabel: z.string(),
  draftedAt: z.string(),
  activity: z.array(z.object({ label: z.string(), count: z.number(), previous: z.number() })),
  grades: z.array(z.object({ label: z.string(), counts: z.array(z.number()) })),
  wentWell: z.array(z.object({ doc: z.string(), text: z.string(), teamId: z.string(), teamName: z.string(), onDate: z.string(), from: z.string().optional() })),
  needsToHappen: z.array(z.object({ doc: z.string(), text: z.string(), teamId: z.string(), teamName: z.string(), onDate: z.string(), from: z.string().optional() })),
  familyWords: z.array(z.object({ doc: z.string(), text: z.string(), teamId: z.string(), teamName: z.string(), onDate: z.string(), from: z.string().optional() })),
  feedbackLeftOut: z.number(),
}) as z.ZodType<SummaryDraft>;

/** What the drafting reads: the read model's facts and, for the quarter's reviews and feedback, their documents' values. */
export interface SummaryDraftInput {
  service: { id: string; name: string };
  /** The service's teams (id and name): only their records count. */
  teams: { id: string; name: string }[];
  quarter: Period;
  /** Facts from the read model (any scope: the drafting keeps the service's own). */
  facts: ReportFact[];
  /** The values of stored documents, by name: reviews (wentWell, needsToHappen) and family feedback. */
  values: Map<string, Record<string, string>>;
  draftedAt: Date;
}

const gradeFieldLabel = (field: ReportGradeField) =>
  field === 'overallGrade' ? 'Overall grade' : (reviewDomains.find((d) => domainGradeField(d.key) === field)?.label ?? field);

/** The words families gave, field by field, in the order a reader wants them. */
const familyFields = ['goneWell', 'couldBeBetter', 'workingWell', 'worried', 'needsToHappen', 'anythingElse'] as const;

/**
 * Drafts a service's summary for a quarter. Quotes come only from that service's reviews finished in the
 * quarter; families' words only from feedback finished in the quarter with their consent — the read model
 * says so (`consent` 'yes') and so must the document itself.
 */
export function draftSummary(input: SummaryDraftInput): SummaryDraft {
  const teamName = new Map(input.teams.map((t) => [t.id, t.name]));
  const facts = input.facts.filter((f) => teamName.has(f.teamId));
  const previous = previousPeriod(input.quarter);
  const now = periodFigures(facts, input.quarter);
  const before = periodFigures(facts, previous);
  const byDoc = new Map(facts.map((f) => [f.doc, f]));

  const quote = (doc: string, text: string, from?: string): SummaryQuote => {
    const fact = byDoc.get(doc)!;
    return { doc, text: text.trim(), teamId: fact.teamId, teamName: teamName.get(fact.teamId) ?? '', onDate: fact.onDate, ...(from ? { from } : {}) };
  };
  const reviewQuotes = (field: 'wentWell' | 'needsToHappen') =>
    now.activity.review.records.flatMap((doc) => {
      const text = input.values.get(doc)?.[field] ?? '';
      return text.trim() ? [quote(doc, text)] : [];
    });

  const familyWords = now.feedback.given.records.flatMap((doc) => {
    const values = input.values.get(doc);
    if (!values || values.consent !== 'yes') return [];
    const giver = values.giver ? labelOf(feedbackGivers, values.giver) : 'Someone in the family';
    const from = values.score ? `${giver}, who scored how well things are going ${values.score} out of 10` : giver;
    const words = familyFields.map((f) => values[f]?.trim() ?? '').filter(Boolean).join('\n\n');
    return words ? [quote(doc, words, from)] : [];
  });
  const withoutConsent = facts.filter((f) => f.kind === 'feedback' && f.consent !== 'yes' && f.onDate >= input.quarter.start && f.onDate <= input.quarter.end).length;

  return {
    serviceId: input.service.id,
    serviceName: input.service.name,
    quarter: { id: input.quarter.id, label: input.quarter.label, start: input.quarter.start, end: input.quarter.end },
    previousLabel: previous.label,
    draftedAt: input.draftedAt.toISOString(),
    activity: [
      { label: 'Observations of practice completed', count: now.activity.observation.count, previous: before.activity.observation.count },
      { label: 'Collaborative case reviews submitted', count: now.activity.review.count, previous: before.activity.review.count },
      { label: 'Reviews moderated', count: now.activity.moderation.count, previous: before.activity.moderation.count },
      { label: 'Family feedback given with consent', count: now.activity.feedback.count, previous: before.activity.feedback.count },
    ],
    grades: [...reportGradeFields.filter((f) => f === 'overallGrade'), ...reportGradeFields.filter((f) => f !== 'overallGrade')].map((field) => ({
      label: gradeFieldLabel(field),
      counts: grades.map((g) => now.gradeSpread[field][g.value].count),
    })),
    wentWell: reviewQuotes('wentWell'),
    needsToHappen: reviewQuotes('needsToHappen'),
    familyWords,
    feedbackLeftOut: withoutConsent,
  };
}

/** One line of the list of summaries. */
export interface SummaryListing {
  name: string;
  serviceId: string;
  serviceName: string;
  quarter: string;
  quarterLabel: string;
  status: 'draft' | 'submitted';
  startedAt: string;
  startedByName: string;
  submittedAt: string | null;
  submittedByName: string | null;
}
