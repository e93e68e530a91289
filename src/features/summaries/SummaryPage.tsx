/**
 * A quarterly summary (issue 17, item 3; St Helens appendix 2): what the server drafted from the quarter's data
 * (the activity, the grades, the reviews' and families' words), and the three parts the head of service and the
 * QA team write together — live when online, merged when they reconnect, each seeing the other's caret — then
 * submit to the leadership team. Submitted, it is read as a document by everyone who may read it. Download PDF
 * and Print give the same document, drafts watermarked.
 */
import { useId, type FocusEvent } from 'react';
import { Link } from 'react-router';
import { summaryLabels, summaryHints, summaryLayout, summarySubmitSchema, type SummaryField, type SummaryValues } from '../../../domain/summary';
import { DocumentCopies } from '../../components/DocumentCopies';
import { NarrativeField } from '../../components/NarrativeField';
import { PresenceBar } from '../../components/Presence';
import { DocumentFields, DocumentSections } from '../../components/RecordDocument';
import { ErrorSummary, useRecordForm, useRecordWorkflow, WorkflowNotices } from '../../components/recordForm';
import { OpenRecordPage, type RecordFormProps } from '../../components/recordPages';
import { useRecordSnapshot } from '../../components/useRecordSnapshot';
import { useOrganisationSettings } from '../../data/directory';
import { useStartSummary } from '../../data/summaries';
import { usePresence } from '../../data/sync/SyncContext';
import { summaryDocument } from '../../lib/document/summary';
import { formatDateTime } from '../../lib/format';
import type { SummaryDraft } from '../../../domain/summary';
import { paths } from '../../lib/routes';

const fields = [...summaryLayout.narrativeFields] as SummaryField[];
const fieldLabel = (field: string) => summaryLabels[field as SummaryField] ?? field;
const narrativeSectionIds = new Set(fields.map((f) => `summary-${f}`));

export function SummaryPage() {
  return <OpenRecordPage kind="summary" render={(props) => <SummaryForm {...props} />} />;
}

function SummaryForm({ handle, observer }: RecordFormProps) {
  const { form, meta } = useRecordForm<SummaryValues>(handle, summarySubmitSchema, fields);
  const workflow = useRecordWorkflow(handle, observer.id, meta?.status);
  const { values } = useRecordSnapshot(handle);
  const organisation = useOrganisationSettings(observer.id);
  const presence = usePresence('summary', handle.id, { userId: observer.id, name: observer.displayName });
  const statusId = useId();
  const draft = handle.drafted();
  const { errors, isSubmitted } = form.formState;

  if (!draft)
    return (
      <main id="main" className="page">
        <h1>Quarterly summary</h1>
        <p role="status">This summary has not fully reached this tablet yet. It appears when it has.</p>
      </main>
    );

  const model = summaryDocument({ draft, values, meta }, organisation ? { organisation } : {});
  const { readOnly, isDraft, unsent } = workflow;
  const submit = form.handleSubmit(() => workflow.leaveDraft());
  const onFocusIn = (event: FocusEvent<HTMLFormElement>) => {
    const field = (event.target as HTMLElement).dataset?.field;
    if (field) presence.setField(field);
  };
  const drafted = { ...model, sections: model.sections.filter((s) => !narrativeSectionIds.has(s.id)) };

  return (
    <main id="main" className="page record-page">
      <p>
        <Link to={paths.summaries}>Back to the quarterly summaries</Link>
      </p>
      <h1>
        Quarterly summary: {draft.serviceName}, {draft.quarter.label}
      </h1>
      <div className="record-status" data-testid="record-status" id={statusId}>
        <span className={`badge badge--${isDraft ? 'draft' : 'complete'}`}>{isDraft ? 'Being written' : 'Submitted to the leadership team'}</span>{' '}
        {!isDraft && meta?.completedAt ? `Submitted ${formatDateTime(meta.completedAt)}. ` : ''}
        <span className={unsent ? 'sent-state--pending' : 'sent-state--sent'}>{unsent ? 'Saved on this tablet — not yet sent.' : 'Sent — stored on the server.'}</span>
      </div>
      <WorkflowNotices kind="summary" userId={observer.id} workflow={workflow} labelOf={fieldLabel} />
      {isSubmitted && Object.keys(errors).length > 0 && (
        <ErrorSummary heading="This summary cannot be submitted yet" errors={errors} fields={fields} labelOf={fieldLabel} />
      )}
      <PresenceBar others={presence.others} labelOf={fieldLabel} />
      <DocumentFields fields={model.summary} />

      {isDraft ? (
        <>
          <form
            className="review-form"
            onSubmit={submit}
            noValidate
            aria-label="The quarterly summary"
            onFocus={onFocusIn}
            onBlur={() => presence.setField('')}
          >
            <fieldset disabled={readOnly} className="form-body">
              <legend className="visually-hidden">What the head of service and the QA team write</legend>
              {fields.map((field) => (
                <NarrativeField
                  key={field}
                  handle={handle}
                  field={field}
                  label={summaryLabels[field]}
                  hint={summaryHints[field]}
                  error={errors[field]?.message}
                  readOnly={readOnly}
                  presence={presence}
                />
              ))}
            </fieldset>
            {!readOnly && (
              <div className="form-actions">
                <button type="submit" className="button button--primary">
                  Submit to the leadership team
                </button>
                <p className="hint">Everyone’s words are saved as they type. Once submitted, the summary can no longer be changed; the director and assistant director are told.</p>
              </div>
            )}
          </form>
          <h2 className="summary-drafted-heading">Drafted from the quarter’s records</h2>
          {!readOnly && <DraftAgain draft={draft} />}
          <DocumentSections model={drafted} label="What the summary was drafted from" />
        </>
      ) : (
        <DocumentSections model={model} label="The quarterly summary as submitted" />
      )}
      <DocumentCopies userId={observer.id} record={workflow.recordName} model={model} copyFor="the leadership team" />
    </main>
  );
}

/**
 * Records finished after the summary was started (a late moderation, say) are not in its figures until it is
 * drafted again: the server does that on request, and the new figures reach this screen like any change.
 */
function DraftAgain({ draft }: { draft: SummaryDraft }) {
  const redraft = useStartSummary();
  return (
    <div className="summary-redraft">
      <p className="hint">
        Drafted from the records on {formatDateTime(draft.draftedAt)}. Records finished since then are not in these figures until it is drafted again; what
        you have written stays as it is.
      </p>
      <button
        type="button"
        className="button"
        disabled={redraft.isPending}
        onClick={() => redraft.mutate({ service: draft.serviceId, quarter: draft.quarter.id, redraft: true })}
      >
        Draft the figures and quotes again
      </button>
      {redraft.isPending && <p role="status">Drafting again from the quarter’s records…</p>}
      {redraft.isSuccess && !redraft.isPending && <p role="status">Drafted again from the records as they are now.</p>}
      {redraft.isError && (
        <p role="alert" className="alert alert--error">
          {redraft.error instanceof Error ? redraft.error.message : 'The summary could not be drafted again.'} Drafting needs a connection.
        </p>
      )}
    </div>
  );
}
