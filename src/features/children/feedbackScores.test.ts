import { describe, expect, it } from 'vitest';
import type { RecordSummary } from '../../../domain/records';
import { leftOutFeedback, leftOutSentence, scorePoints, usableFeedback } from './feedbackScores';

let next = 0;
const row = (patch: Partial<RecordSummary>): RecordSummary => ({
  id: `r${++next}`,
  kind: 'feedback',
  status: 'complete',
  childId: 'KID',
  practitionerId: '',
  practitionerName: '',
  teamId: 't1',
  date: '2024-01-01',
  createdAt: '2024-01-01T10:00:00.000Z',
  updatedAt: '2024-01-01T10:00:00.000Z',
  authorId: 'm1',
  unsynced: 0,
  score: '5',
  givenBy: 'parent',
  consent: 'yes',
  ...patch,
});

describe('which family feedback counts', () => {
  it('uses only finished feedback with their agreement', () => {
    expect(usableFeedback(row({}))).toBe(true);
    expect(usableFeedback(row({ status: 'draft' }))).toBe(false);
    expect(usableFeedback(row({ consent: '' }))).toBe(false);
    // An index row from before the index carried consent: not known to be agreed, so not used.
    expect(usableFeedback(row({ consent: undefined }))).toBe(false);
    expect(usableFeedback(row({ kind: 'observation' }))).toBe(false);
  });

  it('charts only usable feedback, and counts the rest once each, not finished before no agreement', () => {
    const records = [
      row({ score: '8', date: '2024-02-01' }),
      row({ status: 'draft', consent: 'yes', score: '1' }),
      row({ status: 'draft', consent: '', score: '2' }),
      row({ status: 'complete', consent: '', score: '3' }),
      row({ kind: 'observation', status: 'draft' }),
    ];
    expect(scorePoints(records).map((p) => p.score)).toEqual([8]);
    expect(leftOutFeedback(records)).toEqual({ notFinished: 2, noConsent: 1 });
  });

  it('says how many were left out and why, in plain words', () => {
    expect(leftOutSentence({ notFinished: 0, noConsent: 0 })).toBeNull();
    expect(leftOutSentence({ notFinished: 1, noConsent: 0 })).toBe('1 piece of family feedback is left out of the chart and the table: 1 is not finished yet.');
    expect(leftOutSentence({ notFinished: 0, noConsent: 2 })).toBe(
      '2 pieces of family feedback are left out of the chart and the table: 2 do not have their agreement to be used.',
    );
  });
});
