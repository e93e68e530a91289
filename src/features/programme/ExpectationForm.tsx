/** Adding or changing one expectation (the QA team and PSW, online; the server checks it again). */
import { useState, type FormEvent } from 'react';
import { roleLabels, roles } from '../../../domain/directory';
import { periodUnits } from '../../../domain/periods';
import { expectationInputSchema, expectationTargetLabels, expectationTargets, type Expectation, type ExpectationInput } from '../../../domain/programme';
import { recordKindLabels, recordKinds } from '../../../domain/records';
import { SelectField, TextField } from '../../components/fields';
import { messageOf } from '../../data/admin';
import { useCachedDirectory } from '../../data/directory';
import { useProgrammeChange } from '../../data/programme';
import { useSignedIn } from '../../data/sessionContext';

const periodLabels = { month: 'Each month', quarter: 'Each quarter', 'half-year': 'Every six months', year: 'Each year' } as const;

/** "role:team-manager", "person:<id>", "organisation": one select for who. */
const whoValue = (who: ExpectationInput['who']) => (who.type === 'role' ? `role:${who.role}` : who.type === 'person' ? `person:${who.userId}` : 'organisation');
function whoFrom(value: string): ExpectationInput['who'] {
  if (value === 'organisation') return { type: 'organisation' };
  const [type, rest] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
  return type === 'person' ? { type: 'person', userId: rest } : { type: 'role', role: rest as (typeof roles)[number] };
}

export function ExpectationForm({ initial, onDone }: { initial: Expectation | null; onDone: () => void }) {
  const { user } = useSignedIn();
  const directory = useCachedDirectory(user.id);
  const change = useProgrammeChange(user.id);
  const [who, setWho] = useState(initial ? whoValue(initial.who) : 'role:team-manager');
  const [activity, setActivity] = useState<string>(initial?.activity ?? 'observation');
  const [of, setOf] = useState<string>(initial?.of ?? 'each-direct-report');
  const [count, setCount] = useState(String(initial?.count ?? 1));
  const [period, setPeriod] = useState<string>(initial?.period ?? 'year');
  const [note, setNote] = useState(initial?.note ?? '');
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = expectationInputSchema.safeParse({ who: whoFrom(who), activity, of, count: Number(count), period, note });
    if (!parsed.success) return setProblem(parsed.error.issues[0]?.message ?? 'Check the expectation.');
    setProblem(null);
    change.mutate({ type: 'save-expectation', id: initial?.id ?? null, expectation: parsed.data }, { onSuccess: onDone, onError: (error) => setProblem(messageOf(error)) });
  };

  return (
    <form className="person-editor" onSubmit={submit} aria-label={initial ? 'Change the expectation' : 'Add an expectation'}>
      <SelectField label="Who" value={who} onChange={(e) => setWho(e.target.value)}>
        <optgroup label="Everyone with the role">
          {roles
            .filter((r) => r !== 'admin')
            .map((r) => (
              <option key={r} value={`role:${r}`}>
                {roleLabels[r]}
              </option>
            ))}
        </optgroup>
        <option value="organisation">The organisation as a whole</option>
        <optgroup label="One person">
          {(directory?.people ?? [])
            .filter((p) => p.role !== 'admin')
            .map((p) => (
              <option key={p.id} value={`person:${p.id}`}>
                {p.displayName}
              </option>
            ))}
        </optgroup>
      </SelectField>
      <SelectField label="Activity" value={activity} onChange={(e) => setActivity(e.target.value)}>
        {recordKinds.map((k) => (
          <option key={k} value={k}>
            {recordKindLabels[k]}
          </option>
        ))}
      </SelectField>
      <SelectField label="Of whom" value={of} onChange={(e) => setOf(e.target.value)}>
        {expectationTargets.map((t) => (
          <option key={t} value={t}>
            {expectationTargetLabels[t]}
          </option>
        ))}
      </SelectField>
      <TextField label="How many" type="number" inputMode="numeric" min={1} max={500} value={count} onChange={(e) => setCount(e.target.value)} />
      <SelectField label="How often" value={period} onChange={(e) => setPeriod(e.target.value)}>
        {periodUnits.map((p) => (
          <option key={p} value={p}>
            {periodLabels[p]}
          </option>
        ))}
      </SelectField>
      <TextField label="Note (where it comes from, or why)" value={note} onChange={(e) => setNote(e.target.value)} maxLength={300} />
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      <p className="form-actions">
        <button type="submit" className="button button--primary" disabled={change.isPending}>
          {initial ? 'Save the change' : 'Add the expectation'}
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </p>
    </form>
  );
}
