/**
 * Family feedback once it is finished: their words read as a document (components/RecordDocument), with
 * the way on to the record it was gathered for, the child's page and the next person in the meeting.
 */
import { FeedbackPageTop } from './FeedbackPageTop';
import { feedbackLabels, type FeedbackField, type FeedbackValues } from '../../../domain/feedback';
import { parseRecordDocName, recordKindLabels } from '../../../domain/records';
import { DocumentCopies } from '../../components/DocumentCopies';
import { ImmediateConcerns } from '../../components/ImmediateConcerns';
import { FeedbackDocument } from '../../components/RecordDocument';
import { useOrganisationSettings } from '../../data/directory';
import { feedbackDocument } from '../../lib/document/records';
import { WorkflowNotices, type useRecordWorkflow } from '../../components/recordForm';
import type { RecordFormProps } from '../../components/recordPages';
import { useRecordSnapshot } from '../../components/useRecordSnapshot';
import { NextInMeeting } from './NextInMeeting';

const fieldLabel = (field: string) => feedbackLabels[field as FeedbackField] ?? field;

export function FinishedFeedback({ handle, observer, workflow }: Omit<RecordFormProps, 'directory'> & { workflow: ReturnType<typeof useRecordWorkflow> }) {
  const { values, meta } = useRecordSnapshot(handle);
  const linked = parseRecordDocName(values.linkedRecord ?? '');
  const childId = values.childId ?? '';
  const organisation = useOrganisationSettings(observer.id);
  return (
    <main id="main" className="page record-page">
      <FeedbackPageTop linked={linked} childId={childId} workflow={workflow} completedAt={meta?.completedAt} />
      <WorkflowNotices kind="feedback" userId={observer.id} workflow={workflow} labelOf={fieldLabel} />
      <ImmediateConcerns record={workflow.recordName} userId={observer.id} relationship={workflow.summary?.relationship} role={observer.role} />
      {linked && <p className="hint">Gathered for a {recordKindLabels[linked.kind].toLowerCase()}; it is shown inside it.</p>}
      <DocumentCopies userId={observer.id} record={workflow.recordName} model={feedbackDocument({ values, meta }, {}, organisation ? { organisation } : {})} />
      <FeedbackDocument values={values} meta={meta} />
      {/* Every field of the layout is present: readValues gives '' for those never filled in. */}
      {workflow.isAuthor && <NextInMeeting values={values as FeedbackValues} />}
    </main>
  );
}
