/**
 * The moderation of a submitted review, inside the review. A moderator (the QA team, or a service
 * manager they chose) writes it in its own document — live and offline like any record — and records it
 * with a command; a changed grade needs a reason. Everyone in the review reads it.
 */
import { useState } from 'react';
import { changedGrades, moderatedGradeFields, moderationIdFor, moderationLabels, moderationLayout, moderationSchema, type ModerationField, type ModerationValues } from '../../../domain/moderation';
import { labelOf } from '../../../domain/options';
import { grades } from '../../../domain/review';
import { RadioGroupField } from '../../components/fields';
import { NarrativeField } from '../../components/NarrativeField';
import { PersonPicker } from '../../components/PersonPicker';
import { ErrorSummary, useRecordForm } from '../../components/recordForm';
import type { Person } from '../../../domain/directory';
import type { CachedDirectory } from '../../data/directory';
import { useRecordSummary } from '../../data/records';
import { createRecord, type RecordHandle } from '../../data/docs/openRecord';
import { useRecord } from '../../data/docs/useRecord';
import { dismissCommand, enqueueCommand, useRecordCommands } from '../../data/outbox';

const allFields = [...moderationLayout.scalarFields, ...moderationLayout.narrativeFields] as ModerationField[];
const fieldLabel = (field: string) => moderationLabels[field as ModerationField] ?? field;

interface Props {
  review: RecordHandle;
  directory: CachedDirectory;
  reviewStatus: string;
  user: Person;
  /** This person moderates the review. */
  isModerator: boolean;
  /** This person leads the review. */
  isLead: boolean;
}

export function ModerationPanel({ review, reviewStatus, user, isModerator, isLead, directory }: Props) {
  const commands = useRecordCommands(user.id, `review/${review.id}`) ?? [];
  const closing = commands.find((c) => c.command.type === 'close');
  // Bumped once the moderator has started the moderation on this tablet, so it is opened afresh.
  const [started, setStarted] = useState(0);

  const start = () =>
    // The moderator starts from the review's own grades, and changes what they do not agree with.
    void createRecord(user.id, user, 'moderation', Object.fromEntries(moderatedGradeFields.map((f) => [f, review.values()[f] ?? ''])), moderationIdFor(review.id)).then(() =>
      setStarted((n) => n + 1),
    );

  // Once recorded, the moderation is part of the review's document (its agreed grades beside the review's):
  // what is left here is closing the review.
  if (reviewStatus !== 'submitted') {
    if (reviewStatus !== 'moderated' || !(isLead || isModerator)) return null;
    return (
      <section className="moderation" aria-labelledby="close-heading">
        <h2 id="close-heading">Close the review</h2>
        <p>The review has been moderated. Closing it marks the review as finished.</p>
        <div className="form-actions">
          {closing?.state === 'pending' ? (
            <p role="status">Closing — this will be sent when there is a connection.</p>
          ) : (
            <button type="button" className="button" onClick={() => void enqueueCommand(user.id, { type: 'close', record: `review/${review.id}` })}>
              Close the review
            </button>
          )}
          {closing?.state === 'rejected' && closing.outcome?.status === 'rejected' && (
            <p className="alert alert--error" role="alert">
              {closing.outcome.message}{' '}
              <button type="button" className="button" onClick={() => void dismissCommand(user.id, closing.id)}>
                Dismiss
              </button>
            </p>
          )}
        </div>
      </section>
    );
  }

  return (
    <section className="moderation" aria-labelledby="moderation-heading">
      <h2 id="moderation-heading">Moderation</h2>
      {user.role === 'qa-officer' && <ChooseModerators review={review} user={user} directory={directory} />}
      <ModerationBody key={started} review={review} reviewStatus={reviewStatus} user={user} isModerator={isModerator} onStart={start} />
    </section>
  );
}

/** The QA team moderates, and can choose service managers to moderate a review with them. */
function ChooseModerators({ review, user, directory }: { review: RecordHandle; user: Person; directory: CachedDirectory }) {
  const summary = useRecordSummary(user.id, review.id);
  const commands = useRecordCommands(user.id, `review/${review.id}`) ?? [];
  const moderators = new Set([
    ...(summary?.participants ?? []).filter((p) => p.role === 'moderator').map((p) => p.userId),
    ...commands.flatMap((c) => (c.command.type === 'add-participant' && c.command.role === 'moderator' ? [c.command.userId] : [])),
  ]);
  const managers = directory.people.filter((p) => ['head-of-service', 'assistant-director', 'team-manager'].includes(p.role) && !moderators.has(p.id));
  const name = (id: string) => directory.people.find((p) => p.id === id)?.displayName ?? 'Someone no longer in the directory';
  return (
    <div className="choose-moderators">
      <p>Moderated by the QA team{moderators.size > 0 ? ` with ${[...moderators].map(name).join(', ')}` : ''}.</p>
      <PersonPicker
        label="Add a service manager as a moderator"
        people={managers}
        emptyChoice="Choose a manager"
        action="Add moderator"
        onPick={(id) => void enqueueCommand(user.id, { type: 'add-participant', record: `review/${review.id}`, userId: id, role: 'moderator' })}
      />
    </div>
  );
}

