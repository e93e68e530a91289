/** Shared lists of choices, in the words of DOMAIN.md. */

export const levelsOfNeed = [
  { value: 'early-help', label: 'Early Help' },
  { value: 'child-in-need', label: 'Child in Need' },
  { value: 'child-protection', label: 'Child Protection' },
  { value: 'child-in-care', label: 'Child in Care' },
  { value: 'care-leaver', label: 'Care Leaver' },
] as const;

export type LevelOfNeed = (typeof levelsOfNeed)[number]['value'];

export function valuesOf<T extends readonly { value: string }[]>(options: T): [T[number]['value'], ...T[number]['value'][]] {
  return options.map((o) => o.value) as [T[number]['value'], ...T[number]['value'][]];
}

export function labelOf(options: readonly { value: string; label: string }[], value: string): string {
  return options.find((o) => o.value === value)?.label ?? value;
}

/** A child is identified by a case-system ID (e.g. a Mosaic or LCS number). */
export const childIdPattern = /^[A-Za-z0-9][A-Za-z0-9\-/]{0,29}$/;
