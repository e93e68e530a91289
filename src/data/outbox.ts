/**
 * The outbox: commands (domain/commands.ts) waiting to be sent, kept in Dexie so they survive reloads
 * and a device that is offline for days. The sync manager sends them, oldest first, once the records
 * they are about have been sent; each keeps its id, so a command sent twice is applied once.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import type { Command, CommandOutcome } from '../../domain/commands';
import { dbFor, type OutboxEntry } from './db';
import { reportStorageError } from './storageHealth';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type NewCommand = DistributiveOmit<Command, 'id'>;

/**
 * Queues a command. A newer command of the same type for the same record replaces one still waiting
 * (choosing another practitioner twice offline sends only the last choice).
 */
export async function enqueueCommand(storeId: string, command: NewCommand): Promise<string> {
  const db = dbFor(storeId);
  const id = crypto.randomUUID();
  const entry: OutboxEntry = { id, record: command.record, command: { ...command, id } as Command, createdAt: new Date().toISOString(), state: 'pending' };
  try {
    await db.transaction('rw', db.outbox, async () => {
      const replaceable = command.type === 'set-subject' || command.type === 'add-reflection' || command.type === 'complete';
      if (replaceable) await db.outbox.where('record').equals(command.record).filter((e) => e.command.type === command.type).delete();
      await db.outbox.add(entry);
    });
  } catch (error) {
    reportStorageError(error);
    throw error;
  }
  queuedListeners.forEach((listener) => listener(storeId));
  return entry.id;
}

const queuedListeners = new Set<(storeId: string) => void>();

/** Calls back when a command is queued, so the sync manager sends it at once when online. */
export function onCommandQueued(listener: (storeId: string) => void): () => void {
  queuedListeners.add(listener);
  return () => queuedListeners.delete(listener);
}

/** Commands waiting to be sent, oldest first. */
export async function pendingCommands(storeId: string): Promise<OutboxEntry[]> {
  return dbFor(storeId).outbox.where('state').equals('pending').sortBy('createdAt');
}

/** Records the server's answer: applied commands leave the outbox; refused ones stay to show why. */
export async function settleCommand(storeId: string, id: string, outcome: CommandOutcome): Promise<void> {
  const db = dbFor(storeId);
  if (outcome.status === 'applied') await db.outbox.delete(id);
  else if (outcome.status === 'rejected') await db.outbox.update(id, { state: 'rejected', outcome });
}

export async function dismissCommand(storeId: string, id: string): Promise<void> {
  await dbFor(storeId).outbox.delete(id);
}

/** A record's commands still waiting or refused, live. */
export function useRecordCommands(storeId: string, record: string): OutboxEntry[] | undefined {
  return useLiveQuery(() => dbFor(storeId).outbox.where('record').equals(record).sortBy('createdAt'), [storeId, record]);
}

/** How many commands are waiting to be sent, live. */
export function usePendingCommandCount(storeId: string): number | undefined {
  return useLiveQuery(() => dbFor(storeId).outbox.where('state').equals('pending').count(), [storeId]);
}

const actionCommandTypes = new Set(['raise-action', 'complete-action', 'sign-off-action', 'send-back-action', 'cancel-action']);

/** Every command about actions still waiting or refused, live: the action lists show them beside the server's copy. */
export function useActionCommands(storeId: string): OutboxEntry[] | undefined {
  return useLiveQuery(() => dbFor(storeId).outbox.filter((e) => actionCommandTypes.has(e.command.type)).sortBy('createdAt'), [storeId]);
}

/** Drafts this person asked to discard (issue 16): pending ones are hidden from lists, refused ones say why. */
export function useDiscardCommands(storeId: string): OutboxEntry[] | undefined {
  return useLiveQuery(() => dbFor(storeId).outbox.filter((e) => e.command.type === 'discard-draft').toArray(), [storeId]);
}
