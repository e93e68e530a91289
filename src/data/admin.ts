/**
 * Managing people (administrators) and reading the audit log (the QA team and administrators). Both need
 * the server: nothing here is kept on the device. Every answer is checked against the shared schemas.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import type { NewUserRequest, UserChange } from '../../domain/admin';
import { auditPageSchema, type AuditPage } from '../../domain/audit';
import { userAccountSchema, type Directory, type UserAccount } from '../../domain/directory';
import { organisationSettingsSchema, type OrganisationSettings } from '../../domain/organisationSettings';
import { ApiError, fetchDirectory, signedInFetch, UnreachableError } from './api';
import { SignInNeeded } from './session';
import { useSignedIn } from './sessionContext';

const accountsResponseSchema = z.object({ users: z.array(userAccountSchema) });
const okSchema = z.object({ ok: z.literal(true) });

/** Query keys are per signed-in person, so one person never sees another's cached answers. */
const adminKey = (userId: string) => ['admin', userId] as const;
const accountsKey = (userId: string) => [...adminKey(userId), 'accounts'] as const;
const adminDirectoryKey = (userId: string) => [...adminKey(userId), 'directory'] as const;

/** What went wrong with a call, as the screens tell it. */
export type Failure = 'forbidden' | 'offline' | 'other';

export function failureOf(error: unknown): Failure {
  if (error instanceof UnreachableError) return 'offline';
  if (error instanceof ApiError && error.status === 403) return 'forbidden';
  return 'other';
}

/** A message a person can act on, for any error from these calls. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError || error instanceof UnreachableError || error instanceof SignInNeeded) return error.message;
  return 'Something went wrong. Try again.';
}

/** Everyone with an account, including people who have been deactivated, sorted by name. */
export function useAccounts() {
  const { user } = useSignedIn();
  return useQuery({
    queryKey: accountsKey(user.id),
    queryFn: async (): Promise<UserAccount[]> => {
      const { users } = accountsResponseSchema.parse(await signedInFetch('/api/admin/users'));
      return users.sort((a, b) => a.displayName.localeCompare(b.displayName, 'en-GB'));
    },
    // A refusal or a lost connection is an answer: asking again would only keep the person waiting.
    retry: false,
  });
}

/** Services, teams and active people, fresh from the server (for the selects on these screens). */
export function useAdminDirectory() {
  const { user } = useSignedIn();
  return useQuery({
    queryKey: adminDirectoryKey(user.id),
    queryFn: (): Promise<Directory> => fetchDirectory(),
    // A refusal or a lost connection is an answer: asking again would only keep the person waiting.
    retry: false,
  });
}

/** After any change to people: the list here, and the directory every device keeps, are out of date. */
function useRefreshPeople() {
  const queryClient = useQueryClient();
  const { user } = useSignedIn();
  return () =>
    Promise.all([queryClient.invalidateQueries({ queryKey: adminKey(user.id) }), queryClient.invalidateQueries({ queryKey: ['directory', user.id] })]);
}

export function useAddUser() {
  const refresh = useRefreshPeople();
  return useMutation({
    mutationFn: async (request: NewUserRequest): Promise<UserAccount> => userAccountSchema.parse(await signedInFetch('/api/admin/users', { method: 'POST', body: request })),
    onSuccess: refresh,
  });
}

export interface UserChangeRequest {
  id: string;
  change: UserChange;
}

/** Moves someone to another team, changes their line manager or role, or (re)activates them. */
export function useChangeUser() {
  const refresh = useRefreshPeople();
  return useMutation({
    mutationFn: async ({ id, change }: UserChangeRequest): Promise<UserAccount> =>
      userAccountSchema.parse(await signedInFetch(`/api/admin/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: change })),
    onSuccess: refresh,
  });
}

/** Sets a new password; the server signs the person out everywhere. */
export function useResetPassword() {
  const refresh = useRefreshPeople();
  return useMutation({
    mutationFn: async ({ id, password }: { id: string; password: string }): Promise<void> => {
      okSchema.parse(await signedInFetch(`/api/admin/users/${encodeURIComponent(id)}/password`, { method: 'POST', body: { password } }));
    },
    onSuccess: refresh,
  });
}

/** The organisation's name and protective marking: on every PDF and printed copy devices make once they have the directory again. */
export function useSaveOrganisationSettings() {
  const refresh = useRefreshPeople();
  return useMutation({
    mutationFn: async (settings: OrganisationSettings): Promise<OrganisationSettings> =>
      organisationSettingsSchema.parse(await signedInFetch('/api/admin/organisation', { method: 'PUT', body: settings })),
    onSuccess: refresh,
  });
}

export interface AuditFilter {
  /** A record's name, such as `observation/<uuid>`; '' for every record. */
  record: string;
  /** A person's id; '' for everyone. */
  userId: string;
}

export function auditPath(filter: AuditFilter, before: number | null): string {
  const query = new URLSearchParams();
  if (filter.record) query.set('record', filter.record);
  if (filter.userId) query.set('user', filter.userId);
  if (before !== null) query.set('before', String(before));
  const search = query.toString();
  return search ? `/api/audit?${search}` : '/api/audit';
}

/** The audit log, newest first, a page at a time (`fetchNextPage` for older entries). */
export function useAuditLog(filter: AuditFilter) {
  const { user } = useSignedIn();
  return useInfiniteQuery({
    queryKey: ['audit', user.id, filter.record, filter.userId],
    queryFn: async ({ pageParam }): Promise<AuditPage> => auditPageSchema.parse(await signedInFetch(auditPath(filter, pageParam))),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextBefore,
    // A refusal or a lost connection is an answer: asking again would only keep the person waiting.
    retry: false,
  });
}
