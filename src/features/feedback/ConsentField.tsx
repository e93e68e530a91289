/**
 * Consent to the feedback being used: one checkbox written into the record as 'yes' or ''. Its problem,
 * when the feedback is finished without it, is shown beside the box and announced with it.
 */
import { useId } from 'react';

export function ConsentField({
  label,
  legend,
  checked,
  onChange,
  error,
}: {
  label: string;
  /** A question above the box (family mode asks it in plain words). */
  legend?: string | undefined;
  checked: boolean;
  onChange: (value: 'yes' | '') => void;
  error?: string | undefined;
}) {
  const errorId = `${useId()}-error`;
  const box = (
    <label className="radio-option">
      <input
        type="checkbox"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        checked={checked}
        onChange={(event) => onChange(event.target.checked ? 'yes' : '')}
      />
      <span>{label}</span>
    </label>
  );
  const problem = error && (
    <p className="field-error" id={errorId}>
      <span className="visually-hidden">Problem: </span>
      {error}
    </p>
  );
  if (legend)
    return (
      <fieldset className={`field${error ? ' field--error' : ''}`}>
        <legend>{legend}</legend>
        {problem}
        {box}
      </fieldset>
    );
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      {problem}
      {box}
    </div>
  );
}
