/**
 * The reports dashboard as a document (issue 17, item 4): its tables, as the screen shows them, with the
 * organisation's name and protective marking, the period, what was compared and the scope — rendered to
 * PDF by the same `renderPdf` as every record, so a board paper and a record's copy look alike.
 */
import { formatDate } from '../format';
import { defaultOrganisation, type DocSection, type DocumentModel, type OrganisationSettings } from './model';

/** A table as words: the dashboard gives each figure as its count and each date as a day. */
export interface DashboardTable {
  id: string;
  title: string;
  caption: string;
  headers: string[];
  rows: string[][];
}

export interface DashboardInput {
  organisation?: OrganisationSettings;
  /** The chosen period ("Q3 2026–27 (October to December)") and its id ("2026-27-Q3"). */
  period: { id: string; label: string };
  previousLabel: string;
  /** What the figures cover, in words ("Safeguarding", "everything you may read"). */
  scope: string;
  /** Whose figures: only the records this person may read are counted. */
  madeBy: string;
  tables: DashboardTable[];
  /** The day the figures were counted (the server's "today"). */
  asOf: string;
  madeAt?: Date;
}

/** A file name from the period, the scope and the day: `reports_2026-27-Q3_safeguarding_2026-12-03.pdf`. */
export function dashboardFileName(periodId: string, scope: string, madeAt: Date): string {
  const slug = scope
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `reports_${periodId}_${slug || 'all'}_${madeAt.toISOString().slice(0, 10)}.pdf`;
}

/**
 * The "From" and "To" columns left out: each period's label already names it, and a page is narrower
 * than a screen — ten columns would break words like "Outstanding" across lines.
 */
function withoutDayColumns(table: DashboardTable): DashboardTable {
  const keep = table.headers.map((h, i) => (h === 'From' || h === 'To' ? -1 : i)).filter((i) => i >= 0);
  return { ...table, headers: keep.map((i) => table.headers[i]!), rows: table.rows.map((r) => keep.map((i) => r[i] ?? '')) };
}

export function dashboardDocument(input: DashboardInput): DocumentModel {
  const madeAt = input.madeAt ?? new Date();
  const sections: DocSection[] = input.tables.map(withoutDayColumns).map((t) => ({
    id: `report-${t.id}`,
    heading: t.title,
    blocks:
      t.rows.length === 0
        ? [{ kind: 'paragraph', text: `${t.caption} None in this period.`, muted: true }]
        : [{ kind: 'table', name: t.title, caption: t.caption, columns: t.headers, rows: t.rows }],
  }));
  return {
    organisation: input.organisation ?? defaultOrganisation,
    title: 'Quality assurance reports',
    final: true,
    statusLabel: `Figures as of ${formatDate(input.asOf)}`,
    madeAt: madeAt.toISOString(),
    summary: [
      { label: 'Period', value: input.period.label },
      { label: 'Compared with', value: input.previousLabel },
      { label: 'Scope', value: input.scope },
      { label: 'Counted for', value: `${input.madeBy}: only records they may read are counted` },
    ],
    sections,
    fileName: dashboardFileName(input.period.id, input.scope, madeAt),
    subject: `${input.period.label}, ${input.scope}`,
  };
}
