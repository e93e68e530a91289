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

/**
 * Family mode's words: the same questions, put so that a ten-year-old can read them (short sentences,
 * everyday words, "you" and "we"). The answers go into the same fields as the worker's form.
 */
export const familyModeLabels = {
  giver: 'Who are you?',
  relationship: 'How are you related to the child?',
  ageBand: 'How old are you?',
  workingWell: 'What is going well for you?',
  worried: 'What are you worried about?',
  needsToHappen: 'What needs to happen next?',
  score: 'How well are things going?',
  scoreHint: 'Pick a number. 0 means really badly. 10 means really well.',
  goneWell: 'What have the people helping you done well?',
  couldBeBetter: 'What could they do better?',
  anythingElse: 'Is there anything else you want to tell us?',
  consent: 'Yes, you can use what I wrote to help make things better.',
  consentQuestion: 'Can we use what you wrote?',
} as const;

export const familyGivers = [
  { value: 'child', label: 'I am the child or young person' },
  { value: 'parent', label: 'I am a mum, dad or parent' },
  { value: 'carer', label: 'I am a carer' },
  { value: 'family-member', label: 'I am someone else in the family' },
] as const satisfies readonly { value: (typeof feedbackGivers)[number]['value']; label: string }[];

export const familyAgeBands = [
  { value: 'under-5', label: 'Under 5' },
  { value: '5-10', label: '5 to 10' },
  { value: '11-15', label: '11 to 15' },
  { value: '16-plus', label: '16 or older' },
] as const satisfies readonly { value: (typeof ageBands)[number]['value']; label: string }[];

/** Faces on the 0–10 scale, for younger children: which face a score shows, and what it means in words. */
export type ScoreFace = 'very-sad' | 'sad' | 'okay' | 'happy' | 'very-happy';
export function scoreFace(score: number): ScoreFace {
  if (score <= 1) return 'very-sad';
  if (score <= 3) return 'sad';
  if (score <= 6) return 'okay';
  if (score <= 8) return 'happy';
  return 'very-happy';
}

/** Whether the scale should show faces: in family mode, and for a child under 11 in the worker's form. */
export function scaleHasFaces(values: { giver?: string; ageBand?: string }): boolean {
  return values.giver === 'child' && (values.ageBand === 'under-5' || values.ageBand === '5-10');
}
