/**
 * The reports dashboard (issue 17): for a period and a service or team, the figures as tables first — each
 * count opens the records behind it, each table downloads as CSV — then charts of the same figures, loaded
 * on this screen only. Figures come from the server, built only on records this person may read.
 */
import { lazy, Suspense, useRef, useState } from 'react';
import { RecordLinks } from '../../components/RecordLinks';
import { Link, useSearchParams } from 'react-router';
import { dateInEngland } from '../../../domain/actions';
import { parsePeriodId, periodContaining, previousPeriod, type Period, type PeriodUnit } from '../../../domain/periods';
import { useCachedDirectory, useCachedServices, useOrganisationSettings } from '../../data/directory';
import { useProgrammeReport, useRecordsBehind, useReport } from '../../data/reports';
import { useSignedIn } from '../../data/sessionContext';
import { SelectField } from '../../components/fields';
import { downloadCsv, toCsv } from '../../lib/csv';
import { dashboardDocument } from '../../lib/document/dashboard';
import { paths } from '../../lib/routes';
import { csvRows, plainRows, programmeTable, reportTables, type ReportTable, type TableCell } from './tables';
import { offerDownload } from '../../lib/download';

// The charting library (recharts) loads only when the charts are shown, after the tables.
const ReportCharts = lazy(() => import('./ReportCharts').then((m) => ({ default: m.ReportCharts })));

const unitOptions: { value: PeriodUnit; label: string; count: number }[] = [
  { value: 'quarter', label: 'Quarter', count: 8 },
  { value: 'month', label: 'Month', count: 12 },
  { value: 'half-year', label: 'Half-year', count: 4 },
  { value: 'year', label: 'Financial year', count: 3 },
];

/** The latest periods of a unit, newest first. */
function recentPeriods(unit: PeriodUnit, today: string): Period[] {
  const count = unitOptions.find((u) => u.value === unit)?.count ?? 4;
  const list = [periodContaining(unit, today)];
  while (list.length < count) list.push(previousPeriod(list.at(-1)!));
  return list;
}

interface Behind {
  label: string;
  /** Where the figure sits in the figures: the server lists its records on request. */
  path: string;
}

