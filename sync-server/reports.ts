/**
 * Reports for managers and boards (issue 17): the figures for a period and a service or team, with the
 * period before, read from the read model (record_facts with the documents registry, recordFacts.ts) and the
 * server's actions and concerns — never from documents opened one by one. Every query is filtered by the
 * same reading rule as every list (access.ts), so no figure rests on a record the reader may not read.
 *
 * Who: heads of service, the assistant director, the director, the QA team and the principal social worker
 * (domain/reports.ts reportRoles). Others are refused, whatever they could read.
 */
import { dateInEngland } from '../domain/actions';
import type { Person } from '../domain/directory';
import { addDaysTo, parsePeriodId, periodContaining, previousPeriod, type Period } from '../domain/periods';
import type { CoverageInput } from '../domain/programme';
import { programmeAgainst, type ProgrammeReport } from '../domain/reportProgramme';
import {
  figureAt,
  figurePathSchema,
  openAndOverdue,
  withoutRecords,
  periodFigures,
  periodFiguresFromCounts,
  reportQuerySchema,
  reportRoles,
  trendFigures,
  trendQuarters,
  trendsFromCounts,
  type ReportAction,
  type ReportConcern,
  type ReportFact,
  type ReportFigures,
} from '../domain/reports';
import type { Access } from './access';
import type { ServerDatabase } from './database';
import { countReports } from './reportCounts';

export class ReportRefused extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 = 400,
  ) {
    super(message);
  }
}

export interface ReportsDeps {
  db: ServerDatabase;
  access: Access;
  now(): Date;
  /** The QA programme's coverage inputs (sync-server/programme.ts): what activity is measured against. */
  programme: { coverageInputs(user: Person, since: string): Omit<CoverageInput, 'asOf'> };
}


interface FactRow {
  doc: string;
  kind: ReportFact['kind'];
  status: string;
  team_id: string | null;
  subject_id: string | null;
  child_id: string;
  on_date: string;
  grades: string;
  agreed: string | null;
  moderated_on: string | null;
  score: number | null;
  consent: string;
}

const parseGrades = (json: string | null) => {
  if (json === null) return null;
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
};

/**
 * The read model's rows finished or moderated between two days, under `scope` (SQL over the registry row `d`:
 * the reading rule and whatever else narrows it): what the dashboard and the quarterly summary both count.
 */
export function readReportFacts(db: ServerDatabase, scope: { where: string; params: Record<string, string | number> }, from: string, to: string): ReportFact[] {
  return (
    db
      .prepare(
        `SELECT f.doc, d.kind, d.status, d.team_id, d.subject_id, f.child_id, f.on_date, f.grades, f.agreed, f.moderated_on, f.score, f.consent
         FROM record_facts f JOIN documents d ON d.name = f.doc
         WHERE ((f.on_date BETWEEN @from AND @to) OR (f.moderated_on BETWEEN @from AND @to)) AND ${scope.where}
         ORDER BY d.completed_at, f.doc`,
      )
      .all({ ...scope.params, from, to }) as FactRow[]
  ).map(
    (r): ReportFact => ({
      doc: r.doc,
      kind: r.kind,
      status: r.status,
      teamId: r.team_id ?? '',
      practitionerId: r.subject_id ?? '',
      childId: r.child_id,
      onDate: r.on_date,
      grades: parseGrades(r.grades) ?? {},
      agreed: parseGrades(r.agreed),
      moderatedOn: r.moderated_on,
      score: r.score,
      consent: r.consent,
    }),
  );
}

interface Context {
  period: Period;
  previous: Period;
  quarters: Period[];
  service: string;
  team: string;
  /** The reading rule and the chosen service or team, as SQL over the documents row `d`, with its parameters. */
  where: string;
  params: Record<string, string | number>;
}

export class Reports {
  constructor(private readonly deps: ReportsDeps) {}

