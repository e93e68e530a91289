/**
 * The team manager's response to a finished record's findings (Wandsworth 34; issue 15, item 3): a short
 * text, and agreed or not agreed with each of the record's actions. The practitioner's team manager
 * records it (a command, so it works offline); everyone who reads the record reads it; a review cannot
 * be closed without it.
 */
import { useId, useState } from 'react';
import type { Action } from '../../domain/actions';
import { UnreachableError } from '../data/api';
import { dismissCommand, enqueueCommand, useRecordCommands } from '../data/outbox';
import { useFindingsResponse } from '../data/responses';
import { formatDateTime } from '../lib/format';
import { TextAreaField, FormButtons } from './fields';

interface Props {
  record: string;
  userId: string;
  /** The signed-in person manages the practitioner's team: they respond. */
  isTeamManager: boolean;
  status: string;
  /** The record's actions (those raised by people, not cancelled, are agreed or not). */
  actions: Action[];
}

export function FindingsResponse({ record, userId, isTeamManager, status, actions }: Props) {
  const headingId = useId();
  const response = useFindingsResponse(userId, record, status !== 'draft');
  const commands = (useRecordCommands(userId, record) ?? []).filter((c) => c.command.type === 'respond-to-findings');
  const pending = commands.find((c) => c.state === 'pending');
  const refused = commands.filter((c) => c.state === 'rejected');
  const [writing, setWriting] = useState(false);
  if (status === 'draft') return null;
  const answerable = actions.filter((a) => a.kind === 'action' && a.status !== 'cancelled');
  const current = response.data;

  return (
    <section className="findings-response" aria-labelledby={headingId}>
      <h2 id={headingId}>Team manager’s response to the findings</h2>
      {current ? (
        <>
          <p>
            <strong>{current.byName}</strong>, {formatDateTime(current.at)}: {current.text}
          </p>
          {current.agreements.length > 0 && (
            <ul>
              {current.agreements.map((a) => (
                <li key={a.actionId}>
                  {actions.find((x) => x.id === a.actionId)?.what ?? 'An action'}: {a.agreed ? 'agreed' : 'not agreed'}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : response.isError ? (
        <p className="hint">{response.error instanceof UnreachableError ? 'The response is shown when this tablet is online.' : response.error.message}</p>
      ) : (
        <p>{response.isPending ? 'Looking for the response…' : `No response yet.${status !== 'complete' ? ' The review cannot be closed until the team manager responds.' : ''}`}</p>
      )}
      {pending && (
        <p className="alert alert--info" role="status">
          Response recorded on this tablet; it will be sent when there is a connection.
        </p>
      )}
      {refused.map((c) => (
        <div key={c.id} className="alert alert--error" role="alert">
          <p>{c.outcome?.status === 'rejected' ? c.outcome.message : 'The server refused the response.'}</p>
          <button type="button" className="button" onClick={() => void dismissCommand(userId, c.id)}>
            Dismiss
          </button>
        </div>
      ))}
      {isTeamManager && status !== 'closed' && !pending &&
        (writing ? (
          <ResponseForm
            actions={answerable}
            initialText={current?.text ?? ''}
            onCancel={() => setWriting(false)}
            onSend={(text, agreements) => void enqueueCommand(userId, { type: 'respond-to-findings', record, response: { text, agreements } }).then(() => setWriting(false))}
          />
        ) : (
          <button type="button" className="button button--primary" onClick={() => setWriting(true)}>
            {current ? 'Change your response' : 'Respond to the findings'}
          </button>
        ))}
    </section>
  );
}

function ResponseForm({
  actions,
  initialText,
  onSend,
  onCancel,
}: {
  actions: Action[];
  initialText: string;
  onSend(text: string, agreements: { actionId: string; agreed: boolean }[]): void;
  onCancel(): void;
}) {
  const [text, setText] = useState(initialText);
  const [agreed, setAgreed] = useState<Record<string, boolean>>({});
  const [tried, setTried] = useState(false);
  const unanswered = actions.filter((a) => agreed[a.id] === undefined);
  return (
    <form
      noValidate
      aria-label="Respond to the findings"
      onSubmit={(event) => {
        event.preventDefault();
        setTried(true);
        if (text.trim() && unanswered.length === 0) onSend(text.trim(), actions.map((a) => ({ actionId: a.id, agreed: agreed[a.id]! })));
      }}
    >
      <TextAreaField label="Your response" rows={4} value={text} onChange={(e) => setText(e.target.value)} error={tried && !text.trim() ? 'Write your response to the findings.' : undefined} />
      {actions.map((a) => (
        <fieldset key={a.id} className={`field radio-group${tried && agreed[a.id] === undefined ? ' field--error' : ''}`}>
          <legend>Do you agree with this action: {a.what}</legend>
          {tried && agreed[a.id] === undefined && <p className="field-error">Say whether you agree.</p>}
          {[true, false].map((value) => (
            <label key={String(value)} className="radio-option">
              <input type="radio" name={`agree-${a.id}`} checked={agreed[a.id] === value} onChange={() => setAgreed((x) => ({ ...x, [a.id]: value }))} />
              <span>{value ? 'Agreed' : 'Not agreed'}</span>
            </label>
          ))}
        </fieldset>
      ))}
      <FormButtons submit="Record the response" cancel="Not now" onCancel={onCancel} />
    </form>
  );
}
