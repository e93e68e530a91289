/**
 * The QA programme on the tablet (issue 16): what the server says this person must do (their assignments,
 * the quarter's schedule naming them), the expectations, and coverage for their scope — kept in Dexie so
 * "To do", the schedule and coverage open with no signal. Replaced whole on every sync pass and whenever
 * the inbox says the programme or actions changed. Setting the programme (expectations, the schedule,
 * samples and assignments) is online: those calls are here too, for the QA team's screen.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useLiveQuery } from 'dexie-react-hooks';
import { z } from 'zod';
import { myProgrammeSchema, type Assignment, type NewAssignment, type SampleCandidate } from '../../domain/assignments';
import { expectationSchema, programmeSettingsSchema, scheduleEntryInputSchema, type ProgrammeSettings, type CoverageReport, type Expectation, type ExpectationInput, type ScheduleEntry, type ScheduleEntryInput } from '../../domain/programme';
import { apiFetch, signedInFetch } from './api';
import { dbFor } from './db';
import { getMeta, setMeta } from './records';

const scheduleEntrySchema = scheduleEntryInputSchema.extend({ id: z.string(), quarter: z.string() });
const mineSchema = myProgrammeSchema.extend({ quarter: z.string(), schedule: z.array(scheduleEntrySchema), expectations: z.array(expectationSchema) });
/** Coverage is the server's own figure: checked for shape, then kept as it came. */
const coverageSchema = z.looseObject({ asOf: z.string(), rows: z.array(z.looseObject({ personId: z.string() })), organisation: z.array(z.unknown()), notObserved: z.array(z.unknown()), yearLabel: z.string() });

export interface CachedProgramme {
  quarter: string;
  schedule: ScheduleEntry[];
  expectations: Expectation[];
  given: Assignment[];
  fetchedAt: string;
}

/** Fetches this person's programme and coverage and makes the tablet's copy exactly that. */
export async function refreshProgramme(storeId: string, getToken: () => Promise<string> | string, baseUrl = ''): Promise<void> {
  const token = await getToken();
  const [mine, coverage] = await Promise.all([
    apiFetch('/api/programme/mine', { token, baseUrl }).then((body) => mineSchema.parse(body)),
    apiFetch('/api/programme/coverage', { token, baseUrl }).then((body) => coverageSchema.parse(body)),
  ]);
  const db = dbFor(storeId);
  const fetchedAt = new Date().toISOString();
  const cached: CachedProgramme = { quarter: mine.quarter, schedule: mine.schedule, expectations: mine.expectations, given: mine.given, fetchedAt };
  await db.transaction('rw', db.assignments, db.meta, async () => {
    await db.assignments.clear();
    await db.assignments.bulkPut(mine.assignments);
    await db.meta.put({ key: 'programme', value: JSON.stringify(cached) });
    await db.meta.put({ key: 'coverage', value: JSON.stringify({ ...coverage, fetchedAt }) });
  });
}

/** This person's assignments on the tablet, soonest due first (live). */
export function useAssignments(storeId: string): Assignment[] | undefined {
  return useLiveQuery(() => dbFor(storeId).assignments.orderBy('dueDate').toArray(), [storeId]);
}

export function useAssignment(storeId: string, id: string): Assignment | null | undefined {
  return useLiveQuery(async () => (await dbFor(storeId).assignments.get(id)) ?? null, [storeId, id]);
}

export function useCachedProgramme(storeId: string): CachedProgramme | null | undefined {
  return useLiveQuery(async () => {
    const value = await getMeta(storeId, 'programme');
    return value ? (JSON.parse(value) as CachedProgramme) : null;
  }, [storeId]);
}

export function useCachedCoverage(storeId: string): (CoverageReport & { fetchedAt: string }) | null | undefined {
  return useLiveQuery(async () => {
    const value = await getMeta(storeId, 'coverage');
    return value ? (JSON.parse(value) as CoverageReport & { fetchedAt: string }) : null;
  }, [storeId]);
}

