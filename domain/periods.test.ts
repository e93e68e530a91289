import { describe, expect, it } from 'vitest';
import { daysInclusive, elapsedShare, financialYearOf, monthsOf, parsePeriodId, periodContaining, previousPeriod, requiredInPost, shareInPost } from './periods';

describe('periods a council plans in', () => {
  it('months run from the first to the last day, leap years included', () => {
    expect(periodContaining('month', '2028-02-15')).toMatchObject({ id: '2028-02', start: '2028-02-01', end: '2028-02-29', label: 'February 2028' });
    expect(periodContaining('month', '2027-02-28')).toMatchObject({ start: '2027-02-01', end: '2027-02-28' });
    expect(periodContaining('month', '2026-12-31')).toMatchObject({ id: '2026-12', end: '2026-12-31' });
  });

  it('financial-year quarters start in April: Q1 is April to June, Q4 January to March of the next calendar year', () => {
    expect(periodContaining('quarter', '2026-04-01')).toMatchObject({ id: '2026-27-Q1', start: '2026-04-01', end: '2026-06-30' });
    expect(periodContaining('quarter', '2026-06-30').id).toBe('2026-27-Q1');
    expect(periodContaining('quarter', '2026-07-01')).toMatchObject({ id: '2026-27-Q2', start: '2026-07-01', end: '2026-09-30' });
    expect(periodContaining('quarter', '2026-12-03')).toMatchObject({ id: '2026-27-Q3', start: '2026-10-01', end: '2026-12-31', label: 'Q3 2026–27 (October to December)' });
    expect(periodContaining('quarter', '2027-01-01')).toMatchObject({ id: '2026-27-Q4', start: '2027-01-01', end: '2027-03-31' });
    expect(periodContaining('quarter', '2027-03-31').id).toBe('2026-27-Q4');
    expect(periodContaining('quarter', '2027-04-01').id).toBe('2027-28-Q1');
  });

  it('half-years are April to September and October to March; years April to March', () => {
    expect(periodContaining('half-year', '2026-09-30')).toMatchObject({ id: '2026-27-H1', start: '2026-04-01', end: '2026-09-30' });
    expect(periodContaining('half-year', '2026-10-01')).toMatchObject({ id: '2026-27-H2', start: '2026-10-01', end: '2027-03-31' });
    expect(periodContaining('year', '2027-03-31')).toMatchObject({ id: '2026-27-FY', start: '2026-04-01', end: '2027-03-31' });
    expect(periodContaining('year', '2026-03-31').id).toBe('2025-26-FY');
    expect(financialYearOf('2027-02-10')).toBe(2026);
    expect(financialYearOf('1999-04-01')).toBe(1999);
  });

  it('reads back every id it makes, and nothing else', () => {
    for (const unit of ['month', 'quarter', 'half-year', 'year'] as const)
      for (const date of ['2026-04-01', '2026-11-17', '2027-03-31', '1999-12-31']) expect(parsePeriodId(periodContaining(unit, date).id)).toEqual(periodContaining(unit, date));
    for (const bad of ['2026-13', '2026-28-Q1', '2026-27-Q5', '2026-27-H3', '2026-27', 'Q1', '', '2026-27-Q1; DROP']) expect(parsePeriodId(bad)).toBeNull();
  });

  it('steps back a period across a year boundary and lists a quarter’s months', () => {
    expect(previousPeriod(periodContaining('quarter', '2026-05-01')).id).toBe('2025-26-Q4');
    expect(previousPeriod(periodContaining('month', '2027-01-10')).id).toBe('2026-12');
    expect(monthsOf(periodContaining('quarter', '2027-02-01')).map((m) => m.id)).toEqual(['2027-01', '2027-02', '2027-03']);
  });

  it('counts days with both ends in', () => {
    expect(daysInclusive('2026-04-01', '2026-04-30')).toBe(30);
    expect(daysInclusive('2026-04-01', '2027-03-31')).toBe(365);
    expect(daysInclusive('2026-04-02', '2026-04-01')).toBe(0);
  });
});

describe('what someone in post for part of a period is expected to do', () => {
  const year = periodContaining('year', '2026-06-01');
  const quarter = periodContaining('quarter', '2026-06-01');

  it('expects everything of someone in post all period', () => {
    expect(shareInPost(year, '2020-01-01')).toBe(1);
    expect(requiredInPost(1, year, '2020-01-01')).toBe(1);
    expect(requiredInPost(20, quarter, '2020-01-01')).toBe(20);
  });

  it('expects a joiner pro rata, to the nearest whole one', () => {
    // Joined 1 May: 11 months of 12 left — still observe each report once this year.
    expect(requiredInPost(1, year, '2026-05-01')).toBe(1);
    // Joined in January: under a quarter of the year left — not yet expected; next year they are.
    expect(requiredInPost(1, year, '2027-01-05')).toBe(0);
    expect(requiredInPost(1, periodContaining('year', '2027-06-01'), '2027-01-05')).toBe(1);
    // Half a quarter of monthly work: 3 a quarter becomes 2 (1.5 rounds up).
    expect(requiredInPost(3, quarter, '2026-05-16')).toBe(2);
    expect(requiredInPost(1, quarter, '2026-07-01')).toBe(0); // joins after the quarter
  });

  it('expects a leaver only for the time they were in post', () => {
    expect(requiredInPost(1, year, '2020-01-01', '2026-05-31')).toBe(0);
    expect(requiredInPost(4, year, '2020-01-01', '2026-09-30')).toBe(2);
    expect(requiredInPost(1, year, '2020-01-01', '2026-03-31')).toBe(0); // left before it began
  });

  it('measures how much of a period has gone by', () => {
    expect(elapsedShare(quarter, '2026-03-31')).toBe(0);
    expect(elapsedShare(quarter, '2026-06-30')).toBe(1);
    expect(elapsedShare(quarter, '2026-07-10')).toBe(1);
    expect(elapsedShare(quarter, '2026-05-15')).toBeCloseTo(45 / 91);
  });
});
