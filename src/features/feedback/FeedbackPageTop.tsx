/**
 * The top of a family feedback page, draft or finished: the way back (to the record it was gathered for,
 * if any), the form's name, the child's page, and where the feedback stands.
 */
import { Link } from 'react-router';
import { childIdPattern } from '../../../domain/options';
import { recordKindLabels, type RecordKind } from '../../../domain/records';
import { RecordStatusPanel, type useRecordWorkflow } from '../../components/recordForm';
import { paths } from '../../lib/routes';

export function FeedbackPageTop({ linked, childId, workflow, completedAt }: { linked: { kind: RecordKind; id: string } | null; childId: string; workflow: ReturnType<typeof useRecordWorkflow>; completedAt?: string | undefined }) {
  return (
    <>
      <p>
        <Link to={linked ? paths.record(linked.kind, linked.id) : paths.myRecords}>{linked ? `Back to the ${recordKindLabels[linked.kind].toLowerCase()}` : 'Back to my records'}</Link>
      </p>
      <h1>Family feedback</h1>
      {childIdPattern.test(childId) && (
        <p>
          <Link to={paths.child(childId)}>All family feedback for child {childId}</Link>
        </p>
      )}
      <RecordStatusPanel workflow={workflow} completedAt={completedAt} />
    </>
  );
}
