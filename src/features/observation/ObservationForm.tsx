/**
 * The observation of practice form (DOMAIN.md form 1), on the shared record form (components/recordForm):
 * every change goes straight into the record's document; "Mark as complete" runs the strict check here
 * and then asks the server, through the outbox, to complete it.
 */
import { type ChangeEvent } from 'react';
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
import { LinkedFeedback } from '../../components/LinkedFeedback';
import { ImmediateConcerns } from '../../components/ImmediateConcerns';
import { RecordActions } from '../../components/RecordActions';
import { mayRaiseActions } from '../../../domain/actions';
import { PractitionerOptions } from '../../components/PractitionerOptions';
import { NarrativeField } from '../../components/NarrativeField';
import { RadioGroupField, ReadOnlyField, SelectField, TextField } from '../../components/fields';
import { ErrorSummary, RecordPageTop, useRecordForm, useRecordWorkflow, WorkflowNotices } from '../../components/recordForm';
import type { RecordFormProps } from '../../components/recordPages';
import { enqueueCommand } from '../../data/outbox';
import { usePresence } from '../../data/sync/SyncContext';
import { formatDate } from '../../lib/format';
import { FinishedObservation } from './FinishedObservation';
import { PractitionerReflection } from './PractitionerReflection';

const allFields = [...observationLayout.scalarFields, ...observationLayout.narrativeFields] as ObservationField[];
const fieldLabel = (field: string) => observationLabels[field as ObservationField] ?? field;

const narrativeOrder: ObservationNarrativeField[] = [
  'strengths',
  'areasForDevelopment',
  'reflections',
  'equalityDiversityIdentity',
  'otherComments',
  'practitionerResponse',
];

export function ObservationForm({ handle, directory, observer }: RecordFormProps) {
  const { form, meta, contested, bind } = useRecordForm<ObservationValues>(handle, observationCompleteSchema, allFields);
  const workflow = useRecordWorkflow(handle, observer.id, meta?.status);
  const { readOnly, isAuthor, recordName } = workflow;
  const { errors, isSubmitted } = form.formState;
  // Carets of others writing the observation at the same time (a co-writer), in the narrative fields.
  const presence = usePresence('observation', handle.id, { userId: observer.id, name: observer.displayName });
  // Once complete, the observation is read as a document, not as a form nobody can type into.
  if (!workflow.isDraft) return <FinishedObservation handle={handle} directory={directory} observer={observer} workflow={workflow} />;

  const teamName = (teamId: string) => directory.teams.find((t) => t.id === teamId)?.name ?? '';
  const nature = form.watch('nature');
  const meetingType = form.watch('meetingType');
  const teamId = form.watch('teamId');

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
  const markComplete = form.handleSubmit(() => workflow.leaveDraft());

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
      <RecordPageTop title="Observation of practice" workflow={workflow} completedAt={meta?.completedAt} />
      <WorkflowNotices kind="observation" userId={observer.id} workflow={workflow} labelOf={fieldLabel} />
      {/* Issue 15: an immediate concern can be raised from any record, a draft included (outside the form: it is a command). */}
      <ImmediateConcerns record={recordName} userId={observer.id} relationship={workflow.summary?.relationship} role={observer.role} />
      {isSubmitted && Object.keys(errors).length > 0 && (
        <ErrorSummary heading="This observation cannot be marked as complete yet" errors={errors} fields={allFields} labelOf={fieldLabel} />
      )}

      <form onSubmit={markComplete} noValidate aria-label="Observation of practice">
        <fieldset disabled={readOnly} className="form-body">
          <ReadOnlyField label="Observer">{meta?.authorName ?? observer.displayName}</ReadOnlyField>

          {directory.people.length === 0 && (
            <p className="alert alert--warning">
              The organisation’s directory is not on this tablet yet. Connect to the internet once to download it; you can fill in
              everything else meanwhile.
            </p>
          )}
          <SelectField label={observationLabels.practitionerId} error={errors.practitionerId?.message} {...form.register('practitionerId', { onChange: onPractitionerChange })}>
            <PractitionerOptions directory={directory} currentId={form.getValues('practitionerId')} emptyChoice="Choose a practitioner" />
          </SelectField>
          {contest('practitionerId')}
          <ReadOnlyField label={observationLabels.teamId}>{teamName(teamId) || 'Shown when you choose the practitioner'}</ReadOnlyField>

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
            <NarrativeField
              key={name}
              handle={handle}
              field={name}
              label={observationLabels[name]}
              hint={observationHints[name]}
              error={errors[name]?.message}
              readOnly={readOnly}
              presence={presence}
            />
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
      {/* Issue 15: what the observation found that needs doing, tracked to sign-off (outside the form: it goes on once complete). */}
      <RecordActions
        record={recordName}
        kind="observation"
        userId={observer.id}
        directory={directory}
        canRaise={mayRaiseActions(workflow.summary?.relationship, observer.role, workflow.status)}
        status={workflow.status}
        teamId={teamId}
        practitionerId={form.watch('practitionerId')}
      />
      {/* Family feedback gathered for this observation (DOMAIN.md form 3), as a review shows it. */}
      <LinkedFeedback userId={observer.id} record={recordName} childId={form.watch('childId')} canAdd={observer.role !== 'admin'} />
      <PractitionerReflection handle={handle} userId={observer.id} isSubject={workflow.summary?.relationship === 'subject'} />
    </main>
  );
}
