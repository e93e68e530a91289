/**
 * Moderation of a collaborative case review (DOMAIN.md form 2, Wandsworth 29): an independent auditor or a
 * group of service managers reads the submitted review and records what has gone well, what needs to
 * happen, a summary and the agreed grades. It is its own document (`moderation/<the review's id>`), so the
 * server can let moderators write it and everyone in the review only read it. Changing a grade needs a
 * reason; the lead reviewer and the practitioner are told.
 */
import { z } from 'zod';
import type { FormLayout } from './forms';
import { valuesOf } from './options';
import { domainGradeField, grades, reviewDomains } from './review';
import { narrative, optionalNarrative } from './validation';

const gradeFields = reviewDomains.map((d) => domainGradeField(d.key));

export const moderationLayout = {
  scalarFields: [...gradeFields, 'overallGrade'],
  narrativeFields: ['wentWell', 'needsToHappen', 'summary', 'gradeChangeReason'],
} as const satisfies FormLayout<string, string>;

export type ModerationField = (typeof moderationLayout.scalarFields)[number] | (typeof moderationLayout.narrativeFields)[number];
export type ModerationValues = Record<ModerationField, string>;

/** The grades moderation agrees: every domain's and the overall grade. */
export const moderatedGradeFields = [...gradeFields, 'overallGrade'] as const;

export const moderationLabels: Record<ModerationField, string> = {
  ...(Object.fromEntries(reviewDomains.map((d) => [domainGradeField(d.key), `${d.label}: agreed grade`])) as Record<(typeof gradeFields)[number], string>),
  overallGrade: 'Agreed overall grade',
  wentWell: 'What has gone well',
  needsToHappen: 'What needs to happen',
  summary: 'Summary',
  gradeChangeReason: 'Why the grade was changed',
};

const grade = (message: string) => z.enum(valuesOf(grades), { error: message });

/** The strict check when a moderator records the moderation (the grade-change reason is checked against the review). */
export const moderationSchema = z.object({
  ...(Object.fromEntries(reviewDomains.map((d) => [domainGradeField(d.key), grade(`Agree a grade for ${d.label.toLowerCase()}.`)])) as Record<
    (typeof gradeFields)[number],
    ReturnType<typeof grade>
  >),
  overallGrade: grade('Agree the overall grade.'),
  wentWell: narrative('Say what has gone well.'),
  needsToHappen: narrative('Say what needs to happen.'),
  summary: narrative('Write a summary.'),
  gradeChangeReason: optionalNarrative,
});

/** The grades moderation changed from the review's, as [field, from, to]. */
export function changedGrades(review: Record<string, string>, moderation: Record<string, string>): [string, string, string][] {
  return moderatedGradeFields.filter((f) => (moderation[f] ?? '') !== (review[f] ?? '')).map((f) => [f, review[f] ?? '', moderation[f] ?? '']);
}

/**
 * A review's moderation has an id of its own, made from the review's (and back) by flipping every bit of
 * the last 12 hex digits: the device's index of records is keyed by id, so the two must differ, and the
 * server finds the review of a moderation without asking the device.
 */
export function moderationIdFor(reviewId: string): string {
  const head = reviewId.slice(0, -12);
  const tail = reviewId.slice(-12);
  const flipped = (0xffffffffffff - parseInt(tail, 16)).toString(16).padStart(12, '0');
  return `${head}${flipped}`;
}
/** The review a moderation belongs to (the same flip, undone). */
export const reviewIdOf = moderationIdFor;
