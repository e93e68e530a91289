/** What an administrator sends to manage people, shared by the admin screen and the server. */
import { z } from 'zod';
import { oversightRoles, readsCaseRecords, roleLabels, roles, type Role } from './directory';

export const MIN_PASSWORD_LENGTH = 8;

/** An email address for what cannot wait (mail.ts), or '' for none. */
export const emailField = z
  .string()
  .trim()
  .max(254, 'That email address is too long.')
  .refine((v) => v === '' || z.email().safeParse(v).success, 'Enter an email address like name@council.gov.uk, or leave it empty.');

const password = z.string().min(MIN_PASSWORD_LENGTH, `A password needs at least ${MIN_PASSWORD_LENGTH} characters.`).max(200, 'That password is too long.');

export const newUserRequestSchema = z.object({
  username: z
    .string()
    .trim()
    .min(3, 'A username needs at least 3 characters.')
    .max(60, 'That username is too long.')
    .regex(/^[a-z0-9._-]+$/i, 'A username may use only letters, numbers, dots, dashes and underscores.'),
  displayName: z.string().trim().min(1, 'Enter the person’s name.').max(100, 'That name is too long.'),
  role: z.enum(roles, { message: 'Choose a role.' }),
  /** '' for people above teams. */
  teamId: z.string(),
  /** '' for none, or when the team decides it. */
  serviceId: z.string(),
  /** '' for the team's manager (or nobody). */
  managerId: z.string(),
  password,
  /** Optional: where urgent notices are emailed. */
  email: emailField.default(''),
});
export type NewUserRequest = z.infer<typeof newUserRequestSchema>;

export const userChangeSchema = z
  .object({
    teamId: z.string(),
    serviceId: z.string(),
    managerId: z.string(),
    role: z.enum(roles),
    active: z.boolean(),
    email: emailField,
  })
  .partial();
export type UserChange = z.infer<typeof userChangeSchema>;

export const passwordResetSchema = z.object({ password });

/**
 * Why an administrator may not give this person this role, or null when they may. Administrators manage
 * people, not case records: one who could change their own role (or a fellow administrator's) to a QA
 * officer would read every record. Case work needs a separate account.
 */
export function roleChangeRefusal(actor: { id: string }, target: { id: string; role: Role }, newRole: Role): string | null {
  if (newRole === target.role) return null;
  if (target.id === actor.id) return 'You cannot change your own role. Another administrator must do it.';
  if (target.role === 'admin' && readsCaseRecords(newRole))
    return 'Administrators manage people, not case records: an administrator’s account cannot be given a role that reads them. Give the person a separate account for case work.';
  return null;
}

/**
 * Whether a change of role gives someone case records they could not read before by their role alone:
 * becoming QA officer or principal social worker (every record), or leaving the administrator's role.
 * Such a change is written to the audit log as its own action, so it stands out.
 */
export function grantsCaseAccess(from: Role | null, to: Role): boolean {
  if (from === to) return false;
  if (from === 'admin' && readsCaseRecords(to)) return true;
  return oversightRoles.includes(to) && (from === null || !oversightRoles.includes(from));
}

/** How a role change that gives case access is described in the audit log. */
export const caseAccessDetail = (name: string, from: Role | null, to: Role) =>
  `${name}: ${from ? `${roleLabels[from]} → ` : 'new account as '}${roleLabels[to]}${oversightRoles.includes(to) ? ' (reads every case record)' : ' (reads case records)'}`;
