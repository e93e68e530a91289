/**
 * Family feedback (DOMAIN.md form 3): a child's, parent's or carer's own words, saved as they are typed
 * like every other form. Finishing it needs their consent, shown beside the box when it is missing.
 */
import { FeedbackPageTop } from './FeedbackPageTop';
import { ageBands, feedbackCompleteSchema, feedbackGivers, feedbackLabels, feedbackLayout, feedbackWays, scaleHasFaces, yesNo, type FeedbackField, type FeedbackValues } from '../../../domain/feedback';
import { parseRecordDocName, recordKindLabels } from '../../../domain/records';
import { RadioGroupField, TextAreaField, TextField } from '../../components/fields';
import { ImmediateConcerns } from '../../components/ImmediateConcerns';
import { ErrorSummary, useRecordForm, useRecordWorkflow, WorkflowNotices } from '../../components/recordForm';
import type { RecordFormProps } from '../../components/recordPages';
import { ConsentField } from './ConsentField';
import { FinishedFeedback } from './FinishedFeedback';
import { HandToFamily } from './HandToFamily';
import { NextInMeeting } from './NextInMeeting';
import { ScoreScale } from './ScoreScale';

const allFields = [...feedbackLayout.scalarFields, ...feedbackLayout.narrativeFields] as FeedbackField[];
const fieldLabel = (field: string) => feedbackLabels[field as FeedbackField] ?? field;

export function FeedbackForm({ handle, observer }: RecordFormProps) {
  const { form, meta, bind } = useRecordForm<FeedbackValues>(handle, feedbackCompleteSchema, allFields);
  const workflow = useRecordWorkflow(handle, observer.id, meta?.status);
  const { errors, isSubmitted } = form.formState;
  const error = (field: FeedbackField) => errors[field]?.message;
  const giver = form.watch('giver');
  const linked = parseRecordDocName(form.watch('linkedRecord'));
  const finish = form.handleSubmit(() => workflow.leaveDraft());
  // Finished here (sent or waiting to be sent): the next person in the meeting can start theirs.
  const finished = workflow.status === 'complete' || workflow.leaving?.state === 'pending';
  const childId = form.watch('childId');
  // Finished, the feedback is read as a document of their words, not as a form nobody can type into.
  if (!workflow.isDraft) return <FinishedFeedback handle={handle} observer={observer} workflow={workflow} />;

  return (
    <main id="main" className="page record-page">
      <FeedbackPageTop linked={linked} childId={childId} workflow={workflow} completedAt={meta?.completedAt} />
      <WorkflowNotices kind="feedback" userId={observer.id} workflow={workflow} labelOf={fieldLabel} />
      <ImmediateConcerns record={workflow.recordName} userId={observer.id} relationship={workflow.summary?.relationship} role={observer.role} />
      {isSubmitted && Object.keys(errors).length > 0 && <ErrorSummary heading="This feedback cannot be finished yet" errors={errors} fields={allFields} labelOf={fieldLabel} />}
      <form onSubmit={finish} noValidate aria-label="Family feedback">
        <fieldset disabled={workflow.readOnly} className="form-body">
          {linked && <p className="hint">Gathered for a {recordKindLabels[linked.kind].toLowerCase()}; it is shown inside it.</p>}
          <TextField label={feedbackLabels.childId} autoComplete="off" spellCheck={false} error={error('childId')} {...bind('childId')} />
          <TextField label={feedbackLabels.date} type="date" error={error('date')} {...bind('date')} />
          <RadioGroupField label={feedbackLabels.giver} options={feedbackGivers} error={error('giver')} input={bind('giver')} />
          {giver && giver !== 'child' && <TextField label={feedbackLabels.relationship} error={error('relationship')} {...bind('relationship')} />}
          {giver === 'child' && (
            <>
              <RadioGroupField label={feedbackLabels.ageBand} options={ageBands} error={error('ageBand')} input={bind('ageBand')} />
              <RadioGroupField label={feedbackLabels.seenAlone} options={yesNo} error={error('seenAlone')} input={bind('seenAlone')} />
            </>
          )}
          <RadioGroupField label={feedbackLabels.how} options={feedbackWays} error={error('how')} input={bind('how')} />
          <TextAreaField label={feedbackLabels.workingWell} hint="In their own words." error={error('workingWell')} {...bind('workingWell')} />
          <TextAreaField label={feedbackLabels.worried} error={error('worried')} {...bind('worried')} />
          <TextAreaField label={feedbackLabels.needsToHappen} error={error('needsToHappen')} {...bind('needsToHappen')} />
          <ScoreScale
            label={feedbackLabels.score}
            hint="0 is not well at all, 10 is really well."
            error={error('score')}
            input={bind('score')}
            withFaces={scaleHasFaces({ giver, ageBand: form.watch('ageBand') })}
          />
          <TextAreaField label={feedbackLabels.goneWell} error={error('goneWell')} {...bind('goneWell')} />
          <TextAreaField label={feedbackLabels.couldBeBetter} error={error('couldBeBetter')} {...bind('couldBeBetter')} />
          <TextAreaField label={feedbackLabels.anythingElse} error={error('anythingElse')} {...bind('anythingElse')} />
          <ConsentField
            label={feedbackLabels.consent}
            checked={form.watch('consent') === 'yes'}
            error={error('consent')}
            onChange={(value) => {
              form.setValue('consent', value, { shouldValidate: isSubmitted });
              handle.setField('consent', value);
            }}
          />
        </fieldset>
        {!workflow.readOnly && workflow.isAuthor && (
          <div className="form-actions">
            <button type="submit" className="button button--primary">
              Finish
            </button>
          </div>
        )}
      </form>
      {!workflow.readOnly && workflow.isAuthor && <HandToFamily handle={handle} userId={observer.id} />}
      {finished && workflow.isAuthor && <NextInMeeting values={form.getValues()} />}
    </main>
  );
}
