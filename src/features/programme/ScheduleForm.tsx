/** Adding a line to a quarter's schedule (the QA team and PSW, online): month, activity, who, week, theme. */
import { useState, type FormEvent } from 'react';
import { roleLabels, type Person, type Role } from '../../../domain/directory';
import { monthsOf, type Period } from '../../../domain/periods';
import { scheduleEntryInputSchema } from '../../../domain/programme';
import { recordKindLabels, recordKinds } from '../../../domain/records';
import { SelectField, TextField } from '../../components/fields';
import { messageOf } from '../../data/admin';
import { useProgrammeChange } from '../../data/programme';
import { useSignedIn } from '../../data/sessionContext';
import { qaRoles } from './ProgrammePage';

export function ScheduleForm({ quarter, people }: { quarter: Period; people: Person[] }) {
  const { user } = useSignedIn();
  const change = useProgrammeChange(user.id);
  const months = monthsOf(quarter);
  const [month, setMonth] = useState(months[0]!.id);
  const [activity, setActivity] = useState('');
  const [kind, setKind] = useState('');
  const [whoRoles, setWhoRoles] = useState<Role[]>([]);
  const [person, setPerson] = useState('');
  const [week, setWeek] = useState('');
  const [theme, setTheme] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [open, setOpen] = useState(false);

  if (!open)
    return (
      <button type="button" className="button" onClick={() => setOpen(true)}>
        Add to the schedule
      </button>
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = scheduleEntryInputSchema.safeParse({ month: months.some((m) => m.id === month) ? month : months[0]!.id, activity, kind, roles: whoRoles, people: person ? [person] : [], weekBeginning: week, theme });
    if (!parsed.success) return setProblem(parsed.error.issues[0]?.message ?? 'Check the entry.');
    if (whoRoles.length === 0 && !person) return setProblem('Say who does it.');
    setProblem(null);
    change.mutate(
      { type: 'save-schedule', quarter: quarter.id, id: null, entry: parsed.data },
      {
        onSuccess: () => {
          setActivity('');
          setTheme('');
          setWeek('');
          setOpen(false);
        },
        onError: (error) => setProblem(messageOf(error)),
      },
    );
  };

  return (
    <form className="person-editor" onSubmit={submit} aria-label="Add to the schedule">
      <SelectField label="Month" value={month} onChange={(e) => setMonth(e.target.value)}>
        {months.map((m) => (
          <option key={m.id} value={m.id}>
            {m.label}
          </option>
        ))}
      </SelectField>
      <TextField label="Activity" value={activity} onChange={(e) => setActivity(e.target.value)} maxLength={200} hint="For example: Dip sampling, Thematic audit, Collaborative case reviews." />
      <SelectField label="Kind of record it produces" value={kind} onChange={(e) => setKind(e.target.value)}>
        <option value="">None (for example a supervision audit or a report)</option>
        {recordKinds.map((k) => (
          <option key={k} value={k}>
            {recordKindLabels[k]}
          </option>
        ))}
      </SelectField>
      <fieldset className="field">
        <legend>Who does it</legend>
        {qaRoles.map((r) => (
          <label key={r} className="radio-option">
            <input type="checkbox" checked={whoRoles.includes(r)} onChange={(e) => setWhoRoles(e.target.checked ? [...whoRoles, r] : whoRoles.filter((x) => x !== r))} />
            {roleLabels[r]}
          </label>
        ))}
      </fieldset>
      <SelectField label="And one person by name (optional)" value={person} onChange={(e) => setPerson(e.target.value)}>
        <option value="">Nobody else</option>
        {people
          .filter((p) => p.role !== 'admin')
          .map((p) => (
            <option key={p.id} value={p.id}>
              {p.displayName}
            </option>
          ))}
      </SelectField>
      <TextField label="Week beginning" type="date" value={week} onChange={(e) => setWeek(e.target.value)} min={quarter.start} max={quarter.end} />
      <TextField label="Theme or focus" value={theme} onChange={(e) => setTheme(e.target.value)} maxLength={300} />
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      <p className="form-actions">
        <button type="submit" className="button button--primary" disabled={change.isPending}>
          Add to the schedule
        </button>
        <button type="button" className="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </p>
    </form>
  );
}
