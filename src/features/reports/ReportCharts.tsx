/**
 * Charts of the dashboard's figures (recharts, loaded with this module only: see ReportsPage). They repeat
 * the tables above them, which are what screen readers and the CSV use. Readable without colour: every bar
 * carries its number, and the period before is hatched as well as paler, and named in the legend.
 */
import { Bar, BarChart, CartesianGrid, LabelList, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ReportFigures } from '../../../domain/reports';
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
