/**
 * Who is in the review. The lead reviewer adds people from the directory (the practitioner, their team
 * manager, the IRO / CP chair): a command, so it works offline and is applied by the server, which is what
 * gives them access. Everyone sees who is in it.
 */
import { useId } from 'react';
import type { Person } from '../../../domain/directory';
import { roleLabels } from '../../../domain/directory';
import { PersonPicker } from '../../components/PersonPicker';
import type { CachedDirectory } from '../../data/directory';
import type { RecordHandle } from '../../data/docs/openRecord';
import { enqueueCommand, useRecordCommands } from '../../data/outbox';
import { useRecordSummary } from '../../data/records';
import { recordDocName } from '../../../domain/records';

interface Props {
  handle: RecordHandle;
  directory: CachedDirectory;
  userId: string;
  /** The lead reviewer, while the review is a draft. */
  canShare: boolean;
}

export function ReviewPeople({ handle, directory, userId, canShare }: Props) {
  const headingId = useId();
  const summary = useRecordSummary(userId, handle.id);
  const recordName = recordDocName(handle.kind, handle.id);
  const commands = useRecordCommands(userId, recordName) ?? [];
  const meta = handle.meta();
  const person = (id: string): Person | undefined => directory.people.find((p) => p.id === id);
  const describe = (id: string) => {
    const found = person(id);
    return found ? `${found.displayName}, ${roleLabels[found.role]}` : 'Someone no longer in the directory';
  };

  const waitingToAdd = commands.filter((c) => c.state === 'pending' && c.command.type === 'add-participant').map((c) => ('userId' in c.command ? c.command.userId : ''));
  const waitingToRemove = commands.filter((c) => c.state === 'pending' && c.command.type === 'remove-participant').map((c) => ('userId' in c.command ? c.command.userId : ''));
  const refused = commands.filter((c) => c.state === 'rejected' && (c.command.type === 'add-participant' || c.command.type === 'remove-participant'));
  const inReview = (summary?.participants ?? []).map((p) => p.userId).filter((id) => !waitingToRemove.includes(id));
  const members = [...new Set([...inReview, ...waitingToAdd])];
  const candidates = directory.people.filter((p) => p.id !== meta?.authorId && !members.includes(p.id) && p.role !== 'admin');

  return (
    <section className="review-people" aria-labelledby={headingId}>
      <h2 id={headingId}>People in this review</h2>
      <ul>
        <li>{meta ? `${meta.authorName}, lead reviewer` : 'The lead reviewer'}</li>
        {members.map((id) => (
          <li key={id}>
            {describe(id)}
            {waitingToAdd.includes(id) && !inReview.includes(id) && <span className="sent-state--pending"> — added on this tablet, not yet sent</span>}
            {canShare && inReview.includes(id) && (
              <button
                type="button"
                className="button button--quiet-inline"
                onClick={() => void enqueueCommand(userId, { type: 'remove-participant', record: recordName, userId: id })}
              >
                Remove {person(id)?.displayName ?? 'them'}
              </button>
            )}
          </li>
        ))}
      </ul>
      {refused.map((c) => (
        <p key={c.id} className="alert alert--error" role="alert">
          {c.outcome?.status === 'rejected' ? c.outcome.message : 'The server refused this change.'}
        </p>
      ))}
      {canShare && (
        <PersonPicker
          label="Add someone to the review"
          hint="They can read and write it on their own device, from when it next syncs."
          people={candidates}
          emptyChoice="Choose a person"
          action="Add to the review"
          onPick={(id) => void enqueueCommand(userId, { type: 'add-participant', record: recordName, userId: id, role: 'contributor' })}
        />
      )}
    </section>
  );
}
