/**
 * Immediate concerns about the child's safety on a record (domain/concerns.ts). Anyone who may read the
 * record can raise one (it works offline, as a command); the server tells the practitioner, the child's
 * team manager, the service manager, the director and the QA team as soon as it arrives. Each concern
 * shows when a response is due; a manager above the child's team (or the QA team) responds — what is
 * being done now — and, if nobody has by the due time, the server escalates it, which shows here too. It
 * stays on the record until the record's lead or a manager above the team resolves it, saying how.
 */
import { useEffect, useId, useState } from 'react';
import { formatDueTime } from '../../domain/concerns';
import type { Role } from '../../domain/directory';
import type { Concern } from '../../domain/notifications';
import type { RecordSummary } from '../../domain/records';
import { useConcerns } from '../data/notifications';
import { enqueueCommand, useRecordCommands } from '../data/outbox';
import { formatDateTime } from '../lib/format';
import { TextAreaField } from './fields';

interface Props {
  record: string;
  userId: string;
  relationship: RecordSummary['relationship'];
  /** The reader's role: managers and the QA team respond to concerns. */
  role?: Role;
}

/** Roles that may respond to a concern when they sit above the child's team (the server checks the line). */
const respondingRoles: readonly Role[] = ['team-manager', 'head-of-service', 'assistant-director', 'director', 'qa-officer'];

export function ImmediateConcerns({ record, userId, relationship, role }: Props) {
  const headingId = useId();
  const concerns = useConcerns(userId, record);
  const commands = useRecordCommands(userId, record) ?? [];
  const waiting = commands.filter((c) => c.command.type === 'raise-concern' || c.command.type === 'resolve-concern' || c.command.type === 'respond-to-concern');
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

  const mayResolve = relationship === undefined || relationship === 'author' || relationship === 'line-manager';
  const mayRespond = relationship === 'line-manager' || (role !== undefined && respondingRoles.includes(role));
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
            <strong>Raised by {c.raisedByName}</strong>, {formatDateTime(c.raisedAt)}
            {c.childId && <> · child {c.childId}</>}: {c.text}
          </p>
          <ConcernProgress concern={c} />
          {mayRespond && !c.respondedAt && (
            <ConcernAnswerForm
              label="Your response: what is being done now"
              hint="Responding in time stops the concern being escalated. It stays open until it is resolved."
              missing="Say what is being done about the concern."
              button="Respond to the concern"
              urgent
              send={(response) => enqueueCommand(userId, { type: 'respond-to-concern', record, concernId: c.id, response })}
            />
          )}
          {mayResolve && (
            <ConcernAnswerForm
              label="How it was resolved"
              missing="Record how the concern was resolved."
              button="Resolve the concern"
              send={(resolution) => enqueueCommand(userId, { type: 'resolve-concern', record, concernId: c.id, resolution })}
            />
          )}
        </div>
      ))}
      {pending.map((c) => (
        <p key={c.id} className="alert alert--warning" role="status">
          {c.command.type === 'raise-concern'
            ? 'Concern raised on this tablet. The practitioner, team manager, service manager, director and QA team will be told as soon as it reaches the server.'
            : c.command.type === 'respond-to-concern'
              ? 'Response recorded on this tablet; it will be sent when there is a connection.'
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
                {c.text} — raised by {c.raisedByName}, {formatDateTime(c.raisedAt)}
                {c.respondedAt && `; responded to by ${c.respondedByName}, ${formatDateTime(c.respondedAt)}: ${c.response}`}
                {c.escalatedAt && `; escalated to ${c.escalatedTo.join(' and ')} on ${formatDateTime(c.escalatedAt)}`}; resolved by {c.resolvedByName},{' '}
                {formatDateTime(c.resolvedAt!)}: {c.resolution}
              </li>
            ))}
          </ul>
        </details>
      )}
      {/* Anyone who may read the record may raise one (the server checks): the tablet lists only those. */}
      {raising ? (
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
              hint="The practitioner, the child’s team manager, the service manager, the director and the QA team are told at once. A manager must respond within the time the organisation sets, or it is escalated."
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
        )}
    </section>
  );
}

/** When a response is due, who responded, and whether it was escalated: said in words, not by colour. */
function ConcernProgress({ concern: c }: { concern: Concern }) {
  return (
    <ul className="concern-progress">
      {c.respondedAt ? (
        <li>
          <strong>Responded to</strong> by {c.respondedByName}, {formatDateTime(c.respondedAt)}: {c.response}
        </li>
      ) : (
        c.dueAt && (
          <li>
            <strong>Response due by {formatDueTime(c.dueAt)}</strong>
          </li>
        )
      )}
      {c.escalatedAt && (
        <li>
          <strong>
            Escalated to {c.escalatedTo.join(' and ')} on {formatDateTime(c.escalatedAt)}
          </strong>{' '}
          — no response by its due time.
        </li>
      )}
    </ul>
  );
}

/** A concern's first response or its resolution: one text, required, queued as a command (works offline). */
function ConcernAnswerForm(props: { label: string; hint?: string; missing: string; button: string; urgent?: boolean; send: (text: string) => Promise<unknown> }) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!text.trim()) return setProblem(props.missing);
        setProblem(null);
        void props.send(text.trim()).then(() => setText(''));
      }}
    >
      <TextAreaField label={props.label} hint={props.hint} rows={2} error={problem ?? undefined} value={text} onChange={(event) => setText(event.target.value)} />
      <button type="submit" className={props.urgent ? 'button button--danger' : 'button'}>
        {props.button}
      </button>
    </form>
  );
}
