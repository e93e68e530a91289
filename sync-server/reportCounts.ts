/**
 * The dashboard's figures counted in SQL (issue 17, item 6): for a list of periods, GROUP BY period, kind,
 * field and grade over the read model (record_facts with the documents registry), each query filtered by
 * the reading rule (access.readableWhere) and the chosen service or team — so a year of a large
 * organisation is counted where it is stored instead of fetched row by row and counted in JavaScript.
 *
 * The rules stay in domain/reports.ts: `periodFigures` and `trendFigures` are the reference, and
 * tests/integration/reportCounts.test.ts checks that these counts give the same figures on a random set.
 * A grade that counts is moderation's agreed one where there is one, the reviewers' before:
 * json_patch(grades, agreed) is exactly that, as the read model stores only grades that were given.
 */
import type { Period } from '../domain/periods';
import type { ReportCounts } from '../domain/reports';
import type { ServerDatabase } from './database';

export interface CountScope {
  /** SQL over the documents row `d`: the reading rule and the chosen service or team. */
  where: string;
  params: Record<string, string | number>;
}

/** `CASE WHEN <column> BETWEEN … THEN <index> … END`: which of the periods a day falls in (the first that holds it). */
function bucketOf(column: string, periods: Period[], params: Record<string, string | number>): string {
  const whens = periods.map((p, i) => {
    params[`p${i}s`] = p.start;
    params[`p${i}e`] = p.end;
    return `WHEN ${column} BETWEEN @p${i}s AND @p${i}e THEN ${i}`;
  });
  return `CASE ${whens.join(' ')} END`;
}

const ORDER = (value: string) => `CASE ${value} WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END`;

/**
 * Counts for each of `periods` (which must not overlap: a day counts in the first that holds it).
 * `only` limits the work to what is asked: the trend needs the overall grades' spread alone.
 */
export function countReports(db: ServerDatabase, scope: CountScope, periods: Period[], only: 'all' | 'overall-spread' = 'all'): ReportCounts {
  const params: Record<string, string | number> = { ...scope.params };
  const bucket = bucketOf('f.on_date', periods, params);
  params.from = periods.map((p) => p.start).sort()[0]!;
  params.to = periods.map((p) => p.end).sort().at(-1)!;
  const finished = `FROM record_facts f JOIN documents d ON d.name = f.doc WHERE f.on_date BETWEEN @from AND @to AND ${scope.where}`;
  const counts: ReportCounts = { activity: [], spread: [], moderated: [], moved: [], feedback: [] };

  counts.spread = db
    .prepare(
      only === 'overall-spread'
        ? `WITH r AS (SELECT ${bucket} AS period, COALESCE(json_extract(f.agreed, '$.overallGrade'), json_extract(f.grades, '$.overallGrade')) AS grade ${finished} AND d.kind = 'review')
           SELECT period, 'overallGrade' AS field, grade, COUNT(*) AS count FROM r WHERE period IS NOT NULL AND grade IS NOT NULL GROUP BY period, grade`
        : `WITH r AS (SELECT ${bucket} AS period, f.grades, f.agreed ${finished} AND d.kind = 'review')
           SELECT r.period, j.key AS field, j.value AS grade, COUNT(*) AS count FROM r, json_each(json_patch(r.grades, COALESCE(r.agreed, '{}'))) j
           WHERE r.period IS NOT NULL GROUP BY r.period, j.key, j.value`,
    )
    .all(params) as ReportCounts['spread'];
  if (only === 'overall-spread') return counts;

  counts.activity = db
    .prepare(
      `SELECT ${bucket} AS period, d.kind, COUNT(*) AS count, SUM(CASE WHEN f.consent = 'yes' THEN 1 ELSE 0 END) AS consented
       ${finished} GROUP BY 1, d.kind HAVING period IS NOT NULL`,
    )
    .all(params) as ReportCounts['activity'];

  counts.feedback = db
    .prepare(
      `SELECT ${bucket} AS period, COALESCE(d.team_id, '') AS teamId, COUNT(*) AS given, COUNT(f.score) AS scored, COALESCE(SUM(f.score), 0) AS scoreSum
       ${finished} AND d.kind = 'feedback' AND f.consent = 'yes' GROUP BY 1, 2 HAVING period IS NOT NULL`,
    )
    .all(params) as ReportCounts['feedback'];

  // A moderation counts in the period it was recorded, whenever its review was submitted.
  const moderatedBucket = bucketOf('f.moderated_on', periods, params);
  const moderatedRows = `FROM record_facts f JOIN documents d ON d.name = f.doc
    WHERE f.moderated_on BETWEEN @from AND @to AND f.agreed IS NOT NULL AND d.kind = 'review' AND ${scope.where}`;
  counts.moderated = db
    .prepare(
      `SELECT ${moderatedBucket} AS period, COUNT(*) AS count,
         SUM(CASE WHEN EXISTS (SELECT 1 FROM json_each(json_patch(f.grades, f.agreed)) k
           WHERE COALESCE(json_extract(f.agreed, '$.' || k.key), '') != COALESCE(json_extract(f.grades, '$.' || k.key), '')) THEN 1 ELSE 0 END) AS changed
       ${moderatedRows} GROUP BY 1 HAVING period IS NOT NULL`,
    )
    .all(params) as ReportCounts['moderated'];

  counts.moved = db
    .prepare(
      `WITH m AS (SELECT ${moderatedBucket} AS period, f.grades, f.agreed ${moderatedRows}),
       pairs AS (SELECT m.period, a.key AS field, ${ORDER('a.value')} AS agreedOrder, ${ORDER("json_extract(m.grades, '$.' || a.key)")} AS givenOrder FROM m, json_each(m.agreed) a)
       SELECT period, field, CASE WHEN agreedOrder > givenOrder THEN 1 ELSE -1 END AS direction, COUNT(*) AS count FROM pairs
       WHERE period IS NOT NULL AND agreedOrder IS NOT NULL AND givenOrder IS NOT NULL AND agreedOrder != givenOrder GROUP BY 1, 2, 3`,
    )
    .all(params) as ReportCounts['moved'];
  return counts;
}
