import { describe, expect, it } from 'vitest';
import { concernDueAt, formatDueTime, parseResponseWorkingDays } from './concerns';

describe('when an immediate concern must be answered', () => {
  it('is the same time the next working day, Monday to Thursday', () => {
    expect(concernDueAt(new Date('2026-12-01T10:30:00Z')).toISOString()).toBe('2026-12-02T10:30:00.000Z'); // Tuesday → Wednesday
  });
  it('skips the weekend: raised on Friday afternoon, due on Monday afternoon', () => {
    expect(concernDueAt(new Date('2026-12-04T15:00:00Z')).toISOString()).toBe('2026-12-07T15:00:00.000Z');
  });
  it('raised at the weekend, due on Monday at the same time', () => {
    expect(concernDueAt(new Date('2026-12-05T09:00:00Z')).toISOString()).toBe('2026-12-07T09:00:00.000Z'); // Saturday
    expect(concernDueAt(new Date('2026-12-06T22:00:00Z')).toISOString()).toBe('2026-12-07T22:00:00.000Z'); // Sunday night
  });
  it('counts the working days the organisation sets', () => {
    expect(concernDueAt(new Date('2026-12-03T12:00:00Z'), 3).toISOString()).toBe('2026-12-08T12:00:00.000Z'); // Thursday + 3 → Tuesday
  });
  it('judges the weekend by the time in England, not the server’s', () => {
    // 23:30 on Friday in England in summer is Friday 22:30 UTC; the next working day is Monday.
    expect(concernDueAt(new Date('2026-07-03T22:30:00Z')).toISOString()).toBe('2026-07-06T22:30:00.000Z');
  });
  it('reads the setting strictly', () => {
    expect(parseResponseWorkingDays(undefined)).toBe(1);
    expect(parseResponseWorkingDays('2')).toBe(2);
    for (const bad of ['0', '1.5', 'two', '-1', '11']) expect(() => parseResponseWorkingDays(bad)).toThrow(/FIELDNOTES_CONCERN_RESPONSE_DAYS/);
  });
  it('shows a due time in England’s time', () => {
    expect(formatDueTime('2026-12-07T15:00:00Z')).toBe('Monday 7 December 2026, 15:00');
  });
});
