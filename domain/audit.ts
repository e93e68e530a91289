/** The server's audit log as the QA team and administrators read it. */
import { z } from 'zod';

export const auditActions = ['open', 'change', 'command', 'share', 'unshare', 'export', 'refused', 'case-access', 'copy'] as const;
export type AuditAction = (typeof auditActions)[number];

export const auditActionLabels: Record<AuditAction, string> = {
  open: 'Opened',
  change: 'Changed',
  command: 'Command',
  share: 'Shared',
  unshare: 'Access removed',
  export: 'Exported',
  refused: 'Refused',
  // A role change (or a new account) that gives someone case records: shown prominently on the Audit log screen.
  'case-access': 'Case access granted',
  // A PDF downloaded or a record printed: a copy of a child's record now exists outside Fieldnotes.
  copy: 'Copy taken',
};

/** Actions the Audit log screen makes stand out, because they widen who can read case records. */
export const prominentAuditActions: readonly AuditAction[] = ['case-access'];

export const auditEntrySchema = z.object({
  id: z.number(),
  at: z.string(),
  userId: z.string(),
  userName: z.string(),
  deviceId: z.string(),
  action: z.enum(auditActions),
  record: z.string(),
  detail: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditPageSchema = z.object({ entries: z.array(auditEntrySchema), nextBefore: z.number().nullable() });
export type AuditPage = z.infer<typeof auditPageSchema>;
