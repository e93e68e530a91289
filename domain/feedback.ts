/**
 * Form 3 of DOMAIN.md: family feedback — a child's, parent's or carer's own words about the service,
 * recorded in a meeting or home visit, or written in their own hand on the tablet. Linked to a child and,
 * where it was gathered for one, to a collaborative case review or an observation, and shown inside it.
 */
import { z } from 'zod';
import { emptyValues, type FormLayout } from './forms';
import { childIdPattern } from './options';
import { optionalNarrative, required } from './validation';

export const feedbackGivers = [
  { value: 'child', label: 'The child or young person' },
  { value: 'parent', label: 'A parent' },
  { value: 'carer', label: 'A carer' },
  { value: 'family-member', label: 'Another family member' },
] as const;

export const ageBands = [
  { value: 'under-5', label: 'Under 5' },
  { value: '5-10', label: '5 to 10' },
  { value: '11-15', label: '11 to 15' },
  { value: '16-plus', label: '16 or over' },
] as const;

export const feedbackWays = [
  { value: 'meeting', label: 'In person, in a meeting' },
  { value: 'home-visit', label: 'At a home visit' },
  { value: 'phone', label: 'By phone' },
  { value: 'own-hand', label: 'In their own hand, on the tablet' },
] as const;

export const yesNo = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
] as const;

export const feedbackLayout = {
  scalarFields: ['childId', 'linkedRecord', 'giver', 'ageBand', 'seenAlone', 'how', 'score', 'consent', 'date'],
  narrativeFields: ['relationship', 'workingWell', 'worried', 'needsToHappen', 'goneWell', 'couldBeBetter', 'anythingElse'],
} as const satisfies FormLayout<string, string>;

export type FeedbackField = (typeof feedbackLayout.scalarFields)[number] | (typeof feedbackLayout.narrativeFields)[number];
export type FeedbackValues = Record<FeedbackField, string>;
export const emptyFeedback = (): FeedbackValues => emptyValues(feedbackLayout);

export const feedbackLabels: Record<FeedbackField, string> = {
  childId: 'Child ID',
  linkedRecord: 'Gathered for',
  giver: 'Who is giving feedback',
  relationship: 'Their relationship to the child',
  ageBand: 'The child’s age',
  seenAlone: 'Was the child seen alone?',
  how: 'How the feedback was given',
  date: 'Date',
  workingWell: 'What is working well?',
  worried: 'What are we worried about?',
  needsToHappen: 'What needs to happen?',
  score: 'How well are things going? (0 to 10)',
  goneWell: 'What has gone well?',
  couldBeBetter: 'What could go better?',
  anythingElse: 'Anything else you want managers to know',
  consent: 'They agree to this feedback being used',
};

/** The strict check when the feedback is finished: consent above all, with the reason beside the field. */
export const feedbackCompleteSchema = z
  .object({
    childId: required('Enter the child ID.').regex(childIdPattern, 'A child ID is letters and numbers from the case system, for example 1234567.'),
    linkedRecord: z.string(),
    giver: z.enum(feedbackGivers.map((g) => g.value) as [string, ...string[]], { error: 'Say who is giving the feedback.' }),
    relationship: optionalNarrative,
    ageBand: z.string(),
    seenAlone: z.string(),
    how: z.enum(feedbackWays.map((w) => w.value) as [string, ...string[]], { error: 'Say how the feedback was given.' }),
    date: z.string(),
    workingWell: optionalNarrative,
    worried: optionalNarrative,
    needsToHappen: optionalNarrative,
    score: z.string().regex(/^(10|[0-9])?$/, 'Choose a number from 0 to 10.'),
    goneWell: optionalNarrative,
    couldBeBetter: optionalNarrative,
    anythingElse: optionalNarrative,
    consent: z.literal('yes', { error: 'The feedback can only be used with their agreement. Ask them, and tick the box if they agree.' }),
  })
  .superRefine(
    (v, ctx) => {
      if (v.giver === 'child' && !v.ageBand) ctx.addIssue({ code: 'custom', path: ['ageBand'], message: 'Choose the child’s age.' });
      if (v.giver === 'child' && !v.seenAlone) ctx.addIssue({ code: 'custom', path: ['seenAlone'], message: 'Say whether the child was seen alone.' });
      const words = [v.workingWell, v.worried, v.needsToHappen, v.goneWell, v.couldBeBetter, v.anythingElse].some((w) => typeof w === 'string' && w.trim());
      if (!words) ctx.addIssue({ code: 'custom', path: ['workingWell'], message: 'Record at least something they said, in their own words.' });
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );
