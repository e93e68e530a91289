/** The points of the child's score chart, from the device's index of records (no document is opened). */
import type { RecordSummary } from '../../../domain/records';
import { todayIsoDate } from '../../lib/format';

export interface ScorePoint {
  id: string;
  /** The day the feedback was given, `YYYY-MM-DD`. */
  date: string;
  score: number;
  /** A `feedbackGivers` value, or '' while not recorded. */
  givenBy: string;
}

const wholeScore = /^(10|[0-9])$/;

/**
 * One point per family feedback with a score, oldest first. A draft may not have its date yet: then the
 * day it was started stands in, on this device's calendar rather than UTC's (feedback begun just after
 * midnight in British Summer Time belongs to that day, not the one before).
 */
export function scorePoints(records: readonly RecordSummary[]): ScorePoint[] {
  return records
    .filter((r) => r.kind === 'feedback' && wholeScore.test(r.score ?? ''))
    .map((r) => ({ point: { id: r.id, date: r.date || todayIsoDate(new Date(r.createdAt)), score: Number(r.score), givenBy: r.givenBy ?? '' }, createdAt: r.createdAt }))
    // Two on the same day: the one started first comes first.
    .sort((a, b) => a.point.date.localeCompare(b.point.date) || a.createdAt.localeCompare(b.createdAt))
    .map(({ point }) => point);
}

/** A date written out in full, as a screen reader should say it: "2 March 2026". */
export function longDate(isoDate: string): string {
  const date = new Date(`${isoDate.slice(0, 10)}T12:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDate : date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}
