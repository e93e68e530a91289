/** Starting family feedback (for a child, and a review or observation it is gathered for) and opening it. */
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { feedbackWays } from '../../../domain/feedback';
import { parseRecordDocName } from '../../../domain/records';
import { NewRecordPage, OpenRecordPage } from '../../components/recordPages';
import { enqueueCommand } from '../../data/outbox';
import { useSignedIn } from '../../data/sessionContext';
import { todayIsoDate } from '../../lib/format';
import { FeedbackForm } from './FeedbackForm';

export function NewFeedbackPage() {
  const [params] = useSearchParams();
  const child = params.get('child') ?? '';
  const linked = params.get('for') ?? '';
  const linkedTo = parseRecordDocName(linked) ? linked : '';
  // The meeting, when this is the next person in it: how the feedback is given, and its date.
  const how = feedbackWays.some((way) => way.value === params.get('how')) ? params.get('how')! : '';
  const date = /^\d{4}-\d{2}-\d{2}$/.test(params.get('date') ?? '') ? params.get('date')! : todayIsoDate();
  const { user } = useSignedIn();
  const initialValues = useCallback(() => ({ date, childId: child, linkedRecord: linkedTo, how }), [date, child, linkedTo, how]);
  // The link that lets everyone in that record read the feedback is the server's data: a command.
  const afterCreate = useCallback(
    (id: string) => (linkedTo ? enqueueCommand(user.id, { type: 'link-record', record: `feedback/${id}`, linkedTo }) : Promise.resolve()),
    [user.id, linkedTo],
  );
  return <NewRecordPage kind="feedback" initialValues={initialValues} afterCreate={afterCreate} />;
}

export function FeedbackPage() {
  return <OpenRecordPage kind="feedback" render={(props) => <FeedbackForm {...props} />} />;
}
