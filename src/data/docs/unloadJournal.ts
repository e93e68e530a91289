/**
 * Nothing typed is lost when the page goes away mid-write (issue 20 moved sync off the first moments of a
 * page, which made this visible). A keystroke is appended to IndexedDB at once, but that write is
 * asynchronous, and when the page unloads — a reload, the tab closed, the app swiped away — the browser
 * aborts what has not committed. So on `pagehide` whatever the open documents have not yet stored is written
 * synchronously to localStorage, and the next time the person's document table is opened it is added there
 * and those records are marked not yet sent (their index rows may have been lost in the same moment).
 *
 * Adding an update that did reach IndexedDB after all is harmless: Yjs applies an update once however often
 * it is stored, and a record marked unsent needlessly is sent again and proved, nothing more.
 */
import { fromBase64, toBase64 } from '../../../domain/base64';
import { parseRecordDocName } from '../../../domain/records';
import type { FieldnotesDb } from '../db';

const journalKey = (userId: string) => `fieldnotes.unstored.${userId}`;

interface JournalEntry {
  doc: string;
  update: string;
}

export interface Unstored {
  userId: string;
  docName: string;
  updates: Uint8Array[];
}

function readJournal(userId: string): JournalEntry[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(journalKey(userId)) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((e): e is JournalEntry => typeof e?.doc === 'string' && typeof e?.update === 'string') : [];
  } catch {
    return [];
  }
}

/** Writes what is not yet stored to localStorage, synchronously (added to what an earlier unload left). */
export function journalUnstored(pending: Unstored[]): void {
  const byUser = new Map<string, JournalEntry[]>();
  for (const { userId, docName, updates } of pending) {
    if (updates.length === 0) continue;
    const entries = byUser.get(userId) ?? readJournal(userId);
    for (const update of updates) entries.push({ doc: docName, update: toBase64(update) });
    byUser.set(userId, entries);
  }
  for (const [userId, entries] of byUser) {
    try {
      localStorage.setItem(journalKey(userId), JSON.stringify(entries));
    } catch (error) {
      // Storage full: nothing more can be done as the page goes.
      console.error('Could not keep the last changes as the page closed', error);
    }
  }
}

/**
 * Adds what an unload left in the journal to the person's document table, and marks those records not yet
 * sent, in one transaction; then clears the journal. Returns how many updates were added.
 */
export async function replayJournal(userId: string, db: FieldnotesDb): Promise<number> {
  const entries = readJournal(userId);
  if (entries.length === 0) return 0;
  const recordIds = [...new Set(entries.map((e) => parseRecordDocName(e.doc)?.id).filter((id) => id !== undefined))];
  await db.transaction('rw', db.docUpdates, db.records, async () => {
    await db.docUpdates.bulkAdd(entries.map((e) => ({ doc: e.doc, update: fromBase64(e.update) })));
    for (const id of recordIds) await db.records.update(id, { unsynced: 1 });
  });
  localStorage.removeItem(journalKey(userId));
  return entries.length;
}

/** Whether an unload left changes of this person not yet in their document table. */
export function hasJournal(userId: string): boolean {
  return readJournal(userId).length > 0;
}
