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
