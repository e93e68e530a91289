/**
 * Case selection and assignment (004 Appendix 4, 001 §29): draw a sample of children for the quarter's
 * reviews — spread across teams and levels of need, with children whose earlier reviews were graded Requires
 * Improvement or Inadequate first if asked — or name a child; give each to a lead reviewer and, if wanted, a
 * moderator. Online (the server checks who may assign which team's cases); what was assigned is listed from
 * the tablet's copy.
 */
import { useState, type FormEvent } from 'react';
import type { Person } from '../../../domain/directory';
import type { Period } from '../../../domain/periods';
import { labelOf, levelsOfNeed } from '../../../domain/options';
import { grades } from '../../../domain/review';
import type { NewAssignment, SampleCandidate } from '../../../domain/assignments';
import { SelectField, TextField } from '../../components/fields';
import { messageOf } from '../../data/admin';
import type { CachedDirectory } from '../../data/directory';
import { drawSample, useCachedProgramme, useProgrammeChange } from '../../data/programme';
import { formatDate } from '../../lib/format';

/** Who may lead a review or moderate: anyone but practitioners and administrators. */
const leads = (people: Person[]) => people.filter((p) => p.role !== 'practitioner' && p.role !== 'admin');

interface Row extends SampleCandidate {
  chosen: boolean;
  assigneeId: string;
  moderatorId: string;
  dueDate: string;
}

