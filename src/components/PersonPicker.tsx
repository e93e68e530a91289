/** Choosing one person from the directory and acting on the choice (adding them to a record, say). */
import { useState } from 'react';
import { roleLabels, type Person } from '../../domain/directory';
import { SelectField } from './fields';

interface Props {
  label: string;
  hint?: string;
  people: Person[];
  emptyChoice: string;
  action: string;
  onPick(personId: string): void;
}

export function PersonPicker({ label, hint, people, emptyChoice, action, onPick }: Props) {
  const [chosen, setChosen] = useState('');
  return (
    <form
      className="person-action"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!chosen) return;
        onPick(chosen);
        setChosen('');
      }}
    >
      <SelectField label={label} hint={hint} value={chosen} onChange={(event) => setChosen(event.target.value)}>
        <option value="">{emptyChoice}</option>
        {people.map((p) => (
          <option key={p.id} value={p.id}>
            {p.displayName}, {roleLabels[p.role]}
          </option>
        ))}
      </SelectField>
      <button type="submit" className="button" disabled={!chosen}>
        {action}
      </button>
    </form>
  );
}
