/**
 * Who changed each scalar field, and whether two people changed it at once.
 *
 * A scalar field (a level of need, a grade) lives in a Y.Map, where concurrent writes resolve the same
 * way on every device (Yjs orders them by client id) — deterministic, but silent: one person's choice
 * simply disappears. So every change is also appended to a history array with the ids of the changes
 * its author had seen for that field ("prev"). Changes that no later change has seen are the field's
 * heads; one head is the normal case, two or more with different values means the field is contested:
 * two people chose differently without seeing each other's choice. Choosing again, having seen both,
 * makes a new change whose prev lists every head, which settles it.
 */
import * as Y from 'yjs';

export const HISTORY = 'history';

export interface Editor {
  id: string;
  displayName: string;
}

export interface FieldChange {
  id: string;
  field: string;
  value: string;
  by: string;
  byName: string;
  at: string;
  prev: string[];
}

export interface ContestedField {
  field: string;
  /** The value the record shows now (the same on every device). */
  current: string;
  choices: Pick<FieldChange, 'value' | 'by' | 'byName' | 'at'>[];
}

const historyOf = (doc: Y.Doc) => doc.getArray<Y.Map<unknown>>(HISTORY);

function readChange(entry: Y.Map<unknown>): FieldChange {
  return entry.toJSON() as FieldChange;
}

/** The changes of a field that no other change has seen. */
export function headsOf(doc: Y.Doc, field: string): { change: FieldChange; entry: Y.Map<unknown> }[] {
  const entries = historyOf(doc)
    .toArray()
    .filter((entry) => entry.get('field') === field);
  const seen = new Set(entries.flatMap((entry) => (entry.get('prev') as string[] | undefined) ?? []));
  return entries.filter((entry) => !seen.has(entry.get('id') as string)).map((entry) => ({ change: readChange(entry), entry }));
}

/**
 * Records that `editor` set `field` to `value`; call it inside the transaction that sets the value.
 * Every change is its own entry — even keystrokes in a short field — because folding a run of changes
 * into one entry could hide a change someone else made on top of it. Scalar fields are short, so the
 * history stays small.
 */
export function recordFieldChange(doc: Y.Doc, field: string, value: string, editor: Editor): void {
  const heads = headsOf(doc, field);
  const entry = new Y.Map<unknown>();
  const change: FieldChange = {
    id: crypto.randomUUID(),
    field,
    value,
    by: editor.id,
    byName: editor.displayName,
    at: new Date().toISOString(),
    prev: heads.map((h) => h.change.id),
  };
  for (const [key, v] of Object.entries(change)) entry.set(key, v);
  historyOf(doc).push([entry]);
}

/** Fields that two or more people set to different values without seeing each other's choice. */
export function contestedFields(doc: Y.Doc, fields: readonly string[], currentValue: (field: string) => string): ContestedField[] {
  const contested: ContestedField[] = [];
  for (const field of fields) {
    const heads = headsOf(doc, field).map((h) => h.change);
    if (new Set(heads.map((h) => h.value)).size < 2) continue;
    heads.sort((a, b) => a.at.localeCompare(b.at));
    contested.push({ field, current: currentValue(field), choices: heads.map(({ value, by, byName, at }) => ({ value, by, byName, at })) });
  }
  return contested;
}