export function AssignReviews({ quarter, user, directory }: { quarter: Period; user: Person; directory: CachedDirectory | undefined }) {
  const change = useProgrammeChange(user.id);
  const cached = useCachedProgramme(user.id);
  const people = directory?.people ?? [];
  const teamName = (id: string) => directory?.teams.find((t) => t.id === id)?.name ?? '—';
  const personName = (id: string) => people.find((p) => p.id === id)?.displayName ?? '—';
  const [size, setSize] = useState('20');
  const [concerns, setConcerns] = useState(true);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const draw = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    try {
      const candidates = await drawSample(quarter.id, Math.max(1, Math.min(200, Number(size) || 20)), concerns);
      setRows(candidates.map((c) => ({ ...c, chosen: true, assigneeId: '', moderatorId: '', dueDate: quarter.end })));
    } catch (error) {
      setProblem(messageOf(error));
    }
  };

  const assign = (items: NewAssignment[], after: () => void) => {
    setProblem(null);
    change.mutate(
      { type: 'assign', quarter: quarter.id, assignments: items },
      { onSuccess: () => (setDone(`${items.length} assigned.`), after()), onError: (error) => setProblem(messageOf(error)) },
    );
  };

  const assignSample = () => {
    const chosen = (rows ?? []).filter((r) => r.chosen);
    if (chosen.some((r) => !r.assigneeId)) return setProblem('Choose a lead reviewer for each child chosen.');
    assign(
      chosen.map((r) => ({ kind: 'review', childId: r.childId, childName: r.childName, practitionerId: r.practitionerId, teamId: r.teamId, levelOfNeed: r.levelOfNeed, reason: r.reason, assigneeId: r.assigneeId, moderatorId: r.moderatorId, dueDate: r.dueDate })),
      () => setRows(null),
    );
  };
  const update = (childId: string, patch: Partial<Row>) => setRows((current) => current?.map((r) => (r.childId === childId ? { ...r, ...patch } : r)) ?? null);
  const given = (cached?.given ?? []).filter((a) => a.quarter === quarter.id);

  return (
    <section aria-labelledby="assign-heading">
      <h2 id="assign-heading">Assign reviews for {quarter.label}</h2>
      {user.role === 'head-of-service' && <p className="hint">You assign reviews of your own service’s teams.</p>}
      {problem && (
        <p className="alert alert--error" role="alert">
          {problem}
        </p>
      )}
      {done && (
        <p className="alert alert--success" role="status">
          {done}
        </p>
      )}

      <form className="filter-form" onSubmit={(e) => void draw(e)} aria-label="Draw a sample">
        <TextField label="How many children" type="number" min={1} max={200} value={size} onChange={(e) => setSize(e.target.value)} />
        <label className="radio-option">
          <input type="checkbox" checked={concerns} onChange={(e) => setConcerns(e.target.checked)} />
          Include children whose earlier reviews were graded Requires Improvement or Inadequate
        </label>
        <button type="submit" className="button">
          Draw a sample
        </button>
      </form>

      {rows && rows.length === 0 && <p className="empty">No children to sample: the server knows children only from finished records, and every one is already assigned this quarter.</p>}
      {rows && rows.length > 0 && (
        <div className="table-scroll">
          <table className="rules-table">
            <caption>Sample: {rows.length} children</caption>
            <thead>
              <tr>
                <th scope="col">Include</th>
                <th scope="col">Child</th>
                <th scope="col">Team, level of need</th>
                <th scope="col">Why</th>
                <th scope="col">Lead reviewer</th>
                <th scope="col">Moderator</th>
                <th scope="col">Due</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.childId}>
                  <td>
                    <input type="checkbox" aria-label={`Include child ${r.childId}`} checked={r.chosen} onChange={(e) => update(r.childId, { chosen: e.target.checked })} />
                  </td>
                  <td>
                    {r.childId}
                    {r.childName && ` (${r.childName})`}
                  </td>
                  <td>
                    {teamName(r.teamId)}, {r.levelOfNeed ? labelOf(levelsOfNeed, r.levelOfNeed) : 'level of need not recorded'}
                  </td>
                  <td>
                    {r.reason}
                    {r.lastGrade && ` (last: ${labelOf(grades, r.lastGrade)}, ${formatDate(r.lastReviewed)})`}
                  </td>
                  <td>
                    <select aria-label={`Lead reviewer for child ${r.childId}`} value={r.assigneeId} onChange={(e) => update(r.childId, { assigneeId: e.target.value })}>
                      <option value="">Choose…</option>
                      {leads(people).map((p) => (
                        <option key={p.id} value={p.id}>
                          {p.displayName}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select aria-label={`Moderator for child ${r.childId}`} value={r.moderatorId} onChange={(e) => update(r.childId, { moderatorId: e.target.value })}>
                      <option value="">The QA team</option>
                      {leads(people).map((p) => (
                        <option key={p.id} value={p.id}>
                          {p.displayName}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input type="date" aria-label={`Due date for child ${r.childId}`} value={r.dueDate} min={quarter.start} onChange={(e) => update(r.childId, { dueDate: e.target.value })} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" className="button button--primary" onClick={assignSample} disabled={change.isPending}>
            Assign the children chosen
          </button>
        </div>
      )}

      <AssignOne quarter={quarter} people={people} onAssign={assign} />

      <h3>Assigned this quarter</h3>
      {given.length === 0 ? (
        <p className="empty">Nothing assigned yet (or this tablet has not synced since).</p>
      ) : (
        <ul className="programme-list">
          {given.map((a) => (
            <li key={a.id} className="programme-item">
              Child {a.childId}
              {a.childName && ` (${a.childName})`}: {a.assigneeName}, due {formatDate(a.dueDate)} — {a.status === 'done' ? 'done' : a.record ? 'started' : 'not started'}
              {a.moderatorName && `; moderator ${a.moderatorName}`}
              {a.status === 'open' && (
                <button type="button" className="button button--quiet-inline" onClick={() => change.mutate({ type: 'withdraw', id: a.id })} aria-label={`Withdraw the review of child ${a.childId}`}>
                  Withdraw
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <p className="hint">People named: {given.length > 0 ? [...new Set(given.map((a) => personName(a.assigneeId)))].join(', ') : 'none yet'}.</p>
    </section>
  );
}

/** Naming one child (from the case system, or not yet in any record here) and whom to give their review to. */
function AssignOne({ quarter, people, onAssign }: { quarter: Period; people: Person[]; onAssign: (items: NewAssignment[], after: () => void) => void }) {
  const [childId, setChildId] = useState('');
  const [childName, setChildName] = useState('');
  const [practitionerId, setPractitionerId] = useState('');
  const [levelOfNeed, setLevelOfNeed] = useState('');
  const [assigneeId, setAssigneeId] = useState('');
  const [moderatorId, setModeratorId] = useState('');
  const [dueDate, setDueDate] = useState(quarter.end);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onAssign([{ kind: 'review', childId, childName, practitionerId, levelOfNeed, assigneeId, moderatorId, dueDate, reason: 'Chosen by name' }], () => {
      setChildId('');
      setChildName('');
    });
  };
  return (
    <form className="person-editor" onSubmit={submit} aria-labelledby="assign-one-heading">
      <h3 id="assign-one-heading">Assign a child’s review</h3>
      <TextField label="Child ID" value={childId} onChange={(e) => setChildId(e.target.value)} required />
      <TextField label="Child’s name (optional)" value={childName} onChange={(e) => setChildName(e.target.value)} />
      <SelectField label="Social worker / PA" value={practitionerId} onChange={(e) => setPractitionerId(e.target.value)} required>
        <option value="">Choose…</option>
        {people
          .filter((p) => p.teamId && p.role !== 'admin')
          .map((p) => (
            <option key={p.id} value={p.id}>
              {p.displayName}
            </option>
          ))}
      </SelectField>
      <SelectField label="Level of need" value={levelOfNeed} onChange={(e) => setLevelOfNeed(e.target.value)}>
        <option value="">Not known</option>
        {levelsOfNeed.map((l) => (
          <option key={l.value} value={l.value}>
            {l.label}
          </option>
        ))}
      </SelectField>
      <SelectField label="Lead reviewer" value={assigneeId} onChange={(e) => setAssigneeId(e.target.value)} required>
        <option value="">Choose…</option>
        {leads(people).map((p) => (
          <option key={p.id} value={p.id}>
            {p.displayName}
          </option>
        ))}
      </SelectField>
      <SelectField label="Moderator" value={moderatorId} onChange={(e) => setModeratorId(e.target.value)}>
        <option value="">The QA team</option>
        {leads(people).map((p) => (
          <option key={p.id} value={p.id}>
            {p.displayName}
          </option>
        ))}
      </SelectField>
      <TextField label="Due date" type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} required />
      <p className="form-actions">
        <button type="submit" className="button button--primary">
          Assign the review
        </button>
      </p>
    </form>
  );
}
