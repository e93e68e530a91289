/**
 * What signing out leaves on the tablet. Once everything a person wrote is on the server, signing out
 * removes their records from the device: their Dexie database (the index, the directory cache, the
 * outbox and every record's document), any per-record database left from before issue 20, and their
 * session in localStorage — a tablet handed on, lost or stolen then holds nothing of theirs. With work not yet sent nothing is removed (the sign-out warning,
 * src/app/SignOutButton.tsx, says so): it stays in their own stores and is sent when they next sign in here.
 */
import { recordDocName } from '../../domain/records';
import { dbFor, deleteDbFor, forbidStoresFor, userDbName } from './db';
import { deleteDatabase, legacyDocDbName } from './docs/legacyDocStores';
import { closeAllDocsOf, indexSettled } from './docs/openRecord';
import { hasJournal } from './docs/unloadJournal';
import { pendingCommands } from './outbox';
import { unsentRecordIds } from './records';
import { syncSettled } from './sync/activity';

export type ForgetOutcome = 'removed' | 'kept-unsent';

/**
 * Every per-record database of this person still on this device from before issue 20 (one not yet copied
 * into their document table, say if they sign out before opening any record).
 */
async function legacyDocStoresOf(storeId: string): Promise<Set<string>> {
  const names = new Set<string>();
  // From the index (works everywhere)…
  for (const row of await dbFor(storeId).records.toArray()) names.add(legacyDocDbName(storeId, recordDocName(row.kind, row.id)));
  // …and from the browser's own list, which also finds stores the index lost track of.
  const prefix = `${userDbName(storeId)}/`;
  if (typeof indexedDB.databases === 'function') {
    for (const { name } of await indexedDB.databases()) if (name?.startsWith(prefix)) names.add(name);
  }
  return names;
}

/**
 * Removes a signed-out person's stores from the device, unless something of theirs is not yet on the
 * server. Call it after their sync has stopped. (`storeId` is the id their stores are named by: their
 * user id in the app.)
 */
export async function forgetPersonOnDevice(storeId: string): Promise<ForgetOutcome> {
  // A sync pass still finishing (its manager already stopped) may yet mark records sent; and an edit made
  // just before signing out must be counted as unsent.
  await syncSettled(storeId);
  await indexSettled();
  const [unsent, commands] = await Promise.all([unsentRecordIds(storeId), pendingCommands(storeId)]);
  // Changes a closing page left in the unload journal, not yet back in the document table, are unsent too.
  if (unsent.length > 0 || commands.length > 0 || hasJournal(storeId)) return 'kept-unsent';
  const legacy = await legacyDocStoresOf(storeId);
  // From here nothing reopens (and so re-creates) their stores until they sign in here again. Documents
  // still open store what they were writing first, then the database with all of it is deleted.
  forbidStoresFor(storeId);
  await closeAllDocsOf(storeId);
  await deleteDbFor(storeId);
  // Deleting an absent database is harmless (it creates nothing).
  await Promise.all([...legacy].map((name) => deleteDatabase(name)));
  return 'removed';
}
