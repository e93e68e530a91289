/**
 * A record's actions (issue 15), inside an observation or a review: the tracked actions the server holds
 * for it, those raised on this tablet and not yet sent, and a form to raise one — what, why (the finding it
 * answers), an owner from the directory, a due date. Raising is a command, so it works with no signal.
 *
 * Reviews written before actions were tracked kept them as free text inside the review ("what, who, by
 * when"). Those stay readable here as what was agreed in the review, and are never turned into tracked
 * actions automatically: "who" was free text, and guessing an owner would chase the wrong person. A person
 * who may raise actions can raise one from each, with its words filled in, choosing the owner themselves.
 */
import { useId, useState } from 'react';
import { actionFindings, newActionSchema, type NewAction } from '../../domain/actions';
import { roleLabels } from '../../domain/directory';
import type { RecordKind } from '../../domain/records';
import { todayInEngland, useActions, useRecordActions } from '../data/actions';
import type { CachedDirectory } from '../data/directory';
import { enqueueCommand, useRecordCommands } from '../data/outbox';
import { formatDate } from '../lib/format';
import { ActionCard } from './ActionCard';
import { FindingsResponse } from './FindingsResponse';
import { SelectField, TextAreaField, TextField, FormButtons } from './fields';

export interface AgreedInReview {
  id: string;
  what: string;
  who: string;
  byWhen: string;
}

interface Props {
  record: string;
  kind: RecordKind;
  userId: string;
  directory: CachedDirectory;
  /** Whether this person may raise actions here (the server checks again). */
  canRaise: boolean;
  /** Actions kept inside an older review's document, before actions were tracked. */
  agreedInReview?: AgreedInReview[];
  /** Where the record is in its life, and the team and practitioner it is about. */
  status: string;
  teamId: string;
  practitionerId: string;
  /** The heading's id, where something links to it (the review's section menu); made up otherwise. */
  headingId?: string;
}

const findingsFor = (kind: RecordKind) =>
  actionFindings.filter((f) => (kind === 'observation' ? f.value === 'areasForDevelopment' || f.value === 'overall' : f.value !== 'areasForDevelopment'));

