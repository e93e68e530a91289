/**
 * Home: "My records", every record on this device for the signed-in person, newest first, searchable by
 * child ID or practitioner. Reads only the Dexie index, never the documents.
 */
import { useDeferredValue, useState } from 'react';
import { Link } from 'react-router';
import { feedbackGivers } from '../../../domain/feedback';
import { labelOf } from '../../../domain/options';
import { recordKindLabels, recordStatusLabels, type RecordSummary } from '../../../domain/records';
import { matchesSearch, useMyRecords } from '../../data/records';
import { useSignedIn } from '../../data/sessionContext';
import { formatDate } from '../../lib/format';
import { paths } from '../../lib/routes';

export function MyRecordsPage() {
  const { user } = useSignedIn();
  const records = useMyRecords(user.id);
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const shown = records?.filter((r) => matchesSearch(r, deferredQuery));

  return (
    <main id="main" className="page">
      <div className="page-heading">
        <h1>My records</h1>
        {/* Administrators manage people, not case work: the server does not accept records from them. */}
        {user.role !== 'admin' && (
          <div className="new-record-links">
            <Link className="button button--primary" to={paths.newRecord('observation')}>
              New observation of practice
            </Link>
            <Link className="button" to={paths.newRecord('review')}>
              New collaborative case review
            </Link>
            <Link className="button" to={paths.newRecord('feedback')}>
              New family feedback
            </Link>
          </div>
        )}
      </div>
      <div className="field search">
        <label htmlFor="record-search">Search by child ID or practitioner</label>
        <input id="record-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
      </div>
      {records === undefined ? (
        <p role="status">Loading your records…</p>
      ) : records.length === 0 ? (
        <p className="empty">You have no records on this tablet yet. Start with a new observation of practice or collaborative case review.</p>
      ) : (
        <>
          <p role="status" className="result-count">
            {deferredQuery.trim() ? `${shown!.length} of ${records.length} records match “${deferredQuery.trim()}”` : `${records.length} ${records.length === 1 ? 'record' : 'records'}`}
          </p>
          <ul className="record-list" aria-label="My records">
            {shown!.map((record) => (
              <RecordRow key={record.id} record={record} />
            ))}
          </ul>
        </>
      )}
    </main>
  );
}

function RecordRow({ record }: { record: RecordSummary }) {
  return (
    <li className="record-row">
      <Link to={paths.record(record.kind, record.id)} className="record-link">
        <span className="record-title">
          {recordKindLabels[record.kind]}
          <span className={`badge badge--${record.status}`}>{recordStatusLabels[record.status]}</span>
        </span>
        <span className="record-details">
          <span>
            <span className="label">Child ID</span> {record.childId || 'not recorded yet'}
          </span>
          {/* Family feedback is about the family's view, not a practitioner: say who gave it and their score. */}
          {record.kind === 'feedback' ? (
            <>
              <span>
                <span className="label">Given by</span> {record.givenBy ? labelOf(feedbackGivers, record.givenBy) : 'not recorded yet'}
              </span>
              {record.score && (
                <span>
                  <span className="label">Score</span> {record.score} out of 10
                </span>
              )}
            </>
          ) : (
            <span>
              <span className="label">Practitioner</span> {record.practitionerName || 'not chosen yet'}
            </span>
          )}
          <span>
            <span className="label">Date</span> {record.date ? formatDate(record.date) : 'not recorded yet'}
          </span>
        </span>
        <span className={`sent-state ${record.unsynced ? 'sent-state--pending' : 'sent-state--sent'}`}>
          {record.unsynced ? 'Saved on this tablet — not yet sent' : 'Sent'}
        </span>
      </Link>
    </li>
  );
}
