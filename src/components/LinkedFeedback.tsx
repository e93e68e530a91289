/**
 * The family feedback gathered for a record (a review or an observation), shown inside it: who gave it,
 * how well they said things are going, and their own words. A few small documents, read when they change.
 */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { feedbackGivers, feedbackLabels, type FeedbackField } from '../../domain/feedback';
import { labelOf } from '../../domain/options';
import { recordStatusLabels } from '../../domain/records';
import { readStoredRecord } from '../data/docs/openRecord';
import { useLinkedFeedback } from '../data/records';
import { formatDate } from '../lib/format';
import { paths } from '../lib/routes';

const words: FeedbackField[] = ['workingWell', 'worried', 'needsToHappen', 'goneWell', 'couldBeBetter', 'anythingElse'];

export function LinkedFeedback({ userId, record, childId, canAdd }: { userId: string; record: string; childId: string; canAdd: boolean }) {
  const rows = useLinkedFeedback(userId, record);
  const [values, setValues] = useState<Record<string, Record<string, string>>>({});
  const changedAt = rows?.map((r) => `${r.id}@${r.updatedAt}`).join(',') ?? '';
  useEffect(() => {
    let cancelled = false;
    void Promise.all((rows ?? []).map(async (r) => [r.id, (await readStoredRecord(userId, 'feedback', r.id)).values] as const)).then(
      (read) => !cancelled && setValues(Object.fromEntries(read)),
    );
    return () => {
      cancelled = true;
    };
    // Re-read when any linked feedback changes (its index row's time moves).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [userId, changedAt]);

  return (
    <section className="linked-feedback" aria-labelledby="linked-feedback-heading">
      <h2 id="linked-feedback-heading">Family feedback</h2>
      {(rows ?? []).length === 0 && <p>No family feedback has been recorded for this yet.</p>}
      <ul>
        {(rows ?? []).map((row) => {
          const v = values[row.id] ?? {};
          return (
            <li key={row.id} className="linked-feedback-item">
              <p>
                <strong>{v.giver ? labelOf(feedbackGivers, v.giver) : 'Someone in the family'}</strong>
                {v.relationship ? ` (${v.relationship})` : ''}
                {row.date ? `, ${formatDate(row.date)}` : ''} — {recordStatusLabels[row.status]}
                {v.score ? `. How well things are going: ${v.score} out of 10` : ''}
              </p>
              {words
                .filter((field) => v[field]?.trim())
                .map((field) => (
                  <p key={field}>
                    <span className="label">{feedbackLabels[field]}</span> “{v[field]}”
                  </p>
                ))}
              <Link to={paths.record('feedback', row.id)}>Open this feedback</Link>
            </li>
          );
        })}
      </ul>
      {/* The whole picture for the child, beyond what was gathered for this record. */}
      {childId.trim() && (
        <p>
          <Link to={paths.child(childId.trim())}>All family feedback for child {childId.trim()}</Link>
        </p>
      )}
      {canAdd && (
        <Link className="button" to={paths.newFeedback({ for: record, child: childId })}>
          Record family feedback
        </Link>
      )}
    </section>
  );
}
