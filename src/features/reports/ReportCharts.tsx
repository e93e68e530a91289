/**
 * Charts of the dashboard's figures (recharts, loaded with this module only: see ReportsPage). They repeat
 * the tables above them, which are what screen readers and the CSV use. Readable without colour: every bar
 * carries its number, and the period before is hatched as well as paler, and named in the legend.
 */
import { Bar, BarChart, CartesianGrid, LabelList, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { goodOrBetterShare, type ReportFigures } from '../../../domain/reports';
import { grades } from '../../../domain/review';

const THIS = '#1d4f91';
const BEFORE = '#6b7f99';

function Hatching() {
  return (
    <defs>
      <pattern id="report-hatch" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">
        <rect width="8" height="8" fill="#dde4ee" />
        <line x1="0" y1="0" x2="0" y2="8" stroke={BEFORE} strokeWidth="4" />
      </pattern>
    </defs>
  );
}

/** Each grade a fill of its own that differs in pattern as well as shade, so a stack reads in grey too. */
const gradeFills: Record<string, { id: string; fill: string; pattern: 'solid' | 'dots' | 'lines' | 'cross' }> = {
  outstanding: { id: 'grade-outstanding', fill: '#8fcfb5', pattern: 'solid' },
  good: { id: 'grade-good', fill: '#2e7d5b', pattern: 'dots' },
  'requires-improvement': { id: 'grade-ri', fill: '#a05a00', pattern: 'lines' },
  inadequate: { id: 'grade-inadequate', fill: '#8c1c13', pattern: 'cross' },
};

function GradePatterns() {
  return (
    <defs>
      {Object.values(gradeFills).map((g) => (
        <pattern key={g.id} id={g.id} patternUnits="userSpaceOnUse" width="8" height="8">
          <rect width="8" height="8" fill={g.pattern === 'solid' ? g.fill : '#ffffff'} />
          {g.pattern === 'dots' && <circle cx="4" cy="4" r="2.2" fill={g.fill} />}
          {(g.pattern === 'lines' || g.pattern === 'cross') && <line x1="0" y1="8" x2="8" y2="0" stroke={g.fill} strokeWidth="2.5" />}
          {g.pattern === 'cross' && <line x1="0" y1="0" x2="8" y2="8" stroke={g.fill} strokeWidth="2.5" />}
        </pattern>
      ))}
    </defs>
  );
}

/** The trend over quarters: the overall grades stacked (each segment with its number and pattern), then the share Good or better. */
function TrendCharts({ figures }: { figures: ReportFigures }) {
  const short = (label: string) => label.replace(/ \(.*\)$/, '');
  const data = figures.trends.map((t) => ({
    quarter: short(t.period.label),
    ...Object.fromEntries(grades.map((g) => [g.value, t.overall[g.value].count])),
    share: goodOrBetterShare(t),
  }));
  return (
    <>
      <figure className="report-chart">
        <figcaption>Overall grades of reviews submitted, quarter by quarter (the table “Overall grades over the last five quarters” gives the same figures)</figcaption>
        <ResponsiveContainer width="100%" height={340}>
          <BarChart data={data} margin={{ top: 16, right: 16, bottom: 8, left: 0 }}>
            <GradePatterns />
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="quarter" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            {grades.map((g) => (
              <Bar key={g.value} dataKey={g.value} name={g.label} stackId="grades" fill={`url(#${gradeFills[g.value]!.id})`} stroke={gradeFills[g.value]!.fill} isAnimationActive={false}>
                <LabelList dataKey={g.value} position="inside" fill="#000" fontWeight="bold" formatter={(v: unknown) => (v ? String(v) : '')} />
              </Bar>
            ))}
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure className="report-chart">
        <figcaption>Share of reviews graded Good or better, quarter by quarter (%)</figcaption>
        <ResponsiveContainer width="100%" height={260}>
          <LineChart data={data} margin={{ top: 24, right: 32, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="quarter" />
            <YAxis domain={[0, 100]} unit="%" />
            <Line dataKey="share" name="Good or better" stroke={THIS} strokeWidth={2} dot={{ r: 5 }} connectNulls isAnimationActive={false}>
              <LabelList dataKey="share" position="top" formatter={(v: unknown) => (v === null || v === undefined ? '' : `${String(v)}%`)} />
            </Line>
          </LineChart>
        </ResponsiveContainer>
      </figure>
    </>
  );
}

export function ReportCharts({ figures, teamName }: { figures: ReportFigures; teamName: (id: string) => string }) {
  const thisLabel = `${figures.current.period.label} (this period)`;
  const beforeLabel = `${figures.previous.period.label} (before)`;
  const gradeData = grades.map((g) => ({
    grade: g.label,
    current: figures.current.gradeSpread.overallGrade[g.value].count,
    previous: figures.previous.gradeSpread.overallGrade[g.value].count,
  }));
  const feedbackData = figures.current.feedback.byTeam
    .filter((t) => t.averageScore !== null)
    .map((t) => ({ team: teamName(t.teamId), score: t.averageScore ?? 0 }));
  return (
    <section aria-labelledby="charts-heading">
      <h2 id="charts-heading">Charts</h2>
      <p className="hint">The same figures as the tables above.</p>
      <figure className="report-chart">
        <figcaption>Overall grades of reviews submitted: this period and the period before</figcaption>
        <ResponsiveContainer width="100%" height={320}>
          <BarChart data={gradeData} margin={{ top: 24, right: 16, bottom: 8, left: 0 }}>
            <Hatching />
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="grade" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar dataKey="current" name={thisLabel} fill={THIS} isAnimationActive={false}>
              <LabelList dataKey="current" position="top" />
            </Bar>
            <Bar dataKey="previous" name={beforeLabel} fill="url(#report-hatch)" stroke={BEFORE} isAnimationActive={false}>
              <LabelList dataKey="previous" position="top" />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <TrendCharts figures={figures} />
      {feedbackData.length > 0 && (
        <figure className="report-chart">
          <figcaption>Family feedback this period: average score from 0 to 10, by team (consented feedback only)</figcaption>
          <ResponsiveContainer width="100%" height={Math.max(160, 60 * feedbackData.length)}>
            <BarChart data={feedbackData} layout="vertical" margin={{ top: 8, right: 48, bottom: 8, left: 16 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" domain={[0, 10]} ticks={[0, 2, 4, 6, 8, 10]} />
              <YAxis type="category" dataKey="team" width={180} />
              <Bar dataKey="score" name="Average score" fill={THIS} isAnimationActive={false}>
                <LabelList dataKey="score" position="right" />
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </figure>
      )}
    </section>
  );
}
