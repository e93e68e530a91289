import { renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { emptyFeedback } from '../../domain/feedback';
import type { RecordKind, RecordMeta } from '../../domain/records';
import { freshUser } from '../test/renderApp';
import { createRecord } from './docs/openRecord';
import { summariseRecord, useChildRecords, writeSummary } from './records';

const meta = (kind: RecordKind): RecordMeta => ({
  id: crypto.randomUUID(),
  kind,
  status: 'draft',
  createdAt: '2026-03-01T09:00:00.000Z',
  authorId: 'm1',
  authorName: 'Grace Okafor',
  authorTeamId: 't1',
});

describe('the index row of a record', () => {
  it('keeps family feedback’s score and who gave it, from the document’s values', () => {
    const values = { ...emptyFeedback(), childId: 'LCS1', giver: 'carer', score: '7', date: '2026-03-02' };
    const row = summariseRecord(meta('feedback'), values, '2026-03-02T10:00:00.000Z', 1);
    expect(row).toMatchObject({ kind: 'feedback', childId: 'LCS1', date: '2026-03-02', score: '7', givenBy: 'carer' });
  });

  it('keeps an unscored feedback’s score as empty, not missing', () => {
    const row = summariseRecord(meta('feedback'), { ...emptyFeedback(), childId: 'LCS1' }, '2026-03-02T10:00:00.000Z', 1);
    expect(row.score).toBe('');
    expect(row.givenBy).toBe('');
  });

  it('has neither for the other kinds, even if a value of that name were there', () => {
    for (const kind of ['observation', 'review', 'moderation'] as const) {
      const row = summariseRecord(meta(kind), { childId: 'LCS1', score: '7', giver: 'carer' }, '2026-03-02T10:00:00.000Z', 1);
      expect(row).not.toHaveProperty('score');
      expect(row).not.toHaveProperty('givenBy');
    }
  });
});

describe('the index row’s size', () => {
  it('leaves out a child’s name and a linked record when the record has neither, and keeps them when it has', () => {
    const bare = summariseRecord(meta('observation'), { childId: 'LCS1', childName: '', linkedRecord: '' }, '2026-03-02T10:00:00.000Z', 0);
    expect(bare).not.toHaveProperty('childName');
    expect(bare).not.toHaveProperty('linkedRecord');
    const full = summariseRecord(meta('feedback'), { ...emptyFeedback(), childId: 'LCS1', childName: 'Amy', linkedRecord: 'review/x' }, '2026-03-02T10:00:00.000Z', 0);
    expect(full).toMatchObject({ childName: 'Amy', linkedRecord: 'review/x' });
  });
});

describe('a child’s records on the device', () => {
  it('lists every record for that child but its moderations, live, newest first', async () => {
    const user = freshUser();
    const older = await createRecord(user.id, user, 'observation', { childId: 'KID1', dateOfObservation: '2026-01-10' });
    const review = await createRecord(user.id, user, 'review', { childId: 'KID1', reviewDate: '2026-02-10' });
    // A moderation's document has no child ID today; its row is written with one to prove it is left out anyway.
    await writeSummary(user.id, { ...summariseRecord(meta('moderation'), {}, '2026-02-12T10:00:00.000Z', 1), childId: 'KID1' });
    await createRecord(user.id, user, 'feedback', { childId: 'KID2', date: '2026-02-11' });
    const { result } = renderHook(() => useChildRecords(user.id, 'KID1'));
    await waitFor(() => expect(result.current?.map((r) => r.id)).toEqual([review, older]));
    const feedback = await createRecord(user.id, user, 'feedback', { childId: 'KID1', date: '2026-03-01', score: '6', giver: 'child' });
    await waitFor(() => expect(result.current?.map((r) => r.id)).toEqual([feedback, review, older]));
    expect(result.current?.[0]).toMatchObject({ score: '6', givenBy: 'child' });
  });
});
