import { describe, expect, it } from 'vitest';
import { parsePeriodId } from '../../../domain/periods';
import { openAndOverdue, periodFigures, trendFigures, trendQuarters, reportGradeFields, type ReportFact, type ReportFigures } from '../../../domain/reports';
import { BOM, fromCsv, toCsv } from '../../lib/csv';
import { csvRows, reportTables } from './tables';

const good = Object.fromEntries(reportGradeFields.map((f) => [f, 'good']));
const fact = (over: Partial<ReportFact> & Pick<ReportFact, 'doc' | 'kind'>): ReportFact => ({
  status: 'complete', teamId: 'north', practitionerId: '', childId: 'C1', onDate: '2026-10-10', grades: {}, agreed: null, moderatedOn: null, score: null, consent: '', ...over,
});
const facts = [
  fact({ doc: 'review/a', kind: 'review', grades: good, agreed: { ...good, overallGrade: 'inadequate' }, moderatedOn: '2026-10-12' }),
  fact({ doc: 'review/b', kind: 'review', onDate: '2026-08-01', grades: { ...good, overallGrade: 'outstanding' } }),
  fact({ doc: 'feedback/1', kind: 'feedback', score: 7, consent: 'yes', teamId: 'odd' }),
];
const q3 = parsePeriodId('2026-27-Q3')!;
const figures: ReportFigures = {
  scope: { serviceId: '', teamId: '' },
  today: '2026-11-20',
  current: periodFigures(facts, q3),
  previous: periodFigures(facts, parsePeriodId('2026-27-Q2')!),
  trends: trendFigures(facts, trendQuarters(q3)),
  ...openAndOverdue([{ id: 'x', doc: 'review/a', status: 'open', dueDate: '2026-11-01' }], [], '2026-11-20', new Date('2026-11-20T12:00:00Z')),
};
// A team name with everything CSV must quote, and characters Excel mangles without the byte-order mark.
const teamName = (id: string) => (id === 'odd' ? 'Children’s "Edge", Café\nTeam' : 'North');

describe('the dashboard’s tables as CSV', () => {
  const tables = reportTables(figures, teamName);

  it('has the hand-computed figures', () => {
    const activity = tables.find((t) => t.id === 'activity')!;
    expect(csvRows(activity)).toEqual([
      [q3.label + ' (this period)', { date: '2026-10-01' }, { date: '2026-12-31' }, 0, 1, 1, 1],
      [parsePeriodId('2026-27-Q2')!.label + ' (the period before)', { date: '2026-07-01' }, { date: '2026-09-30' }, 0, 1, 0, 0],
    ]);
    expect(csvRows(tables.find((t) => t.id === 'overall-grades')!)[0]!.slice(3)).toEqual([0, 0, 0, 1]);
    expect(csvRows(tables.find((t) => t.id === 'open-and-overdue')!)).toEqual([
      ['Actions', { date: '2026-11-20' }, 1, 1],
      ['Immediate concerns', { date: '2026-11-20' }, 0, 0],
    ]);
  });

  it('round-trips every table: UTF-8 with a byte-order mark, CRLF, dates as YYYY-MM-DD, text exactly as written', () => {
    for (const table of tables) {
      const csv = toCsv(table.headers, csvRows(table));
      expect(csv.startsWith(BOM)).toBe(true);
      expect(csv.split('\r\n')[0]).toBe(BOM + table.headers.join(','));
      const expected = [table.headers, ...csvRows(table).map((row) => row.map((c) => (typeof c === 'object' ? c.date : String(c))))];
      expect(fromCsv(csv)).toEqual(expected);
    }
    const feedback = fromCsv(toCsv(tables.find((t) => t.id === 'family-feedback')!.headers, csvRows(tables.find((t) => t.id === 'family-feedback')!)));
    expect(feedback[1]).toEqual(['Children’s "Edge", Café\nTeam', `${q3.label} (this period)`, '2026-10-01', '2026-12-31', '1', '1', '7']);
    // The bytes Excel reads: EF BB BF first.
    expect([...new TextEncoder().encode(toCsv(['a'], [['b']])).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('keeps a formula out of a cell', () => {
    expect(fromCsv(toCsv(['Team'], [['=HYPERLINK("x")']]))[1]).toEqual(['\'=HYPERLINK("x")']);
  });
});
