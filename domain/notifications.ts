/** Notifications in the app: what the server tells a person (an immediate concern, a changed grade). */
import { z } from 'zod';

export const notificationKinds = [
  'concern-raised',
  'concern-resolved',
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

export const notificationListSchema = z.object({ notifications: z.array(notificationSchema), unread: z.number() });
export type NotificationList = z.infer<typeof notificationListSchema>;

/** An immediate concern about a child's safety, raised on a record; it stays until resolved, with the resolution recorded. */
export const concernSchema = z.object({
  id: z.string(),
  record: z.string(),
  raisedBy: z.string(),
  raisedByName: z.string(),
  raisedAt: z.string(),
  text: z.string(),
  resolvedByName: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolution: z.string().nullable(),
});
export type Concern = z.infer<typeof concernSchema>;
