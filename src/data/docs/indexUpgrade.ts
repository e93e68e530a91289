/**
 * The index is derived from the documents, so when it learns to carry something new, rows written before
 * are filled in from their documents once. Issue 6 added family feedback's score and who gave it (for the
 * child's page and the record list); without this, feedback last changed before then would be missing
 * from a child's chart until someone edited it. Issue 14 added whether they agreed to it being used: rows
 * without it are filled in the same way (until then, such feedback is left out of the chart, never shown).
 */
import { dbFor } from '../db';
import { readStoredRecord } from './openRecord';

/** Fills in the score, giver and consent of feedback rows that predate them; returns how many it filled in. */
export async function fillInOldFeedbackRows(userId: string): Promise<number> {
  const db = dbFor(userId);
  const old = await db.records
    .where('kind')
    .equals('feedback')
    .filter((row) => row.score === undefined || row.consent === undefined)
    .toArray();
  let filled = 0;
  for (const row of old) {
    const { meta, values } = await readStoredRecord(userId, 'feedback', row.id);
    if (!meta) continue;
    // update(), not put(): what the server said about access and whether it is sent stay as they are.
    await db.records.update(row.id, { score: values.score ?? '', givenBy: values.giver ?? '', consent: values.consent ?? '' });
    filled++;
  }
  return filled;
}
