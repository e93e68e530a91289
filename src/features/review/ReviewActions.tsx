/**
 * The review's actions. Since issue 15 they are tracked actions, the server's data (components/RecordActions):
 * raised by command, each with an owner from the directory and a due date, followed to sign-off. Actions
 * written into older reviews' documents (what, who, by when as free text) are shown as what was agreed in
 * the review, read-only; see RecordActions for why they are not converted automatically.
 */
import { useEffect, useState } from 'react';
import { mayRaiseActions } from '../../../domain/actions';
import type { Person } from '../../../domain/directory';
import type { RecordSummary } from '../../../domain/records';
import { RecordActions } from '../../components/RecordActions';
import type { CachedDirectory } from '../../data/directory';
import type { RecordHandle } from '../../data/docs/openRecord';

interface Props {
  handle: RecordHandle;
  record: string;
  status: string;
  user: Person;
  relationship: RecordSummary['relationship'];
  directory: CachedDirectory;
}

export function ReviewActions({ handle, record, status, user, relationship, directory }: Props) {
  const [agreed, setAgreed] = useState(() => handle.actions());
  const [about, setAbout] = useState(() => handle.values());
  useEffect(
    () =>
      handle.subscribe(() => {
        setAgreed(handle.actions());
        setAbout(handle.values());
      }),
    [handle],
  );
  return (
    <RecordActions
      record={record}
      kind="review"
      userId={user.id}
      directory={directory}
      canRaise={mayRaiseActions(relationship, user.role, status)}
      agreedInReview={agreed}
      status={status}
      teamId={about.teamId ?? ''}
      practitionerId={about.socialWorkerId ?? ''}
      headingId="actions-heading"
    />
  );
}