export function ReportsPage() {
  const { user } = useSignedIn();
  const directory = useCachedDirectory(user.id);
  const organisation = useOrganisationSettings(user.id);
  const [pdf, setPdf] = useState<{ kind: 'idle' } | { kind: 'making' } | { kind: 'done'; fileName: string } | { kind: 'failed'; message: string }>({ kind: 'idle' });
  const services = useCachedServices(user.id);
  const [params, setParams] = useSearchParams();
  const today = dateInEngland(new Date());
  const period = parsePeriodId(params.get('period') ?? '') ?? periodContaining('quarter', today);
  const service = params.get('service') ?? (user.role === 'head-of-service' ? user.serviceId : '');
  const team = params.get('team') ?? '';
  const query = { period: period.id, service, team };
  const report = useReport(query);
  const programme = useProgrammeReport(query);
  const [behind, setBehind] = useState<Behind | null>(null);
  const records = useRecordsBehind(query, behind?.path ?? null);
  const behindHeading = useRef<HTMLHeadingElement>(null);

  const choose = (next: Partial<{ period: string; service: string; team: string }>) => {
    const merged = { period: period.id, service, team, ...next };
    setParams(merged, { replace: false });
    setBehind(null);
  };
  const teamName = (id: string) => (id ? (directory?.teams.find((t) => t.id === id)?.name ?? 'Another team') : 'No team');
  const serviceList = [...(services?.entries() ?? [])].sort((a, b) => a[1].localeCompare(b[1], 'en-GB'));
  const teams = (directory?.teams ?? []).filter((t) => !service || t.serviceId === service).sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
  const showBehind = (next: Behind) => {
    setBehind(next);
    // The list appears below the tables: take the reader there.
    requestAnimationFrame(() => behindHeading.current?.focus());
  };

  const figureTables = report.data ? reportTables(report.data, teamName) : [];
  // Activity against the programme sits beside the activity counts, once the server has answered.
  const tables = programme.data ? [...figureTables.slice(0, 1), programmeTable(programme.data), ...figureTables.slice(1)] : figureTables;
  const scopeName = team ? teamName(team) : service ? (services?.get(service) ?? 'the service') : 'everything you may read';

  /** The dashboard as a PDF: the same tables, made on this device by the PDF code every record uses (loaded now, not before). */
  async function downloadPdf() {
    if (!report.data) return;
    setPdf({ kind: 'making' });
    try {
      const model = dashboardDocument({
        ...(organisation ? { organisation } : {}),
        period: { id: period.id, label: period.label },
        previousLabel: report.data.previous.period.label,
        scope: scopeName,
        madeBy: user.displayName,
        asOf: report.data.today,
        tables: tables.map((t) => ({ id: t.id, title: t.title, caption: t.caption, headers: t.headers, rows: plainRows(t) })),
      });
      const { makePdf } = await import('../../lib/pdf/makePdf');
      const bytes = await makePdf(model);
      offerDownload(model.fileName, bytes as BlobPart, 'application/pdf');
      setPdf({ kind: 'done', fileName: model.fileName });
    } catch (error) {
      setPdf({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  }

  return (
    <main id="main" className="page reports-page">
      {/* Printed only: whose figures, and the marking (the screen has the choices instead). */}
      <div className="reports-print-head">
        {organisation?.name && <p>{organisation.name}</p>}
        <p>
          <strong>{organisation?.marking ?? 'OFFICIAL-SENSITIVE'}</strong>
        </p>
      </div>
      <h1>Reports</h1>
      <p className="hint">Figures for a period and the one before, from the records the server holds. Only records you may read are counted.</p>
      <p>
        <Link to={paths.summaries}>Quarterly summaries</Link>: each head of service’s summary of the quarter, written with the QA team.
      </p>
      <form className="filter-form" onSubmit={(e) => e.preventDefault()} aria-label="Choose the report">
        <SelectField label="Kind of period" value={period.unit} onChange={(e) => choose({ period: periodContaining(e.target.value as PeriodUnit, today).id })}>
          {unitOptions.map((u) => (
            <option key={u.value} value={u.value}>
              {u.label}
            </option>
          ))}
        </SelectField>
        <SelectField label="Period" value={period.id} onChange={(e) => choose({ period: e.target.value })}>
          {recentPeriods(period.unit, today).map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
          {!recentPeriods(period.unit, today).some((p) => p.id === period.id) && <option value={period.id}>{period.label}</option>}
        </SelectField>
        <SelectField label="Service" value={service} onChange={(e) => choose({ service: e.target.value, team: '' })}>
          <option value="">Every service</option>
          {serviceList.map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Team" value={team} onChange={(e) => choose({ team: e.target.value })}>
          <option value="">{service ? 'Every team in the service' : 'Every team'}</option>
          {teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </SelectField>
      </form>

      {report.isPending && <p role="status">Building the report…</p>}
      {report.isError && (
        <p role="alert" className="error-summary">
          {report.error instanceof Error ? report.error.message : 'The report could not be built.'} Reports are read online.
        </p>
      )}
      {report.data && (
        <>
          <p role="status">
            {period.label}, compared with {report.data.previous.period.label}: {scopeName}.
          </p>
          <div className="report-actions">
            <button type="button" className="button button--primary" onClick={() => void downloadPdf()} disabled={pdf.kind === 'making'}>
              Download as PDF
            </button>
            <button type="button" className="button" onClick={() => window.print()}>
              Print
            </button>
            <p role="status" className={pdf.kind === 'failed' ? 'alert alert--error' : 'hint'}>
              {pdf.kind === 'making' && 'Making the PDF…'}
              {pdf.kind === 'done' && `PDF made: ${pdf.fileName}`}
              {pdf.kind === 'failed' && `The PDF could not be made: ${pdf.message}`}
            </p>
          </div>
          {tables.map((table) => (
            <FigureTable key={table.id} table={table} period={period} onOpen={showBehind} />
          ))}
          {programme.isPending && <p role="status">Measuring activity against the programme…</p>}
          {programme.isError && <p role="alert">{programme.error instanceof Error ? programme.error.message : 'Activity against the programme could not be measured.'}</p>}
          <section aria-labelledby="behind-heading" className="records-behind">
            <h2 id="behind-heading" ref={behindHeading} tabIndex={-1}>
              {behind ? `Records behind: ${behind.label}` : 'Records behind a figure'}
            </h2>
            {!behind && <p className="hint">Choose a figure in a table to list the records it counts.</p>}
            {behind && records.isPending && <p role="status">Finding the records…</p>}
            {behind && records.isError && <p role="alert">{records.error instanceof Error ? records.error.message : 'The records could not be listed.'}</p>}
            {behind && records.data && records.data.records.length === 0 && <p className="empty">No records: the figure is nought.</p>}
            {behind && records.data && records.data.records.length > 0 && <RecordLinks names={records.data.records} />}
          </section>
          <Suspense fallback={<p role="status">Loading the charts…</p>}>
            <ReportCharts figures={report.data} teamName={teamName} />
          </Suspense>
        </>
      )}
    </main>
  );
}

function FigureTable({ table, period, onOpen }: { table: ReportTable; period: Period; onOpen: (behind: Behind) => void }) {
  const download = () => downloadCsv(`${table.id}-${period.id}.csv`, toCsv(table.headers, csvRows(table)));
  return (
    <section aria-labelledby={`${table.id}-heading`} className="report-table">
      <div className="page-heading">
        <h2 id={`${table.id}-heading`}>{table.title}</h2>
        {/* The name says which table (the visible words start it); a hidden span would read with a stray space in Chromium. */}
        <button type="button" className="button button--small" onClick={download} aria-label={`Download as CSV: ${table.title}`}>
          Download as CSV
        </button>
      </div>
      <div className="table-scroll">
        <table className="audit-table">
          <caption className="hint">{table.caption}</caption>
          <thead>
            <tr>
              {table.headers.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, i) => (
              <tr key={i}>
                {row.map((c, j) => (j === 0 ? <th key={j} scope="row">{render(c, onOpen)}</th> : <td key={j}>{render(c, onOpen)}</td>))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function render(cell: TableCell, onOpen: (behind: Behind) => void) {
  if (typeof cell === 'object' && 'figure' in cell) {
    if (cell.figure.count === 0) return '0';
    return (
      <button type="button" className="figure-button" onClick={() => onOpen({ label: cell.label, path: cell.path })} aria-label={`${cell.figure.count}: list the records behind ${cell.label}`}>
        {cell.figure.count}
      </button>
    );
  }
  if (typeof cell === 'object') return new Date(`${cell.date}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/London' });
  return String(cell);
}