/** The record this tablet started for an assignment (before the server has linked them), or null. */
export async function startedFor(storeId: string, assignmentId: string): Promise<string | null> {
  return getMeta(storeId, `assignment-record:${assignmentId}`);
}
/** The record started on this tablet for an assignment, if it is still here (a discarded draft leaves the tablet). */
export async function startedOnTablet(storeId: string, assignmentId: string): Promise<string | null> {
  const name = await startedFor(storeId, assignmentId);
  const id = name?.split('/')[1];
  return id && (await dbFor(storeId).records.get(id)) ? name : null;
}
export async function noteStarted(storeId: string, assignmentId: string, recordName: string): Promise<void> {
  await setMeta(storeId, `assignment-record:${assignmentId}`, recordName);
}
export function useStartedRecords(storeId: string): Map<string, string> | undefined {
  return useLiveQuery(async () => {
    const rows = await dbFor(storeId).meta.where('key').startsWith('assignment-record:').toArray();
    return new Map(rows.map((r) => [r.key.slice('assignment-record:'.length), r.value]));
  }, [storeId]);
}

// ---- online: setting the programme ---------------------------------------------------------------

const programmeKey = (userId: string, quarter: string) => ['programme', userId, quarter] as const;
const programmeAnswerSchema = z.object({ today: z.string(), quarter: z.string(), expectations: z.array(expectationSchema), schedule: z.array(scheduleEntrySchema), settings: programmeSettingsSchema });

/** The expectations and a quarter's full schedule, fresh from the server (the QA team's screen). */
export function useProgramme(userId: string, quarter: string) {
  return useQuery({
    queryKey: programmeKey(userId, quarter),
    queryFn: async () => programmeAnswerSchema.parse(await signedInFetch(`/api/programme?quarter=${encodeURIComponent(quarter)}`)),
    retry: false,
  });
}

export function useProgrammeChange(userId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (change: ProgrammeChange) => signedInFetch(...requestFor(change)),
    onSuccess: () => client.invalidateQueries({ queryKey: ['programme', userId] }),
  });
}

export type ProgrammeChange =
  | { type: 'save-expectation'; id: string | null; expectation: ExpectationInput }
  | { type: 'delete-expectation'; id: string }
  | { type: 'save-schedule'; quarter: string; id: string | null; entry: ScheduleEntryInput }
  | { type: 'delete-schedule'; id: string }
  | { type: 'assign'; quarter: string; assignments: NewAssignment[] }
  | { type: 'withdraw'; id: string }
  | { type: 'save-settings'; settings: ProgrammeSettings };

function requestFor(change: ProgrammeChange): [string, { method: string; body?: unknown }] {
  switch (change.type) {
    case 'save-expectation':
      return [change.id ? `/api/programme/expectations/${encodeURIComponent(change.id)}` : '/api/programme/expectations', { method: change.id ? 'PUT' : 'POST', body: change.expectation }];
    case 'delete-expectation':
      return [`/api/programme/expectations/${encodeURIComponent(change.id)}`, { method: 'DELETE' }];
    case 'save-schedule':
      return [`/api/programme/schedule${change.id ? `/${encodeURIComponent(change.id)}` : ''}?quarter=${encodeURIComponent(change.quarter)}`, { method: change.id ? 'PUT' : 'POST', body: change.entry }];
    case 'delete-schedule':
      return [`/api/programme/schedule/${encodeURIComponent(change.id)}`, { method: 'DELETE' }];
    case 'assign':
      return ['/api/programme/assignments', { method: 'POST', body: { quarter: change.quarter, assignments: change.assignments } }];
    case 'withdraw':
      return [`/api/programme/assignments/${encodeURIComponent(change.id)}`, { method: 'DELETE' }];
    case 'save-settings':
      return ['/api/programme/settings', { method: 'PUT', body: change.settings }];
  }
}

/** Draws a sample of children for a quarter's reviews (online). */
export async function drawSample(quarter: string, size: number, includeConcerns: boolean): Promise<SampleCandidate[]> {
  const answer = (await signedInFetch(`/api/programme/sample?quarter=${encodeURIComponent(quarter)}&size=${size}&includeConcerns=${includeConcerns ? 'yes' : 'no'}`)) as { candidates: SampleCandidate[] };
  return answer.candidates;
}
