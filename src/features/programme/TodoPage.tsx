/**
 * "To do" (issue 16): what this person has been given — reviews assigned from the quarter's sample,
 * follow-ups from earlier findings (issue 15) — with due dates, and the quarter's schedule entries naming
 * them. All from the tablet's copy, so it opens with no signal; one tap starts an assigned record.
 */
import { Link } from 'react-router';
import { actionKindLabels, dueState } from '../../../domain/actions';
import type { Assignment } from '../../../domain/assignments';
import { labelOf, levelsOfNeed } from '../../../domain/options';
import { periodContaining } from '../../../domain/periods';
import { scheduleNames } from '../../../domain/programme';
import { recordKindLabels } from '../../../domain/records';
import { todayInEngland, useActions } from '../../data/actions';
import { useCachedProgramme, useAssignments, useStartedRecords } from '../../data/programme';
import { useSignedIn } from '../../data/sessionContext';
import { formatDate, formatDateTime } from '../../lib/format';
import { paths } from '../../lib/routes';

export function TodoPage() {
  const { user } = useSignedIn();
  const assignments = useAssignments(user.id);
  const actions = useActions(user.id);
  const programme = useCachedProgramme(user.id);
  const started = useStartedRecords(user.id);
  const today = todayInEngland();

  if (!assignments || !actions || programme === undefined || !started) return <main id="main" className="page"><p role="status">Loading your To do list…</p></main>;

  const open = assignments.filter((a) => a.status === 'open');
  const done = assignments.filter((a) => a.status === 'done');
  const followUps = actions.filter((a) => a.ownerId === user.id && a.kind !== 'action' && a.status === 'open');
  const schedule = (programme?.schedule ?? []).filter((e) => scheduleNames(e, user));

  return (
    <main id="main" className="page">
      <h1>To do</h1>
      <p className="hint">{programme ? `Last brought up to date ${formatDateTime(programme.fetchedAt)}.` : 'What you are given appears here once this tablet has been online.'}</p>

      <section aria-labelledby="assigned-heading">
        <h2 id="assigned-heading">Assigned to you</h2>
        {open.length === 0 ? (
          <p className="empty">Nothing is assigned to you.</p>
        ) : (
          <ul className="record-list">
            {open.map((a) => (
              <AssignmentItem key={a.id} assignment={a} today={today} started={started.get(a.id) ?? a.record} />
            ))}
          </ul>
        )}
      </section>

      {followUps.length > 0 && (
        <section aria-labelledby="follow-ups-heading">
          <h2 id="follow-ups-heading">Follow-ups</h2>
          <ul className="record-list">
            {followUps.map((a) => {
              const state = dueState(a, today);
              return (
                <li key={a.id} className={`action-card${state === 'overdue' ? ' action-card--overdue' : ''}`}>
                  <p className="record-title">{a.what}</p>
                  <p className="record-details">
                    {actionKindLabels[a.kind]} · due {formatDate(a.dueDate)}
                    {state === 'overdue' && <span className="badge badge--overdue">Overdue</span>}
                  </p>
                  <Link to={paths.actions}>Open in Actions</Link>
                </li>
              );
            })}
          </ul>
        </section>
      )}

      <section aria-labelledby="my-schedule-heading">
        <h2 id="my-schedule-heading">This quarter’s schedule for you</h2>
        {schedule.length === 0 ? (
          <p className="empty">Nothing in the quarter’s schedule names you.</p>
        ) : (
          <ul className="programme-list">
            {schedule.map((e) => (
              <li key={e.id} className="programme-item">
                <strong>{periodContaining('month', `${e.month}-01`).label}:</strong> {e.activity}
                {e.weekBeginning && `, week beginning ${formatDate(e.weekBeginning)}`}
                {e.theme && ` — ${e.theme}`}
              </li>
            ))}
          </ul>
        )}
        <p>
          <Link to={paths.programme}>The whole programme</Link>
        </p>
      </section>

      {done.length > 0 && (
        <section aria-labelledby="done-heading">
          <h2 id="done-heading">Done</h2>
          <ul className="programme-list">
            {done.map((a) => (
              <li key={a.id} className="programme-item">
                {recordKindLabels[a.kind]} of child {a.childId}, done
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}

function AssignmentItem({ assignment: a, today, started }: { assignment: Assignment; today: string; started: string }) {
  const overdue = a.dueDate < today;
  const soon = !overdue && a.dueDate <= periodContaining('month', today).end;
  const kind = recordKindLabels[a.kind];
  return (
    <li className={`action-card${overdue ? ' action-card--overdue' : soon ? ' action-card--due-soon' : ''}`}>
      <p className="record-title">
        {kind} of child {a.childId}
        {a.childName && ` (${a.childName})`}
      </p>
      <p className="record-details">
        Due {formatDate(a.dueDate)}
        {overdue && <span className="badge badge--overdue">Overdue</span>}
        {a.practitionerName && ` · social worker / PA: ${a.practitionerName}`}
        {a.levelOfNeed && ` · ${labelOf(levelsOfNeed, a.levelOfNeed)}`}
      </p>
      <p className="record-details">
        Assigned by {a.assignedByName || 'the QA team'}
        {a.reason && ` · ${a.reason}`}
        {a.moderatorName && ` · moderator: ${a.moderatorName}`}
      </p>
      <Link className="button button--primary" to={paths.startAssignment(a.id)}>
        {started ? `Continue the ${kind.toLowerCase()}` : `Start the ${kind.toLowerCase()}`}
{' '}
        <span className="visually-hidden">of child {a.childId}</span>
      </Link>
    </li>
  );
}
