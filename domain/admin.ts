/** What an administrator sends to manage people, shared by the admin screen and the server. */
import { z } from 'zod';
import { roles } from './directory';

export const MIN_PASSWORD_LENGTH = 8;

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
});
export type NewUserRequest = z.infer<typeof newUserRequestSchema>;

export const userChangeSchema = z
  .object({
    teamId: z.string(),
    serviceId: z.string(),
    managerId: z.string(),
    role: z.enum(roles),
    active: z.boolean(),
  })
  .partial();
export type UserChange = z.infer<typeof userChangeSchema>;

export const passwordResetSchema = z.object({ password });
