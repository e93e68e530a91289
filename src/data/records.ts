/**
 * The searchable index of records ("My records"): one Dexie row per record, derived from its document
 * so that lists and search never open documents.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import type { RecordMeta, RecordSummary } from '../../domain/records';
import { dbFor } from './db';
import { reportStorageError, reportStorageRecovered } from './storageHealth';

/** The index row of a record from its metadata and field values. */
export function summariseRecord(meta: RecordMeta, values: Record<string, string>, updatedAt: string, unsynced: 0 | 1): RecordSummary {
  // Each kind names the date its form is about; an observation's is the date of observation.
  const date = values.dateOfObservation ?? '';
  return {
    id: meta.id,
    kind: meta.kind,
    status: meta.status,
    childId: values.childId ?? '',
    practitionerId: values.practitionerId ?? '',
    practitionerName: values.practitionerName ?? '',
    teamId: values.teamId || meta.authorTeamId,
    date,
    createdAt: meta.createdAt,
    updatedAt,
    authorId: meta.authorId,
    unsynced,
  };
}

export async function writeSummary(userId: string, summary: RecordSummary): Promise<void> {
  try {
    await dbFor(userId).records.put(summary);
    reportStorageRecovered();
  } catch (error) {
    reportStorageError(error);
  }
}

/** Rewrites a record's row after a change from elsewhere: whether it is sent does not change. */
export async function writeSummaryKeepingSentState(userId: string, summary: RecordSummary): Promise<void> {
  const db = dbFor(userId);
  try {
    await db.transaction('rw', db.records, async () => {
      const existing = await db.records.get(summary.id);
      await db.records.put({ ...summary, unsynced: existing?.unsynced ?? 0 });
    });
    reportStorageRecovered();
  } catch (error) {
    reportStorageError(error);
  }
}

/** Marks a record as sent: the server has proved it stores everything this device has. */
export async function markSent(userId: string, id: string): Promise<void> {
  await dbFor(userId).records.update(id, { unsynced: 0 });
}

/** Ids of the records with changes the server has not confirmed. */
export async function unsentRecordIds(userId: string): Promise<{ kind: RecordSummary['kind']; id: string }[]> {
  return (await dbFor(userId).records.where('unsynced').equals(1).toArray()).map((r) => ({ kind: r.kind, id: r.id }));
}

export async function getMeta(userId: string, key: string): Promise<string | null> {
  return (await dbFor(userId).meta.get(key))?.value ?? null;
}

export async function setMeta(userId: string, key: string, value: string): Promise<void> {
  await dbFor(userId).meta.put({ key, value });
}

/** Filters the list by the search box: child ID or practitioner's name, ignoring case. */
export function matchesSearch(record: RecordSummary, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return record.childId.toLowerCase().includes(q) || record.practitionerName.toLowerCase().includes(q);
}

/** Every record on this device for this person, newest first; `undefined` while loading. */
export function useMyRecords(userId: string): RecordSummary[] | undefined {
  return useLiveQuery(() => dbFor(userId).records.orderBy('updatedAt').reverse().toArray(), [userId]);
}

/** One record's row of the index, live; `undefined` while loading, `null` if it is not indexed. */
export function useRecordSummary(userId: string, id: string): RecordSummary | null | undefined {
  return useLiveQuery(async () => (await dbFor(userId).records.get(id)) ?? null, [userId, id]);
}

/** How many records have changes the server has not yet confirmed. */
export function useUnsentCount(userId: string): number | undefined {
  return useLiveQuery(() => dbFor(userId).records.where('unsynced').equals(1).count(), [userId]);
}

