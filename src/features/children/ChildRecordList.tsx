/** Every record for the child on this device, each a link to open it. Reads the index only. */
import { Link } from 'react-router';
import { feedbackGivers } from '../../../domain/feedback';
import { labelOf } from '../../../domain/options';
import { recordKindLabels, recordStatusLabels, type RecordSummary } from '../../../domain/records';
import { formatDate } from '../../lib/format';
import { paths } from '../../lib/routes';

export function ChildRecordList({ records }: { records: readonly RecordSummary[] }) {
  return (
    <ul className="record-list" aria-label="Records for this child">
      {records.map((record) => (
        <li key={record.id} className="record-row">
          <Link to={paths.record(record.kind, record.id)} className="record-link">
            <span className="record-title">
              {recordKindLabels[record.kind]}
              <span className={`badge badge--${record.status}`}>{recordStatusLabels[record.status]}</span>
            </span>
            <span className="record-details">
              <span>
                <span className="label">Date</span> {record.date ? formatDate(record.date) : 'not recorded yet'}
              </span>
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
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
