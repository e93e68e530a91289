/**
 * Actions (issue 15, item 2): everyone sees their own work; managers see their team's, up the line as
 * access works; the QA team sees every open action across the service, with filters. All from the
 * tablet's copy (src/data/actions.ts), so the lists open with no signal — and what a person changes
 * offline is shown as waiting to be sent.
 */
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { actionFindings, dueState, type Action } from '../../../domain/actions';
import { oversightRoles } from '../../../domain/directory';
import { parseRecordDocName, recordKindLabels, type RecordKind } from '../../../domain/records';
import { ActionCard } from '../../components/ActionCard';
import { SelectField } from '../../components/fields';
import { todayInEngland, useActions, useActionsFetchedAt } from '../../data/actions';
import { useCachedDirectory } from '../../data/directory';
import type { OutboxEntry } from '../../data/db';
import { useActionCommands } from '../../data/outbox';
import { useSignedIn } from '../../data/sessionContext';
import { formatDateTime } from '../../lib/format';
import { paths } from '../../lib/routes';

const isOpen = (a: Action) => a.status === 'open' || a.status === 'done';

export function ActionsPage() {
  const { user } = useSignedIn();
  const actions = useActions(user.id);
  const commands = useActionCommands(user.id) ?? [];
  const fetchedAt = useActionsFetchedAt(user.id);
  const today = todayInEngland();

  if (!actions)
    return (
      <main id="main" className="page">
        <p role="status">Loading actions…</p>
      </main>
    );

  const mine = actions.filter((a) => a.ownerId === user.id);
  const team = actions.filter((a) => a.ofMyTeam && a.ownerId !== user.id);
  const oversight = oversightRoles.includes(user.role);
  const card = (a: Action) => <ActionItem key={a.id} action={a} userId={user.id} today={today} commands={commands} />;

  return (
    <main id="main" className="page">
      <h1>Actions</h1>
      <p>
        <Link to={paths.followUpRules}>Follow-up rules: what happens after a finding</Link>
      </p>
      <p className="hint">{fetchedAt ? `Last brought up to date ${formatDateTime(fetchedAt)}.` : 'Actions appear here once this tablet has been online.'}</p>

      <section aria-labelledby="my-actions">
        <h2 id="my-actions">My actions</h2>
        <DueGroups actions={mine.filter(isOpen)} today={today} render={card} empty="You have no open actions." />
        <Settled actions={mine.filter((a) => !isOpen(a))} render={card} />
      </section>

      {team.length > 0 && (
        <section aria-labelledby="team-actions">
          <h2 id="team-actions">My team’s actions</h2>
          <ActionGroup title="Waiting for your sign-off" actions={team.filter((a) => a.status === 'done' && a.may.signOff)} render={card} />
          <DueGroups actions={team.filter((a) => a.status === 'open')} today={today} render={card} empty="Nobody in your team has an open action." />
        </section>
      )}

      {oversight && <EveryAction actions={actions.filter(isOpen)} today={today} render={card} />}
    </main>
  );
}

/** One action, with a link to the record it came from. */
function ActionItem({ action, userId, today, commands }: { action: Action; userId: string; today: string; commands: OutboxEntry[] }) {
  const parsed = parseRecordDocName(action.record);
  const kindLabel = parsed ? recordKindLabels[parsed.kind] : 'Record';
  return (
    <ActionCard
      action={action}
      userId={userId}
      today={today}
      commands={commands.filter((c) => 'actionId' in c.command && c.command.actionId === action.id)}
      context={
        parsed && (
          <p>
            <Link to={paths.record(parsed.kind, parsed.id)}>
              {kindLabel}
              {action.childId ? ` for child ${action.childId}` : ''}
            </Link>
          </p>
        )
      }
    />
  );
}

function ActionGroup({ title, actions, render }: { title: string; actions: Action[]; render(a: Action): ReactNode }) {
  if (actions.length === 0) return null;
  return (
    <>
      <h3>
        {title} ({actions.length})
      </h3>
      {actions.map(render)}
    </>
  );
}

/** Overdue first, then due within a week, then the rest, then those done and waiting for sign-off. */
function DueGroups({ actions, today, render, empty }: { actions: Action[]; today: string; render(a: Action): ReactNode; empty: string }) {
  if (actions.length === 0) return <p>{empty}</p>;
  const by = (state: ReturnType<typeof dueState>) => actions.filter((a) => dueState(a, today) === state);
  return (
    <>
      <ActionGroup title="Overdue" actions={by('overdue')} render={render} />
      <ActionGroup title="Due soon" actions={by('due-soon')} render={render} />
      <ActionGroup title="Open" actions={by('later')} render={render} />
      <ActionGroup title="Done, waiting for sign-off" actions={actions.filter((a) => a.status === 'done')} render={render} />
    </>
  );
}

function Settled({ actions, render }: { actions: Action[]; render(a: Action): ReactNode }) {
  if (actions.length === 0) return null;
  return (
    <details>
      <summary>Signed off or cancelled ({actions.length})</summary>
      {actions.map(render)}
    </details>
  );
}

/** The QA team's list: every open action, with filters. */
function EveryAction({ actions, today, render }: { actions: Action[]; today: string; render(a: Action): ReactNode }) {
  const { user } = useSignedIn();
  const directory = useCachedDirectory(user.id);
  const [filters, setFilters] = useState({ team: '', owner: '', due: '', kind: '', finding: '' });
  const set = (key: keyof typeof filters) => (event: { target: { value: string } }) => setFilters((f) => ({ ...f, [key]: event.target.value }));
  const owners = [...new Map(actions.map((a) => [a.ownerId, a.ownerName])).entries()].sort((a, b) => a[1].localeCompare(b[1]));
  const shown = actions.filter(
    (a) =>
      (!filters.team || a.teamId === filters.team) &&
      (!filters.owner || a.ownerId === filters.owner) &&
      (!filters.due || (filters.due === 'done' ? a.status === 'done' : dueState(a, today) === filters.due)) &&
      (!filters.kind || a.recordKind === filters.kind) &&
      (!filters.finding || a.finding === filters.finding),
  );
  return (
    <section aria-labelledby="every-action">
      <h2 id="every-action">Every open action</h2>
      <form className="action-filters" aria-label="Filter the actions" onSubmit={(e) => e.preventDefault()}>
        <SelectField label="Team" value={filters.team} onChange={set('team')}>
          <option value="">Every team</option>
          {(directory?.teams ?? []).map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Owner" value={filters.owner} onChange={set('owner')}>
          <option value="">Everyone</option>
          {owners.map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Due" value={filters.due} onChange={set('due')}>
          <option value="">Any time</option>
          <option value="overdue">Overdue</option>
          <option value="due-soon">Due soon</option>
          <option value="later">Due later</option>
          <option value="done">Done, waiting for sign-off</option>
        </SelectField>
        <SelectField label="Record" value={filters.kind} onChange={set('kind')}>
          <option value="">Every kind</option>
          {(['observation', 'review'] as RecordKind[]).map((k) => (
            <option key={k} value={k}>
              {recordKindLabels[k]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Domain or finding" value={filters.finding} onChange={set('finding')}>
          <option value="">Every finding</option>
          {actionFindings.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </SelectField>
      </form>
      <p role="status" className="result-count">
        {shown.length} of {actions.length} open action{actions.length === 1 ? '' : 's'}
        {shown.filter((a) => dueState(a, today) === 'overdue').length > 0 && `, ${shown.filter((a) => dueState(a, today) === 'overdue').length} overdue`}.
      </p>
      {shown.map(render)}
    </section>
  );
}
