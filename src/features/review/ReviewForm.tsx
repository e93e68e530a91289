/**
 * The collaborative case review (DOMAIN.md form 2), written together by the lead reviewer, the
 * practitioner, their team manager and the IRO / CP chair: each on their own device, live when online,
 * merged when they reconnect. Narrative fields keep everyone's words; two people grading a domain
 * differently at once shows as contested, beside the grade, until someone settles it — and the review
 * cannot be submitted while a grade is contested.
 */
import { useState, type ChangeEvent, type FocusEvent } from 'react';
import { Link } from 'react-router';
import { labelOf, levelsOfNeed } from '../../../domain/options';
import {
  domainEvaluationField,
  domainGradeField,
  grades,
  reviewDomains,
  reviewHints,
  reviewLabels,
  reviewLayout,
  reviewSubmitSchema,
  type ReviewField,
  type ReviewValues,
} from '../../../domain/review';
import { ContestedNotice } from '../../components/ContestedNotice';
import { PractitionerOptions } from '../../components/PractitionerOptions';
import { ImmediateConcerns } from '../../components/ImmediateConcerns';
import { LinkedFeedback } from '../../components/LinkedFeedback';
import { PresenceBar } from '../../components/Presence';
import { RadioGroupField, ReadOnlyField, SelectField, TextAreaField, TextField } from '../../components/fields';
import { ErrorSummary, RecordStatusPanel, useRecordForm, useRecordWorkflow, WorkflowNotices } from '../../components/recordForm';
import type { RecordFormProps } from '../../components/recordPages';
import { enqueueCommand } from '../../data/outbox';
import { usePresence } from '../../data/sync/SyncContext';
import { formatDate } from '../../lib/format';
import { paths } from '../../lib/routes';
import { ModerationPanel } from './ModerationPanel';
import { ReviewActions } from './ReviewActions';
import { ReviewPeople } from './ReviewPeople';
import { WhoWroteWhat } from './WhoWroteWhat';

const allFields = [...reviewLayout.scalarFields, ...reviewLayout.narrativeFields] as ReviewField[];
const fieldLabel = (field: string) => reviewLabels[field as ReviewField] ?? field;
const gradeFields = new Set<string>([...reviewDomains.map((d) => domainGradeField(d.key)), 'overallGrade']);

