/**
 * How a record sits in its Y.Doc, and back: the one mapping between documents and the plain objects the
 * zod schemas validate. Pure Yjs (no storage, no network), so the server can run the same code.
 *
 *   doc.getMap('meta')    id, kind, status, author, times — set when the record is made
 *   doc.getMap('fields')  scalar fields (last writer wins)
 *   doc.getText(name)     one Y.Text per narrative field, so concurrent typing merges
 */
import * as Y from 'yjs';
import type { FormLayout } from '../domain/forms';
import { recordMetaSchema, type RecordMeta, type RecordStatus } from '../domain/records';

export const META = 'meta';
export const FIELDS = 'fields';

/** The record's metadata, or null if the document is empty or not a record. */
export function readMeta(doc: Y.Doc): RecordMeta | null {
  const parsed = recordMetaSchema.safeParse(doc.getMap(META).toJSON());
  return parsed.success ? parsed.data : null;
}

/** Every field of the layout as a string ('' when unset): the shape the draft schema accepts. */
export function readValues<S extends string, N extends string>(doc: Y.Doc, layout: FormLayout<S, N>): Record<S | N, string> {
  const fields = doc.getMap<string>(FIELDS);
  const values = {} as Record<S | N, string>;
  for (const name of layout.scalarFields) {
    const value = fields.get(name);
    values[name] = typeof value === 'string' ? value : '';
  }
  for (const name of layout.narrativeFields) values[name] = doc.getText(name).toString();
  return values;
}

/** The whole record as plain data: what `toRecord(doc)` means in DESIGN.md. */
export function toRecord<S extends string, N extends string>(doc: Y.Doc, layout: FormLayout<S, N>) {
  return { meta: readMeta(doc), values: readValues(doc, layout) };
}

/** Writes the metadata of a new record. */
export function initRecordDoc(doc: Y.Doc, meta: RecordMeta): void {
  doc.transact(() => {
    const map = doc.getMap(META);
    for (const [key, value] of Object.entries(meta)) if (value !== undefined) map.set(key, value);
  });
}

/**
 * Moves a record to a new state (the server does this, applying a command), noting when it left the draft
 * and, for a review's later steps (moderated, closed), when and by whom — the person whose command it was.
 */
export function setStatus(doc: Y.Doc, status: RecordStatus, at = new Date(), by?: { displayName: string }): void {
  doc.transact(() => {
    const meta = doc.getMap(META);
    meta.set('status', status);
    if (status === 'draft') meta.delete('completedAt');
    else if (!meta.has('completedAt')) meta.set('completedAt', at.toISOString());
    if (status === 'moderated' || status === 'closed') {
      meta.set(`${status}At`, at.toISOString());
      if (by) meta.set(`${status}ByName`, by.displayName);
    }
  });
}

/**
 * Makes a Y.Text read `next` with the smallest single edit (common prefix and suffix kept), so typing
 * in a text box turns into the insertions and deletions a person made — which is what lets two people's
 * concurrent typing in the same field merge instead of one replacing the other.
 */
export function replaceText(text: Y.Text, next: string): void {
  const current = text.toString();
  if (current === next) return;
  let start = 0;
  const maxStart = Math.min(current.length, next.length);
  while (start < maxStart && current.charCodeAt(start) === next.charCodeAt(start)) start++;
  let endCurrent = current.length;
  let endNext = next.length;
  while (endCurrent > start && endNext > start && current.charCodeAt(endCurrent - 1) === next.charCodeAt(endNext - 1)) {
    endCurrent--;
    endNext--;
  }
  text.doc!.transact(() => {
    if (endCurrent > start) text.delete(start, endCurrent - start);
    if (endNext > start) text.insert(start, next.slice(start, endNext));
  });
}

/** Sets one field, scalar or narrative, as the layout says. Unknown field names are refused. */
export function setField<S extends string, N extends string>(doc: Y.Doc, layout: FormLayout<S, N>, name: string, value: string): void {
  if ((layout.narrativeFields as readonly string[]).includes(name)) {
    replaceText(doc.getText(name), value);
  } else if ((layout.scalarFields as readonly string[]).includes(name)) {
    const fields = doc.getMap<string>(FIELDS);
    if (fields.get(name) !== value) fields.set(name, value);
  } else {
    throw new Error(`"${name}" is not a field of this form.`);
  }
}

