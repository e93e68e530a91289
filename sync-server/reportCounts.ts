/**
 * The dashboard's figures counted in SQL (issue 17, item 6): GROUP BY period, kind, field and grade over the
 * read model (record_facts with the documents registry), filtered by the reading rule (access.readableWhere)
 * and the chosen service or team — so a year of a large organisation is counted where it is stored instead
 * of fetched row by row and counted in JavaScript.
 *
 * One statement: the rows in scope are read once (a materialised CTE: the join and the reading rule are
 * what cost, so the registry is read through an index holding every column they need), each grade field
 * taken out of its JSON once per row, then every count is a GROUP BY over them, in one UNION ALL.
 *
 * The rules stay in domain/reports.ts: `periodFigures` and `trendFigures` are the reference, and
 * tests/integration/reportCounts.test.ts checks that these counts give the same figures on a random set.
 * A grade that counts is moderation's agreed one where there is one, the reviewers' before:
 * COALESCE(agreed, given) is exactly that, as the read model stores only grades that were given.
 */
import type { Period } from '../domain/periods';
import { reportGradeFields, type ReportCounts } from '../domain/reports';
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

const ORDER = (value: string) => `CASE ${value} WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END`;

interface Row {
  section: 'activity' | 'feedback' | 'spread' | 'moderated' | 'moved' | 'trend';
  period: number;
  a: string;
  b: string | number;
  n: number;
  m: number;
  o: number;
}

/**
 * Counts for each of `periods` (which must not overlap: a day counts in the first that holds it), and the
 * overall grades' spread for each of `trend` (quarters, likewise).
 */
export function countReports(db: ServerDatabase, scope: CountScope, periods: Period[], trend: Period[]): { counts: ReportCounts; trend: ReportCounts['spread'] } {
  const params: Record<string, string | number> = { ...scope.params };
  const all = [...periods, ...trend];
  params.from = all.map((p) => p.start).sort()[0]!;
  params.to = all.map((p) => p.end).sort().at(-1)!;
  // Each grade field read once per row, in the CTE: as given (r), as agreed (a) and the one that counts (g).
  const fields = reportGradeFields.map((field, i) => ({ field, i }));
  const perField = fields
    .map(({ field, i }) => `json_extract(f.grades, '$.${field}') AS r${i}, json_extract(f.agreed, '$.${field}') AS a${i}`)
    .join(', ');
  const sql = `
    WITH s AS MATERIALIZED (
      SELECT d.kind, COALESCE(d.team_id, '') AS team, f.consent, f.score, f.agreed IS NOT NULL AS moderated, ${perField},
        ${bucketOf('f.on_date', 'p', periods, params)} AS p,
        ${bucketOf('f.moderated_on', 'p', periods, params)} AS mp,
        ${bucketOf('f.on_date', 't', trend, params)} AS tp
      FROM record_facts f JOIN documents d INDEXED BY documents_for_reports ON d.name = f.doc
      WHERE ((f.on_date BETWEEN @from AND @to) OR (f.moderated_on BETWEEN @from AND @to)) AND ${scope.where}
    )
    SELECT 'activity' AS section, p AS period, kind AS a, '' AS b, COUNT(*) AS n, SUM(consent = 'yes') AS m, 0 AS o
      FROM s WHERE p IS NOT NULL GROUP BY p, kind
    UNION ALL
    SELECT 'feedback', p, team, '', COUNT(*), COUNT(score), COALESCE(SUM(score), 0)
      FROM s WHERE p IS NOT NULL AND kind = 'feedback' AND consent = 'yes' GROUP BY p, team
    ${fields
      .map(
        ({ field, i }) => `UNION ALL
    SELECT 'spread', p, '${field}', COALESCE(a${i}, r${i}) AS g, COUNT(*), 0, 0 FROM s WHERE p IS NOT NULL AND kind = 'review' AND g IS NOT NULL GROUP BY p, g
    UNION ALL
    SELECT 'moved', mp, '${field}', CASE WHEN ${ORDER(`a${i}`)} > ${ORDER(`r${i}`)} THEN 1 ELSE -1 END AS direction, COUNT(*), 0, 0 FROM s
      WHERE mp IS NOT NULL AND moderated AND kind = 'review' AND ${ORDER(`a${i}`)} IS NOT NULL AND ${ORDER(`r${i}`)} IS NOT NULL AND ${ORDER(`a${i}`)} != ${ORDER(`r${i}`)}
      GROUP BY mp, direction`,
      )
      .join('\n    ')}
    UNION ALL
    SELECT 'trend', tp, 'overallGrade', COALESCE(a${fields.at(-1)!.i}, r${fields.at(-1)!.i}) AS g, COUNT(*), 0, 0
      FROM s WHERE tp IS NOT NULL AND kind = 'review' AND g IS NOT NULL GROUP BY tp, g
    UNION ALL
    -- A moderation counts in the period it was recorded, whenever its review was submitted; it changed a grade when any differs.
    SELECT 'moderated', mp, '', '', COUNT(*), SUM(${fields.map(({ i }) => `COALESCE(a${i}, '') != COALESCE(r${i}, '')`).join(' OR ')}), 0
      FROM s WHERE mp IS NOT NULL AND moderated AND kind = 'review' GROUP BY mp`;
  const rows = db.prepare(sql).all(params) as Row[];

  const counts: ReportCounts = { activity: [], spread: [], moderated: [], moved: [], feedback: [] };
  const trendSpread: ReportCounts['spread'] = [];
  for (const r of rows) {
    if (r.section === 'activity') counts.activity.push({ period: r.period, kind: r.a, count: r.n, consented: r.m });
    else if (r.section === 'feedback') counts.feedback.push({ period: r.period, teamId: r.a, given: r.n, scored: r.m, scoreSum: r.o });
    else if (r.section === 'spread') counts.spread.push({ period: r.period, field: r.a, grade: String(r.b), count: r.n });
    else if (r.section === 'trend') trendSpread.push({ period: r.period, field: r.a, grade: String(r.b), count: r.n });
    else if (r.section === 'moderated') counts.moderated.push({ period: r.period, count: r.n, changed: r.m });
    else counts.moved.push({ period: r.period, field: r.a, direction: Number(r.b), count: r.n });
  }
  return { counts, trend: trendSpread };
}
