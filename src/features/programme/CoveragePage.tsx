/**
 * Coverage (issue 16): for the current periods, who has done what they are expected to, who is behind,
 * and which practitioners have not been observed this year — for this person's line (per team), or the
 * whole organisation for the QA team, PSW and director. Computed by the server from its own data and kept
 * on the tablet, so it reads offline; each figure opens the records behind it.
 */
import { useState } from 'react';
import { RecordLinks } from '../../components/RecordLinks';
import { Link } from 'react-router';
import { labelOf, levelsOfNeed } from '../../../domain/options';
import { coverageStatusLabels, type CoverageRow, type CoverageStatus } from '../../../domain/programme';
import { useCachedDirectory, useCachedServices } from '../../data/directory';
import { useCachedCoverage } from '../../data/programme';
import { useSignedIn } from '../../data/sessionContext';
import { formatDate, formatDateTime } from '../../lib/format';
import { paths } from '../../lib/routes';

const statusBadge: Record<CoverageStatus, string> = { met: 'badge--complete', 'on-track': 'badge--submitted', behind: 'badge--overdue', 'not-expected': 'badge--draft' };

export function CoveragePage() {
  const { user } = useSignedIn();
  const coverage = useCachedCoverage(user.id);
  const directory = useCachedDirectory(user.id);
  const services = useCachedServices(user.id);
  const [onlyBehind, setOnlyBehind] = useState(false);
  const teamName = (id: string) => (id ? (directory?.teams.find((t) => t.id === id)?.name ?? 'Another team') : 'Above teams (heads of service and up)');

  if (coverage === undefined) return <main id="main" className="page"><p role="status">Loading coverage…</p></main>;
  if (coverage === null)
    return (
      <main id="main" className="page">
        <h1>Coverage</h1>
        <p className="empty">Coverage appears here once this tablet has been online.</p>
      </main>
    );

  const rows = coverage.rows.filter((r) => !onlyBehind || r.status === 'behind');
  const teams = [...new Set(rows.map((r) => r.teamId))].sort((a, b) => teamName(a).localeCompare(teamName(b), 'en-GB'));
  // Teams under their service (a head of service and those above see theirs side by side); people above teams by their service too.
  const serviceOf = (r: CoverageRow) => directory?.teams.find((t) => t.id === r.teamId)?.serviceId ?? r.serviceId;
  const serviceIds = [...new Set(rows.map(serviceOf))].sort((a, b) => (services?.get(a) ?? '\uffff').localeCompare(services?.get(b) ?? '\uffff', 'en-GB'));
  const serviceName = (id: string) => (id ? (services?.get(id) ?? 'Another service') : 'Across services');

  return (
    <main id="main" className="page">
      <h1>Coverage</h1>
      <p className="hint">
        As of {formatDate(coverage.asOf)}, worked out by the server from the records it holds (brought to this tablet {formatDateTime(coverage.fetchedAt)}). Only records you may read are
        counted.
      </p>
      <p>
        <Link to={paths.programme}>What is expected of whom</Link>
      </p>

      {coverage.organisation.length > 0 && (
        <section aria-labelledby="organisation-heading">
          <h2 id="organisation-heading">The organisation</h2>
          {coverage.organisation.map((o) => (
            <div key={o.expectationId} className="programme-item">
              <p className="programme-item-title">
                {o.description}: <Figure done={o.done} required={o.required} status={o.status} />
              </p>
              <p className="hint">{o.period.label}</p>
              {o.byTeam.length > 0 && <p>By team: {o.byTeam.map((t) => `${teamName(t.teamId)} ${t.count}`).join(', ')}</p>}
              {o.byLevelOfNeed.length > 0 && <p>By level of need: {o.byLevelOfNeed.map((l) => `${l.levelOfNeed ? labelOf(levelsOfNeed, l.levelOfNeed) : 'not recorded'} ${l.count}`).join(', ')}</p>}
              <RecordsBehind records={o.records} label={o.description} />
            </div>
          ))}
        </section>
      )}

      <section aria-labelledby="people-heading">
        <h2 id="people-heading">{coverage.organisation.length > 0 ? 'Everyone, by service and team' : 'You and the people you manage, by service and team'}</h2>
        <label className="radio-option">
          <input type="checkbox" checked={onlyBehind} onChange={(e) => setOnlyBehind(e.target.checked)} />
          Show only who is behind
        </label>
        {rows.length === 0 && <p className="empty">{onlyBehind ? 'Nobody is behind.' : 'Nothing is expected of you or the people you manage.'}</p>}
        {serviceIds.map((service) => (
          <section key={service || 'none'} aria-label={serviceName(service)}>
            <h3>{serviceName(service)}</h3>
            {teams
              .filter((team) => rows.some((r) => r.teamId === team && serviceOf(r) === service))
              .map((team) => (
                <section key={team || 'none'} aria-label={`${serviceName(service)}: ${teamName(team)}`}>
                  <h4>{teamName(team)}</h4>
                  <ul className="programme-list">
                    {rows
                      .filter((r) => r.teamId === team && serviceOf(r) === service)
                      .map((r) => (
                        <CoverageItem key={`${r.expectationId} ${r.personId}`} row={r} />
                      ))}
                  </ul>
                </section>
              ))}
          </section>
        ))}
      </section>

      <section aria-labelledby="not-observed-heading">
        <h2 id="not-observed-heading">Not observed this year ({coverage.yearLabel})</h2>
        {coverage.notObserved.length === 0 ? (
          <p className="empty">Everyone has been observed this year.</p>
        ) : (
          <ul className="programme-list" aria-labelledby="not-observed-heading">
            {coverage.notObserved.map((p) => (
              <li key={p.id} className="programme-item">
                {p.name}, {teamName(p.teamId)}
                {p.serviceId && services?.get(p.serviceId) ? ` (${services.get(p.serviceId)})` : ''}
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

function Figure({ done, required, status }: { done: number; required: number; status: CoverageStatus }) {
  return (
    <>
      <span className="coverage-figure">
        {done} of {required}
      </span>{' '}
      <span className={`badge ${statusBadge[status]}`}>{coverageStatusLabels[status]}</span>
    </>
  );
}

function CoverageItem({ row }: { row: CoverageRow }) {
  return (
    <li className="programme-item" data-testid="coverage-row">
      <p className="programme-item-title">
        {row.personName} — {row.description.replace(/^[^:]*: /, '')}: <Figure done={row.done} required={row.required} status={row.status} />
      </p>
      <p className="hint">{row.period.label}</p>
      {row.outstanding.length > 0 && <p>Still to do: {row.outstanding.map((p) => p.name).join(', ')}</p>}
      <RecordsBehind records={row.records} label={`${row.personName}, ${row.description}`} />
    </li>
  );
}

/** The records a figure counts, each one tap away. */
function RecordsBehind({ records, label }: { records: string[]; label: string }) {
  if (records.length === 0) return null;
  return (
    <details>
      <summary>
        The {records.length} record{records.length === 1 ? '' : 's'} counted<span className="visually-hidden"> for {label}</span>
      </summary>
      <RecordLinks names={records} />
    </details>
  );
}
