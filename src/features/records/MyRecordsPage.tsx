/**
 * Home: "My records", every record on this device for the signed-in person, newest first, searchable by
 * child ID or practitioner. Reads only the Dexie index, never the documents.
 */
import { useDeferredValue, useState } from 'react';
import { Link } from 'react-router';
import { RecordRow } from '../../components/RecordRow';
import { matchesSearch, useMyRecords } from '../../data/records';
import { useSignedIn } from '../../data/sessionContext';
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
