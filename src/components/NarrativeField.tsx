/**
 * A narrative field: the shared editor (src/data/editor) with the chrome every field has — a visible label
 * tied to the editor (aria-labelledby), a hint and a problem beside it (aria-describedby, aria-invalid),
 * and the length limit's message when an edit would go over it. Several people can type in it at once.
 */
import { useId, useState } from 'react';
import { MAX_NARRATIVE_CHARS } from '../../domain/limits';
import type { RecordHandle } from '../data/docs/openRecord';
import { NarrativeEditor } from '../data/editor/NarrativeEditor';
import { FieldText } from './fields';
import type { Presence } from '../data/sync/SyncContext';

export interface NarrativeFieldProps {
  handle: RecordHandle;
  field: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  readOnly: boolean;
  presence?: Presence | undefined;
}

const count = (n: number) => n.toLocaleString('en-GB');

export function NarrativeField({ handle, field, label, hint, error, readOnly, presence }: NarrativeFieldProps) {
  const id = useId();
  const labelId = `${id}-label`;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const [tooLong, setTooLong] = useState<number | null>(null);
  const limitId = tooLong !== null ? `${id}-limit` : undefined;
  const describedBy = [hintId, errorId, limitId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error || tooLong !== null ? ' field--error' : ''}`} data-testid={`narrative-${field}`}>
      {/* A label element cannot point at an editable div; clicking the words still puts the caret in it. */}
      <span className="label" id={labelId} onClick={() => document.querySelector<HTMLElement>(`[aria-labelledby="${labelId}"]`)?.focus()}>
        {label}
      </span>
      <FieldText hint={hint} hintId={hintId} error={error} errorId={errorId} />
      <NarrativeEditor
        handle={handle}
        field={field}
        readOnly={readOnly}
        labelId={labelId}
        describedBy={describedBy}
        invalid={Boolean(error) || tooLong !== null}
        presence={presence}
        onTooLong={setTooLong}
      />
      {tooLong !== null && (
        <p className="field-error" id={limitId} role="alert">
          Not added: this box holds up to {count(MAX_NARRATIVE_CHARS)} characters, and that would have made it {count(tooLong)}. Shorten
          it, or put the rest in another field.
        </p>
      )}
    </div>
  );
}