export function ReviewForm({ handle, directory, observer }: RecordFormProps) {
  const { form, meta, contested, bind } = useRecordForm<ReviewValues>(handle, reviewSubmitSchema, allFields);
  const workflow = useRecordWorkflow(handle, observer.id, meta?.status);
  const { readOnly, isAuthor } = workflow;
  const { errors, isSubmitted } = form.formState;
  const error = (field: ReviewField) => errors[field]?.message;
  const presence = usePresence('review', handle.id, { userId: observer.id, name: observer.displayName });
  const [showWriters, setShowWriters] = useState(false);
  /** Under a narrative field, when asked for: who wrote which part. */
  const writers = (field: ReviewField) => (showWriters ? <WhoWroteWhat runs={handle.whoWroteWhat(field)} /> : null);
  // Which field this person is in, for everyone else in the review (radio groups share their field's name).
  const onFocusIn = (event: FocusEvent<HTMLFormElement>) => {
    const name = (event.target as unknown as { name?: string }).name;
    if (name) presence.setField(name);
  };

  const teamName = directory.teams.find((t) => t.id === form.watch('teamId'))?.name ?? '';
  const personName = (id: string) => directory.people.find((p) => p.id === id)?.displayName ?? '';

  const onSocialWorkerChange = (event: ChangeEvent<HTMLSelectElement>) => {
    const person = directory.people.find((p) => p.id === event.target.value);
    const team = directory.teams.find((t) => t.id === person?.teamId);
    const values = {
      socialWorkerId: event.target.value,
      socialWorkerName: person?.displayName ?? '',
      teamId: person?.teamId ?? '',
      teamManagerName: team?.managerId ? personName(team.managerId) : '',
    };
    form.setValue('socialWorkerName', values.socialWorkerName);
    form.setValue('teamId', values.teamId);
    form.setValue('teamManagerName', values.teamManagerName);
    // One change in the document for all four, so the names and team never disagree with the choice.
    handle.setFields(values);
    // The social worker writes the review with the reviewers, and their team's managers read it: the
    // server's data, so the lead reviewer tells it by a command.
    if (isAuthor && values.socialWorkerId) void enqueueCommand(observer.id, { type: 'set-subject', record: workflow.recordName, userId: values.socialWorkerId });
  };

  // The strict check here, then no contested grade, then the submission goes to the outbox; the server checks both again.
  const submit = form.handleSubmit(() => {
    if (contested.length > 0) return;
    return workflow.leaveDraft();
  });

  const valueLabel = (field: ReviewField, value: string): string => {
    if (gradeFields.has(field)) return labelOf(grades, value);
    if (field === 'levelOfNeed') return labelOf(levelsOfNeed, value);
    if (field === 'socialWorkerId') return personName(value) || value;
    if (field === 'reviewDate') return value ? formatDate(value) : '';
    return value;
  };

  /** The notice beside a field two people set differently at once, if it is contested. */
  const contest = (field: ReviewField) => {
    const found = contested.find((c) => c.field === field);
    if (!found) return null;
    return (
      <ContestedNotice
        fieldLabel={reviewLabels[field]}
        currentLabel={valueLabel(field, found.current)}
        choices={found.choices.map((c) => ({ ...c, label: valueLabel(field, c.value) }))}
        disabled={readOnly}
        onChoose={(value) => {
          handle.settleField(field, value);
          form.setValue(field, value, { shouldValidate: form.formState.isSubmitted });
        }}
      />
    );
  };

  const contestedGrades = contested.filter((c) => gradeFields.has(c.field));

  return (
    <main id="main" className="page record-page">
      <p>
        <Link to={paths.home}>Back to my records</Link>
      </p>
      <h1>Collaborative case review</h1>
      <RecordStatusPanel workflow={workflow} completedAt={meta?.completedAt} />
      <WorkflowNotices kind="review" userId={observer.id} workflow={workflow} labelOf={fieldLabel} />
      {isSubmitted && Object.keys(errors).length > 0 && (
        <ErrorSummary heading="This review cannot be submitted for moderation yet" errors={errors} fields={allFields} labelOf={fieldLabel} />
      )}
      {isSubmitted && contestedGrades.length > 0 && (
        <div className="alert alert--error" role="alert">
          <h2>Settle the contested grades first</h2>
          <p>Two people chose different grades at the same time for: {contestedGrades.map((c) => reviewLabels[c.field as ReviewField]).join(', ')}.</p>
        </div>
      )}

      <PresenceBar others={presence.others} labelOf={fieldLabel} />
      <ImmediateConcerns record={workflow.recordName} userId={observer.id} relationship={workflow.summary?.relationship} />
      <ReviewPeople handle={handle} directory={directory} userId={observer.id} canShare={isAuthor && workflow.isDraft} />

      <div className="field who-wrote-toggle">
        <label className="radio-option">
          <input type="checkbox" checked={showWriters} onChange={(event) => setShowWriters(event.target.checked)} />
          <span>Show who wrote what</span>
        </label>
      </div>
      <form
        onSubmit={submit}
        noValidate
        aria-label="Collaborative case review"
        onFocus={onFocusIn}
        onBlur={() => presence.setField('')}
        // Enter in a one-line field must not submit a review for moderation by accident: only the button does.
        onKeyDown={(event) => event.key === 'Enter' && (event.target as HTMLElement).tagName === 'INPUT' && event.preventDefault()}
      >
        <fieldset disabled={readOnly} className="form-body">
          <h2>The child</h2>
          <TextField label={reviewLabels.childId} hint={reviewHints.childId} autoComplete="off" spellCheck={false} error={error('childId')} {...bind('childId')} />
          {contest('childId')}
          <TextField label={reviewLabels.childName} autoComplete="off" error={error('childName')} {...bind('childName')} />
          <SelectField label={reviewLabels.socialWorkerId} error={error('socialWorkerId')} {...form.register('socialWorkerId', { onChange: onSocialWorkerChange })}>
            <PractitionerOptions directory={directory} currentId={form.getValues('socialWorkerId')} emptyChoice="Choose the social worker or PA" />
          </SelectField>
          {contest('socialWorkerId')}
          <ReadOnlyField label={reviewLabels.teamManagerName}>{form.watch('teamManagerName') ? `${form.watch('teamManagerName')}, ${teamName}` : teamName || 'Shown when you choose the social worker'}</ReadOnlyField>
          <RadioGroupField label={reviewLabels.levelOfNeed} options={levelsOfNeed} error={error('levelOfNeed')} input={bind('levelOfNeed')} />
          {contest('levelOfNeed')}

          <h2>The review</h2>
          <TextAreaField label={reviewLabels.reviewers} hint={reviewHints.reviewers} rows={3} error={error('reviewers')} {...bind('reviewers')} />
          {writers('reviewers')}
          <TextField label={reviewLabels.reviewDate} type="date" error={error('reviewDate')} {...bind('reviewDate')} />
          {contest('reviewDate')}
          <TextField label={reviewLabels.location} error={error('location')} {...bind('location')} />
          {contest('location')}
          <TextField label={reviewLabels.conversationMinutes} inputMode="numeric" error={error('conversationMinutes')} {...bind('conversationMinutes')} />
          {contest('conversationMinutes')}
          <TextAreaField label={reviewLabels.additionalWork} rows={3} error={error('additionalWork')} {...bind('additionalWork')} />
          {writers('additionalWork')}
          <TextField label={reviewLabels.additionalWorkMinutes} inputMode="numeric" error={error('additionalWorkMinutes')} {...bind('additionalWorkMinutes')} />
          {contest('additionalWorkMinutes')}
          <TextAreaField label={reviewLabels.penPicture} hint={reviewHints.penPicture} error={error('penPicture')} {...bind('penPicture')} />
          {writers('penPicture')}

          <h2>The seven domains</h2>
          {reviewDomains.map((domain, index) => {
            const evaluation = domainEvaluationField(domain.key);
            const grade = domainGradeField(domain.key);
            return (
              <section key={domain.key} className="review-domain" aria-labelledby={`domain-${domain.key}`}>
                <h3 id={`domain-${domain.key}`}>
                  {index + 1}. {domain.label}
                </h3>
                <TextAreaField label={reviewLabels[evaluation]} hint={reviewHints[evaluation]} error={error(evaluation)} {...bind(evaluation)} />
                {writers(evaluation)}
                <RadioGroupField label={reviewLabels[grade]} options={grades} error={error(grade)} input={bind(grade)} />
                {contest(grade)}
              </section>
            );
          })}

          <h2>Overall</h2>
          <TextAreaField label={reviewLabels.overallEvaluation} error={error('overallEvaluation')} {...bind('overallEvaluation')} />
          {writers('overallEvaluation')}
          <TextAreaField label={reviewLabels.wentWell} error={error('wentWell')} {...bind('wentWell')} />
          {writers('wentWell')}
          <TextAreaField label={reviewLabels.needsToHappen} error={error('needsToHappen')} {...bind('needsToHappen')} />
          {writers('needsToHappen')}
          <RadioGroupField label={reviewLabels.overallGrade} options={grades} error={error('overallGrade')} input={bind('overallGrade')} />
          {contest('overallGrade')}
          <TextAreaField label={reviewLabels.overallGradeRationale} error={error('overallGradeRationale')} {...bind('overallGradeRationale')} />
          {writers('overallGradeRationale')}
          <TextAreaField label={reviewLabels.practitionerReflections} error={error('practitionerReflections')} {...bind('practitionerReflections')} />
          {writers('practitionerReflections')}
        </fieldset>

        {!readOnly && isAuthor && (
          <div className="form-actions">
            <button type="submit" className="button button--primary">
              Submit for moderation
            </button>
            <p className="hint">Everyone’s changes are saved as they type. Once submitted, the review can no longer be changed.</p>
          </div>
        )}
      </form>
      {/* Outside the form: actions carry on (done, signed off) long after the review is read-only. */}
      <ReviewActions handle={handle} record={workflow.recordName} status={workflow.status} user={observer} relationship={workflow.summary?.relationship} directory={directory} />
      <LinkedFeedback userId={observer.id} record={workflow.recordName} childId={form.watch('childId')} canAdd={observer.role !== 'admin'} />
      {!workflow.isDraft && (
        <ModerationPanel
          review={handle}
          directory={directory}
          reviewStatus={workflow.status}
          user={observer}
          isModerator={observer.role === 'qa-officer' || workflow.summary?.relationship === 'moderator'}
          isLead={isAuthor}
        />
      )}
    </main>
  );
}