/** The observed practitioner's own reflection: written only by the server, through a command. */
export const REFLECTION = 'reflection';

export interface Reflection {
  text: string;
  byId: string;
  byName: string;
  at: string;
}

export function readReflection(doc: Y.Doc): Reflection | null {
  const map = doc.getMap<string>(REFLECTION);
  const text = map.get('text');
  if (typeof text !== 'string' || !text) return null;
  return { text, byId: map.get('byId') ?? '', byName: map.get('byName') ?? '', at: map.get('at') ?? '' };
}

export function writeReflection(doc: Y.Doc, reflection: Reflection): void {
  doc.transact(() => {
    const map = doc.getMap<string>(REFLECTION);
    for (const [key, value] of Object.entries(reflection)) map.set(key, value);
  });
}

/**
 * Who wrote what in a narrative field. Yjs keeps, for every piece of text, the id of the document copy
 * (client) that inserted it; each device notes which person its copy writes for (`writers`), so the text
 * can be split into runs by person.
 */
export const WRITERS = 'writers';

export function noteWriter(doc: Y.Doc, writer: { id: string; displayName: string }): void {
  const writers = doc.getMap<{ id: string; name: string }>(WRITERS);
  const key = String(doc.clientID);
  if (writers.get(key)?.id !== writer.id) writers.set(key, { id: writer.id, name: writer.displayName });
}

export interface WrittenRun {
  text: string;
  /** The person's name, or '' when the text came from a copy nobody noted (older records). */
  by: string;
}

export function whoWroteWhat(doc: Y.Doc, field: string): WrittenRun[] {
  const writers = doc.getMap<{ id: string; name: string }>(WRITERS);
  const runs: WrittenRun[] = [];
  // Walks the text's items in order (Yjs' own structure): the live ones hold the text as it reads now.
  for (let item = doc.getText(field)._start; item; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
    const text = item.content.str;
    const last = runs.at(-1);
    // Spaces alone go with the words before them: who typed a space is noise, and shuffles with diffs.
    const by = last && !text.trim() ? last.by : (writers.get(String(item.id.client))?.name ?? '');
    if (last && last.by === by) last.text += text;
    else runs.push({ text, by });
  }
  return runs;
}

/**
 * Actions agreed in a review (what, who, by when): a Y.Array of Y.Maps, each with a stable id, so two
 * people adding or editing actions at once keep both.
 */
export const ACTIONS = 'actions';

export interface ReviewAction {
  id: string;
  what: string;
  who: string;
  byWhen: string;
}

export function readActions(doc: Y.Doc): ReviewAction[] {
  return doc
    .getArray<Y.Map<string>>(ACTIONS)
    .toArray()
    .map((m) => ({ id: m.get('id') ?? '', what: m.get('what') ?? '', who: m.get('who') ?? '', byWhen: m.get('byWhen') ?? '' }));
}

export function addAction(doc: Y.Doc, action: ReviewAction): void {
  const map = new Y.Map<string>();
  for (const [key, value] of Object.entries(action)) map.set(key, value);
  doc.getArray<Y.Map<string>>(ACTIONS).push([map]);
}

export function updateAction(doc: Y.Doc, id: string, change: Partial<Omit<ReviewAction, 'id'>>): void {
  const map = doc.getArray<Y.Map<string>>(ACTIONS).toArray().find((m) => m.get('id') === id);
  if (!map) return;
  for (const [key, value] of Object.entries(change)) if (value !== undefined && map.get(key) !== value) map.set(key, value);
}

export function removeAction(doc: Y.Doc, id: string): void {
  const actions = doc.getArray<Y.Map<string>>(ACTIONS);
  const index = actions.toArray().findIndex((m) => m.get('id') === id);
  if (index >= 0) actions.delete(index, 1);
}
