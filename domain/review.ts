/**
 * Form 2 of DOMAIN.md: the collaborative case review (CCR). The lead reviewer, the practitioner, their
 * team manager and the IRO / CP chair write it together, grading the work in seven domains. The layout
 * says how it sits in its Yjs document (each domain's evaluation a Y.Text, each grade a scalar, so two
 * people grading one domain at once is seen as contested); the submit schema is the strict check run when
 * the review is submitted for moderation.
 */
import { z } from 'zod';
import { emptyValues, type FormLayout } from './forms';
import { childIdPattern, levelsOfNeed, valuesOf } from './options';
import { narrative, optionalNarrative, pastOrTodayDate, required } from './validation';

/** The four-point scale every framework grades on. */
export const grades = [
  { value: 'outstanding', label: 'Outstanding' },
  { value: 'good', label: 'Good' },
  { value: 'requires-improvement', label: 'Requires Improvement' },
  { value: 'inadequate', label: 'Inadequate' },
] as const;
export type Grade = (typeof grades)[number]['value'];

/** The seven domains, in DOMAIN.md's order and words. */
export const reviewDomains = [
  { key: 'assessment', label: 'Assessment', hint: 'For care leavers, the pathway assessment.' },
  { key: 'planning', label: 'Planning' },
  { key: 'multiAgencyReview', label: 'Multi-agency review' },
  { key: 'voiceOfChild', label: 'Voice of the child / young person' },
  { key: 'parentCarerEngagement', label: 'Parent / carer engagement', hint: 'For care leavers: their support network.' },
  { key: 'managementOversight', label: 'Management oversight and supervision', hint: 'Including IRO / CP chair scrutiny.' },
  { key: 'caseRecording', label: 'Case recording' },
] as const;
export type ReviewDomainKey = (typeof reviewDomains)[number]['key'];

export const domainGradeField = <K extends ReviewDomainKey>(key: K) => `${key}Grade` as const;
export const domainEvaluationField = <K extends ReviewDomainKey>(key: K) => `${key}Evaluation` as const;

const domainKeys = reviewDomains.map((d) => d.key);
const gradeFields = domainKeys.map(domainGradeField);
const evaluationFields = domainKeys.map(domainEvaluationField);

export const reviewLayout = {
  scalarFields: [
    'childId',
    'childName',
    'socialWorkerId',
    'socialWorkerName',
    'teamId',
    'teamManagerName',
    'levelOfNeed',
    'reviewDate',
    'location',
    'conversationMinutes',
    'additionalWorkMinutes',
    ...gradeFields,
    'overallGrade',
  ],
  narrativeFields: [
    'reviewers',
    'additionalWork',
    'penPicture',
    ...evaluationFields,
    'overallEvaluation',
    'wentWell',
    'needsToHappen',
    'overallGradeRationale',
    'practitionerReflections',
  ],
  // Set with the social worker, from the directory.
  derivedFields: ['socialWorkerName', 'teamId', 'teamManagerName'],
} as const satisfies FormLayout<string, string>;

export type ReviewScalarField = (typeof reviewLayout.scalarFields)[number];
export type ReviewNarrativeField = (typeof reviewLayout.narrativeFields)[number];
export type ReviewField = ReviewScalarField | ReviewNarrativeField;
export type ReviewValues = Record<ReviewField, string>;

export const emptyReview = (): ReviewValues => emptyValues(reviewLayout);

const domainLabels = Object.fromEntries(
  reviewDomains.flatMap((d) => [
    [domainGradeField(d.key), `${d.label}: grade`],
    [domainEvaluationField(d.key), `${d.label}: evaluation`],
  ]),
) as Record<(typeof gradeFields)[number] | (typeof evaluationFields)[number], string>;

export const reviewLabels: Record<ReviewField, string> = {
  childId: 'Child ID',
  childName: 'Child’s name',
  socialWorkerId: 'Social worker / PA',
  socialWorkerName: 'Social worker / PA',
  teamId: 'Team',
  teamManagerName: 'Team manager',
  levelOfNeed: 'Level of need',
  reviewDate: 'Date of the review',
  location: 'Where the review took place',
  conversationMinutes: 'How long the conversation took (minutes)',
  reviewers: 'Who undertook the review',
  additionalWork: 'Additional work done',
  additionalWorkMinutes: 'How long the additional work took (minutes)',
  penPicture: 'Pen picture of the child, their circumstances and needs',
  ...domainLabels,
  overallEvaluation: 'Overall evaluation',
  wentWell: 'What has gone well and made a positive difference for the child',
  needsToHappen: 'What needs to happen to support further improvement',
  overallGrade: 'Overall grade',
  overallGradeRationale: 'Rationale for the overall grade',
  practitionerReflections: 'The practitioner’s reflections',
};

export const reviewHints: Partial<Record<ReviewField, string>> = {
  childId: 'The ID from the case system, for example a Mosaic or LCS number.',
  reviewers: 'The lead reviewer and everyone who took part: the practitioner, their team manager, the IRO / CP chair.',
  penPicture: 'Who the child is, their circumstances and their needs, in a few lines.',
  ...Object.fromEntries(
    reviewDomains.map((d) => [
      domainEvaluationField(d.key),
      `${'hint' in d ? `${d.hint} ` : ''}Think about the quality of the work, not the form; think about the impact on the child.`,
    ]),
  ),
};

const minutes = (message: string) => z.string().trim().regex(/^\d{1,4}$/, message);
const optionalMinutes = z.string().trim().regex(/^(\d{1,4})?$/, 'Enter a number of minutes, or leave it empty.');
const grade = (message: string) => z.enum(valuesOf(grades), { error: message });

/** The strict check for "Submit for moderation": every problem is reported against its own field. */
export const reviewSubmitSchema = z.object({
  childId: required('Enter the child ID.').regex(childIdPattern, 'A child ID is letters and numbers from the case system, for example 1234567.'),
  childName: z.string().max(200, 'That name is too long.'),
  socialWorkerId: required('Choose the child’s social worker or PA.'),
  socialWorkerName: z.string(),
  teamId: z.string(),
  teamManagerName: z.string(),
  levelOfNeed: z.enum(valuesOf(levelsOfNeed), { error: 'Choose the level of need.' }),
  reviewDate: pastOrTodayDate('Enter the date of the review.'),
  location: required('Say where the review took place.').max(200, 'Keep this under 200 characters.'),
  conversationMinutes: minutes('Enter how long the conversation took, in minutes.'),
  reviewers: narrative('Say who undertook the review.'),
  additionalWork: optionalNarrative,
  additionalWorkMinutes: optionalMinutes,
  penPicture: narrative('Write a pen picture of the child.'),
  ...(Object.fromEntries(reviewDomains.map((d) => [domainGradeField(d.key), grade(`Grade ${d.label.toLowerCase()}.`)])) as Record<
    (typeof gradeFields)[number],
    ReturnType<typeof grade>
  >),
  ...(Object.fromEntries(reviewDomains.map((d) => [domainEvaluationField(d.key), narrative(`Write the evaluation of ${d.label.toLowerCase()}.`)])) as Record<
    (typeof evaluationFields)[number],
    ReturnType<typeof narrative>
  >),
  overallEvaluation: narrative('Write the overall evaluation.'),
  wentWell: narrative('Say what has gone well and made a positive difference for the child.'),
  needsToHappen: narrative('Say what needs to happen to support further improvement.'),
  overallGrade: grade('Choose the overall grade.'),
  overallGradeRationale: narrative('Give the rationale for the overall grade.'),
  practitionerReflections: optionalNarrative,
});
