/**
 * The organisation's directory: services, their teams and the people in them. The device keeps a copy
 * so that a manager can pick the practitioner they observe with no signal.
 */
import { z } from 'zod';
import { organisationSettingsSchema } from './organisationSettings';

export const roles = [
  'practitioner',
  'team-manager',
  'head-of-service',
  'assistant-director',
  'director',
  'principal-social-worker',
  'qa-officer',
  'iro',
  'admin',
] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  practitioner: 'Practitioner',
  'team-manager': 'Team manager',
  'head-of-service': 'Head of service',
  'assistant-director': 'Assistant director',
  director: 'Director of Children’s Services',
  'principal-social-worker': 'Principal social worker',
  'qa-officer': 'QA officer',
  iro: 'IRO / CP chair',
  admin: 'Administrator',
};

export const personSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(roles),
  /** The team they belong to; '' for people who sit above teams (a head of service, the QA team). */
  teamId: z.string(),
  /** The service they belong to, if any. */
  serviceId: z.string(),
  /** Their line manager's id; '' for the top of the line. Line management drives who may read what. */
  managerId: z.string().default(''),
});
export type Person = z.infer<typeof personSchema>;

export const teamSchema = z.object({
  id: z.string(),
  name: z.string(),
  serviceId: z.string(),
  /** The team manager: the first step of the line above every record of the team. */
  managerId: z.string().default(''),
});
export type Team = z.infer<typeof teamSchema>;

export const serviceSchema = z.object({ id: z.string(), name: z.string() });
export type Service = z.infer<typeof serviceSchema>;

export const directorySchema = z.object({
  services: z.array(serviceSchema),
  teams: z.array(teamSchema),
  people: z.array(personSchema),
  /** The organisation's name and protective marking, for the copies of records a device makes (absent from an older server). */
  organisation: organisationSettingsSchema.optional(),
});
export type Directory = z.infer<typeof directorySchema>;

/** A person as an administrator sees them: including people who have left (deactivated). */
export const userAccountSchema = personSchema.extend({ active: z.boolean(), email: z.string().optional() });
export type UserAccount = z.infer<typeof userAccountSchema>;

/** Roles that see every record, for quality assurance (not through line management). */
export const oversightRoles: readonly Role[] = ['qa-officer', 'principal-social-worker'];

/**
 * Whether a role reads case records at all. Every role does except the administrator's: administrators
 * manage people, not case records (separation of duties), so an administrator never reads a record, is
 * never added to one, and cannot give themselves or another administrator a role that reads them.
 */
export const readsCaseRecords = (role: Role): boolean => role !== 'admin';

/** Roles that may read the audit log. */
export const auditRoles: readonly Role[] = ['qa-officer', 'admin'];
