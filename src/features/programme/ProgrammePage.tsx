/**
 * The QA programme (issue 16): what is expected of whom, the quarter's schedule, and — for the QA team, the
 * principal social worker and heads of service — drawing a sample of children and assigning their reviews.
 * Everyone reads it; the QA team and PSW change it (online: the server checks who may). Offline, the
 * tablet's copy (the expectations, the schedule entries naming this person) is shown instead.
 */
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { roleLabels, roles, type Person } from '../../../domain/directory';
import { periodContaining, parsePeriodId, addDaysTo, type Period } from '../../../domain/periods';
import { describeExpectation, programmeAssigners, programmeSetters, type Expectation, type ScheduleEntry } from '../../../domain/programme';
import { recordKindLabels } from '../../../domain/records';
import { TextField } from '../../components/fields';
import { messageOf } from '../../data/admin';
import { useCachedDirectory, type CachedDirectory } from '../../data/directory';
import { useCachedProgramme, useProgramme, useProgrammeChange } from '../../data/programme';
import { useSignedIn } from '../../data/sessionContext';
import { formatDate, formatDateTime, todayIsoDate } from '../../lib/format';
import { paths } from '../../lib/routes';
import { AssignReviews } from './AssignReviews';
import { ExpectationForm } from './ExpectationForm';
import { ScheduleForm } from './ScheduleForm';

export function ProgrammePage() {
  const { user } = useSignedIn();
  const current = periodContaining('quarter', todayIsoDate());
  const quarters = [current, periodContaining('quarter', addDaysTo(current.end, 1))];
  const [quarterId, setQuarterId] = useState(current.id);
  const quarter = parsePeriodId(quarterId) ?? current;
  const live = useProgramme(user.id, quarterId);
  const cached = useCachedProgramme(user.id);
  const directory = useCachedDirectory(user.id);
  const sets = programmeSetters.includes(user.role);

  const expectations = live.data?.expectations ?? cached?.expectations ?? [];
  const schedule = live.data?.schedule ?? (cached?.quarter === quarterId ? cached.schedule : []);

  return (
    <main id="main" className="page programme-page">
      <h1>The QA programme</h1>
      <p className="new-record-links">
        <Link to={paths.todo}>To do</Link> <Link to={paths.coverage}>Coverage: who has done what</Link>
      </p>
      {live.isError && (
        <p className="alert alert--info" role="status">
          {cached ? `The server cannot be reached: this is the programme as this tablet last had it (${formatDateTime(cached.fetchedAt)}).` : messageOf(live.error)}
          {sets && ' Changing the programme needs a connection.'}
        </p>
      )}
      {sets && <p className="hint">You set the programme: what you change here reaches everyone’s tablet the next time it syncs.</p>}

      <section aria-labelledby="expectations-heading">
        <h2 id="expectations-heading">What is expected of whom</h2>
        {expectations.length === 0 ? <p className="empty">No expectations are set.</p> : <ExpectationList expectations={expectations} directory={directory} editable={sets && !live.isError} />}
        {sets && !live.isError && <AddExpectation />}
      </section>

      <section aria-labelledby="schedule-heading">
        <h2 id="schedule-heading">Schedule</h2>
        <div className="field">
          <label htmlFor="schedule-quarter">Quarter</label>
          <select id="schedule-quarter" value={quarterId} onChange={(e) => setQuarterId(e.target.value)}>
            {quarters.map((q) => (
              <option key={q.id} value={q.id}>
                {q.label}
              </option>
            ))}
          </select>
        </div>
        {!sets && <p className="hint">The activities you are named in.</p>}
        <ScheduleTable entries={schedule} directory={directory} editable={sets && !live.isError} />
        {sets && !live.isError && <ScheduleForm quarter={quarter} people={directory?.people ?? []} />}
      </section>

      {live.data && (
        <section aria-labelledby="moderation-heading">
          <h2 id="moderation-heading">Moderation of assigned reviews</h2>
          {sets ? (
            <ModerationShare key={live.data.settings.moderationPanelShare} share={live.data.settings.moderationPanelShare} />
          ) : (
            <p>
              {live.data.settings.moderationPanelShare}% of reviews assigned without a named moderator go to the service managers’ panel; the QA team moderates the
              rest.
            </p>
          )}
        </section>
      )}

      {programmeAssigners.includes(user.role) && <AssignReviews quarter={quarter} user={user} directory={directory} />}
    </main>
  );
}

