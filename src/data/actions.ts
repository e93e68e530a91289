/**
 * Actions on the tablet: the server's list of the actions this person may read (GET /api/actions), kept
 * in Dexie so "My actions", a team's actions and the QA team's list open with no signal. The copy is
 * replaced whole on each sync pass and whenever the inbox says actions changed; every change to an
 * action is a command (outbox.ts), so the copy is never edited here — what waits in the outbox is shown
 * beside it until the server has applied it.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { actionListSchema, dateInEngland, type Action } from '../../domain/actions';
import { apiFetch } from './api';
import { dbFor } from './db';
import { setMeta, getMeta } from './records';

/** Fetches the actions this person may read and makes the tablet's copy exactly that. */
export async function refreshActions(storeId: string, getToken: () => Promise<string> | string, baseUrl = ''): Promise<void> {
  const list = actionListSchema.parse(await apiFetch('/api/actions', { token: await getToken(), baseUrl }));
  const db = dbFor(storeId);
  await db.transaction('rw', db.actions, db.meta, async () => {
    // Whole replacement: an action this person may no longer read (moved team, access changed) goes too.
    await db.actions.clear();
    await db.actions.bulkPut(list.actions);
  });
  await setMeta(storeId, 'actionsFetchedAt', new Date().toISOString());
}

/** Every action on the tablet, soonest due first (live). */
export function useActions(storeId: string): Action[] | undefined {
  return useLiveQuery(() => dbFor(storeId).actions.orderBy('dueDate').toArray(), [storeId]);
}

/** One record's actions (live). */
export function useRecordActions(storeId: string, record: string): Action[] | undefined {
  return useLiveQuery(() => dbFor(storeId).actions.where('record').equals(record).sortBy('dueDate'), [storeId, record]);
}

/** When the tablet last heard the server's list of actions (ISO time), or null. */
export function useActionsFetchedAt(storeId: string): string | null | undefined {
  return useLiveQuery(() => getMeta(storeId, 'actionsFetchedAt'), [storeId]);
}

/** Today's date, as the council counts it (due and overdue are days, not instants). */
export const todayInEngland = () => dateInEngland(new Date());