  /** May this person have reports at all (the API and the dashboard's link). */
  static allowed(user: Person): boolean {
    return (reportRoles as readonly string[]).includes(user.role);
  }

  /**
   * The dashboard's figures without the records behind each (which a reader asks for one figure at a time):
   * counted in SQL (reportCounts.ts), equal to `figures` without its records.
   */
  summary(user: Person, query: unknown): ReportFigures {
    const c = this.context(user, query);
    const { counts, trend } = countReports(this.deps.db, c, [c.period, c.previous], c.quarters);
    return {
      scope: { serviceId: c.service, teamId: c.team },
      today: this.now().today,
      current: periodFiguresFromCounts(counts, 0, c.period),
      previous: periodFiguresFromCounts(counts, 1, c.previous),
      trends: trendsFromCounts(trend, c.quarters),
      ...this.openAndOverdue(c, 'counts'),
    };
  }

  /** Activity against the programme's expectations for the chosen period and service or team (domain/reportProgramme.ts). */
  programmeSummary(user: Person, query: unknown): ProgrammeReport {
    return withoutRecords(this.programmeFigures(user, query));
  }

  private programmeFigures(user: Person, query: unknown): ProgrammeReport {
    const c = this.context(user, query);
    // The longest expectation is yearly: what was done since the financial year the period starts in (a day's margin).
    const since = addDaysTo(periodContaining('year', c.period.start).start, -1);
    const rows = programmeAgainst({ ...this.deps.programme.coverageInputs(user, since), period: c.period, today: this.now().today, serviceId: c.service, teamId: c.team });
    return { period: { id: c.period.id, label: c.period.label }, rows };
  }

  /**
   * The records behind one figure (`query.figure`, a path such as `current.gradeSpread.overallGrade.good`):
   * only the rows of that figure's period are fetched, and the figure is built by the domain's own rules.
   */
  recordsBehind(user: Person, query: unknown): { figure: string; count: number; records: string[] } {
    const path = figurePathSchema.safeParse((query as { figure?: unknown } | null)?.figure);
    if (!path.success) throw new ReportRefused('Say which figure.');
    const c = this.context(user, query);
    const [section, index] = path.data.split('.');
    const partial: Record<string, unknown> = {};
    if (section === 'current' || section === 'previous') {
      const period = section === 'current' ? c.period : c.previous;
      partial[section] = periodFigures(this.facts(c, period.start, period.end), period);
    } else if (section === 'trends' && index !== undefined && /^\d{1,2}$/.test(index) && c.quarters[Number(index)]) {
      const quarter = c.quarters[Number(index)]!;
      const trends: unknown[] = [];
      trends[Number(index)] = trendFigures(this.facts(c, quarter.start, quarter.end), [quarter])[0];
      partial.trends = trends;
    } else if (section === 'programme') {
      partial.programme = this.programmeFigures(user, query).rows;
    } else if (section === 'actions' || section === 'concerns') {
      Object.assign(partial, this.openAndOverdue(c, 'records'));
    }
    const figure = figureAt(partial as unknown as ReportFigures, path.data);
    if (!figure) throw new ReportRefused('There is no such figure.');
    return { figure: path.data, ...figure };
  }

  /**
   * The figures with the records behind each, built by fetching every row and counting in JavaScript with
   * domain/reports.ts: the reference the SQL counts are tested against, and the benchmark's baseline.
   */
  figures(user: Person, query: unknown): ReportFigures {
    const c = this.context(user, query);
    const from = [c.previous.start, c.quarters[0]!.start].sort()[0]!;
    const to = [c.period.end, c.quarters.at(-1)!.end].sort().at(-1)!;
    const facts = this.facts(c, from, to);
    return {
      scope: { serviceId: c.service, teamId: c.team },
      today: this.now().today,
      current: periodFigures(facts, c.period),
      previous: periodFigures(facts, c.previous),
      trends: trendFigures(facts, c.quarters),
      ...this.openAndOverdue(c, 'records'),
    };
  }

