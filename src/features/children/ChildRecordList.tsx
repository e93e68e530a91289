/** Every record for the child on this device, each a link to open it. Reads the index only. */
import type { RecordSummary } from '../../../domain/records';
import { RecordRow } from '../../components/RecordRow';

export function ChildRecordList({ records }: { records: readonly RecordSummary[] }) {
  return (
    <ul className="record-list" aria-label="Records for this child">
      {records.map((record) => (
        <RecordRow key={record.id} record={record} showChildId={false} />
      ))}
    </ul>
  );
}
