/**
 * The observed practitioner's own reflection on an observation of them. It is not part of the form the
 * observer writes: the practitioner sends it as a command (it works offline, through the outbox), and
 * the server adds it to the record — even once the observation is complete.
 */
import { useEffect, useState } from 'react';
import { TextAreaField } from '../../components/fields';
import type { RecordHandle } from '../../data/docs/openRecord';
import { enqueueCommand, useRecordCommands } from '../../data/outbox';
import { getMeta, setMeta } from '../../data/records';
import { formatDateTime } from '../../lib/format';
import { recordDocName } from '../../../domain/records';

interface Props {
  handle: RecordHandle;
  userId: string;
  /** This person is the practitioner observed. */
  isSubject: boolean;
  /** The reflection itself is shown in the observation's document: only the practitioner's way to add one. */
  formOnly?: boolean;
}

export function PractitionerReflection({ handle, userId, isSubject, formOnly = false }: Props) {
  const [reflection, setReflection] = useState(() => handle.reflection());
  useEffect(() => handle.subscribe(() => setReflection(handle.reflection())), [handle]);
  const recordName = recordDocName(handle.kind, handle.id);
  const commands = useRecordCommands(userId, recordName);
  const waiting = commands?.find((c) => c.command.type === 'add-reflection');

  // What the practitioner is writing is kept on the device as they type, until it is sent.
  const draftKey = `reflection-draft:${handle.id}`;
  const [draft, setDraft] = useState<string | null>(null);
  useEffect(() => {
    void getMeta(userId, draftKey).then((saved) => setDraft(saved ?? ''));
  }, [userId, draftKey]);
  const [problem, setProblem] = useState<string | null>(null);

  if ((!reflection || formOnly) && !isSubject) return null;
  return (
    <section className="reflection" aria-labelledby="reflection-heading">
      <h2 id="reflection-heading">{isSubject ? 'Your reflection' : 'The practitioner’s reflection'}</h2>
      {formOnly ? null : reflection ? (
        <blockquote className="reflection-text">
          <p>{reflection.text}</p>
          <footer>
            {reflection.byName}, {formatDateTime(reflection.at)}
          </footer>
        </blockquote>
      ) : (
        <p>You have not added a reflection yet.</p>
      )}
      {isSubject && draft !== null && (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (!draft.trim()) return setProblem('Write your reflection first.');
            setProblem(null);
            void enqueueCommand(userId, { type: 'add-reflection', record: recordName, text: draft.trim() }).then(() => {
              setDraft('');
              void setMeta(userId, draftKey, '');
            });
          }}
        >
          <TextAreaField
            label={reflection ? 'Replace your reflection' : 'Add your reflection'}
            hint="What you take from this observation. The observer, your managers and the QA team can read it."
            error={problem ?? undefined}
            value={draft}
            onChange={(event) => {
              setDraft(event.target.value);
              void setMeta(userId, draftKey, event.target.value);
            }}
          />
          <div className="form-actions">
            <button type="submit" className="button button--primary">
              Send your reflection
            </button>
            {waiting?.state === 'pending' && <p role="status">Your reflection will be added when this tablet next reaches the server.</p>}
            {waiting?.state === 'rejected' && waiting.outcome?.status === 'rejected' && <p className="field-error">{waiting.outcome.message}</p>}
          </div>
        </form>
      )}
    </section>
  );
}
