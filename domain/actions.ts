/**
 * Actions (DOMAIN.md "Actions are tracked to completion"; 002 §6.12, 001 §32-35, 003 "closing the loop"):
 * what a review, its moderation or an observation found needs doing, by whom, by when — tracked until it
 * is done and signed off. An action is the server's data (a table with a row of history for every change),
 * never part of the record's Yjs document: who may change it and what state it is in carry authority, and
 * the owner must be able to update it long after the record itself is closed.
 */
import { z } from 'zod';
import type { RecordKind } from './records';
import { reviewDomains } from './review';

/** open → done (the owner says what was done) → signed off (their manager or the QA team); or cancelled with a reason. */
export const actionStatuses = ['open', 'done', 'signed-off', 'cancelled'] as const;
export type ActionStatus = (typeof actionStatuses)[number];

export const actionStatusLabels: Record<ActionStatus, string> = {
  open: 'Open',
  done: 'Done, waiting for sign-off',
  'signed-off': 'Signed off',
  cancelled: 'Cancelled',
};

/**
 * What an action is: one a person raised from a record's findings, or a follow-up the server created
 * from a follow-up rule (domain/followUp.ts).
 */
export const actionKinds = ['action', 'dip-sample', 'caseload-audit', 're-audit'] as const;
export type ActionKind = (typeof actionKinds)[number];

export const actionKindLabels: Record<ActionKind, string> = {
  action: 'Action',
  'dip-sample': 'Follow-up: audit three more cases',
  'caseload-audit': 'Follow-up: caseload audit',
  're-audit': 'Follow-up: re-audit of the same child',
};

/**
 * The finding an action answers: one of the review's seven domains, the overall findings, or an
 * observation's areas for development. Kept as a key so the QA team can filter by domain.
 */
export const actionFindings = [
  ...reviewDomains.map((d) => ({ value: d.key as string, label: d.label as string })),
  { value: 'overall', label: 'Overall findings' },
  { value: 'areasForDevelopment', label: 'Areas for development (observation)' },
  { value: 'moderation', label: 'Moderation' },
] as const satisfies readonly { value: string; label: string }[];
export const findingLabel = (value: string) => actionFindings.find((f) => f.value === value)?.label ?? value;

const text = (message: string, max = 5000) => z.string().trim().min(1, message).max(max, `Keep this under ${max} characters.`);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the date the action is due.');

/** What a person fills in to raise an action (checked on the tablet and again by the server). */
export const newActionSchema = z.object({
  actionId: z.uuid('An action needs an id.'),
  what: text('Say what needs to happen.'),
  why: text('Say why: the finding this action answers.'),
  finding: z.string().refine((v) => actionFindings.some((f) => f.value === v), 'Choose the finding this action answers.'),
  ownerId: z.string().min(1, 'Choose who owns the action.'),
  dueDate: isoDate,
});
export type NewAction = z.infer<typeof newActionSchema>;

/** One change to an action, as kept for ever: who, when, what, and the words they gave. */
export const actionEventSchema = z.object({
  at: z.string(),
  byId: z.string(),
  byName: z.string(),
  /** raised, done, signed-off, sent-back, cancelled, overdue-told, case-linked, automatically-done, response */
  event: z.string(),
  note: z.string(),
});
export type ActionEvent = z.infer<typeof actionEventSchema>;

export const actionSchema = z.object({
  id: z.string(),
  kind: z.enum(actionKinds),
  /** The record it was raised from (or the record whose findings caused a follow-up). */
  record: z.string(),
  recordKind: z.string(),
  /** The child the record is about (the case-system ID), or ''. */
  childId: z.string(),
  teamId: z.string(),
  what: z.string(),
  why: z.string(),
  finding: z.string(),
  ownerId: z.string(),
  ownerName: z.string(),
  dueDate: z.string(),
  status: z.enum(actionStatuses),
  /** What the owner did, and the evidence (where it is recorded in the case system), once done. */
  doneNote: z.string(),
  evidence: z.string(),
  /** The reason given when it was last sent back or cancelled. */
  reason: z.string(),
  raisedById: z.string(),
  raisedByName: z.string(),
  raisedAt: z.string(),
  updatedAt: z.string(),
  /** The practitioner whose work the record is about ('' if none): a dip sample's cases are theirs. */
  practitionerId: z.string(),
  /** The follow-up rule that created it ('' for an action a person raised). */
  rule: z.string(),
  /** A dip sample's cases: the reviews linked to it, and how many of them are complete. */
  linkedRecords: z.array(z.string()),
  history: z.array(actionEventSchema),
  /** The owner is below this reader in line management, or the record belongs to a team they oversee. */
  ofMyTeam: z.boolean(),
  /** What this reader may do with it (decided by the server, shown by the tablet). */
  may: z.object({ complete: z.boolean(), signOff: z.boolean(), cancel: z.boolean() }),
});
export type Action = z.infer<typeof actionSchema>;

export const actionListSchema = z.object({ actions: z.array(actionSchema), today: z.string() });
export type ActionList = z.infer<typeof actionListSchema>;

/** How many days before its due date an open action counts as "due soon". */
export const DUE_SOON_DAYS = 7;

/**
 * An overdue action tells its owner and their manager the day after it was due, and once more this many
 * days later if it is still open.
 */
export const OVERDUE_REMINDER_DAYS = 7;

/** Days from one `YYYY-MM-DD` date to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Where an action stands against its due date today: only open actions are ever due or overdue. */
export function dueState(action: Pick<Action, 'status' | 'dueDate'>, today: string): 'overdue' | 'due-soon' | 'later' | 'settled' {
  if (action.status !== 'open') return 'settled';
  const days = daysBetween(today, action.dueDate);
  if (days < 0) return 'overdue';
  if (days <= DUE_SOON_DAYS) return 'due-soon';
  return 'later';
}

/** The date in England (councils work to it, whatever the server's own time zone), `YYYY-MM-DD`. */
export function dateInEngland(at: Date): string {
  return englandDate.format(at);
}
// Made once: building a DateTimeFormat costs far more than formatting with one (lists and reports call this per row).
const englandDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Which record kinds actions are raised from. */
export const actionRecordKinds: readonly RecordKind[] = ['observation', 'review'];

/** How a person tied to a record may raise actions on it: those writing or moderating it, the managers above its team. */
const RAISING_RELATIONSHIPS = ['author', 'contributor', 'moderator', 'line-manager'];

/**
 * Whether a person may raise actions on a record (the server decides; the tablet uses the same rule to
 * offer the form). `relationship` is undefined for a record only this tablet has seen yet: its author's.
 */
export function mayRaiseActions(relationship: string | undefined, role: string, status: string): boolean {
  if (status === 'closed') return false;
  return relationship === undefined || RAISING_RELATIONSHIPS.includes(relationship) || role === 'qa-officer';
}
