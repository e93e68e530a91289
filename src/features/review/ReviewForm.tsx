/**
 * The collaborative case review (DOMAIN.md form 2), written together by the lead reviewer, the
 * practitioner, their team manager and the IRO / CP chair: each on their own device, live when online,
 * merged when they reconnect. Narrative fields keep everyone's words; two people grading a domain
 * differently at once shows as contested, beside the grade, until someone settles it — and the review
 * cannot be submitted while a grade is contested.
 */
import { useState, type ChangeEvent, type FocusEvent } from 'react';
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
  type ReviewDomainKey,
  type ReviewField,
  type ReviewValues,
} from '../../../domain/review';
import { ContestedNotice } from '../../components/ContestedNotice';
import { SectionMenu } from '../../components/SectionMenu';
import { PractitionerOptions } from '../../components/PractitionerOptions';
import { ImmediateConcerns } from '../../components/ImmediateConcerns';
import { LinkedFeedback } from '../../components/LinkedFeedback';
import { PresenceBar } from '../../components/Presence';
import { NarrativeField } from '../../components/NarrativeField';
import { RadioGroupField, ReadOnlyField, SelectField, TextField } from '../../components/fields';
import { ErrorSummary, RecordPageTop, useRecordForm, useRecordWorkflow, WorkflowNotices } from '../../components/recordForm';
import type { RecordFormProps } from '../../components/recordPages';
import { enqueueCommand } from '../../data/outbox';
import { usePresence } from '../../data/sync/SyncContext';
import { formatDate } from '../../lib/format';
import { FinishedReview } from './FinishedReview';
import { ReviewActions } from './ReviewActions';
import { ReviewPeople } from './ReviewPeople';
import { WhoWroteWhat } from './WhoWroteWhat';

const allFields = [...reviewLayout.scalarFields, ...reviewLayout.narrativeFields] as ReviewField[];
const fieldLabel = (field: string) => reviewLabels[field as ReviewField] ?? field;
const gradeFields = new Set<string>([...reviewDomains.map((d) => domainGradeField(d.key)), 'overallGrade']);

/** The form's sections, in page order, for the section menu: each heading's id and the fields under it. */
const sections: { id: string; label: string; fields: ReviewField[]; domain?: ReviewDomainKey }[] = [
  { id: 'section-child', label: 'The child', fields: ['childId', 'childName', 'socialWorkerId', 'levelOfNeed'] },
  { id: 'section-review', label: 'The review', fields: ['reviewers', 'reviewDate', 'location', 'conversationMinutes', 'additionalWork', 'additionalWorkMinutes', 'penPicture'] },
  ...reviewDomains.map((d, i) => ({ id: `domain-${d.key}`, label: `${i + 1}. ${d.label}`, fields: [domainEvaluationField(d.key), domainGradeField(d.key)], domain: d.key })),
  { id: 'section-overall', label: 'Overall', fields: ['overallEvaluation', 'wentWell', 'needsToHappen', 'overallGrade', 'overallGradeRationale'] },
  { id: 'actions-heading', label: 'Actions', fields: [] },
  { id: 'section-reflections', label: 'Reflections', fields: ['practitionerReflections'] },
];

