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
 * - activity and family feedback: every record finished in the periods, by period, kind and (consented
 *   feedback) team;
 * - grades: the reviews with a grade or a moderation, by the period they were finished in, the period they
 *   were moderated in and the trend's quarter they were finished in, each group summing every field's grades
 *   and moves at once — so the trend is counted in the same pass as the periods.
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

/** The grades' codes in the read model's columns (the migration's CASE): 0 Inadequate … 3 Outstanding. */
const GRADE_CODES: Record<string, number> = { inadequate: 0, 'requires-improvement': 1, good: 2, outstanding: 3 };
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

type GradeRow = { p: number | null; mp: number | null; tp: number | null; moderated: number; changed: number | null } & Record<string, number | null>;

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
       WHERE f.on_date BETWEEN @from AND @to AND p IS NOT NULL AND ${scope.where}
       GROUP BY p, kind, team`,
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
  // A review graded or moderated: the others add nothing to these counts (they count in activity).
  const graded = `COALESCE(f.changed, ${fields.map(({ field }) => `f.counted_${field}`).join(', ')}) IS NOT NULL AND d.kind = 'review'`;
  const sums = [
    ...fields.flatMap(({ field, i }) => gradeValues.map((g) => `SUM(counted_${field} = ${GRADE_CODES[g]}) AS s${i}_${GRADE_CODES[g]}`)),
    ...fields.map(({ field, i }) => `SUM(moved_${field} = 1) AS up${i}, SUM(moved_${field} = -1) AS down${i}`),
  ].join(',\n         ');
  const rows = db
    .prepare(
      `SELECT p, mp, tp, COUNT(changed) AS moderated, SUM(changed) AS changed,
         ${sums}
       FROM (
         SELECT ${bucketOf('f.on_date', 'p', periods, params)} AS p, ${moderatedIn} AS mp, ${bucketOf('f.on_date', 't', trend, params)} AS tp, ${columns}
         FROM ${READ_MODEL}
         WHERE f.on_date BETWEEN @from AND @to AND ${graded} AND ${scope.where}
         UNION ALL
         -- Moderated in the range, finished outside it: a moderation counts in the period it was recorded.
         SELECT NULL, ${moderatedIn}, NULL, ${columns}
         FROM record_facts f INDEXED BY record_facts_by_moderation JOIN documents d INDEXED BY documents_for_reports ON d.name = f.doc
         WHERE f.moderated_on BETWEEN @from AND @to AND f.on_date NOT BETWEEN @from AND @to AND ${graded} AND ${scope.where}
       )
       GROUP BY p, mp, tp`,
    )
    .all(params) as GradeRow[];
  const add = <T extends { period: number; count: number }>(list: T[], match: (item: T) => boolean, make: () => T, n: number) => {
    if (!n) return;
    const found = list.find(match);
    if (found) found.count += n;
    else list.push({ ...make(), count: n });
  };
  for (const r of rows) {
    for (const { field, i } of fields) {
      for (const grade of gradeValues) {
        const n = r[`s${i}_${GRADE_CODES[grade]}`] ?? 0;
        if (r.p !== null) add(counts.spread, (s) => s.period === r.p && s.field === field && s.grade === grade, () => ({ period: r.p!, field, grade, count: 0 }), n);
        if (r.tp !== null && field === 'overallGrade') add(trendSpread, (s) => s.period === r.tp && s.grade === grade, () => ({ period: r.tp!, field, grade, count: 0 }), n);
      }
      if (r.mp !== null) {
        for (const [direction, n] of [[1, r[`up${i}`] ?? 0], [-1, r[`down${i}`] ?? 0]] as const)
          add(counts.moved, (m) => m.period === r.mp && m.field === field && m.direction === direction, () => ({ period: r.mp!, field, direction, count: 0 }), n);
      }
    }
    if (r.mp !== null && r.moderated > 0) {
      const found = counts.moderated.find((m) => m.period === r.mp);
      if (found) {
        found.count += r.moderated;
        found.changed += r.changed ?? 0;
      } else counts.moderated.push({ period: r.mp, count: r.moderated, changed: r.changed ?? 0 });
    }
  }
}
