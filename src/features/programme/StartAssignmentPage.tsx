/**
 * One tap from "To do": starts the assigned record on this tablet (works offline), filled in from the
 * assignment, and queues the commands that tell the server who it is about and which assignment it is for.
 * A second tap opens the record already started.
 */
import { useCallback, useEffect, useState } from 'react';
import { Navigate, useParams } from 'react-router';
import { Loading } from '../../components/Loading';
import { NewRecordPage } from '../../components/recordPages';
import { useCachedDirectory } from '../../data/directory';
import { enqueueCommand } from '../../data/outbox';
import { noteStarted, startedFor, useAssignment } from '../../data/programme';
import { useRecordSummary } from '../../data/records';
import { useSignedIn } from '../../data/sessionContext';
import { todayIsoDate } from '../../lib/format';
import { parseRecordDocName, recordDocName } from '../../../domain/records';
import { paths } from '../../lib/routes';
import { prefillFor } from './prefill';

export function StartAssignmentPage() {
  const { id = '' } = useParams();
  const { user } = useSignedIn();
  const assignment = useAssignment(user.id, id);
  const directory = useCachedDirectory(user.id);
  const [started, setStarted] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    void startedFor(user.id, id).then(setStarted);
  }, [user.id, id]);

  const initialValues = useCallback(() => (assignment && directory ? prefillFor(assignment, directory.people, directory.teams, todayIsoDate()) : {}), [assignment, directory]);
  const afterCreate = useCallback(
    async (recordId: string) => {
      if (!assignment) return;
      const record = recordDocName(assignment.kind, recordId);
      await noteStarted(user.id, assignment.id, record);
      if (assignment.practitionerId && assignment.kind !== 'feedback') await enqueueCommand(user.id, { type: 'set-subject', record, userId: assignment.practitionerId });
      await enqueueCommand(user.id, { type: 'link-assignment', record, assignmentId: assignment.id });
    },
    [assignment, user.id],
  );

  const existing = started ?? (assignment?.record || null);
  const parsed = existing ? parseRecordDocName(existing) : null;
  // A record started for it and since discarded is no longer on the tablet: start another.
  const onTablet = useRecordSummary(user.id, parsed?.id ?? '');

  if (assignment === undefined || directory === undefined || started === undefined || (parsed && onTablet === undefined)) return <Loading message="Opening the assignment…" />;
  if (parsed && (onTablet || assignment?.record === existing)) return <Navigate to={paths.record(parsed.kind, parsed.id)} replace />;
  if (!assignment)
    return (
      <main id="main" className="page">
        <h1>Assignment not found</h1>
        <p>It may have been withdrawn. Your To do list shows what is assigned to you.</p>
      </main>
    );
  return <NewRecordPage kind={assignment.kind} initialValues={initialValues} afterCreate={afterCreate} />;
}