export function ReviewForm({ handle, directory, observer }: RecordFormProps) {
  const { form, meta, contested, bind } = useRecordForm<ReviewValues>(handle, reviewSubmitSchema, allFields);
  const workflow = useRecordWorkflow(handle, observer.id, meta?.status);
  const { readOnly, isAuthor } = workflow;
  const { errors, isSubmitted } = form.formState;
  const error = (field: ReviewField) => errors[field]?.message;
  const presence = usePresence('review', handle.id, { userId: observer.id, name: observer.displayName });
  const [showWriters, setShowWriters] = useState(false);
  /** A narrative field: several people can type in it at once, each seeing the others' carets. */
  const narrative = (field: ReviewField, hint?: string) => (
    <NarrativeField handle={handle} field={field} label={reviewLabels[field]} hint={hint} error={error(field)} readOnly={readOnly} presence={presence} />
  );
  // Past the draft, the review is read as a document, not as a form nobody can type into.
  if (!workflow.isDraft) return <FinishedReview handle={handle} directory={directory} observer={observer} workflow={workflow} presence={presence.others} />;
  /** Under a narrative field, when asked for: who wrote which part. */
  const writers = (field: ReviewField) => (showWriters ? <WhoWroteWhat runs={handle.whoWroteWhat(field)} /> : null);
  // Which field this person is in, for everyone else in the review (radio groups share their field's name;
  // a narrative field's editor says its field in data-field).
  const onFocusIn = (event: FocusEvent<HTMLFormElement>) => {
    const target = event.target as unknown as { name?: string; dataset?: DOMStringMap };
    const name = target.name || target.dataset?.field;
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
  const graded = reviewDomains.filter((d) => form.watch(domainGradeField(d.key))).length;
  // After a failed submit, the sections holding a field with a problem are marked in the menu.
  const menu = sections.map((section) => {
    const grade = section.domain ? form.watch(domainGradeField(section.domain)) : '';
    return {
      id: section.id,
      label: section.label,
      state: section.domain ? (grade ? labelOf(grades, grade) : 'Not graded') : undefined,
      problem: isSubmitted && section.fields.some((field) => errors[field]),
    };
  });

  return (
    <main id="main" className="page record-page">
      <RecordPageTop title="Collaborative case review" workflow={workflow} completedAt={meta?.completedAt} />
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
      <ImmediateConcerns record={workflow.recordName} userId={observer.id} relationship={workflow.summary?.relationship} role={observer.role} />
      <ReviewPeople handle={handle} directory={directory} userId={observer.id} canShare={isAuthor && workflow.isDraft} />

      <div className="field who-wrote-toggle">
        <label className="radio-option">
          <input type="checkbox" checked={showWriters} onChange={(event) => setShowWriters(event.target.checked)} />
          <span>Show who wrote what</span>
        </label>
      </div>
      <div className="review-layout">
      <SectionMenu label="Sections of the review" progress={`${graded} of ${reviewDomains.length} domains graded`} sections={menu} />
      <form
        className="review-form"
        onSubmit={submit}
        noValidate
        aria-label="Collaborative case review"
        onFocus={onFocusIn}
        onBlur={() => presence.setField('')}
        // Enter in a one-line field must not submit a review for moderation by accident: only the button does.
        onKeyDown={(event) => event.key === 'Enter' && (event.target as HTMLElement).tagName === 'INPUT' && event.preventDefault()}
      >
        <fieldset disabled={readOnly} className="form-body">
          <h2 id="section-child" tabIndex={-1}>
            The child
          </h2>
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

          <h2 id="section-review" tabIndex={-1}>
            The review
          </h2>
          {narrative('reviewers', reviewHints.reviewers)}
          {writers('reviewers')}
          <TextField label={reviewLabels.reviewDate} type="date" error={error('reviewDate')} {...bind('reviewDate')} />
          {contest('reviewDate')}
          <TextField label={reviewLabels.location} error={error('location')} {...bind('location')} />
          {contest('location')}
          <TextField label={reviewLabels.conversationMinutes} inputMode="numeric" error={error('conversationMinutes')} {...bind('conversationMinutes')} />
          {contest('conversationMinutes')}
          {narrative('additionalWork')}
          {writers('additionalWork')}
          <TextField label={reviewLabels.additionalWorkMinutes} inputMode="numeric" error={error('additionalWorkMinutes')} {...bind('additionalWorkMinutes')} />
          {contest('additionalWorkMinutes')}
          {narrative('penPicture', reviewHints.penPicture)}
          {writers('penPicture')}

          <h2>The seven domains</h2>
          {reviewDomains.map((domain, index) => {
            const evaluation = domainEvaluationField(domain.key);
            const grade = domainGradeField(domain.key);
            return (
              <section key={domain.key} className="review-domain" aria-labelledby={`domain-${domain.key}`}>
                <h3 id={`domain-${domain.key}`} tabIndex={-1}>
                  {index + 1}. {domain.label}
                </h3>
                {narrative(evaluation, reviewHints[evaluation])}
                {writers(evaluation)}
                <RadioGroupField label={reviewLabels[grade]} options={grades} error={error(grade)} input={bind(grade)} />
                {contest(grade)}
              </section>
            );
          })}

          <h2 id="section-overall" tabIndex={-1}>
            Overall
          </h2>
          {narrative('overallEvaluation')}
          {writers('overallEvaluation')}
          {narrative('wentWell')}
          {writers('wentWell')}
          {narrative('needsToHappen')}
          {writers('needsToHappen')}
          <RadioGroupField label={reviewLabels.overallGrade} options={grades} error={error('overallGrade')} input={bind('overallGrade')} />
          {contest('overallGrade')}
          {narrative('overallGradeRationale')}
          {writers('overallGradeRationale')}
          <h2 id="section-reflections" tabIndex={-1}>
            Reflections
          </h2>
          {narrative('practitionerReflections')}
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
      </div>
      {/* Outside the form: actions carry on (done, signed off) long after the review is read-only. */}
      <ReviewActions handle={handle} record={workflow.recordName} status={workflow.status} user={observer} relationship={workflow.summary?.relationship} directory={directory} />
      <LinkedFeedback userId={observer.id} record={workflow.recordName} childId={form.watch('childId')} canAdd={observer.role !== 'admin'} />
    </main>
  );
}
