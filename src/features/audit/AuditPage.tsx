/**
 * The audit log, for the QA team and administrators: who opened, changed, shared or exported which
 * record, when and from which device, newest first. Filtered by record and by person through the URL
 * (`?record=observation/<id>&user=<id>`), so a filtered view can be linked to. Needs a connection.
 */
import { useId, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { auditActionLabels, prominentAuditActions, type AuditEntry } from '../../../domain/audit';
import type { Person } from '../../../domain/directory';
import { SelectField, TextField } from '../../components/fields';
import { failureOf, messageOf, useAdminDirectory, useAuditLog, type AuditFilter } from '../../data/admin';
import { formatDateTime } from '../../lib/format';

export function AuditPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const filter: AuditFilter = { record: searchParams.get('record')?.trim() ?? '', userId: searchParams.get('user') ?? '' };
  const directory = useAdminDirectory();
  const people = directory.data?.people ?? [];
  const log = useAuditLog(filter);

  const show = (next: AuditFilter) => {
    const params = new URLSearchParams();
    if (next.record) params.set('record', next.record);
    if (next.userId) params.set('user', next.userId);
    setSearchParams(params);
  };

  return (
    <main id="main" className="page audit-page">
      <h1>Audit log</h1>
      {log.isError && !log.data && failureOf(log.error) === 'forbidden' ? (
        <p className="alert alert--error">Only the QA team and administrators can read the audit log.</p>
      ) : (
        <>
          <FilterForm filter={filter} people={people} onShow={show} />
          <AuditEntries filter={filter} log={log} />
        </>
      )}
    </main>
  );
}

function FilterForm({ filter, people, onShow }: { filter: AuditFilter; people: Person[]; onShow: (filter: AuditFilter) => void }) {
  const [record, setRecord] = useState(filter.record);
  const [userId, setUserId] = useState(filter.userId);
  const sorted = [...people].sort((a, b) => a.displayName.localeCompare(b.displayName, 'en-GB'));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onShow({ record: record.trim(), userId });
  };
  return (
    <form className="filter-form" onSubmit={submit} noValidate aria-label="Filter the audit log">
      <TextField
        label="Record"
        hint="A record’s name, such as observation/ followed by its id. Leave empty for every record."
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        value={record}
        onChange={(e) => setRecord(e.target.value)}
      />
      <SelectField label="Person" value={userId} onChange={(e) => setUserId(e.target.value)}>
        <option value="">Everyone</option>
        {userId && !sorted.some((p) => p.id === userId) && <option value={userId}>The person chosen before</option>}
        {sorted.map((person) => (
          <option key={person.id} value={person.id}>
            {person.displayName}
          </option>
        ))}
      </SelectField>
      <button type="submit" className="button button--primary">
        Show
      </button>
    </form>
  );
}

function AuditEntries({ filter, log }: { filter: AuditFilter; log: ReturnType<typeof useAuditLog> }) {
  const captionId = useId();

  if (!log.data) {
    if (log.isError) return <LoadFailure error={log.error} onRetry={() => void log.refetch()} />;
    return <p role="status">Loading the audit log…</p>;
  }

  const entries = log.data.pages.flatMap((page) => page.entries);
  const filtered = filter.record || filter.userId;
  const granted = entries.filter((entry) => prominentAuditActions.includes(entry.action)).length;
  return (
    <section className="audit-results">
      <p role="status" className="result-count">
        {entries.length === 0
          ? filtered
            ? 'No entries match.'
            : 'The audit log is empty.'
          : `${entries.length === 1 ? '1 entry' : `${entries.length} entries`}${filtered ? (entries.length === 1 ? ' that matches' : ' that match') : ''}, newest first.${log.hasNextPage ? ' There are older entries.' : ''}`}
      </p>
      {granted > 0 && (
        // Separation of duties: whoever reads the log should see at once who was given case records.
        <p className="alert alert--warning">
          {granted === 1 ? '1 entry here gave someone' : `${granted} entries here gave people`} access to case records (marked “Case access granted”). Check
          that each was intended.
        </p>
      )}
      {entries.length > 0 && (
        // The region lets keyboard users scroll the table sideways on a narrow screen.
        <div className="table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
          <table className="audit-table">
            <caption id={captionId} className="visually-hidden">
              Audit log entries, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Device</th>
                <th scope="col">What</th>
                <th scope="col">Record</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <EntryRow key={entry.id} entry={entry} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.isFetchNextPageError && (
        <p className="alert alert--error" role="alert">
          {failureOf(log.error) === 'offline' ? 'Older entries need a connection. Try again when you are online.' : messageOf(log.error)}
        </p>
      )}
      {log.hasNextPage && (
        <button
          type="button"
          className="button"
          aria-disabled={log.isFetchingNextPage || undefined}
          onClick={() => {
            if (!log.isFetchingNextPage) void log.fetchNextPage();
          }}
        >
          {log.isFetchingNextPage ? 'Loading older entries…' : 'Show older entries'}
        </button>
      )}
    </section>
  );
}

function EntryRow({ entry }: { entry: AuditEntry }) {
  const prominent = prominentAuditActions.includes(entry.action);
  return (
    <tr className={prominent ? 'audit-row--prominent' : undefined}>
      <td>
        <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
      </td>
      <td>{entry.userName || entry.userId || <span className="empty">Not known</span>}</td>
      <td className="audit-code">{entry.deviceId || <span className="empty">Not known</span>}</td>
      <td>{prominent ? <strong>{auditActionLabels[entry.action]}</strong> : auditActionLabels[entry.action]}</td>
      <td className="audit-code">{entry.record || <span className="empty">None</span>}</td>
      <td>{entry.detail}</td>
    </tr>
  );
}

function LoadFailure({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const failure = failureOf(error);
  return (
    <div className="alert alert--error">
      <p>{failure === 'offline' ? 'The audit log needs a connection. Try again when you are online.' : messageOf(error)}</p>
      <button type="button" className="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