function ModerationBody({ review, reviewStatus, user, isModerator, onStart }: Omit<Props, 'isLead' | 'directory'> & { onStart(): void }) {
  const moderation = useRecord(user.id, 'moderation', moderationIdFor(review.id));
  const editable = isModerator && reviewStatus === 'submitted';
  // Until it is recorded the moderation is its moderators' draft: the grades it agrees are not agreed yet.
  if (moderation.state === 'ready')
    return editable ? <ModerationForm handle={moderation.handle} review={review} user={user} editable /> : <p>The moderation is being written. What it finds and the grades it agrees are shown in the review once it is recorded.</p>;
  if (moderation.state !== 'missing') return <p role="status">Looking for the moderation…</p>;
  if (editable)
    return (
      <button type="button" className="button button--primary" onClick={onStart}>
        Start the moderation
      </button>
    );
  return <p>{reviewStatus === 'submitted' ? 'Waiting for moderation.' : 'There is no moderation on this tablet.'}</p>;
}

function ModerationForm({ handle, review, user, editable }: { handle: RecordHandle; review: RecordHandle; user: Person; editable: boolean }) {
  const { form, bind } = useRecordForm<ModerationValues>(handle, moderationSchema, allFields);
  const commands = useRecordCommands(user.id, `review/${review.id}`) ?? [];
  const recording = commands.find((c) => c.command.type === 'moderate');
  const { errors, isSubmitted } = form.formState;
  const reviewValues = review.values();
  const changed = changedGrades(reviewValues, form.watch());
  const readOnly = !editable || recording?.state === 'pending';

  const record = form.handleSubmit((values) => {
    if (changedGrades(reviewValues, values).length > 0 && !values.gradeChangeReason.trim()) {
      form.setError('gradeChangeReason', { message: 'Moderation changed a grade: say why.' });
      return;
    }
    return enqueueCommand(user.id, { type: 'moderate', record: `review/${review.id}`, stateVector: handle.stateVector() });
  });

  return (
    <form onSubmit={record} noValidate aria-label="Moderation">
      {recording?.state === 'pending' && (
        <p className="alert alert--info" role="status">
          Moderation recorded on this tablet. It will be recorded when it reaches the server, and cannot be changed meanwhile.
        </p>
      )}
      {recording?.state === 'rejected' && recording.outcome?.status === 'rejected' && (
        <div className="alert alert--error" role="alert">
          <p>{recording.outcome.message}</p>
          <ul>
            {recording.outcome.problems?.map((p) => (
              <li key={p.field}>
                {fieldLabel(p.field)}: {p.message}
              </li>
            ))}
          </ul>
          <button type="button" className="button" onClick={() => void dismissCommand(user.id, recording.id)}>
            Dismiss
          </button>
        </div>
      )}
      {isSubmitted && Object.keys(errors).length > 0 && <ErrorSummary heading="The moderation cannot be recorded yet" errors={errors} fields={allFields} labelOf={fieldLabel} />}
      <fieldset disabled={readOnly} className="form-body">
        {moderatedGradeFields.map((field) => (
          <RadioGroupField
            key={field}
            label={moderationLabels[field]}
            hint={`The review said: ${reviewValues[field] ? labelOf(grades, reviewValues[field]!) : 'no grade'}.`}
            options={grades}
            error={errors[field]?.message}
            input={bind(field)}
          />
        ))}
        {changed.length > 0 && (
          <NarrativeField handle={handle} field="gradeChangeReason" label={moderationLabels.gradeChangeReason} hint="The lead reviewer and the practitioner are told of the change and this reason." error={errors.gradeChangeReason?.message} readOnly={!editable} />
        )}
        <NarrativeField handle={handle} field="wentWell" label={moderationLabels.wentWell} error={errors.wentWell?.message} readOnly={!editable} />
        <NarrativeField handle={handle} field="needsToHappen" label={moderationLabels.needsToHappen} error={errors.needsToHappen?.message} readOnly={!editable} />
        <NarrativeField handle={handle} field="summary" label={moderationLabels.summary} error={errors.summary?.message} readOnly={!editable} />
      </fieldset>
      {!readOnly && (
        <div className="form-actions">
          <button type="submit" className="button button--primary">
            Record the moderation
          </button>
        </div>
      )}
    </form>
  );
}
