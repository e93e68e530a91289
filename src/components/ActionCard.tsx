/**
 * One action, as a record and the action lists show it: what, why, owner, due date (overdue or due soon,
 * in words as well as colour), where it stands, its history — and what this person may do with it (the
 * server says, in `may`). Every change is a command queued on the tablet, so an owner can mark an action
 * done with no signal; until the server applies it, the card says it is waiting to be sent.
 */
import { useId, useState, type ReactNode } from 'react';
import { actionKindLabels, actionStatusLabels, dueState, findingLabel, type Action } from '../../domain/actions';
import type { OutboxEntry } from '../data/db';
import { dismissCommand, enqueueCommand } from '../data/outbox';
import { formatDate, formatDateTime } from '../lib/format';
import { TextAreaField, FormButtons } from './fields';

const eventLabels: Record<string, string> = {
  raised: 'Raised',
  done: 'Marked as done',
  'signed-off': 'Signed off',
  'sent-back': 'Sent back',
  cancelled: 'Cancelled',
  'due-told': 'Owner told it is due',
  'overdue-told': 'Owner and manager told it is overdue',
  'overdue-reminded': 'Owner and manager reminded it is overdue',
  'case-linked': 'Case linked',
};

const waitingLabels: Record<string, string> = {
  'complete-action': 'Marked as done on this tablet',
  'sign-off-action': 'Signed off on this tablet',
  'send-back-action': 'Sent back on this tablet',
  'cancel-action': 'Cancelled on this tablet',
};

interface Props {
  action: Action;
  userId: string;
  today: string;
  /** This action's commands still in the outbox (waiting or refused). */
  commands: OutboxEntry[];
  /** Shown under the heading: a link to the record, on the lists. */
  context?: ReactNode;
}

