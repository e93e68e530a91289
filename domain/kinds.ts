/** Every kind of record and the layout of its document, in one place so new kinds plug in. */
import type { z } from 'zod';
import type { FormLayout } from './forms';
import { observationCompleteSchema, observationLayout } from './observation';
import type { RecordKind, RecordStatus } from './records';
import { feedbackCompleteSchema, feedbackLayout } from './feedback';
import { moderationLayout, moderationSchema } from './moderation';
import { reviewLayout, reviewSubmitSchema } from './review';
import { summaryLayout, summarySubmitSchema } from './summary';

export const formLayouts: Record<RecordKind, FormLayout<string, string>> = {
  observation: observationLayout,
  review: reviewLayout,
  moderation: moderationLayout,
  feedback: feedbackLayout,
  summary: summaryLayout,
};

/**
 * The strict schema a draft of each kind must pass to leave the draft state (checked on the device and on
 * the server), and the state it then moves to: an observation is completed, a review is submitted for
 * moderation.
 */
export const completeSchemas: Record<RecordKind, z.ZodType> = {
  observation: observationCompleteSchema,
  review: reviewSubmitSchema,
  moderation: moderationSchema,
  feedback: feedbackCompleteSchema,
  summary: summarySubmitSchema,
};
export const statusAfterDraft: Record<RecordKind, RecordStatus> = {
  observation: 'complete',
  review: 'submitted',
  // A moderation is recorded by the "moderate" command, which moves its review on; it has no state of its own.
  moderation: 'complete',
  feedback: 'complete',
  // A quarterly summary is submitted to the leadership team (domain/summary.ts).
  summary: 'submitted',
};

/** Which fields of each kind the device's index (lists and search) shows. */
export const summaryFields: Record<RecordKind, { date: string; practitionerId: string; practitionerName: string }> = {
  observation: { date: 'dateOfObservation', practitionerId: 'practitionerId', practitionerName: 'practitionerName' },
  review: { date: 'reviewDate', practitionerId: 'socialWorkerId', practitionerName: 'socialWorkerName' },
  moderation: { date: '', practitionerId: '', practitionerName: '' },
  feedback: { date: 'date', practitionerId: '', practitionerName: '' },
  summary: { date: '', practitionerId: '', practitionerName: '' },
};

/**
 * How the quality assurance programme (domain/programme.ts) counts a record of each kind as done, and by
 * whom: 'finished' — by its author, on the day it left the draft state (an observation completed, a review
 * submitted, feedback finished); 'moderated' — by the moderator who recorded it, on that day (a moderation
 * has no state of its own: the "moderate" command moves its review on). A new kind says here how it counts.
 */
export const programmeCounting: Record<RecordKind, 'finished' | 'moderated'> = {
  observation: 'finished',
  review: 'finished',
  moderation: 'moderated',
  feedback: 'finished',
  // Not QA activity itself: the programme never counts it (recordFacts and programme skip the kind).
  summary: 'finished',
};
