/**
 * Immediate concerns about the child's safety on a record. Anyone in the record can raise one (it works
 * offline, as a command; the server tells the child's team manager, the service manager and the director
 * as soon as it arrives). A concern stays on the record until the record's lead or a manager above the
 * child's team resolves it, saying how.
 */
import { useEffect, useId, useState } from 'react';
import type { RecordSummary } from '../../domain/records';
import { useConcerns } from '../data/notifications';
import { enqueueCommand, useRecordCommands } from '../data/outbox';
import { formatDateTime } from '../lib/format';
import { TextAreaField } from './fields';

interface Props {
  record: string;
  userId: string;
  relationship: RecordSummary['relationship'];
}

export function ImmediateConcerns({ record, userId, relationship }: Props) {
  const headingId = useId();
  const concerns = useConcerns(userId, record);
  const commands = useRecordCommands(userId, record) ?? [];
  const waiting = commands.filter((c) => c.command.type === 'raise-concern' || c.command.type === 'resolve-concern');
  const pending = waiting.filter((c) => c.state === 'pending');
  const refused = waiting.filter((c) => c.state === 'rejected');
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [raising, setRaising] = useState(false);
  // A raise or resolution just reached the server: show the server's list.
  const { refetch } = concerns;
  useEffect(() => {
    if (pending.length === 0) void refetch();
  }, [pending.length, refetch]);

  const mayRaise = relationship === undefined || ['author', 'subject', 'contributor', 'reader'].includes(relationship);
  const mayResolve = relationship === undefined || relationship === 'author' || relationship === 'line-manager';
  const open = (concerns.data ?? []).filter((c) => !c.resolvedAt);
  const resolved = (concerns.data ?? []).filter((c) => c.resolvedAt);

  return (
    <section className="concerns" aria-labelledby={headingId}>
      <h2 id={headingId} className={open.length > 0 ? 'concerns-heading--open' : undefined}>
        {open.length > 0 ? `Immediate concern${open.length === 1 ? '' : 's'} (${open.length} open)` : 'Immediate concerns'}
      </h2>
      {open.map((c) => (
        <div key={c.id} className="alert alert--error concern" role="alert">
          <p>
            <strong>Raised by {c.raisedByName}</strong>, {formatDateTime(c.raisedAt)}: {c.text}
          </p>
          {mayResolve && <ResolveConcern record={record} userId={userId} concernId={c.id} />}
        </div>
      ))}
      {pending.map((c) => (
        <p key={c.id} className="alert alert--warning" role="status">
          {c.command.type === 'raise-concern'
            ? 'Concern raised on this tablet. The team manager, service manager and director will be told as soon as it reaches the server.'
            : 'Resolution recorded on this tablet; it will be sent when there is a connection.'}
        </p>
      ))}
      {refused.map((c) => (
        <p key={c.id} className="alert alert--error" role="alert">
          {c.outcome?.status === 'rejected' ? c.outcome.message : 'The server refused this.'}
        </p>
      ))}
      {resolved.length > 0 && (
        <details>
          <summary>Resolved concerns ({resolved.length})</summary>
          <ul>
            {resolved.map((c) => (
              <li key={c.id}>
                {c.text} — raised by {c.raisedByName}, {formatDateTime(c.raisedAt)}; resolved by {c.resolvedByName}, {formatDateTime(c.resolvedAt!)}: {c.resolution}
              </li>
            ))}
          </ul>
        </details>
      )}
      {mayRaise &&
        (raising ? (
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              if (!text.trim()) return setProblem('Say what the concern is.');
              void enqueueCommand(userId, { type: 'raise-concern', record, text: text.trim() }).then(() => {
                setText('');
                setProblem(null);
                setRaising(false);
              });
            }}
          >
            <TextAreaField
              label="What is the concern about the child’s safety?"
              hint="The child’s team manager, the service manager and the director are told at once."
              rows={3}
              error={problem ?? undefined}
              value={text}
              onChange={(event) => setText(event.target.value)}
            />
            <div className="form-actions">
              <button type="submit" className="button button--danger">
                Raise the concern
              </button>
              <button type="button" className="button" onClick={() => setRaising(false)}>
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <button type="button" className="button" onClick={() => setRaising(true)}>
            Raise an immediate concern
          </button>
        ))}
    </section>
  );
}

function ResolveConcern({ record, userId, concernId }: { record: string; userId: string; concernId: string }) {
  const [resolution, setResolution] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!resolution.trim()) return setProblem('Record how the concern was resolved.');
        void enqueueCommand(userId, { type: 'resolve-concern', record, concernId, resolution: resolution.trim() }).then(() => setResolution(''));
      }}
    >
      <TextAreaField label="How it was resolved" rows={2} error={problem ?? undefined} value={resolution} onChange={(event) => setResolution(event.target.value)} />
      <button type="submit" className="button">
        Resolve the concern
      </button>
    </form>
  );
}
