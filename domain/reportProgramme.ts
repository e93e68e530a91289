/**
 * Activity against the programme's expectations, for the dashboard (issue 17, item 2): for a chosen period
 * and service or team, each expectation's done against expected, and its coverage. Built on the
 * programme's own rule for coverage (programme.ts computeCoverage), so the dashboard and Programme →
 * Coverage never disagree about who has done what; this only adds up its rows over the chosen period.
 *
 * - An expectation per period as long as the chosen one or shorter (monthly, in a quarter) is counted in each
 *   of its periods within the chosen one (three months), up to today.
 * - One per longer period (yearly, in a quarter) is counted in the longer period containing the chosen one,
 *   up to the chosen period's end or today: "so far this year".
 */
import { periodContaining, type Period, type PeriodUnit } from './periods';
import { computeCoverage, type CoverageInput } from './programme';
import type { Figure } from './reports';

export interface ProgrammeFigure {
  expectationId: string;
  description: string;
  /** What span the row counts, in words ("Q3 2026–27", "each month of …", "Financial year …, to 31 Dec"). */
  span: string;
  /** People (or, for the organisation's own expectation, the organisation) it is expected of in the scope. */
  expectedOf: number;
  /** What is expected in all: observations or reviews (or, for each direct report, people to be observed). */
  expected: number;
  done: number;
  /** Of what is expected, what is done (each person's done capped at what is expected of them), as a whole percentage. */
  coverage: number | null;
  /** The records counted. */
  records: Figure;
}

const months: Record<PeriodUnit, number> = { month: 1, quarter: 3, 'half-year': 6, year: 12 };
const nextPeriod = (p: Period) => {
  const [y, m, d] = p.end.split('-').map(Number) as [number, number, number];
  return periodContaining(p.unit, new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10));
};
const dayLabel = (date: string) => new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** Activity against the programme for the dashboard: each expectation's done and expected. */
export interface ProgrammeReport {
  period: { id: string; label: string };
  rows: ProgrammeFigure[];
}

export interface ProgrammeAgainstInput extends Omit<CoverageInput, 'asOf'> {
  period: Period;
  today: string;
  /** The chosen service or team ('' for any): rows of people in it; the organisation's own only when neither is chosen. */
  serviceId: string;
  teamId: string;
}

export function programmeAgainst(input: ProgrammeAgainstInput): ProgrammeFigure[] {
  const { period, today } = input;
  const out: ProgrammeFigure[] = [];
  for (const e of input.expectations) {
    const spans: Period[] = [];
    if (months[e.period] <= months[period.unit]) {
      for (let p = periodContaining(e.period, period.start); p.start <= period.end; p = nextPeriod(p)) spans.push(p);
    } else spans.push(periodContaining(e.period, period.end));
    let expected = 0;
    let done = 0;
    let met = 0;
    let expectedOf = 0;
    let description = '';
    const records: string[] = [];
    let last = '';
    for (const span of spans) {
      if (span.start > today) continue;
      const asOf = [span.end, today, period.end].sort()[0]!;
      last = asOf;
      const coverage = computeCoverage({ ...input, asOf, expectations: [e] });
      const rows = coverage.rows.filter((r) => (!input.serviceId || r.serviceId === input.serviceId) && (!input.teamId || r.teamId === input.teamId));
      const organisation = input.serviceId || input.teamId ? [] : coverage.organisation;
      description ||= rows[0]?.description ?? organisation[0]?.description ?? '';
      for (const r of [...rows, ...organisation]) {
        expected += r.required;
        done += r.done;
        met += Math.min(r.done, r.required);
        records.push(...r.records);
      }
      expectedOf = Math.max(expectedOf, rows.length + organisation.length);
    }
    if (expectedOf === 0) continue;
    const span =
      spans.length === 1 && spans[0]!.id === period.id
        ? period.label
        : months[e.period] < months[period.unit]
          ? `Each ${e.period === 'month' ? 'month' : e.period === 'quarter' ? 'quarter' : 'half-year'} of ${period.label}`
          : `${spans[0]!.label}, to ${dayLabel(last)}`;
    const unique = [...new Set(records)];
    out.push({ expectationId: e.id, description, span, expectedOf, expected, done, coverage: expected === 0 ? null : Math.round((met / expected) * 100), records: { count: unique.length, records: unique } });
  }
  return out;
}
