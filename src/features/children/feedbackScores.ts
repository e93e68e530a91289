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

/** Why feedback is left out of a child's chart and every figure about it. */
export interface LeftOut {
  /** Not finished yet (a draft): what it says may still change, and they have not yet agreed to its use. */
  notFinished: number;
  /** Finished, but without their agreement to it being used. */
  noConsent: number;
}

/** Only finished feedback that they agreed may be used counts anywhere: the chart, the table, any figure. */
export const usableFeedback = (r: RecordSummary) => r.kind === 'feedback' && r.status !== 'draft' && r.consent === 'yes';

/** How many of a child's pieces of feedback are left out, and why (each counted once: not finished comes first). */
export function leftOutFeedback(records: readonly RecordSummary[]): LeftOut {
  const feedback = records.filter((r) => r.kind === 'feedback' && !usableFeedback(r));
  const notFinished = feedback.filter((r) => r.status === 'draft').length;
  return { notFinished, noConsent: feedback.length - notFinished };
}

/** The sentence under the chart: how many were left out and why; null when none were. */
export function leftOutSentence({ notFinished, noConsent }: LeftOut): string | null {
  const total = notFinished + noConsent;
  if (total === 0) return null;
  const pieces = (n: number) => `${n} ${n === 1 ? 'piece' : 'pieces'} of family feedback`;
  const reasons = [
    notFinished > 0 ? `${notFinished} ${notFinished === 1 ? 'is' : 'are'} not finished yet` : '',
    noConsent > 0 ? `${noConsent} ${noConsent === 1 ? 'does' : 'do'} not have their agreement to be used` : '',
  ].filter(Boolean);
  return `${pieces(total)} ${total === 1 ? 'is' : 'are'} left out of the chart and the table: ${reasons.join(', and ')}.`;
}

/**
 * One point per finished family feedback with their agreement and a score, oldest first. A draft may not have its date yet: then the
 * day it was started stands in, on this device's calendar rather than UTC's (feedback begun just after
 * midnight in British Summer Time belongs to that day, not the one before).
 */
export function scorePoints(records: readonly RecordSummary[]): ScorePoint[] {
  return records
    .filter((r) => usableFeedback(r) && wholeScore.test(r.score ?? ''))
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