export function RecordActions({ record, kind, userId, directory, canRaise, agreedInReview = [], status, teamId, practitionerId, headingId: givenHeadingId }: Props) {
  const generatedId = useId();
  const headingId = givenHeadingId ?? generatedId;
  const actions = useRecordActions(userId, record) ?? [];
  const commands = useRecordCommands(userId, record) ?? [];
  const today = todayInEngland();
  const [draft, setDraft] = useState<Partial<NewAction> | null>(null);
  const raised = new Set(actions.map((a) => a.id));
  const waitingToRaise = commands.filter((c) => c.command.type === 'raise-action' && !raised.has(c.command.action.actionId));

  return (
    <section className="record-actions" aria-labelledby={headingId}>
      {/* Focusable, so a section menu can move the focus here. */}
      <h2 id={headingId} tabIndex={-1}>
        Actions
      </h2>
      {actions.length === 0 && waitingToRaise.length === 0 && <p>No actions have been raised on this record.</p>}
      {actions.map((action) => (
        <ActionCard key={action.id} action={action} userId={userId} today={today} commands={commands.filter((c) => 'actionId' in c.command && c.command.actionId === action.id)} />
      ))}
      {waitingToRaise.map((c) =>
        c.command.type === 'raise-action' ? (
          <div key={c.id} className={`alert ${c.state === 'rejected' ? 'alert--error' : 'alert--info'}`} role={c.state === 'rejected' ? 'alert' : 'status'}>
            <p>
              <strong>{c.command.action.what}</strong> — due {formatDate(c.command.action.dueDate)}
            </p>
            <p>{c.state === 'rejected' && c.outcome?.status === 'rejected' ? `Not raised: ${c.outcome.message}` : 'Raised on this tablet; it will be sent when there is a connection.'}</p>
          </div>
        ) : null,
      )}

      {kind === 'review' && status === 'draft' && canRaise && <FollowUpCases record={record} userId={userId} practitionerId={practitionerId} />}

      {agreedInReview.length > 0 && (
        <div className="agreed-in-review">
          <h3>Agreed in the review (before actions were tracked)</h3>
          <ul>
            {agreedInReview.map((a) => (
              <li key={a.id}>
                {a.what || 'No description'} — who: {a.who || 'not said'}; by when: {a.byWhen ? formatDate(a.byWhen) : 'not said'}
                {canRaise && (
                  <button type="button" className="button button--quiet-inline" onClick={() => setDraft({ what: a.what, dueDate: a.byWhen >= today ? a.byWhen : '' })}>
                    Raise as a tracked action
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}

      {canRaise &&
        (draft ? (
          <RaiseActionForm
            key={JSON.stringify(draft)}
            initial={draft}
            kind={kind}
            directory={directory}
            today={today}
            onCancel={() => setDraft(null)}
            onRaise={(action) => void enqueueCommand(userId, { type: 'raise-action', record, action }).then(() => setDraft(null))}
          />
        ) : (
          <button type="button" className="button" onClick={() => setDraft({})}>
            Raise an action
          </button>
        ))}

      <FindingsResponse
        record={record}
        userId={userId}
        status={status}
        actions={actions}
        isTeamManager={Boolean(teamId) && directory.teams.find((t) => t.id === teamId)?.managerId === userId}
      />
    </section>
  );
}

/**
 * A new review by a team manager with an open dip sample of this practitioner's cases (a follow-up rule):
 * they count it as one of the cases, by a command. The follow-up is done when three of them are moderated.
 */
function FollowUpCases({ record, userId, practitionerId }: { record: string; userId: string; practitionerId: string }) {
  const all = useActions(userId) ?? [];
  const commands = useRecordCommands(userId, record) ?? [];
  const linking = new Set(commands.flatMap((c) => (c.command.type === 'link-follow-up' && c.state === 'pending' ? [c.command.actionId] : [])));
  const samples = all.filter((a) => a.kind === 'dip-sample' && a.status === 'open' && a.ownerId === userId && a.record !== record && practitionerId && a.practitionerId === practitionerId);
  if (samples.length === 0) return null;
  return (
    <div className="follow-up-cases">
      {samples.map((a) =>
        a.linkedRecords.includes(record) ? (
          <p key={a.id}>This review is one of the cases for the follow-up: {a.what}.</p>
        ) : linking.has(a.id) ? (
          <p key={a.id} role="status">
            Counted as one of the cases for “{a.what}” on this tablet; it will be sent when there is a connection.
          </p>
        ) : (
          <p key={a.id}>
            {a.what} ({a.linkedRecords.length} of 3 cases linked).{' '}
            <button type="button" className="button" onClick={() => void enqueueCommand(userId, { type: 'link-follow-up', record, actionId: a.id })}>
              Count this review as one of the cases
            </button>
          </p>
        ),
      )}
    </div>
  );
}

function RaiseActionForm({
  initial,
  kind,
  directory,
  today,
  onRaise,
  onCancel,
}: {
  initial: Partial<NewAction>;
  kind: RecordKind;
  directory: CachedDirectory;
  today: string;
  onRaise(action: NewAction): void;
  onCancel(): void;
}) {
  const [values, setValues] = useState({ what: initial.what ?? '', why: initial.why ?? '', finding: initial.finding ?? '', ownerId: initial.ownerId ?? '', dueDate: initial.dueDate ?? '' });
  const [errors, setErrors] = useState<Partial<Record<keyof typeof values, string>>>({});
  const set = (field: keyof typeof values) => (event: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: event.target.value }));
  const owners = directory.people.filter((p) => p.role !== 'admin');

  return (
    <form
      className="raise-action"
      noValidate
      aria-label="Raise an action"
      onSubmit={(event) => {
        event.preventDefault();
        const checked = newActionSchema.safeParse({ ...values, actionId: crypto.randomUUID() });
        const found: typeof errors = {};
        if (!checked.success) for (const issue of checked.error.issues) found[issue.path[0] as keyof typeof values] ??= issue.message;
        if (values.dueDate && values.dueDate < today) found.dueDate = 'The due date has passed: choose today or a later date.';
        setErrors(found);
        if (checked.success && Object.keys(found).length === 0) onRaise(checked.data);
      }}
    >
      <h3>Raise an action</h3>
      <TextAreaField label="What needs to happen" rows={3} value={values.what} onChange={set('what')} error={errors.what} />
      <SelectField label="The finding it answers" value={values.finding} onChange={set('finding')} error={errors.finding}>
        <option value="">Choose the finding</option>
        {findingsFor(kind).map((f) => (
          <option key={f.value} value={f.value}>
            {f.label}
          </option>
        ))}
      </SelectField>
      <TextAreaField label="Why" hint="What the review or observation found that this action answers." rows={3} value={values.why} onChange={set('why')} error={errors.why} />
      <SelectField label="Owner" hint="The person who will do it." value={values.ownerId} onChange={set('ownerId')} error={errors.ownerId}>
        <option value="">Choose the owner</option>
        {owners.map((p) => (
          <option key={p.id} value={p.id}>
            {p.displayName}, {roleLabels[p.role]}
          </option>
        ))}
      </SelectField>
      <TextField label="Due date" type="date" min={today} value={values.dueDate} onChange={set('dueDate')} error={errors.dueDate} />
      <FormButtons submit="Raise the action" cancel="Not now" onCancel={onCancel} />
    </form>
  );
}
