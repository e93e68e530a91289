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
import { parsePeriodId, previousPeriod } from '../domain/periods';
import {
  figureAt,
  figurePathSchema,
  openAndOverdue,
  withoutRecords,
  periodFigures,
  reportQuerySchema,
  reportRoles,
  type ReportAction,
  type ReportConcern,
  type ReportFact,
  type ReportFigures,
} from '../domain/reports';
import type { Access } from './access';
import type { ServerDatabase } from './database';

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

export class Reports {
  constructor(private readonly deps: ReportsDeps) {}

  /** May this person have reports at all (the API and the dashboard's link). */
  static allowed(user: Person): boolean {
    return (reportRoles as readonly string[]).includes(user.role);
  }

  /** The dashboard's figures without the records behind each (which a reader asks for one figure at a time). */
  summary(user: Person, query: unknown): ReportFigures {
    return withoutRecords(this.figures(user, query));
  }

  /** The records behind one figure (`query.figure`, a path such as `current.gradeSpread.overallGrade.good`). */
  recordsBehind(user: Person, query: unknown): { figure: string; count: number; records: string[] } {
    const path = figurePathSchema.safeParse((query as { figure?: unknown } | null)?.figure);
    if (!path.success) throw new ReportRefused('Say which figure.');
    const figure = figureAt(this.figures(user, query), path.data);
    if (!figure) throw new ReportRefused('There is no such figure.');
    return { figure: path.data, ...figure };
  }

  /** The figures for `query` (unchecked: period, service, team) as this person may see them, each with its records. */
  figures(user: Person, query: unknown): ReportFigures {
    if (!Reports.allowed(user)) throw new ReportRefused('Reports are for heads of service, the assistant director, the director, the QA team and the principal social worker.', 403);
    const parsed = reportQuerySchema.safeParse(query);
    if (!parsed.success) throw new ReportRefused('Choose a period.');
    const period = parsePeriodId(parsed.data.period);
    if (!period) throw new ReportRefused('Choose a period: a month, quarter, half-year or year.');
    const { service, team } = parsed.data;
    const { db } = this.deps;
    if (service && !db.prepare('SELECT 1 FROM services WHERE id = ?').get(service)) throw new ReportRefused('There is no such service.');
    if (team && !db.prepare('SELECT 1 FROM teams WHERE id = ?').get(team)) throw new ReportRefused('There is no such team.');
    const previous = previousPeriod(period);
    const readable = this.deps.access.readableWhere(user);
    const scope = `${team ? 'AND d.team_id = @team' : ''} ${service ? 'AND d.team_id IN (SELECT id FROM teams WHERE service_id = @service)' : ''}`;
    const params = { ...readable.params, team, service, from: previous.start, to: period.end };

    const facts = (
      db
        .prepare(
          `SELECT f.doc, d.kind, d.status, d.team_id, d.subject_id, f.child_id, f.on_date, f.grades, f.agreed, f.moderated_on, f.score, f.consent
           FROM record_facts f JOIN documents d ON d.name = f.doc
           WHERE ((f.on_date BETWEEN @from AND @to) OR (f.moderated_on BETWEEN @from AND @to)) ${scope} AND ${readable.sql}
           ORDER BY d.completed_at, f.doc`,
        )
        .all(params) as FactRow[]
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
    const actions = db
      .prepare(`SELECT a.id, a.doc, a.status, a.due_date AS dueDate FROM actions a JOIN documents d ON d.name = a.doc WHERE a.status = 'open' ${scope} AND ${readable.sql} ORDER BY a.due_date, a.id`)
      .all(params) as ReportAction[];
    const concerns = (
      db
        .prepare(
          `SELECT c.id, c.doc, c.due_at, c.responded_at, c.resolved_at FROM concerns c JOIN documents d ON d.name = c.doc
           WHERE c.resolved_at IS NULL ${scope} AND ${readable.sql} ORDER BY c.raised_at, c.id`,
        )
        .all(params) as { id: string; doc: string; due_at: string | null; responded_at: string | null; resolved_at: string | null }[]
    ).map((c): ReportConcern => ({ id: c.id, doc: c.doc, dueAt: c.due_at, answered: c.responded_at !== null, resolved: c.resolved_at !== null }));

    const now = this.deps.now();
    const today = dateInEngland(now);
    return {
      scope: { serviceId: service, teamId: team },
      today,
      current: periodFigures(facts, period),
      previous: periodFigures(facts, previous),
      ...openAndOverdue(actions, concerns, today, now),
    };
  }
}
