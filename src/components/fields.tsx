/**
 * Form fields that are accessible by default: a visible label tied to the control, an optional hint,
 * and the problem (if any) shown beside the field and announced with it (aria-describedby, aria-invalid).
 * They pass every other prop (including react-hook-form's `register()` result) to the control.
 */
import { useId, type ComponentPropsWithRef, type ReactNode } from 'react';

interface FieldChrome {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
}

function useFieldIds(hint?: string, error?: string) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return { id, hintId, errorId, describedBy };
}

/** A field's hint and its problem, each with the id the control's aria-describedby names. */
export function FieldText({ hint, hintId, error, errorId }: { hint?: string | undefined; hintId?: string | undefined; error?: string | undefined; errorId?: string | undefined }) {
  return (
    <>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          <span className="visually-hidden">Problem: </span>
          {error}
        </p>
      )}
    </>
  );
}

export function TextField({ label, hint, error, ...input }: FieldChrome & ComponentPropsWithRef<'input'>) {
  const ids = useFieldIds(hint, error);
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      <label htmlFor={ids.id}>{label}</label>
      <FieldText hint={hint} hintId={ids.hintId} error={error} errorId={ids.errorId} />
      <input id={ids.id} aria-invalid={error ? true : undefined} aria-describedby={ids.describedBy} {...input} />
    </div>
  );
}

export function TextAreaField({ label, hint, error, ...textarea }: FieldChrome & ComponentPropsWithRef<'textarea'>) {
  const ids = useFieldIds(hint, error);
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      <label htmlFor={ids.id}>{label}</label>
      <FieldText hint={hint} hintId={ids.hintId} error={error} errorId={ids.errorId} />
      <textarea id={ids.id} rows={6} aria-invalid={error ? true : undefined} aria-describedby={ids.describedBy} {...textarea} />
    </div>
  );
}

export function SelectField({ label, hint, error, children, ...select }: FieldChrome & ComponentPropsWithRef<'select'> & { children: ReactNode }) {
  const ids = useFieldIds(hint, error);
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      <label htmlFor={ids.id}>{label}</label>
      <FieldText hint={hint} hintId={ids.hintId} error={error} errorId={ids.errorId} />
      <select id={ids.id} aria-invalid={error ? true : undefined} aria-describedby={ids.describedBy} {...select}>
        {children}
      </select>
    </div>
  );
}

/**
 * A set of radio buttons under one legend; `input` is spread on every radio (e.g. `register('nature')`).
 * `decorate` adds a picture to an option (hidden from screen readers: the label says it in words).
 */
export function RadioGroupField({
  label,
  hint,
  error,
  options,
  input,
  decorate,
}: FieldChrome & {
  options: readonly { value: string; label: string }[];
  input: ComponentPropsWithRef<'input'>;
  decorate?: ((value: string) => ReactNode) | undefined;
}) {
  const ids = useFieldIds(hint, error);
  return (
    <fieldset className={`field radio-group${error ? ' field--error' : ''}`} aria-describedby={ids.describedBy} aria-invalid={error ? true : undefined}>
      <legend>{label}</legend>
      <FieldText hint={hint} hintId={ids.hintId} error={error} errorId={ids.errorId} />
      <div className="radio-options">
        {options.map((option) => (
          <label key={option.value} className="radio-option">
            <input type="radio" value={option.value} {...input} />
            {decorate?.(option.value)}
            <span>{option.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * A value the form shows but nobody types (the observer, a team filled in from the directory): its label
 * names the group it sits in, so a screen reader says the label with the value.
 */
export function ReadOnlyField({ label, children }: { label: string; children: ReactNode }) {
  const labelId = `${useId()}-label`;
  return (
    <div className="field" role="group" aria-labelledby={labelId}>
      <span className="label" id={labelId}>
        {label}
      </span>
      <p className="read-only-value">{children}</p>
    </div>
  );
}

/** A form's two buttons: the one that sends it, and the one that leaves it without sending. */
export function FormButtons({ submit, cancel, onCancel }: { submit: string; cancel: string; onCancel: () => void }) {
  return (
    <div className="form-actions">
      <button type="submit" className="button button--primary">
        {submit}
      </button>
      <button type="button" className="button" onClick={onCancel}>
        {cancel}
      </button>
    </div>
  );
}