function ExpectationList({ expectations, directory, editable }: { expectations: Expectation[]; directory: CachedDirectory | undefined; editable: boolean }) {
  const { user } = useSignedIn();
  const change = useProgrammeChange(user.id);
  const [editing, setEditing] = useState<string | null>(null);
  const nameOf = (id: string) => directory?.people.find((p) => p.id === id)?.displayName;
  return (
    <ul className="programme-list">
      {expectations.map((e) => (
        <li key={e.id} className="programme-item">
          {editing === e.id ? (
            <ExpectationForm initial={e} onDone={() => setEditing(null)} />
          ) : (
            <>
              <p className="programme-item-title">{describeExpectation(e, e.who.type === 'person' ? nameOf(e.who.userId) : undefined)}</p>
              {e.note && <p className="hint">{e.note}</p>}
              {editable && (
                <p className="action-controls">
                  <button type="button" className="button" onClick={() => setEditing(e.id)} aria-label={`Change: ${describeExpectation(e)}`}>
                    Change
                  </button>
                  <button
                    type="button"
                    className="button button--danger"
                    aria-label={`Remove: ${describeExpectation(e)}`}
                    onClick={() => change.mutate({ type: 'delete-expectation', id: e.id })}
                  >
                    Remove
                  </button>
                </p>
              )}
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The share of assigned reviews (without a named moderator) that the service managers' panel moderates. */
function ModerationShare({ share }: { share: number }) {
  const { user } = useSignedIn();
  const change = useProgrammeChange(user.id);
  const [value, setValue] = useState(String(share));
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate({ type: 'save-settings', settings: { moderationPanelShare: Number(value) } }, { onError: (error) => setProblem(messageOf(error)), onSuccess: () => setProblem(null) });
  };
  return (
    <form className="filter-form" onSubmit={submit} aria-label="Moderation of assigned reviews">
      <TextField
        label="Share moderated by the service managers’ panel (%)"
        hint="Of the reviews you assign without naming a moderator, this share goes at random to a head of service from outside the child’s line; the QA team moderates the rest."
        type="number"
        min={0}
        max={100}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        error={problem ?? undefined}
      />
      <button type="submit" className="button" disabled={change.isPending}>
        Save the share
      </button>
    </form>
  );
}

function AddExpectation() {
  const [open, setOpen] = useState(false);
  return open ? (
    <ExpectationForm initial={null} onDone={() => setOpen(false)} />
  ) : (
    <button type="button" className="button" onClick={() => setOpen(true)}>
      Add an expectation
    </button>
  );
}

export function whoNames(entry: Pick<ScheduleEntry, 'roles' | 'people'>, people: Person[]): string {
  return [...entry.roles.map((r) => roleLabels[r]), ...entry.people.map((id) => people.find((p) => p.id === id)?.displayName ?? 'Someone no longer here')].join(', ');
}

function ScheduleTable({ entries, directory, editable }: { entries: ScheduleEntry[]; directory: CachedDirectory | undefined; editable: boolean }) {
  const { user } = useSignedIn();
  const change = useProgrammeChange(user.id);
  if (entries.length === 0) return <p className="empty">Nothing is scheduled in this quarter{editable ? '' : ' for you'}.</p>;
  const monthLabel = (month: string) => periodContaining('month', `${month}-01`).label;
  return (
    <div className="table-scroll">
      <table className="rules-table schedule-table">
        <caption className="visually-hidden">The quarter’s schedule</caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col">Activity</th>
            <th scope="col">Who</th>
            <th scope="col">Week beginning</th>
            <th scope="col">Theme or focus</th>
            {editable && <th scope="col">Change</th>}
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>{monthLabel(e.month)}</td>
              <td>
                {e.activity}
                {e.kind && <span className="hint"> ({recordKindLabels[e.kind]})</span>}
              </td>
              <td>{whoNames(e, directory?.people ?? [])}</td>
              <td>{e.weekBeginning ? formatDate(e.weekBeginning) : '—'}</td>
              <td>{e.theme || '—'}</td>
              {editable && (
                <td>
                  <button type="button" className="button button--danger" aria-label={`Remove ${e.activity} from the schedule`} onClick={() => change.mutate({ type: 'delete-schedule', id: e.id })}>
                    Remove
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Roles that do QA work (administrators do not). */
export const qaRoles = roles.filter((r) => r !== 'admin');
export type { Period };
