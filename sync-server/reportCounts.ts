/**
 * The dashboard's figures counted in SQL (issue 17, item 6) over the read model (record_facts with the
 * documents registry), filtered by the reading rule (access.readableWhere) and the chosen service or team —
 * so a year of a large organisation is counted where it is stored instead of fetched row by row and counted
 * in JavaScript.
 *
 * No JSON is read: the grade that counts per field, how moderation moved it and whether moderation changed
 * any grade are columns of the read model (kept by triggers, see the migration in database.ts), and every
 * column read is in the index record_facts_for_reports, led by the day the record was finished. Two
 * statements, each one pass over its rows and one GROUP BY into a few dozen rows:
 * - activity and family feedback: the observations and feedback finished in the periods, by period, kind
 *   and (consented feedback) team;
 * - reviews: by the period they were finished in, the period they were moderated in and the trend's quarter
 *   they were finished in, each group counting the reviews and summing every field's grades and moves at
 *   once — so the trend is counted in the same pass as the periods.
 * Each takes its kinds by the read model's copy of the kind before joining the registry, so no row is joined
 * twice.
 * The registry is joined through its covering index `documents_for_reports` for the reading rule and the
 * scope (named: SQLite's planner otherwise prefers the unique key, measured 7× slower for a year's rows).
 *
 * The rules stay in domain/reports.ts: `periodFigures` and `trendFigures` are the reference, and
 * tests/integration/reportCounts.test.ts checks that these counts give the same figures on a random set.
 */
import type { Period } from '../domain/periods';
import { reportGradeFields, type ReportCounts } from '../domain/reports';
import { grades } from '../domain/review';
import type { ServerDatabase } from './database';

export interface CountScope {
  /** SQL over the documents row `d`: the reading rule and the chosen service or team. */
  where: string;
  params: Record<string, string | number>;
}

/** `CASE WHEN <column> BETWEEN … THEN <index> … END`: which of the periods a day falls in (the first that holds it). */
function bucketOf(column: string, prefix: string, periods: Period[], params: Record<string, string | number>): string {
  const whens = periods.map((p, i) => {
    params[`${prefix}${i}s`] = p.start;
    params[`${prefix}${i}e`] = p.end;
    return `WHEN ${column} BETWEEN @${prefix}${i}s AND @${prefix}${i}e THEN ${i}`;
  });
  return `CASE ${whens.join(' ')} END`;
}

const gradeValues = grades.map((g) => g.value);
const fields = reportGradeFields.map((field, i) => ({ field, i }));

const range = (periods: Period[]) => ({ from: periods.map((p) => p.start).sort()[0]!, to: periods.map((p) => p.end).sort().at(-1)! });

const READ_MODEL = 'record_facts f INDEXED BY record_facts_for_reports JOIN documents d INDEXED BY documents_for_reports ON d.name = f.doc';

interface ActivityRow {
  p: number;
  kind: string;
  team: string | null;
  n: number;
  consented: number;
  scored: number;
  scoreSum: number;
}

type GradeRow = { p: bigint | null; mp: bigint | null; tp: bigint | null } & Record<string, bigint | null>;

/**
 * Two counts in one SUM: the first in the low 32 bits, the second above them. Summing half as many values
 * is most of what counting grades costs; a sum past 63 bits is an error in SQLite, never a wrong figure.
 */
const LANE = 2n ** 32n;
const twoCounts = (value: string, first: number, second: number) => `SUM(CASE ${value} WHEN ${first} THEN 1 WHEN ${second} THEN ${LANE} END)`;
const periodOf = (index: bigint | null) => (index === null ? null : Number(index));
const lanes = (sum: bigint | null | undefined): [number, number] => (sum ? [Number(sum % LANE), Number(sum / LANE)] : [0, 0]);

/**
 * Counts for each of `periods` (which must not overlap: a day counts in the first that holds it), and the
 * overall grades' spread for each of `trend` (quarters, likewise).
 */
export function countReports(db: ServerDatabase, scope: CountScope, periods: Period[], trend: Period[]): { counts: ReportCounts; trend: ReportCounts['spread'] } {
  const counts: ReportCounts = { activity: [], spread: [], moderated: [], moved: [], feedback: [] };
  const trendSpread: ReportCounts['spread'] = [];
  // One read transaction: both statements count the same state of the read model.
  db.transaction(() => {
    countActivity(db, scope, periods, counts);
    countGrades(db, scope, periods, trend, counts, trendSpread);
  })();
  return { counts, trend: trendSpread };
}

function countActivity(db: ServerDatabase, scope: CountScope, periods: Period[], counts: ReportCounts) {
  const params: Record<string, string | number> = { ...scope.params };
  const { from, to } = range(periods);
  Object.assign(params, { from, to });
  const rows = db
    .prepare(
      `SELECT ${bucketOf('f.on_date', 'p', periods, params)} AS p, d.kind AS kind,
         CASE WHEN d.kind = 'feedback' AND f.consent = 'yes' THEN COALESCE(d.team_id, '') END AS team,
         COUNT(*) AS n, SUM(f.consent = 'yes') AS consented, COUNT(f.score) AS scored, COALESCE(SUM(f.score), 0) AS scoreSum
       FROM ${READ_MODEL}
       WHERE f.on_date BETWEEN @from AND @to AND f.record_kind != 'review' AND p IS NOT NULL AND ${scope.where}
       GROUP BY p, d.kind, team`,
    )
    .all(params) as ActivityRow[];
  const activity = new Map<string, ReportCounts['activity'][number]>();
  for (const r of rows) {
    const key = `${r.p} ${r.kind}`;
    const a = activity.get(key) ?? { period: r.p, kind: r.kind, count: 0, consented: 0 };
    a.count += r.n;
    a.consented += r.consented;
    activity.set(key, a);
    // Families' words and scores count only with their consent: only consented feedback has a team here.
    if (r.team !== null) counts.feedback.push({ period: r.p, teamId: r.team, given: r.n, scored: r.scored, scoreSum: r.scoreSum });
  }
  counts.activity.push(...activity.values());
}