export function ActionCard({ action, userId, today, commands, context }: Props) {
  const headingId = useId();
  const due = dueState(action, today);
  const pending = commands.filter((c) => c.state === 'pending');
  const refused = commands.filter((c) => c.state === 'rejected');
  const [open, setOpen] = useState<null | 'complete' | 'send-back' | 'cancel'>(null);
  const send = (command: Parameters<typeof enqueueCommand>[1]) => void enqueueCommand(userId, command).then(() => setOpen(null));
  const base = { record: action.record, actionId: action.id };

  return (
    <article className={`action-card action-card--${due}`} aria-labelledby={headingId}>
      <h3 id={headingId}>
        {action.kind !== 'action' && <span className="action-kind">{actionKindLabels[action.kind]}: </span>}
        {action.what}
      </h3>
      {context}
      <dl className="action-facts">
        <dt>Why</dt>
        <dd>
          {action.why} <span className="hint">({findingLabel(action.finding)})</span>
        </dd>
        <dt>Owner</dt>
        <dd>{action.ownerName}</dd>
        <dt>Due</dt>
        <dd>
          {formatDate(action.dueDate)}
          {due === 'overdue' && <strong className="badge badge--overdue"> Overdue</strong>}
          {due === 'due-soon' && <strong className="badge badge--due-soon"> Due soon</strong>}
        </dd>
        <dt>Status</dt>
        <dd>
          {actionStatusLabels[action.status]}
          {action.reason && (action.status === 'open' || action.status === 'cancelled') && <> — {action.status === 'open' ? 'sent back' : 'reason'}: {action.reason}</>}
        </dd>
        {action.doneNote && (
          <>
            <dt>What was done</dt>
            <dd>{action.doneNote}</dd>
          </>
        )}
        {action.evidence && (
          <>
            <dt>Evidence</dt>
            <dd>{action.evidence}</dd>
          </>
        )}
        {action.linkedRecords.length > 0 && (
          <>
            <dt>Cases linked</dt>
            <dd>{action.linkedRecords.length}</dd>
          </>
        )}
      </dl>

      {pending.map((c) => (
        <p key={c.id} className="alert alert--info" role="status">
          {waitingLabels[c.command.type] ?? 'Changed on this tablet'} — it will be sent when there is a connection.
        </p>
      ))}
      {refused.map((c) => (
        <div key={c.id} className="alert alert--error" role="alert">
          <p>{c.outcome?.status === 'rejected' ? c.outcome.message : 'The server refused this change.'}</p>
          <button type="button" className="button" onClick={() => void dismissCommand(userId, c.id)}>
            Dismiss
          </button>
        </div>
      ))}

      {pending.length === 0 && (
        <div className="action-controls">
          {action.may.complete && open !== 'complete' && (
            <button type="button" className="button button--primary" onClick={() => setOpen('complete')}>
              Record what was done
            </button>
          )}
          {action.may.signOff && (
            <>
              <button type="button" className="button button--primary" onClick={() => send({ type: 'sign-off-action', ...base })}>
                Sign off
              </button>
              {open !== 'send-back' && (
                <button type="button" className="button" onClick={() => setOpen('send-back')}>
                  Send back
                </button>
              )}
            </>
          )}
          {action.may.cancel && open !== 'cancel' && (
            <button type="button" className="button" onClick={() => setOpen('cancel')}>
              Cancel the action
            </button>
          )}
        </div>
      )}
      {open === 'complete' && (
        <CompleteForm onCancel={() => setOpen(null)} onSend={(doneNote, evidence) => send({ type: 'complete-action', ...base, doneNote, evidence })} />
      )}
      {open === 'send-back' && (
        <ReasonForm label="Why it is sent back" submit="Send back" onCancel={() => setOpen(null)} onSend={(reason) => send({ type: 'send-back-action', ...base, reason })} />
      )}
      {open === 'cancel' && (
        <ReasonForm label="Why the action is cancelled" submit="Cancel the action" onCancel={() => setOpen(null)} onSend={(reason) => send({ type: 'cancel-action', ...base, reason })} />
      )}

      <details className="action-history">
        <summary>History ({action.history.length})</summary>
        <ol>
          {action.history.map((e, i) => (
            <li key={i}>
              {formatDateTime(e.at)} — {eventLabels[e.event] ?? e.event} by {e.byName}
              {e.note && e.event !== 'raised' ? `: ${e.note}` : ''}
            </li>
          ))}
        </ol>
      </details>
    </article>
  );
}

function CompleteForm({ onSend, onCancel }: { onSend(doneNote: string, evidence: string): void; onCancel(): void }) {
  const [doneNote, setDoneNote] = useState('');
  const [evidence, setEvidence] = useState('');
  const [tried, setTried] = useState(false);
  return (
    <form
      noValidate
      aria-label="Record what was done"
      onSubmit={(event) => {
        event.preventDefault();
        setTried(true);
        if (doneNote.trim() && evidence.trim()) onSend(doneNote.trim(), evidence.trim());
      }}
    >
      <TextAreaField label="What was done" rows={3} value={doneNote} onChange={(e) => setDoneNote(e.target.value)} error={tried && !doneNote.trim() ? 'Say what was done.' : undefined} />
      <TextAreaField
        label="Evidence"
        hint="Where it can be seen: for example the case note, plan or supervision record in the case system."
        rows={2}
        value={evidence}
        onChange={(e) => setEvidence(e.target.value)}
        error={tried && !evidence.trim() ? 'Say where the evidence is.' : undefined}
      />
      <FormButtons submit="Mark as done" cancel="Not now" onCancel={onCancel} />
    </form>
  );
}

function ReasonForm({ label, submit, onSend, onCancel }: { label: string; submit: string; onSend(reason: string): void; onCancel(): void }) {
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  return (
    <form
      noValidate
      aria-label={submit}
      onSubmit={(event) => {
        event.preventDefault();
        setTried(true);
        if (reason.trim()) onSend(reason.trim());
      }}
    >
      <TextAreaField label={label} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} error={tried && !reason.trim() ? 'Give a reason.' : undefined} />
      <FormButtons submit={submit} cancel="Not now" onCancel={onCancel} />
    </form>
  );
}
