/**
 * How a kind of form is laid out in its Yjs document: which fields are short scalar values (kept in a
 * Y.Map, last writer wins) and which are long narrative text (each a Y.Text, so two people typing in the
 * same box both keep their words). Pure data: the mapping code in src/data reads it for every kind.
 */
export interface FormLayout<Scalar extends string, Narrative extends string> {
  scalarFields: readonly Scalar[];
  narrativeFields: readonly Narrative[];
  /** Scalars only ever set together with another field (a name beside an id): never contested on their own. */
  derivedFields?: readonly Scalar[];
}

/** An empty set of values for a layout: every field present, every value ''. */
export function emptyValues<S extends string, N extends string>(layout: FormLayout<S, N>): Record<S | N, string> {
  const values = {} as Record<S | N, string>;
  for (const name of [...layout.scalarFields, ...layout.narrativeFields]) values[name] = '';
  return values;
}
