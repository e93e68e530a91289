/**
 * The review's actions: what needs doing, who does it, by when. Everyone in the review can add and edit
 * them, live or offline; each action keeps its own id, so two people adding actions at once keep both.
 */
import { useEffect, useState } from 'react';
import { TextField } from '../../components/fields';
import type { RecordHandle } from '../../data/docs/openRecord';

export function ReviewActions({ handle, readOnly }: { handle: RecordHandle; readOnly: boolean }) {
  const [actions, setActions] = useState(() => handle.actions());
  useEffect(() => handle.subscribe(() => setActions(handle.actions())), [handle]);

  return (
    <section className="review-actions" aria-labelledby="actions-heading">
      {/* Focusable, so the review's section menu can move the focus here. */}
      <h2 id="actions-heading" tabIndex={-1}>
        Actions
      </h2>
      {actions.length === 0 && <p>No actions yet.</p>}
      <ol>
        {actions.map((action, index) => (
          <li key={action.id} className="review-action">
            <fieldset disabled={readOnly} className="form-body">
              <legend>Action {index + 1}</legend>
              <TextField label="What needs to happen" value={action.what} onChange={(e) => handle.updateAction(action.id, { what: e.target.value })} />
              <TextField label="Who" value={action.who} onChange={(e) => handle.updateAction(action.id, { who: e.target.value })} />
              <TextField label="By when" type="date" value={action.byWhen} onChange={(e) => handle.updateAction(action.id, { byWhen: e.target.value })} />
              {!readOnly && (
                <button type="button" className="button" onClick={() => handle.removeAction(action.id)}>
                  Remove action {index + 1}
                </button>
              )}
            </fieldset>
          </li>
        ))}
      </ol>
      {!readOnly && (
        <button type="button" className="button" onClick={() => handle.addAction({ what: '', who: '', byWhen: '' })}>
          Add an action
        </button>
      )}
    </section>
  );
}
