/**
 * The observation of practice form (DOMAIN.md form 1). The record's Yjs document is the truth: every
 * change goes straight into it (and so to IndexedDB) as the person types — there is no Save button.
 * react-hook-form holds what the inputs show and runs the strict zod check on "Mark as complete",
 * putting each problem beside its field.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState, type ChangeEvent } from 'react';
import { useForm, type FieldErrors, type Resolver } from 'react-hook-form';
import { Link } from 'react-router';
import type { Person } from '../../../domain/directory';
import {
  meetingTypeOptions,
  natureOptions,
  observationCompleteSchema,
  observationHints,
  observationLabels,
  observationLayout,
  type ObservationField,
  type ObservationNarrativeField,
  type ObservationValues,
} from '../../../domain/observation';
import { labelOf, levelsOfNeed } from '../../../domain/options';
import { ContestedNotice } from '../../components/ContestedNotice';
import { RadioGroupField, SelectField, TextAreaField, TextField } from '../../components/fields';
import type { CachedDirectory } from '../../data/directory';
import type { RecordHandle } from '../../data/docs/openRecord';
import { dismissCommand, enqueueCommand, useRecordCommands } from '../../data/outbox';
import { useRecordSummary } from '../../data/records';
import { recordDocName } from '../../../domain/records';
import { PractitionerReflection } from './PractitionerReflection';
import { formatDate, formatDateTime } from '../../lib/format';
import { paths } from '../../lib/routes';

// The strict schema's input is narrower than the form's all-strings values; it validates them as they are.
const completeResolver = zodResolver(observationCompleteSchema) as unknown as Resolver<ObservationValues>;

const allFields = [...observationLayout.scalarFields, ...observationLayout.narrativeFields] as ObservationField[];

const narrativeOrder: ObservationNarrativeField[] = [
  'strengths',
  'areasForDevelopment',
  'reflections',
  'equalityDiversityIdentity',
  'otherComments',
  'practitionerResponse',
];

interface Props {
  handle: RecordHandle;
  directory: CachedDirectory;
  observer: Person;
}

export function ObservationForm({ handle, directory, observer }: Props) {
  const form = useForm<ObservationValues>({
    defaultValues: handle.values() as ObservationValues,
    resolver: completeResolver,
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const [meta, setMeta] = useState(() => handle.meta());
  const [contested, setContested] = useState(() => handle.contested());
  const { errors, isSubmitted } = form.formState;

  // Changes that arrive from elsewhere (another tab now, another device once sync lands) update the inputs.
  useEffect(
    () =>
      handle.subscribe((source) => {
        setMeta(handle.meta());
        setContested(handle.contested());
        if (source === 'this-device') return;
        const values = handle.values();
        for (const name of allFields)
          if (form.getValues(name) !== values[name]) form.setValue(name, values[name] ?? '', { shouldValidate: form.formState.isSubmitted });
      }),
    [handle, form],
  );

  /** register() for a field, writing every change into the record's document as it happens. */
  const bind = (name: ObservationField) =>
    form.register(name, { onChange: (event: ChangeEvent<HTMLInputElement>) => handle.setField(name, event.target.value) });

  const practitioners = directory.people.filter((p) => p.role === 'practitioner' || p.id === form.getValues('practitionerId'));
  const teamName = (teamId: string) => directory.teams.find((t) => t.id === teamId)?.name ?? '';
  const nature = form.watch('nature');
  const meetingType = form.watch('meetingType');
  const teamId = form.watch('teamId');
  const summary = useRecordSummary(observer.id, handle.id);
  const recordName = recordDocName('observation', handle.id);
  const commands = useRecordCommands(observer.id, recordName);
  const completion = commands?.find((c) => c.command.type === 'complete');
  const complete = meta?.status === 'complete' || summary?.status === 'complete';
  const isAuthor = (meta?.authorId ?? observer.id) === observer.id;
  // Read-only when complete, when the server lets this person only read it, and while a completion waits
  // to be sent (what is completed is what the person saw when they pressed the button).
  const readOnly = complete || summary?.access === 'read' || summary?.access === 'none' || completion?.state === 'pending';

  const onPractitionerChange = (event: ChangeEvent<HTMLSelectElement>) => {
    const person = directory.people.find((p) => p.id === event.target.value);
    const values = { practitionerId: event.target.value, practitionerName: person?.displayName ?? '', teamId: person?.teamId ?? '' };
    // One change in the document for all three, so the name and team never disagree with the choice.
    form.setValue('practitionerName', values.practitionerName);
    form.setValue('teamId', values.teamId);
    handle.setFields(values);
    // Who the record is about decides who else may read it: the server's data, so tell it by a command.
    if (isAuthor && values.practitionerId) void enqueueCommand(observer.id, { type: 'set-subject', record: recordName, userId: values.practitionerId });
  };

  // Passing the strict check here, the completion goes to the outbox; the server checks again and applies it.
  const markComplete = form.handleSubmit(() => enqueueCommand(observer.id, { type: 'complete', record: recordName, stateVector: handle.stateVector() }));

  /** How a field's value reads to a person, for the contested-field notice. */
  const valueLabel = (field: ObservationField, value: string): string => {
    if (field === 'levelOfNeed') return labelOf(levelsOfNeed, value);
    if (field === 'nature') return labelOf(natureOptions, value);
    if (field === 'meetingType') return labelOf(meetingTypeOptions, value);
    if (field === 'practitionerId') return directory.people.find((p) => p.id === value)?.displayName ?? value;
    if (field === 'dateOfObservation') return value ? formatDate(value) : '';
    return value;
  };

  /** The notice beside a field that two people changed at once, if it is contested. */
  const contest = (field: ObservationField) => {
    const found = contested.find((c) => c.field === field);
    if (!found) return null;
    return (
      <ContestedNotice
        fieldLabel={observationLabels[field]}
        currentLabel={valueLabel(field, found.current)}
        choices={found.choices.map((c) => ({ ...c, label: valueLabel(field, c.value) }))}
        disabled={readOnly}
        onChoose={(value) => {
          if (field === 'practitionerId') {
            const person = directory.people.find((p) => p.id === value);
            handle.setFields({ practitionerName: person?.displayName ?? '', teamId: person?.teamId ?? '' });
          }
          handle.settleField(field, value);
          form.setValue(field, value, { shouldValidate: form.formState.isSubmitted });
        }}
      />
    );
  };

  return (
    <main id="main" className="page record-page">
      <p>
        <Link to={paths.home}>Back to my records</Link>
      </p>
      <h1>Observation of practice</h1>
      <RecordStatusPanel handle={handle} userId={observer.id} complete={complete} completedAt={meta?.completedAt} />
      {!complete && summary?.access === 'read' && (
        <p className="alert alert--info" role="status">
          You can read this observation but not change it.
        </p>
      )}
      {summary?.access === 'none' && (
        <p className="alert alert--warning" role="status">
          You no longer have access to this observation. {summary.unsynced ? 'Your changes that were not sent stay on this tablet.' : ''}
        </p>
      )}
      {!complete && completion?.state === 'pending' && (
        <div className="alert alert--info" role="status">
          <p>Marked as complete on this tablet. It will be completed when it reaches the server, and cannot be changed meanwhile.</p>
          <button type="button" className="button" onClick={() => void dismissCommand(observer.id, completion.id)}>
            Keep it as a draft instead
          </button>
        </div>
      )}
      {!complete && completion?.state === 'rejected' && completion.outcome?.status === 'rejected' && (
        <div className="alert alert--error" role="alert">
          <h2>The server did not complete this observation</h2>
          <p>{completion.outcome.message}</p>
          {completion.outcome.problems && (
            <ul>
              {completion.outcome.problems.map((p) => (
                <li key={p.field}>
                  {observationLabels[p.field as ObservationField] ?? p.field}: {p.message}
                </li>
              ))}
            </ul>
          )}
          <button type="button" className="button" onClick={() => void dismissCommand(observer.id, completion.id)}>
            Dismiss
          </button>
        </div>
      )}
      {isSubmitted && Object.keys(errors).length > 0 && <ErrorSummary errors={errors} />}

      <form onSubmit={markComplete} noValidate aria-label="Observation of practice">
        <fieldset disabled={readOnly} className="form-body">
          <div className="field">
            <span className="label" id="observer-label">
              Observer
            </span>
            <p aria-labelledby="observer-label" className="read-only-value">
              {meta?.authorName ?? observer.displayName}
            </p>
          </div>

          {practitioners.length === 0 && (
            <p className="alert alert--warning">
              The organisation’s directory is not on this tablet yet. Connect to the internet once to download it; you can fill in
              everything else meanwhile.
            </p>
          )}
          <SelectField label={observationLabels.practitionerId} error={errors.practitionerId?.message} {...form.register('practitionerId', { onChange: onPractitionerChange })}>
            <option value="">Choose a practitioner</option>
            {directory.teams.map((team) => {
              const members = practitioners.filter((p) => p.teamId === team.id);
              return members.length === 0 ? null : (
                <optgroup key={team.id} label={team.name}>
                  {members.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.displayName}
                    </option>
                  ))}
                </optgroup>
              );
            })}
          </SelectField>
          {contest('practitionerId')}
          <div className="field">
            <span className="label" id="team-label">
              {observationLabels.teamId}
            </span>
            <p aria-labelledby="team-label" className="read-only-value">
              {teamName(teamId) || 'Shown when you choose the practitioner'}
            </p>
          </div>

          <TextField label={observationLabels.dateOfObservation} type="date" error={errors.dateOfObservation?.message} {...bind('dateOfObservation')} />
          {contest('dateOfObservation')}
          <TextField
            label={observationLabels.childId}
            hint={observationHints.childId}
            autoComplete="off"
            spellCheck={false}
            error={errors.childId?.message}
            {...bind('childId')}
          />
          {contest('childId')}
          <RadioGroupField label={observationLabels.levelOfNeed} options={levelsOfNeed} error={errors.levelOfNeed?.message} input={bind('levelOfNeed')} />
          {contest('levelOfNeed')}
          <RadioGroupField label={observationLabels.nature} options={natureOptions} error={errors.nature?.message} input={bind('nature')} />
          {contest('nature')}
          {nature === 'meeting' && (
            <SelectField label={observationLabels.meetingType} error={errors.meetingType?.message} {...bind('meetingType')}>
              <option value="">Choose the type of meeting</option>
              {meetingTypeOptions.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </SelectField>
          )}
          {contest('meetingType')}
          {nature === 'meeting' && meetingType === 'other' && (
            <TextField label={observationLabels.meetingTypeOther} error={errors.meetingTypeOther?.message} {...bind('meetingTypeOther')} />
          )}
          {nature === 'other' && <TextField label={observationLabels.natureOther} error={errors.natureOther?.message} {...bind('natureOther')} />}
          {contest('natureOther')}
          {contest('meetingTypeOther')}

          {narrativeOrder.map((name) => (
            <TextAreaField key={name} label={observationLabels[name]} hint={observationHints[name]} error={errors[name]?.message} {...bind(name)} />
          ))}
        </fieldset>

        {!readOnly && isAuthor && (
          <div className="form-actions">
            <button type="submit" className="button button--primary">
              Mark as complete
            </button>
            <p className="hint">A draft can be left incomplete: everything is saved on this tablet as you type.</p>
          </div>
        )}
      </form>
      <PractitionerReflection handle={handle} userId={observer.id} isSubject={summary?.relationship === 'subject'} />
    </main>
  );
}

