import { describe, expect, it } from 'vitest';
import type { ScorePoint } from './feedbackScores';
import { placeScores, plotArea, pointRadius, scoreY } from './scoreChartLayout';

let next = 0;
const point = (date: string, score: number, givenBy = 'parent'): ScorePoint => ({ id: `f${++next}`, date, score, givenBy });
const middle = (plotArea.left + plotArea.right) / 2;

describe('placing scores on the child’s chart', () => {
  it('puts the first and last days on the plot’s edges and the rest by the time between them', () => {
    const placed = placeScores([point('2024-01-01', 2), point('2024-01-11', 5), point('2024-01-31', 9)]);
    expect(placed.map((p) => p.cx)).toEqual([plotArea.left, plotArea.left + (plotArea.right - plotArea.left) / 3, plotArea.right]);
    expect(placed.map((p) => p.cy)).toEqual([scoreY(2), scoreY(5), scoreY(9)]);
    expect(scoreY(0)).toBe(plotArea.bottom);
    expect(scoreY(10)).toBe(plotArea.top);
  });

  it('centres a single point', () => {
    expect(placeScores([point('2024-05-05', 7)]).map((p) => p.cx)).toEqual([middle]);
  });

  it('spreads the people in one meeting either side of the day, in the order they were started, so no two overlap', () => {
    // A mother and her son both say 6 in the same meeting: two points, not one on top of the other.
    const mother = point('2024-05-05', 6, 'parent');
    const son = point('2024-05-05', 6, 'child');
    const placed = placeScores([mother, son]);
    expect(placed.map((p) => p.id)).toEqual([mother.id, son.id]);
    const [left, right] = placed.map((p) => p.cx) as [number, number];
    expect(right - left).toBeGreaterThan(2 * pointRadius);
    expect((left + right) / 2).toBe(middle);
    expect(placed[0]!.cy).toBe(placed[1]!.cy);
  });

  it('keeps a spread day inside the plot when it is the first or last day', () => {
    const placed = placeScores([point('2024-01-01', 3), point('2024-01-01', 4), point('2024-01-01', 5), point('2024-03-01', 8), point('2024-03-01', 8)]);
    const cx = placed.map((p) => p.cx);
    expect(cx[0]).toBe(plotArea.left);
    expect(cx[4]).toBe(plotArea.right);
    expect([...cx].sort((a, b) => a - b)).toEqual(cx);
    for (let i = 1; i < cx.length; i++) expect(cx[i]! - cx[i - 1]!).toBeGreaterThan(2 * pointRadius);
  });

  it('squeezes a day with more points than fit, rather than drawing outside the chart', () => {
    const placed = placeScores(Array.from({ length: 60 }, () => point('2024-01-01', 5)));
    const cx = placed.map((p) => p.cx);
    expect(Math.min(...cx)).toBeGreaterThanOrEqual(plotArea.left);
    expect(Math.max(...cx)).toBeLessThanOrEqual(plotArea.right + 1e-9);
    expect(new Set(cx).size).toBe(60);
  });

  it('places nothing when there is nothing', () => {
    expect(placeScores([])).toEqual([]);
  });
});
