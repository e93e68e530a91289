/**
 * The quarterly summaries (issue 17, item 3), listed by quarter, newest first — those this person may read:
 * the leadership team and the PSW read every service's, a head of service their own. A head of service (for
 * their service) and the QA team (for any) start the summary of a quarter here: the server drafts it from its
 * data, or opens the one that exists. Read online; a summary, once open on this tablet, is written offline too.
 */
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { dateInEngland } from '../../../domain/actions';
import { periodContaining, previousPeriod, type Period } from '../../../domain/periods';
import { parseRecordDocName } from '../../../domain/records';
import type { SummaryListing } from '../../../domain/summary';
import { SelectField } from '../../components/fields';
import { useCachedServices } from '../../data/directory';
import { useSignedIn } from '../../data/sessionContext';
import { useStartSummary, useSummaries } from '../../data/summaries';
import { formatDateTime } from '../../lib/format';
import { paths } from '../../lib/routes';

/** This quarter and the three before it, newest first: the quarters a summary is usually written for. */
function recentQuarters(today: string): Period[] {
  const list = [periodContaining('quarter', today)];
  while (list.length < 4) list.push(previousPeriod(list.at(-1)!));
  return list;
}

const linkTo = (name: string) => {
  const parsed = parseRecordDocName(name);
  return parsed ? paths.record(parsed.kind, parsed.id) : paths.summaries;
};

export function SummariesPage() {
  const { user } = useSignedIn();
  const summaries = useSummaries();
  const services = useCachedServices(user.id);
  const start = useStartSummary();
  const navigate = useNavigate();
  const today = dateInEngland(new Date());
  const quarters = recentQuarters(today);
  const writes = user.role === 'qa-officer' || user.role === 'head-of-service';
  const serviceChoices =
    user.role === 'qa-officer' ? [...(services?.entries() ?? [])].sort((a, b) => a[1].localeCompare(b[1], 'en-GB')) : [[user.serviceId, services?.get(user.serviceId) ?? 'Your service'] as const];
  const [service, setService] = useState('');
  // Most summaries are written once a quarter has ended: the quarter before this one is the first choice.
  const [quarter, setQuarter] = useState(quarters[1]!.id);
  const chosenService = service || serviceChoices[0]?.[0] || '';

  const onStart = (event: FormEvent) => {
    event.preventDefault();
    start.mutate({ service: chosenService, quarter }, { onSuccess: ({ name }) => navigate(linkTo(name)) });
  };

  const byQuarter = new Map<string, SummaryListing[]>();
  for (const s of summaries.data ?? []) byQuarter.set(s.quarter, [...(byQuarter.get(s.quarter) ?? []), s]);

  return (
    <main id="main" className="page">
      <p>
        <Link to={paths.reports}>Back to reports</Link>
      </p>
      <h1>Quarterly summaries</h1>
      <p className="hint">
        Each head of service’s summary of the quarter’s quality assurance — what is working well, what we are worried about, what action is needed —
        written with the QA team and submitted to the leadership team.
      </p>

      {writes && (
        <form className="filter-form" onSubmit={onStart} aria-label="Start a quarterly summary">
          <h2>Write a summary</h2>
          {user.role === 'qa-officer' ? (
            <SelectField label="Service" value={chosenService} onChange={(e) => setService(e.target.value)}>
              {serviceChoices.map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </SelectField>
          ) : (
            <p>
              Service: <strong>{serviceChoices[0]?.[1]}</strong>
            </p>
          )}
          <SelectField label="Quarter" value={quarter} onChange={(e) => setQuarter(e.target.value)}>
            {quarters.map((q) => (
              <option key={q.id} value={q.id}>
                {q.label}
              </option>
            ))}
          </SelectField>
          <div className="form-actions">
            <button type="submit" className="button button--primary" disabled={start.isPending || !chosenService}>
              Start or open the summary
            </button>
            <p className="hint">The summary is drafted from the quarter’s records: the activity, the grades, and the words of reviews and families.</p>
          </div>
          {start.isPending && <p role="status">Drafting the summary from the quarter’s records…</p>}
          {start.isError && (
            <p role="alert" className="alert alert--error">
              {start.error instanceof Error ? start.error.message : 'The summary could not be started.'} Starting a summary needs a connection.
            </p>
          )}
        </form>
      )}

      <h2>Summaries by quarter</h2>
      {summaries.isPending && <p role="status">Fetching the summaries…</p>}
      {summaries.isError && (
        <p role="alert" className="alert alert--error">
          The summaries could not be fetched. They are listed online.
        </p>
      )}
      {summaries.data?.length === 0 && <p>No quarterly summary has been started yet.</p>}
      {[...byQuarter.entries()].map(([id, list]) => (
        <section key={id} aria-labelledby={`quarter-${id}`} className="summary-quarter">
          <h3 id={`quarter-${id}`}>{list[0]!.quarterLabel}</h3>
          <ul className="record-list">
            {list.map((s) => (
              <li key={s.name} className="record-row">
                <Link to={linkTo(s.name)}>{s.serviceName}</Link>{' '}
                <span className={`badge badge--${s.status === 'submitted' ? 'complete' : 'draft'}`}>{s.status === 'submitted' ? 'Submitted' : 'Being written'}</span>{' '}
                <span className="hint">
                  {s.status === 'submitted' && s.submittedAt
                    ? `Submitted to the leadership team ${formatDateTime(s.submittedAt)}${s.submittedByName ? ` by ${s.submittedByName}` : ''}.`
                    : `Started ${formatDateTime(s.startedAt)} by ${s.startedByName}.`}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </main>
  );
}
