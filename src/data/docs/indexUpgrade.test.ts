import { describe, expect, it } from 'vitest';
import { dbFor } from '../db';
import { fillInOldFeedbackRows } from './indexUpgrade';
import { createRecord } from './openRecord';

const author = { id: '', displayName: 'Grace Okafor', teamId: 't1' };

describe('index rows from before the index carried feedback scores', () => {
  it('are filled in from their documents once, keeping what the server said about them', async () => {
    const userId = `u-${crypto.randomUUID()}`;
    const me = { ...author, id: userId };
    const id = await createRecord(userId, me, 'feedback', { childId: 'OLD1', giver: 'carer', score: '6' });
    const observation = await createRecord(userId, me, 'observation', { childId: 'OLD1' });
    // As a row written by the version before: no score or giver; and the server's word on access.
    const db = dbFor(userId);
    const { score: _score, givenBy: _givenBy, ...oldRow } = (await db.records.get(id))!;
    await db.records.put({ ...oldRow, access: 'write', unsynced: 0 });

    expect(await fillInOldFeedbackRows(userId)).toBe(1);
    expect(await db.records.get(id)).toMatchObject({ score: '6', givenBy: 'carer', access: 'write', unsynced: 0 });
    expect((await db.records.get(observation))?.score).toBeUndefined();
    // Once done, there is nothing left to do.
    expect(await fillInOldFeedbackRows(userId)).toBe(0);
  });
});
