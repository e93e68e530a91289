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

/** How many records have changes the server has not yet confirmed. */
export function useUnsentCount(userId: string): number | undefined {
  return useLiveQuery(() => dbFor(userId).records.where('unsynced').equals(1).count(), [userId]);
}

/** When the last sync finished, ISO time, or null if this device has never synced. */
export function useLastSyncAt(userId: string): string | null | undefined {
  return useLiveQuery(async () => (await dbFor(userId).meta.get('lastSyncAt'))?.value ?? null, [userId]);
}
