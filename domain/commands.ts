/**
 * Commands: the state changes that carry authority (completing a record, adding or removing people, the
 * observed practitioner's reflection). They are not CRDT edits: the device queues them in an outbox that
 * survives reloads and sends each once with its id as an idempotency key; the server checks and applies
 * it, and answers the same way if the same id comes again.
 */
import { z } from 'zod';
import { newActionSchema } from './actions';
import { findingsResponseSchema } from './followUp';

const uuid = z.uuid('A command needs an id.');
const record = z.string().min(1).max(200);

/**
 * How someone is added to a record: the subject (the practitioner observed) reads it and adds their own
 * reflection; a contributor co-writes it while it is a draft; a reader reads it; a moderator (a service
 * manager chosen by the QA team) writes a submitted review's moderation.
 */
export const participantRoles = ['subject', 'contributor', 'reader', 'moderator'] as const;
export type ParticipantRole = (typeof participantRoles)[number];

export const commandSchema = z.discriminatedUnion('type', [
  z.object({
    id: uuid,
    type: z.literal('complete'),
    record,
    /** The device's state vector (base64) when the person pressed the button: the server completes what they saw. */
    stateVector: z.string().max(100_000),
  }),
  /** A collaborative case review's lead reviewer submits it for moderation: the same checks as completing. */
  z.object({ id: uuid, type: z.literal('submit'), record, stateVector: z.string().max(100_000) }),
  z.object({ id: uuid, type: z.literal('set-subject'), record, userId: z.string().min(1) }),
  z.object({ id: uuid, type: z.literal('add-participant'), record, userId: z.string().min(1), role: z.enum(['contributor', 'reader', 'moderator']) }),
  /** A moderator records the moderation of a submitted review (its moderation document, checked here). */
  z.object({ id: uuid, type: z.literal('moderate'), record, stateVector: z.string().max(100_000) }),
  /** The lead reviewer or a moderator closes a moderated review. */
  z.object({ id: uuid, type: z.literal('close'), record }),
  z.object({ id: uuid, type: z.literal('remove-participant'), record, userId: z.string().min(1) }),
  z.object({ id: uuid, type: z.literal('add-reflection'), record, text: z.string().trim().min(1, 'Write your reflection first.').max(20_000) }),
  /** Family feedback gathered for a review or observation: the server links them, so everyone in that record reads it. */
  z.object({ id: uuid, type: z.literal('link-record'), record, linkedTo: record }),
  /** An immediate concern about the child's safety: the team manager, service manager and director are told at once. */
  z.object({ id: uuid, type: z.literal('raise-concern'), record, text: z.string().trim().min(1, 'Say what the concern is.').max(5000) }),
  /**
   * A manager's (or the QA team's) first answer to a concern: what is being done now. It must come
   * within the organisation's response time, or the concern escalates (domain/concerns.ts).
   */
  z.object({
    id: uuid,
    type: z.literal('respond-to-concern'),
    record,
    concernId: z.string().min(1).max(100),
    response: z.string().trim().min(1, 'Say what is being done about the concern.').max(5000),
  }),
  /** A concern is only ever closed with a recorded resolution. */
  z.object({
    id: uuid,
    type: z.literal('resolve-concern'),
    record,
    concernId: z.string().min(1).max(100),
    resolution: z.string().trim().min(1, 'Record how the concern was resolved.').max(5000),
  }),
  /**
   * Actions (domain/actions.ts): raised on a record (an observation, a review, or a review's moderation —
   * `record` is the review then); the owner says what was done; their manager or the QA team signs it off
   * or sends it back; it is cancelled only with a reason. `record` is always the action's record, so a
   * command waits in the outbox until the record it belongs to has reached the server.
   */
  z.object({ id: uuid, type: z.literal('raise-action'), record, action: newActionSchema }),
  z.object({
    id: uuid,
    type: z.literal('complete-action'),
    record,
    actionId: z.string().min(1),
    doneNote: z.string().trim().min(1, 'Say what was done.').max(5000),
    evidence: z.string().trim().min(1, 'Say where the evidence is (for example, the case note or plan in the case system).').max(2000),
  }),
  z.object({ id: uuid, type: z.literal('sign-off-action'), record, actionId: z.string().min(1) }),
  z.object({ id: uuid, type: z.literal('send-back-action'), record, actionId: z.string().min(1), reason: z.string().trim().min(1, 'Say why it is sent back.').max(5000) }),
  z.object({ id: uuid, type: z.literal('cancel-action'), record, actionId: z.string().min(1), reason: z.string().trim().min(1, 'Say why the action is cancelled.').max(5000) }),
  /** The team manager's response to a finished record's findings: required before a review is closed. */
  z.object({ id: uuid, type: z.literal('respond-to-findings'), record, response: findingsResponseSchema }),
  /**
   * Someone took a copy of a record: downloaded its PDF or printed it (made on the device, perhaps with no
   * signal). Nothing changes; the server writes who took a copy of what, and when, to the audit log, and
   * refuses it from anyone who may not read the record.
   */
  z.object({
    id: uuid,
    type: z.literal('record-copy'),
    record,
    format: z.enum(['pdf', 'print']),
    fileName: z.string().regex(/^[A-Za-z0-9._-]{1,120}$/, 'That is not a file name Fieldnotes makes.'),
    /** When the device made the copy: it may reach the server days later. */
    madeAt: z.iso.datetime(),
  }),
  /** A review started as one of a dip sample's cases (`record`), linked to that follow-up. */
  z.object({ id: uuid, type: z.literal('link-follow-up'), record, actionId: z.string().min(1) }),
  // ---- Issue 16: the QA programme ----
  /** A record started from an assignment in "To do" (`record`), linked to it: the assignment is done when the record is finished. */
  z.object({ id: uuid, type: z.literal('link-assignment'), record, assignmentId: z.string().min(1).max(100) }),
  /** The author discards their own draft (one nobody else has written in): kept on the server, read by nobody. */
  z.object({ id: uuid, type: z.literal('discard-draft'), record }),
]);
export type Command = z.infer<typeof commandSchema>;
export type CommandType = Command['type'];

/** What the server answers. 'rejected' is final (the person must act); 'retry' means try again later. */
export const commandOutcomeSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('applied') }),
  z.object({
    status: z.literal('rejected'),
    message: z.string(),
    /** Field-by-field problems, when a record failed its checks. */
    problems: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
  z.object({ status: z.literal('retry'), message: z.string() }),
]);
export type CommandOutcome = z.infer<typeof commandOutcomeSchema>;
