/**
 * The child's page (issue 6): how well the family say things are going, as their 0–10 scores over time,
 * and every record for the child on this device. Reads the device's index only, never the documents, so
 * it opens at once offline however many records there are.
 */
import { Link, useParams } from 'react-router';
import { useChildRecords } from '../../data/records';
import { useSignedIn } from '../../data/sessionContext';
import { paths } from '../../lib/routes';
import { ChildRecordList } from './ChildRecordList';
import { leftOutFeedback, leftOutSentence, scorePoints } from './feedbackScores';
import { ScoreChart, ScoreTable } from './ScoreChart';

export function ChildPage() {
  const { childId = '' } = useParams();
  const { user } = useSignedIn();
  const records = useChildRecords(user.id, childId);
  // Feedback that is not finished, or that they did not agree may be used, is never charted or counted.
  const points = records ? scorePoints(records) : [];
  const leftOut = records ? leftOutSentence(leftOutFeedback(records)) : null;

  return (
    <main id="main" className="page child-page">
      <p>
        <Link to={paths.myRecords}>Back to my records</Link>
      </p>
      <h1>Child {childId}</h1>
      {/* The device holds only what this person may read and has synced: say so, rather than imply it is everything. */}
      <p className="hint">From the records on this tablet that you are allowed to see.</p>
      {records === undefined ? (
        <p role="status">Loading the records for this child…</p>
      ) : (
        <>
          <section className="child-section" aria-labelledby="child-scores-heading">
            <h2 id="child-scores-heading">How well things are going</h2>
            {points.length === 0 ? (
              <p className="empty">No finished family feedback with a score and their agreement to use it has been recorded for this child yet.</p>
            ) : (
              <>
                <p className="hint">Each finished piece of family feedback they agreed may be used: their answer to “How well are things going?”, from 0 to 10, oldest first.</p>
                <ScoreChart points={points} />
                <ScoreTable points={points} />
              </>
            )}
            {leftOut && (
              <p className="hint" data-testid="left-out">
                {leftOut}
              </p>
            )}
          </section>
          <section className="child-section" aria-labelledby="child-records-heading">
            <h2 id="child-records-heading">Records for this child</h2>
            {records.length === 0 ? <p className="empty">There are no records for this child on this tablet.</p> : <ChildRecordList records={records} />}
          </section>
        </>
      )}
    </main>
  );
}
