/**
 * The device's Dexie database: the searchable index of records, the cached directory and small
 * facts about sync. One database per signed-in person, so that a second person on the same tablet
 * never sees the first person's records. The records themselves are Yjs documents, stored here too as
 * rows of update bytes (`docUpdates`, see docs/docStore.ts); everything else is derived or cached.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { Person, Service, Team } from '../../domain/directory';
import type { Command, CommandOutcome } from '../../domain/commands';
import type { RecordSummary } from '../../domain/records';
import type { Action } from '../../domain/actions';
import type { Assignment } from '../../domain/assignments';

export interface MetaEntry {
  key: string;
  value: string;
}

/** A command waiting to be sent (domain/commands.ts), or one the server refused, kept to show why. */
export interface OutboxEntry {
  id: string;
  record: string;
  command: Command;
  createdAt: string;
  state: 'pending' | 'rejected';
  outcome?: CommandOutcome;
}

/**
 * One stored Yjs update of a record's document (docs/docStore.ts). `doc` is the document's name
 * (`observation/<uuid>`); a document is the merge of all its rows, in any order.
 */
export interface DocUpdateRow {
  seq?: number;
  doc: string;
  update: Uint8Array;
}

export type FieldnotesDb = Dexie & {
  outbox: EntityTable<OutboxEntry, 'id'>;
  records: EntityTable<RecordSummary, 'id'>;
  people: EntityTable<Person, 'id'>;
  teams: EntityTable<Team, 'id'>;
  services: EntityTable<Service, 'id'>;
  meta: EntityTable<MetaEntry, 'key'>;
  actions: EntityTable<Action, 'id'>;
  assignments: EntityTable<Assignment, 'id'>;
  docUpdates: EntityTable<DocUpdateRow, 'seq'>;
};

export const userDbName = (userId: string) => `fieldnotes-${userId}`;

export function createFieldnotesDb(userId: string): FieldnotesDb {
  const db = new Dexie(userDbName(userId)) as FieldnotesDb;
  db.version(1).stores({
    records: 'id, kind, status, childId, practitionerId, teamId, updatedAt, unsynced',
    people: 'id, role, teamId',
    teams: 'id, serviceId',
    services: 'id',
    meta: 'key',
  });
  // Issue 4: the outbox of commands.
  db.version(2).stores({ outbox: 'id, record, createdAt, state' });
  // Issue 15: the actions this person may read, as the server last listed them (src/data/actions.ts).
  db.version(3).stores({ actions: 'id, record, ownerId, status, dueDate' });
  // Issue 16: this person's assignments from the QA programme, as the server last listed them (src/data/programme.ts).
  db.version(4).stores({ assignments: 'id, status, dueDate, record' });
  // Issue 20: every record document's updates in one table, instead of one y-indexeddb database per record.
  // Filled from those databases on first use (docs/legacyDocStores.ts), not here: an upgrade transaction
  // cannot wait on other databases.
  db.version(5).stores({ docUpdates: '++seq, doc' });
  // Issue 20: My records' first screen is read by the date each record is about (its default order).
  db.version(6).stores({ records: 'id, kind, status, childId, practitionerId, teamId, updatedAt, unsynced, date' });
  return db;
}

const open = new Map<string, FieldnotesDb>();

/**
 * People whose stores were removed from this device when they signed out. Nothing may open (and so
 * re-create) their stores until they sign in here again: a sync pass still finishing would otherwise
 * bring back an empty database with their name on it.
 */
const removed = new Set<string>();

export class RemovedFromDevice extends Error {
  constructor() {
    super('This person signed out and their records were removed from this device.');
  }
}

export const isRemovedFromDevice = (userId: string) => removed.has(userId);

/** A sign-in here: this person's stores may be opened (and created) again. */
export function allowStoresFor(userId: string): void {
  removed.delete(userId);
}

/** From now on nothing opens (and so re-creates) this person's stores, until allowStoresFor. */
export function forbidStoresFor(userId: string): void {
  removed.add(userId);
}

/** Closes and deletes this person's database (their index and their documents); it stays closed until allowStoresFor. */
export async function deleteDbFor(userId: string): Promise<void> {
  removed.add(userId);
  open.get(userId)?.close();
  open.delete(userId);
  await Dexie.delete(userDbName(userId));
}

/** The database of this person on this device, opened once and shared. */
export function dbFor(userId: string): FieldnotesDb {
  if (removed.has(userId)) throw new RemovedFromDevice();
  let db = open.get(userId);
  if (!db) {
    db = createFieldnotesDb(userId);
    open.set(userId, db);
  }
  return db;
}

/** Closes every open database (sign-out, tests). */
export function closeAllDbs(): void {
  for (const db of open.values()) db.close();
  open.clear();
}
