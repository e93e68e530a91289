/** Notifications in the app: what the server tells a person (an immediate concern, a changed grade). */
import { z } from 'zod';

export const notificationKinds = [
  'concern-raised',
  'concern-resolved',
  // An immediate concern answered within its response time, or escalated because it was not.
  'concern-responded',
  'concern-escalated',
  'grade-changed',
  // Issue 15: actions and what follows a record's findings.
  'action-assigned',
  'action-done',
  'action-signed-off',
  'action-sent-back',
  'action-cancelled',
  'action-due',
  'action-overdue',
  'record-finished',
  'follow-up',
  // Issue 16: a review (or observation, feedback) assigned from the QA programme; it is in the person's To do.
  'assigned',
  // Issue 17: a head of service's quarterly summary submitted to the leadership team (the director and assistant director).
  'summary-submitted',
] as const;

export const notificationSchema = z.object({
  id: z.number(),
  at: z.string(),
  kind: z.enum(notificationKinds),
  record: z.string(),
  text: z.string(),
  read: z.boolean(),
});
export type Notification = z.infer<typeof notificationSchema>;

/** `urgent`: how many of the unread are immediate concerns or their escalation (domain/concerns.ts). */
export const notificationListSchema = z.object({ notifications: z.array(notificationSchema), unread: z.number(), urgent: z.number().default(0) });
export type NotificationList = z.infer<typeof notificationListSchema>;

/**
 * An immediate concern about a child's safety, raised on a record (domain/concerns.ts): answered by its
 * due time or escalated, and it stays until resolved, with the resolution recorded.
 */
export const concernSchema = z.object({
  id: z.string(),
  record: z.string(),
  /** The child's case-system ID, as the record had it when the concern was raised ('' if none yet). */
  childId: z.string().default(''),
  raisedBy: z.string(),
  raisedByName: z.string(),
  raisedAt: z.string(),
  text: z.string(),
  /** When a response is due (null for concerns raised before response times were kept). */
  dueAt: z.string().nullable().default(null),
  respondedByName: z.string().nullable().default(null),
  respondedAt: z.string().nullable().default(null),
  response: z.string().nullable().default(null),
  /** Unanswered by its due time: when it escalated, and the names of the people told. */
  escalatedAt: z.string().nullable().default(null),
  escalatedTo: z.array(z.string()).default([]),
  resolvedByName: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolution: z.string().nullable(),
});
export type Concern = z.infer<typeof concernSchema>;
