import { describe, expect, it } from 'vitest';
import { parseRecordDocName, recordDocName } from './records';

describe('record document names', () => {
  const id = '3f2c1b7e-1d2a-4c3b-9a8e-0f1e2d3c4b5a';

  it('round-trips a kind and id', () => {
    expect(recordDocName('observation', id)).toBe(`observation/${id}`);
    expect(parseRecordDocName(`observation/${id}`)).toEqual({ kind: 'observation', id });
  });

  it('refuses names that are not records', () => {
    for (const name of ['', 'observation', `unknown/${id}`, 'observation/not-a-uuid', `observation/${id}/extra`, `../observation/${id}`])
      expect(parseRecordDocName(name)).toBeNull();
  });
});

describe('a review and its moderation', () => {
  it('have different ids, each found from the other', async () => {
    const { moderationIdFor, reviewIdOf } = await import('./moderation');
    const review = '3f2c1b7e-1d2a-4c3b-9a8e-0f1e2d3c4b5a';
    const moderation = moderationIdFor(review);
    expect(moderation).not.toBe(review);
    expect(parseRecordDocName(`moderation/${moderation}`)).toEqual({ kind: 'moderation', id: moderation });
    expect(reviewIdOf(moderation)).toBe(review);
    expect(moderationIdFor('00000000-0000-4000-8000-ffffffffffff')).toBe('00000000-0000-4000-8000-000000000000');
  });
});
