/**
 * The child's family feedback scores over time, as a small line chart drawn in SVG. A dozen points do not
 * need a chart library (and its weight in the offline bundle). The chart is one image to a screen reader,
 * named by a summary; the same numbers are in the table beside it (ScoreTable), which is what a keyboard
 * or screen reader user reads point by point.
 */
import { feedbackGivers } from '../../../domain/feedback';
import { labelOf } from '../../../domain/options';
import { formatDate } from '../../lib/format';
import { longDate, type ScorePoint } from './feedbackScores';
import { chartSize, placeScores, plotArea as plot, pointRadius, scoreY as y } from './scoreChartLayout';

// Drawing units: the SVG scales to its box (styles.css), keeping these proportions.
const { width, height } = chartSize;
const gridScores = [0, 5, 10];

const scoreList = new Intl.ListFormat('en-GB', { style: 'long', type: 'conjunction' });
const giverLabel = (givenBy: string) => (givenBy ? labelOf(feedbackGivers, givenBy) : 'Someone in the family');

/** What the chart shows, in one sentence: how many points, and the first and last (or, all on one day, each score). */
export function chartSummary(points: readonly ScorePoint[]): string {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return 'No family feedback scores yet';
  if (points.length === 1) return `Score from 1 piece of family feedback: ${first.score} on ${longDate(first.date)}`;
  // All in one meeting: "from 6 on 1 June to 6 on 1 June" would say less than the scores themselves.
  if (first.date === last.date) return `Scores from ${points.length} pieces of family feedback on ${longDate(first.date)}: ${scoreList.format(points.map((p) => String(p.score)))}`;
  return `Scores from ${points.length} pieces of family feedback, from ${first.score} on ${longDate(first.date)} to ${last.score} on ${longDate(last.date)}`;
}

export function ScoreChart({ points }: { points: readonly ScorePoint[] }) {
  const placed = placeScores(points);
  const first = points[0];
  const last = points[points.length - 1];

  return (
    <svg className="score-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={chartSummary(points)}>
      {gridScores.map((score) => (
        <g key={score}>
          <line className="score-chart-grid" x1={plot.left - 16} x2={plot.right + 16} y1={y(score)} y2={y(score)} />
          <text className="score-chart-axis" x={plot.left - 24} y={y(score)} textAnchor="end" dominantBaseline="middle">
            {score}
          </text>
        </g>
      ))}
      {first && last && (
        <g className="score-chart-axis">
          {first.date === last.date ? (
            <text x={(plot.left + plot.right) / 2} y={height - 16} textAnchor="middle">
              {formatDate(first.date)}
            </text>
          ) : (
            <>
              <text x={plot.left} y={height - 16} textAnchor="start">
                {formatDate(first.date)}
              </text>
              <text x={plot.right} y={height - 16} textAnchor="end">
                {formatDate(last.date)}
              </text>
            </>
          )}
        </g>
      )}
      {placed.length > 1 && <polyline className="score-chart-line" points={placed.map((p) => `${p.cx},${p.cy}`).join(' ')} />}
      {placed.map((p) => (
        <circle key={p.id} className="score-chart-point" cx={p.cx} cy={p.cy} r={pointRadius}>
          <title>{`${p.score} out of 10 on ${longDate(p.date)}, from ${giverLabel(p.givenBy).toLowerCase()}`}</title>
        </circle>
      ))}
    </svg>
  );
}

/** The chart's numbers as a table, oldest first like the chart. */
export function ScoreTable({ points }: { points: readonly ScorePoint[] }) {
  return (
    <div className="table-scroll">
      <table className="score-table">
        <caption>Family feedback scores</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Who gave it</th>
            <th scope="col">Score</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.id}>
              <td>{formatDate(p.date)}</td>
              <td>{p.givenBy ? labelOf(feedbackGivers, p.givenBy) : 'Not recorded yet'}</td>
              <td>{p.score} out of 10</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
