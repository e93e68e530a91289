/**
 * Where each score sits on the child's chart (ScoreChart), in the chart's drawing units. Kept apart from
 * the drawing so the placing can be tested on its own.
 *
 * Several people often give feedback in one meeting (issue 6: "the next person"), so several points share
 * a day. Placed on the day alone they would sit on top of each other when their scores match, and the chart
 * would show one point where the table lists two. Points on the same day are therefore spread a little
 * either side of it, in the order they were started, far enough apart that no two circles overlap.
 */
import type { ScorePoint } from './feedbackScores';

export const chartSize = { width: 640, height: 260 };
export const plotArea = { left: 56, right: chartSize.width - 32, top: 20, bottom: chartSize.height - 52 };
export const pointRadius = 8;
/** Centre to centre for points on one day: a diameter and a visible gap. */
const sameDaySpacing = pointRadius * 2 + 6;

interface PlacedPoint extends ScorePoint {
  cx: number;
  cy: number;
}

const dayOf = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`);

/** The height of a score: 0 at the bottom of the plot, 10 at the top (SVG y grows downwards). */
export const scoreY = (score: number) => plotArea.bottom - (score / 10) * (plotArea.bottom - plotArea.top);

/** Places points given oldest first (scorePoints' order), keeping that order left to right. */
export function placeScores(points: readonly ScorePoint[]): PlacedPoint[] {
  // x is the time between the dates, not the order alone: a gap of months shows as a gap.
  const days = points.map((p) => dayOf(p.date));
  const from = Math.min(...days);
  const to = Math.max(...days);
  const dayX = (day: number) =>
    to === from ? (plotArea.left + plotArea.right) / 2 : plotArea.left + ((day - from) / (to - from)) * (plotArea.right - plotArea.left);

  const placed: PlacedPoint[] = [];
  for (let start = 0; start < points.length; ) {
    let end = start;
    while (end < points.length && days[end] === days[start]) end++;
    const count = end - start;
    // A day with more points than fit at full spacing (not a meeting that happens) squeezes them to fit.
    const spacing = count > 1 ? Math.min(sameDaySpacing, (plotArea.right - plotArea.left) / (count - 1)) : 0;
    const spread = (count - 1) * spacing;
    // Centred on the day, but kept inside the plot: the first and last days sit on its edges.
    const first = Math.min(Math.max(dayX(days[start]!) - spread / 2, plotArea.left), plotArea.right - spread);
    for (let i = 0; i < count; i++) {
      const point = points[start + i]!;
      placed.push({ ...point, cx: first + i * spacing, cy: scoreY(point.score) });
    }
    start = end;
  }
  return placed;
}
