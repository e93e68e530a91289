/**
 * A review once it is submitted, moderated or closed: read as a document (components/RecordDocument), with
 * what can still be done around it — raising or resolving an immediate concern, family feedback, the
 * moderation while it is being written, and closing the review once it is moderated.
 */
import { useEffect, useState } from 'react';
import { moderationIdFor } from '../../../domain/moderation';
import { reviewLabels, type ReviewField } from '../../../domain/review';
import { ImmediateConcerns } from '../../components/ImmediateConcerns';
import { LinkedFeedback } from '../../components/LinkedFeedback';
import { PresenceBar } from '../../components/Presence';
import { DocumentCopies } from '../../components/DocumentCopies';
import { ReviewDocument, type RecordedModeration } from '../../components/RecordDocument';
import { useDocumentExtras } from '../../components/useDocumentExtras';
import { reviewDocument, type ReviewDocumentInput } from '../../lib/document/records';
import { RecordPageTop, WorkflowNotices, type useRecordWorkflow } from '../../components/recordForm';
import type { RecordFormProps } from '../../components/recordPages';
import { useRecordSnapshot } from '../../components/useRecordSnapshot';
import type { RecordHandle } from '../../data/docs/openRecord';
import { useRecord } from '../../data/docs/useRecord';
import type { PresenceState } from '../../data/sync/syncManager';
import { ModerationPanel } from './ModerationPanel';
import { ReviewActions } from './ReviewActions';
import { ReviewPeople } from './ReviewPeople';

const fieldLabel = (field: string) => reviewLabels[field as ReviewField] ?? field;

interface Props extends RecordFormProps {
  workflow: ReturnType<typeof useRecordWorkflow>;
  presence: PresenceState[];
}

export function FinishedReview({ handle, directory, observer, workflow, presence }: Props) {
  const { values, meta, actions } = useRecordSnapshot(handle);
  const teamName = directory.teams.find((t) => t.id === values.teamId)?.name ?? '';
  // The moderation's agreed grades are the review's once it is recorded; before that they are a draft.
  const recorded = workflow.status === 'moderated' || workflow.status === 'closed';
  const document = { values, meta, teamName, legacyActions: actions };

  return (
    <main id="main" className="page record-page">
      <RecordPageTop title="Collaborative case review" workflow={workflow} completedAt={meta?.completedAt} />
      <WorkflowNotices kind="review" userId={observer.id} workflow={workflow} labelOf={fieldLabel} />
      <PresenceBar others={presence} labelOf={fieldLabel} />
      <ImmediateConcerns record={workflow.recordName} userId={observer.id} relationship={workflow.summary?.relationship} role={observer.role} />
      <ReviewPeople handle={handle} directory={directory} userId={observer.id} canShare={false} />
      {recorded ? (
        <ModeratedReviewDocument review={handle} userId={observer.id} record={workflow.recordName} {...document} />
      ) : (
        <ReviewWithCopies userId={observer.id} record={workflow.recordName} {...document} />
      )}
      {/* Actions carry on (done, signed off) after the review is finished. */}
      <ReviewActions handle={handle} record={workflow.recordName} status={workflow.status} user={observer} relationship={workflow.summary?.relationship} directory={directory} />
      <LinkedFeedback userId={observer.id} record={workflow.recordName} childId={values.childId ?? ''} canAdd={observer.role !== 'admin'} />
      <ModerationPanel
        review={handle}
        directory={directory}
        reviewStatus={workflow.status}
        user={observer}
        isModerator={observer.role === 'qa-officer' || workflow.summary?.relationship === 'moderator'}
        isLead={workflow.isAuthor}
      />
    </main>
  );
}

type DocumentProps = Omit<ReviewDocumentInput, 'moderation'>;

/** The review as a document, with its PDF and print view: the same model, with what sits beside it. */
function ReviewWithCopies({ userId, record, ...input }: ReviewDocumentInput & { userId: string; record: string }) {
  const { extras, organisation } = useDocumentExtras(userId, record, 'review');
  return (
    <>
      <DocumentCopies userId={userId} record={record} model={reviewDocument(input, extras, { organisation })} />
      <ReviewDocument {...input} />
    </>
  );
}

/** The review with its recorded moderation, which is a document of its own: opened (or fetched) here. */
function ModeratedReviewDocument({ review, userId, record, ...document }: DocumentProps & { review: RecordHandle; userId: string; record: string }) {
  const moderation = useRecord(userId, 'moderation', moderationIdFor(review.id));
  const recorded = useModeration(moderation.state === 'ready' ? moderation.handle : null);
  // One ReviewDocument whatever the moderation's state, so the document is not replaced when it arrives.
  return <ReviewWithCopies userId={userId} record={record} {...document} moderation={recorded ?? (moderation.state === 'loading' ? undefined : 'not-here')} />;
}

/** The moderation's values and metadata, re-read as it changes; null until it is open. */
function useModeration(handle: RecordHandle | null): RecordedModeration | null {
  const read = (h: RecordHandle | null) => (h ? { values: h.values(), meta: h.meta() } : null);
  const [state, setState] = useState(() => read(handle));
  useEffect(() => {
    setState(read(handle));
    return handle?.subscribe(() => setState(read(handle)));
  }, [handle]);
  return state;
}
