/**
 * Thousands of records on a device, for list tests and benchmarks (issue 20): rows of the device's
 * records index made by the app's own `summariseRecord` (so they have the real shape, as a sync would
 * write them), put straight into the person's IndexedDB in the page. They have no document behind them:
 * a test that opens one uses a record made through the app. The server does not know them, so a sync pass
 * would take them off the device as records this person lost: seed them while the server is unreachable.
 */
import type { Page } from '@playwright/test';
import type { RecordKind, RecordStatus, RecordSummary } from '../../domain/records';
import { summariseRecord } from '../../src/data/records';

const practitioners = ['Yusuf Ahmed', 'Ben Brown', 'Daniel Clarke', 'Erin Evans', 'Priya Davies', 'Callum Fraser'];

/**
 * `n` index rows of `author`'s team, changed one second apart, the newest `newest` (an ISO time); child IDs
 * MOS100000 upwards, scrambled so no two neighbours share a prefix.
 */
export function seededRows(n: number, author: { id: string; name: string; teamId: string }, newest: string): RecordSummary[] {
  const kinds: RecordKind[] = ['observation', 'review', 'feedback'];
  const statuses: RecordStatus[] = ['draft', 'complete', 'submitted', 'moderated', 'closed'];
  const end = Date.parse(newest);
  const rows: RecordSummary[] = [];
  for (let i = 0; i < n; i++) {
    const kind = kinds[i % 3]!;
    const status = kind === 'review' ? statuses[i % 5]! : i % 4 === 0 ? 'draft' : 'complete';
    const day = `2026-${String(1 + (i % 11)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    const practitioner = i % practitioners.length;
    const values: Record<string, string> = {
      childId: `MOS${100000 + ((i * 7919) % 90000)}`,
      ...(kind === 'review' ? { childName: `Child ${i}`, socialWorkerId: `p${practitioner}`, socialWorkerName: practitioners[practitioner]!, reviewDate: day } : {}),
      ...(kind === 'observation' ? { practitionerId: `p${practitioner}`, practitionerName: practitioners[practitioner]!, dateOfObservation: day } : {}),
      ...(kind === 'feedback' ? { date: day, giver: 'parent', score: String(i % 11), consent: 'yes' } : {}),
    };
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const meta = { id, kind, status, createdAt: `${day}T09:00:00.000Z`, authorId: author.id, authorName: author.name, authorTeamId: author.teamId };
    rows.push({ ...summariseRecord(meta, values, new Date(end - i * 1000).toISOString(), 0), access: status === 'draft' ? 'write' : 'read', relationship: 'author' });
  }
  return rows;
}

/** The signed-in person's id, from what the app keeps in localStorage. */
export async function signedInUserId(page: Page): Promise<string> {
  return page.evaluate(() => (JSON.parse(localStorage.getItem('fieldnotes.session') ?? '{}') as { user?: { id: string } }).user?.id ?? '');
}

/**
 * Replaces every row of the person's records index with `rows`, but for the rows of `keepIds` (records made
 * through the app). The database must exist: sign in first.
 */
export async function seedIndex(page: Page, userId: string, rows: RecordSummary[], keepIds: string[] = []): Promise<void> {
  await page.evaluate(
    async ({ name, rows, keepIds }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction('records', 'readwrite');
        const store = tx.objectStore('records');
        const cursor = store.openCursor();
        cursor.onsuccess = () => {
          const c = cursor.result;
          if (c) {
            if (!keepIds.includes((c.value as { id: string }).id)) c.delete();
            c.continue();
          } else {
            for (const row of rows) store.put(row);
          }
        };
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { name: `fieldnotes-${userId}`, rows, keepIds },
  );
}