function RecordStatusPanel({ handle, userId, complete, completedAt }: { handle: RecordHandle; userId: string; complete: boolean; completedAt?: string | undefined }) {
  const summary = useRecordSummary(userId, handle.id);
  const sent = summary?.unsynced === 0;
  return (
    <div className="record-status" data-testid="record-status">
      <span className={`badge badge--${complete ? 'complete' : 'draft'}`}>{complete ? 'Complete' : 'Draft'}</span>{' '}
      {complete && completedAt ? `Marked as complete ${formatDateTime(completedAt)}. ` : ''}
      <span className={sent ? 'sent-state--sent' : 'sent-state--pending'}>{sent ? 'Sent — stored on the server.' : 'Saved on this tablet — not yet sent.'}</span>
    </div>
  );
}

function ErrorSummary({ errors }: { errors: FieldErrors<ObservationValues> }) {
  const problems = allFields.filter((name) => errors[name]?.message);
  return (
    <div className="alert alert--error error-summary" role="alert" tabIndex={-1}>
      <h2>This observation cannot be marked as complete yet</h2>
      <p>
        {problems.length === 1 ? 'There is 1 thing to put right' : `There are ${problems.length} things to put right`}, shown beside each field:
      </p>
      <ul>
        {problems.map((name) => (
          <li key={name}>
            {observationLabels[name]}: {errors[name]?.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
