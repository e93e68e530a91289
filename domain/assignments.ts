/**
 * Assignments (issue 16): a child's case drawn for a quarter's reviews (004 Appendix 4) and handed to a lead
 * reviewer — and, for moderation, a moderator (001 §29). An assignment is the server's data; the assignee's
 * tablet keeps a copy for its "To do" list, and the record started from it is linked by a command, so the
 * assignment is done when that record is finished (a review submitted, an observation completed).
 */
import { z } from 'zod';
import { isoDateSchema } from './periods';
import { childIdPattern } from './options';

/** The kinds of record an assignment asks for: those a person starts and finishes (a moderation is not started on its own). */
export const assignmentKinds = ['review', 'observation', 'feedback'] as const;
export type AssignmentKind = (typeof assignmentKinds)[number];

export const assignmentStatuses = ['open', 'done', 'cancelled'] as const;

export const assignmentSchema = z.object({
  id: z.string(),
  kind: z.enum(assignmentKinds),
  quarter: z.string(),
  childId: z.string(),
  childName: z.string(),
  practitionerId: z.string(),
  practitionerName: z.string(),
  teamId: z.string(),
  levelOfNeed: z.string(),
  /** Why this child was chosen ("Earlier review graded Requires Improvement"). */
  reason: z.string(),
  assigneeId: z.string(),
  assigneeName: z.string(),
  moderatorId: z.string(),
  moderatorName: z.string(),
  dueDate: z.string(),
  status: z.enum(assignmentStatuses),
  /** The record started for it, or ''. */
  record: z.string(),
  assignedById: z.string(),
  assignedByName: z.string(),
});
export type Assignment = z.infer<typeof assignmentSchema>;

export const newAssignmentSchema = z.object({
  kind: z.enum(assignmentKinds).default('review'),
  childId: z.string().trim().regex(childIdPattern, 'A child ID is letters and numbers from the case system, for example 1234567.'),
  childName: z.string().trim().max(200).default(''),
  practitionerId: z.string().max(100).default(''),
  teamId: z.string().max(100).default(''),
  levelOfNeed: z.string().max(50).default(''),
  reason: z.string().trim().max(300).default(''),
  assigneeId: z.string().min(1, 'Choose the lead reviewer.').max(100),
  moderatorId: z.string().max(100).default(''),
  dueDate: isoDateSchema,
});
export type NewAssignment = z.input<typeof newAssignmentSchema>;
export const newAssignmentsSchema = z.object({ quarter: z.string().max(20), assignments: z.array(newAssignmentSchema).min(1, 'Assign at least one.').max(200) });

/** A child proposed for the sample, from the records the server holds about them. */
export interface SampleCandidate {
  childId: string;
  childName: string;
  teamId: string;
  practitionerId: string;
  levelOfNeed: string;
  /** Their latest review's overall grade (as moderated, when it was), or ''. */
  lastGrade: string;
  lastReviewed: string;
  reason: string;
}

/** What a person's tablet keeps of the programme, to read offline (GET /api/programme/mine). */
export const myProgrammeSchema = z.object({
  assignments: z.array(assignmentSchema),
  /** Assignments this person gave out (the QA team, a head of service). */
  given: z.array(assignmentSchema),
});
export type MyProgramme = z.infer<typeof myProgrammeSchema>;
