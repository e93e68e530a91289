import { renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { emptyFeedback } from '../../domain/feedback';
import type { RecordKind, RecordMeta } from '../../domain/records';
import { freshUser } from '../test/renderApp';
import { createRecord } from './docs/openRecord';
import { FIRST_SCREEN_ROWS, listDate, readFirstScreen, summariseRecord, useChildRecords, writeSummary } from './records';
import type { RecordSummary } from '../../domain/records';

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

describe('My records’ first screen', () => {
  it('is exactly the top of the list by the date each record is about, newest first, with the count of all', async () => {
    const user = freshUser();
    // 90 records over 20 days (so many share a day), 8 drafts with no date yet, and moderations left out.
    const rows: RecordSummary[] = [];
    for (let i = 0; i < 98; i++) {
      const day = String(1 + ((i * 7) % 20)).padStart(2, '0');
      const row = summariseRecord({ ...meta('observation'), createdAt: `2026-05-${day}T09:00:00.000Z` }, { dateOfObservation: i < 90 ? `2026-04-${day}` : '' }, `2026-06-01T10:${String(i % 60).padStart(2, '0')}:00.000Z`, 0);
      rows.push(row);
      await writeSummary(user.id, row);
    }
    await writeSummary(user.id, summariseRecord(meta('moderation'), {}, '2026-06-02T10:00:00.000Z', 1));
    const order = (a: RecordSummary, b: RecordSummary) => listDate(b).localeCompare(listDate(a)) || b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id);
    const { records, total } = await readFirstScreen(user.id);
    expect(total).toBe(98);
    expect(records.length).toBeGreaterThanOrEqual(FIRST_SCREEN_ROWS);
    expect(records.length).toBeLessThan(98);
    // The undated drafts (made in May) come before April's records, so they are on the first screen.
    expect([...records].sort(order).map((r) => r.id)).toEqual([...rows].sort(order).slice(0, records.length).map((r) => r.id));
  });
});
