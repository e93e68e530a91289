/**
 * Several people in one meeting: once one person's feedback is finished, the next (another parent, the
 * child) starts with the child, the record it is for and the meeting already filled in.
 */
import { Link } from 'react-router';
import type { FeedbackValues } from '../../../domain/feedback';
import { paths } from '../../lib/routes';

export function NextInMeeting({ values }: { values: FeedbackValues }) {
  // "In their own hand" was how this person gave it; the next person may not.
  const how = values.how === 'own-hand' ? '' : values.how;
  return (
    <section className="next-in-meeting" aria-labelledby="next-in-meeting-heading">
      <h2 id="next-in-meeting-heading">Someone else in this meeting?</h2>
      <p>Start their feedback with the child{values.linkedRecord ? ', the record it is for' : ''} and the meeting already filled in.</p>
      <Link className="button button--primary" to={paths.newFeedback({ child: values.childId, for: values.linkedRecord, how, date: values.date })}>
        Record feedback from the next person
      </Link>
    </section>
  );
}
