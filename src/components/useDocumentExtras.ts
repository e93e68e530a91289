/**
 * What sits beside a record on screen and belongs in its copy for the child's file (print and PDF): its
 * tracked actions, the family feedback gathered for it, its immediate concerns, and the organisation's
 * name and marking — each read from the device, so a copy can be made with no signal.
 */
import { useEffect, useState } from 'react';
import type { RecordKind } from '../../domain/records';
import { useRecordActions } from '../data/actions';
import { readStoredRecord } from '../data/docs/openRecord';
import { useOrganisationSettings } from '../data/directory';
import { useConcerns } from '../data/notifications';
import { useLinkedFeedback } from '../data/records';
import type { DocumentExtras, LinkedFeedbackRecord } from '../lib/document/records';
import { defaultOrganisation } from '../lib/document/model';

export function useDocumentExtras(userId: string, record: string, kind: RecordKind) {
  const organisation = useOrganisationSettings(userId) ?? defaultOrganisation;
  const actions = useRecordActions(userId, record);
  const concerns = useConcerns(userId, record);
  const rows = useLinkedFeedback(userId, record);
  const [feedback, setFeedback] = useState<LinkedFeedbackRecord[]>([]);
  const changedAt = rows?.map((r) => `${r.id}@${r.updatedAt}`).join(',') ?? '';
  useEffect(() => {
    let cancelled = false;
    void Promise.all((rows ?? []).map((r) => readStoredRecord(userId, 'feedback', r.id))).then((read) => !cancelled && setFeedback(read));
    return () => {
      cancelled = true;
    };
    // Re-read when any linked feedback changes (its index row's time moves).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [userId, changedAt]);
  const extras: DocumentExtras =
    kind === 'feedback'
      ? {}
      : {
          actions: actions ?? [],
          feedback,
          // Offline, the server's list of concerns cannot be asked for: the copy says so rather than "none".
          concerns: concerns.data ?? 'unavailable',
        };
  return { extras, organisation };
}
