/**
 * Form 1 of DOMAIN.md: the observation of practice. The layout says how it sits in its Yjs document;
 * the draft schema accepts anything a half-written form may hold; the complete schema is the strict
 * check run when the observer marks it as complete.
 */
import { z } from 'zod';
import { emptyValues, type FormLayout } from './forms';
import { childIdPattern, levelsOfNeed, valuesOf } from './options';
import { narrative, optionalNarrative, pastOrTodayDate, required } from './validation';

export const observationLayout = {
  scalarFields: [
    'practitionerId',
    'practitionerName',
    'teamId',
    'dateOfObservation',
    'childId',
    'levelOfNeed',
    'nature',
    'meetingType',
    'meetingTypeOther',
    'natureOther',
  ],
  narrativeFields: [
    'strengths',
    'areasForDevelopment',
    'reflections',
    'otherComments',
    'practitionerResponse',
    'equalityDiversityIdentity',
  ],
  // Set with the practitioner observed, from the directory.
  derivedFields: ['practitionerName', 'teamId'],
} as const satisfies FormLayout<string, string>;

export type ObservationScalarField = (typeof observationLayout.scalarFields)[number];
export type ObservationNarrativeField = (typeof observationLayout.narrativeFields)[number];
export type ObservationField = ObservationScalarField | ObservationNarrativeField;
/** What the form holds at any moment: every field a string, '' when not yet filled in. */
export type ObservationValues = Record<ObservationField, string>;

export const emptyObservation = (): ObservationValues => emptyValues(observationLayout);

export const natureOptions = [
  { value: 'meeting', label: 'Meeting' },
  { value: 'supervision', label: 'Supervision' },
  { value: 'home-visit', label: 'Home visit' },
  { value: 'other', label: 'Other' },
] as const;

export const meetingTypeOptions = [
  { value: 'cp-conference', label: 'CP conference' },
  { value: 'core-group', label: 'Core group' },
  { value: 'strategy-meeting', label: 'Strategy meeting' },
  { value: 'cin-review', label: 'CIN review' },
  { value: 'cla-review', label: 'CLA review' },
  { value: 'legal-planning-meeting', label: 'Legal planning meeting' },
  { value: 'other', label: 'Other meeting' },
] as const;

/** The visible label of every field, in DOMAIN.md's words. */
export const observationLabels: Record<ObservationField, string> = {
  practitionerId: 'Practitioner observed',
  practitionerName: 'Practitioner observed',
  teamId: 'Team',
  dateOfObservation: 'Date of observation',
  childId: 'Child ID',
  levelOfNeed: 'Level of need',
  nature: 'Nature of the observed practice',
  meetingType: 'Type of meeting',
  meetingTypeOther: 'Other type of meeting (please specify)',
  natureOther: 'Other (please specify)',
  strengths: 'Identified strengths',
  areasForDevelopment: 'Areas for development',
  reflections: 'Reflections with the practitioner',
  otherComments: 'Other comments',
  practitionerResponse: "Practitioner's own feedback / response",
  equalityDiversityIdentity: 'Equality, diversity and identity',
};

/** Hints shown under a field's label, from the frameworks. */
export const observationHints: Partial<Record<ObservationField, string>> = {
  childId: 'The case-system ID, for example the Mosaic or LCS number.',
  equalityDiversityIdentity:
    "How the child's and family's identity needs were understood and responded to.",
  practitionerResponse: 'Observations are done with staff, not to them: the practitioner’s own words.',
};

/** A draft: any field may be empty or half-written. */
export const observationDraftSchema = z.object(
  Object.fromEntries(
    [...observationLayout.scalarFields, ...observationLayout.narrativeFields].map((name) => [name, z.string()]),
  ) as Record<ObservationField, z.ZodString>,
);

/** The strict check for "Mark as complete": every problem is reported against its own field. */
export const observationCompleteSchema = z
  .object({
    practitionerId: required('Choose the practitioner you observed.'),
    practitionerName: z.string(),
    teamId: z.string(),
    dateOfObservation: pastOrTodayDate('Enter the date of the observation.'),
    childId: required('Enter the child ID.').regex(
      childIdPattern,
      'A child ID is letters and numbers from the case system, for example 1234567.',
    ),
    levelOfNeed: z.enum(valuesOf(levelsOfNeed), { error: 'Choose the level of need.' }),
    nature: z.enum(valuesOf(natureOptions), { error: 'Choose the nature of the observed practice.' }),
    meetingType: z.string(),
    meetingTypeOther: z.string(),
    natureOther: z.string(),
    strengths: narrative('Record the identified strengths.'),
    areasForDevelopment: narrative('Record the areas for development.'),
    reflections: narrative('Record the reflections with the practitioner.'),
    otherComments: optionalNarrative,
    practitionerResponse: optionalNarrative,
    equalityDiversityIdentity: narrative(
      "Record how the child's and family's identity needs were understood and responded to.",
    ),
  })
  .superRefine(
    (v, ctx) => {
      // Runs even when other fields have problems, so every problem is shown at once.
      const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
      if (v.nature === 'meeting') {
        if (!meetingTypeOptions.some((o) => o.value === v.meetingType))
          ctx.addIssue({ code: 'custom', path: ['meetingType'], message: 'Choose the type of meeting.' });
        if (v.meetingType === 'other' && !text(v.meetingTypeOther))
          ctx.addIssue({ code: 'custom', path: ['meetingTypeOther'], message: 'Say what kind of meeting it was.' });
      }
      if (v.nature === 'other' && !text(v.natureOther))
        ctx.addIssue({ code: 'custom', path: ['natureOther'], message: 'Say what practice you observed.' });
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );

export type CompleteObservation = z.output<typeof observationCompleteSchema>;
