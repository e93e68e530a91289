/**
 * An observation once it is complete: read as a document (components/RecordDocument), with what can still
 * be done around it — an immediate concern, the practitioner's own reflection, and family feedback gathered for it.
 */
import { observationLabels, type ObservationField } from '../../../domain/observation';
import { DocumentCopies } from '../../components/DocumentCopies';
import { ImmediateConcerns } from '../../components/ImmediateConcerns';
import { LinkedFeedback } from '../../components/LinkedFeedback';
import { useDocumentExtras } from '../../components/useDocumentExtras';
import { observationDocument } from '../../lib/document/records';
import { ObservationDocument } from '../../components/RecordDocument';
import { RecordPageTop, WorkflowNotices, type useRecordWorkflow } from '../../components/recordForm';
import type { RecordFormProps } from '../../components/recordPages';
import { useRecordSnapshot } from '../../components/useRecordSnapshot';
import { PractitionerReflection } from './PractitionerReflection';

const fieldLabel = (field: string) => observationLabels[field as ObservationField] ?? field;

export function FinishedObservation({ handle, directory, observer, workflow }: RecordFormProps & { workflow: ReturnType<typeof useRecordWorkflow> }) {
  const { values, meta, reflection } = useRecordSnapshot(handle);
  const teamName = directory.teams.find((t) => t.id === values.teamId)?.name ?? '';
  const { extras, organisation } = useDocumentExtras(observer.id, workflow.recordName, 'observation');
  const input = { values, meta, teamName, reflection };
  return (
    <main id="main" className="page record-page">
      <RecordPageTop title="Observation of practice" workflow={workflow} completedAt={meta?.completedAt} />
      <WorkflowNotices kind="observation" userId={observer.id} workflow={workflow} labelOf={fieldLabel} />
      <ImmediateConcerns record={workflow.recordName} userId={observer.id} relationship={workflow.summary?.relationship} role={observer.role} />
      <DocumentCopies userId={observer.id} record={workflow.recordName} model={observationDocument(input, extras, { organisation })} />
      <ObservationDocument {...input} />
      <PractitionerReflection handle={handle} userId={observer.id} isSubject={workflow.summary?.relationship === 'subject'} formOnly />
      <LinkedFeedback userId={observer.id} record={workflow.recordName} childId={values.childId ?? ''} canAdd={observer.role !== 'admin'} />
    </main>
  );
}
