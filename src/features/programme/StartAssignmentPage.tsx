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
import { noteStarted, startedOnTablet, useAssignment } from '../../data/programme';
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
    // Read once, before anything is shown: a live query would answer with its last result while it re-asks,
    // and a new record would be started for an assignment that already has one.
    void startedOnTablet(user.id, id).then(setStarted);
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

  if (assignment === undefined || directory === undefined || started === undefined) return <Loading message="Opening the assignment…" />;
  // Started on this tablet (and still here: a discarded draft is not), or linked on the server from another device.
  const existing = started ?? (assignment?.record || null);
  const parsed = existing ? parseRecordDocName(existing) : null;
  if (parsed) return <Navigate to={paths.record(parsed.kind, parsed.id)} replace />;
  if (!assignment)
    return (
      <main id="main" className="page">
        <h1>Assignment not found</h1>
        <p>It may have been withdrawn. Your To do list shows what is assigned to you.</p>
      </main>
    );
  return <NewRecordPage kind={assignment.kind} initialValues={initialValues} afterCreate={afterCreate} />;
}
