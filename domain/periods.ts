/**
 * The periods a council plans quality assurance in: months, and financial-year quarters, half-years and
 * years that start on 1 April (Q1 is April–June, DOMAIN.md). Dates are calendar days, `YYYY-MM-DD`, as the
 * council counts them (see dateInEngland in actions.ts); no times, so no time zone arithmetic here.
 */
import { z } from 'zod';

export const periodUnits = ['month', 'quarter', 'half-year', 'year'] as const;
export type PeriodUnit = (typeof periodUnits)[number];

export const periodUnitLabels: Record<PeriodUnit, string> = {
  month: 'a month',
  quarter: 'a quarter',
  'half-year': 'six months',
  year: 'a year',
};

export interface Period {
  unit: PeriodUnit;
  /** A stable id: `2026-04`, `2026-27-Q1`, `2026-27-H1`, `2026-27-FY`. */
  id: string;
  /** First and last day, inclusive. */
  start: string;
  end: string;
  label: string;
}

export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'A date is written YYYY-MM-DD.');

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function parts(date: string): [number, number, number] {
  if (!isoDateSchema.safeParse(date).success) throw new Error(`"${date}" is not a date (YYYY-MM-DD).`);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return [y, m, d];
}

/** The financial year a date falls in, by the year it starts: 2027-02-10 is in 2026–27. */
export function financialYearOf(date: string): number {
  const [y, m] = parts(date);
  return m >= 4 ? y : y - 1;
}

const fyLabel = (fy: number) => `${fy}–${pad((fy + 1) % 100)}`;
const fyId = (fy: number) => `${fy}-${pad((fy + 1) % 100)}`;

/** Months after April, 0–11, and the calendar date of such a month's first day in a financial year. */
const monthIndexInYear = (m: number) => (m + 8) % 12;
function startOfFyMonth(fy: number, index: number): [number, number] {
  const m = ((index + 3) % 12) + 1;
  return [m >= 4 ? fy : fy + 1, m];
}

function span(fy: number, firstIndex: number, months: number): { start: string; end: string } {
  const [sy, sm] = startOfFyMonth(fy, firstIndex);
  const [ey, em] = startOfFyMonth(fy, firstIndex + months - 1);
  return { start: ymd(sy, sm, 1), end: ymd(ey, em, daysInMonth(ey, em)) };
}

/** The period of a given unit that a date falls in. */
export function periodContaining(unit: PeriodUnit, date: string): Period {
  const [y, m] = parts(date);
  const fy = financialYearOf(date);
  const index = monthIndexInYear(m);
  switch (unit) {
    case 'month':
      return { unit, id: `${y}-${pad(m)}`, start: ymd(y, m, 1), end: ymd(y, m, daysInMonth(y, m)), label: `${MONTHS[m - 1]} ${y}` };
    case 'quarter': {
      const q = Math.floor(index / 3) + 1;
      const { start, end } = span(fy, (q - 1) * 3, 3);
      return { unit, id: `${fyId(fy)}-Q${q}`, start, end, label: `Q${q} ${fyLabel(fy)} (${MONTHS[Number(start.slice(5, 7)) - 1]} to ${MONTHS[Number(end.slice(5, 7)) - 1]})` };
    }
    case 'half-year': {
      const h = index < 6 ? 1 : 2;
      const { start, end } = span(fy, (h - 1) * 6, 6);
      return { unit, id: `${fyId(fy)}-H${h}`, start, end, label: `${h === 1 ? 'First' : 'Second'} half of ${fyLabel(fy)}` };
    }
    case 'year': {
      const { start, end } = span(fy, 0, 12);
      return { unit, id: `${fyId(fy)}-FY`, start, end, label: `Financial year ${fyLabel(fy)}` };
    }
  }
}

/** A period from its id (as `periodContaining` makes them), or null for anything else. */
export function parsePeriodId(id: string): Period | null {
  let match = /^(\d{4})-(\d{2})$/.exec(id);
  if (match) {
    const [y, m] = [Number(match[1]), Number(match[2])];
    return m >= 1 && m <= 12 ? periodContaining('month', ymd(y, m, 1)) : null;
  }
  match = /^(\d{4})-(\d{2})-(Q[1-4]|H[12]|FY)$/.exec(id);
  if (!match) return null;
  const fy = Number(match[1]);
  if (Number(match[2]) !== (fy + 1) % 100) return null;
  const part = match[3]!;
  if (part === 'FY') return periodContaining('year', ymd(fy, 4, 1));
  const firstIndex = part[0] === 'Q' ? (Number(part[1]) - 1) * 3 : (Number(part[1]) - 1) * 6;
  const [sy, sm] = startOfFyMonth(fy, firstIndex);
  return periodContaining(part[0] === 'Q' ? 'quarter' : 'half-year', ymd(sy, sm, 1));
}

/** The period of the same unit just before this one. */
export function previousPeriod(period: Period): Period {
  return periodContaining(period.unit, addDaysTo(period.start, -1));
}

export function addDaysTo(date: string, days: number): string {
  const [y, m, d] = parts(date);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Days from one date to another, both counted: 2026-04-01 to 2026-04-30 is 30. 0 when `to` is before `from`. */
export function daysInclusive(from: string, to: string): number {
  const [fy, fm, fd] = parts(from);
  const [ty, tm, td] = parts(to);
  const days = Math.round((Date.UTC(ty, tm - 1, td) - Date.UTC(fy, fm - 1, fd)) / 86_400_000) + 1;
  return Math.max(0, days);
}

export const withinPeriod = (period: Period, date: string) => date >= period.start && date <= period.end;

/** The share of a period (0–1) a person was in post: from the day they joined to the day they left, both counted. */
export function shareInPost(period: Period, joinedOn: string, leftOn: string | null = null): number {
  const from = joinedOn > period.start ? joinedOn : period.start;
  const to = leftOn && leftOn < period.end ? leftOn : period.end;
  return daysInclusive(from, to) / daysInclusive(period.start, period.end);
}

/**
 * How many of an activity a person is expected to do in a period, pro rata to the time they were in post,
 * to the nearest whole one (a half or more rounds up): a manager who joined with a quarter of the year
 * left is not yet expected to have observed a report once a year; one who joined in May is.
 */
export function requiredInPost(count: number, period: Period, joinedOn: string, leftOn: string | null = null): number {
  return Math.floor(count * shareInPost(period, joinedOn, leftOn) + 0.5 + 1e-9);
}

/** The share of a period (0–1) that has gone by on a date: the last day of the period counts as all of it. */
export function elapsedShare(period: Period, asOf: string): number {
  if (asOf < period.start) return 0;
  if (asOf >= period.end) return 1;
  return daysInclusive(period.start, asOf) / daysInclusive(period.start, period.end);
}

/** The months of a quarter, as month periods: a quarter's schedule is planned month by month. */
export function monthsOf(period: Period): Period[] {
  const months: Period[] = [];
  for (let date = period.start; date <= period.end; date = addDaysTo(periodContaining('month', date).end, 1)) months.push(periodContaining('month', date));
  return months;
}