function countGrades(db: ServerDatabase, scope: CountScope, periods: Period[], trend: Period[], counts: ReportCounts, trendSpread: ReportCounts['spread']) {
  const params: Record<string, string | number> = { ...scope.params };
  const { from, to } = range([...periods, ...trend]);
  Object.assign(params, { from, to });
  const columns = [...fields.map(({ field }) => `f.counted_${field}`), ...fields.map(({ field }) => `f.moved_${field}`), 'f.changed'].join(', ');
  const moderatedIn = bucketOf('f.moderated_on', 'm', periods, params);
  // Reviews only, taken by the read model's copy of the kind before the registry is joined.
  const reviewsOnly = `f.record_kind = 'review' AND d.kind = 'review'`;
  // Per field: the grades that count (the migration's codes: 0 Inadequate and 1 Requires Improvement, 2 Good and 3 Outstanding) and moderation's moves (up, down), two counts to a sum.
  const sums = [
    ...fields.flatMap(({ field, i }) => [`${twoCounts(`counted_${field}`, 0, 1)} AS low${i}`, `${twoCounts(`counted_${field}`, 2, 3)} AS high${i}`]),
    ...fields.map(({ field, i }) => `${twoCounts(`moved_${field}`, 1, -1)} AS moved${i}`),
  ].join(',\n         ');
  const rows = db
    .prepare(
      `SELECT p, mp, tp, COUNT(*) AS reviews, ${twoCounts('changed', 0, 1)} AS moderation,
         ${sums}
       FROM (
         SELECT ${bucketOf('f.on_date', 'p', periods, params)} AS p, ${moderatedIn} AS mp, ${bucketOf('f.on_date', 't', trend, params)} AS tp, ${columns}
         FROM ${READ_MODEL}
         WHERE f.on_date BETWEEN @from AND @to AND ${reviewsOnly} AND ${scope.where}
         UNION ALL
         -- Moderated in the range, finished outside it: a moderation counts in the period it was recorded.
         SELECT NULL, ${moderatedIn}, NULL, ${columns}
         FROM record_facts f INDEXED BY record_facts_by_moderation JOIN documents d INDEXED BY documents_for_reports ON d.name = f.doc
         WHERE f.moderated_on BETWEEN @from AND @to AND f.on_date NOT BETWEEN @from AND @to AND ${reviewsOnly} AND ${scope.where}
       )
       GROUP BY p, mp, tp`,
    )
    .safeIntegers(true)
    .all(params) as GradeRow[];
  const add = <T extends { period: number; count: number }>(list: T[], match: (item: T) => boolean, make: () => T, n: number) => {
    if (!n) return;
    const found = list.find(match);
    if (found) found.count += n;
    else list.push({ ...make(), count: n });
  };
  for (const row of rows) {
    const [p, mp, tp] = [periodOf(row.p), periodOf(row.mp), periodOf(row.tp)];
    if (p !== null) add(counts.activity, (a) => a.period === p && a.kind === 'review', () => ({ period: p, kind: 'review', count: 0, consented: 0 }), Number(row.reviews));
    for (const { field, i } of fields) {
      const [inadequate, requiresImprovement] = lanes(row[`low${i}`]);
      const [good, outstanding] = lanes(row[`high${i}`]);
      const byGrade: Record<string, number> = { inadequate, 'requires-improvement': requiresImprovement, good, outstanding };
      for (const grade of gradeValues) {
        const n = byGrade[grade] ?? 0;
        if (p !== null) add(counts.spread, (s) => s.period === p && s.field === field && s.grade === grade, () => ({ period: p, field, grade, count: 0 }), n);
        if (tp !== null && field === 'overallGrade') add(trendSpread, (s) => s.period === tp && s.grade === grade, () => ({ period: tp, field, grade, count: 0 }), n);
      }
      if (mp !== null) {
        const [up, down] = lanes(row[`moved${i}`]);
        add(counts.moved, (m) => m.period === mp && m.field === field && m.direction === 1, () => ({ period: mp, field, direction: 1, count: 0 }), up);
        add(counts.moved, (m) => m.period === mp && m.field === field && m.direction === -1, () => ({ period: mp, field, direction: -1, count: 0 }), down);
      }
    }
    const [unchanged, changed] = lanes(row.moderation);
    if (mp !== null && unchanged + changed > 0) {
      const found = counts.moderated.find((m) => m.period === mp);
      if (found) {
        found.count += unchanged + changed;
        found.changed += changed;
      } else counts.moderated.push({ period: mp, count: unchanged + changed, changed });
    }
  }
}