  /** The query checked, and this person's reading rule with the chosen scope as SQL. */
  private context(user: Person, query: unknown): Context {
    if (!Reports.allowed(user)) throw new ReportRefused('Reports are for heads of service, the assistant director, the director, the QA team and the principal social worker.', 403);
    const parsed = reportQuerySchema.safeParse(query);
    if (!parsed.success) throw new ReportRefused('Choose a period.');
    const period = parsePeriodId(parsed.data.period);
    if (!period) throw new ReportRefused('Choose a period: a month, quarter, half-year or year.');
    const { service, team } = parsed.data;
    const { db } = this.deps;
    if (service && !db.prepare('SELECT 1 FROM services WHERE id = ?').get(service)) throw new ReportRefused('There is no such service.');
    if (team && !db.prepare('SELECT 1 FROM teams WHERE id = ?').get(team)) throw new ReportRefused('There is no such team.');
    const readable = this.deps.access.readableWhere(user);
    const where = `${readable.sql} ${team ? 'AND d.team_id = @team' : ''} ${service ? 'AND d.team_id IN (SELECT id FROM teams WHERE service_id = @service)' : ''}`;
    return { period, previous: previousPeriod(period), quarters: trendQuarters(period), service, team, where, params: { ...readable.params, team, service } };
  }

  private now() {
    const now = this.deps.now();
    return { now, today: dateInEngland(now) };
  }

  /** The read model's rows finished or moderated between two days, as this person may read them in the scope. */
  private facts(c: Context, from: string, to: string): ReportFact[] {
    return readReportFacts(this.deps.db, { where: c.where, params: c.params }, from, to);
  }

  /** Open and overdue actions and concerns, now: counted in SQL, or with their records (by the domain's rule). */
  private openAndOverdue(c: Context, how: 'counts' | 'records'): Pick<ReportFigures, 'actions' | 'concerns'> {
    const { db } = this.deps;
    const { now, today } = this.now();
    // Concerns first (CROSS JOIN keeps that order): open concerns are few, and without it SQLite's planner
    // chose to walk a service's every document under the reading rule to find them (measured 25 ms with none).
    const concerns = (
      db
        .prepare(
          `SELECT c.id, c.doc, c.due_at, c.responded_at, c.resolved_at FROM concerns c CROSS JOIN documents d ON d.name = c.doc
           WHERE c.resolved_at IS NULL AND ${c.where} ORDER BY c.raised_at, c.id`,
        )
        .all(c.params) as { id: string; doc: string; due_at: string | null; responded_at: string | null; resolved_at: string | null }[]
    ).map((r): ReportConcern => ({ id: r.id, doc: r.doc, dueAt: r.due_at, answered: r.responded_at !== null, resolved: r.resolved_at !== null }));
    if (how === 'records') {
      const actions = db
        .prepare(`SELECT a.id, a.doc, a.status, a.due_date AS dueDate FROM actions a JOIN documents d ON d.name = a.doc WHERE a.status = 'open' AND ${c.where} ORDER BY a.due_date, a.id`)
        .all(c.params) as ReportAction[];
      return openAndOverdue(actions, concerns, today, now);
    }
    // Open concerns are few: counted by the domain's rule. Open actions may be thousands: counted in SQL (overdue: due before today).
    const counts = db
      .prepare(`SELECT COUNT(*) AS open, COALESCE(SUM(CASE WHEN a.due_date < @today THEN 1 ELSE 0 END), 0) AS overdue FROM actions a JOIN documents d ON d.name = a.doc WHERE a.status = 'open' AND ${c.where}`)
      .get({ ...c.params, today }) as { open: number; overdue: number };
    const fromConcerns = withoutRecords(openAndOverdue([], concerns, today, now));
    return { actions: { open: { count: counts.open, records: [] }, overdue: { count: counts.overdue, records: [] } }, concerns: fromConcerns.concerns };
  }
}
