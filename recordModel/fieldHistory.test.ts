import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { contestedFields, headsOf, recordFieldChange } from './fieldHistory';

const grace = { id: 'u-grace', displayName: 'Grace Okafor' };
const yusuf = { id: 'u-yusuf', displayName: 'Yusuf Ahmed' };

function set(doc: Y.Doc, field: string, value: string, editor: typeof grace) {
  doc.transact(() => {
    doc.getMap('fields').set(field, value);
    recordFieldChange(doc, field, value, editor);
  });
}
const current = (doc: Y.Doc) => (field: string) => (doc.getMap('fields').get(field) as string | undefined) ?? '';
const contested = (doc: Y.Doc) => contestedFields(doc, ['levelOfNeed', 'childId'], current(doc));

function exchange(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
}

describe('contested scalar fields', () => {
  it('a run of changes by one person has one head, and is never contested', () => {
    const doc = new Y.Doc();
    for (const v of ['M', 'MO', 'MOS', 'MOS1']) set(doc, 'childId', v, grace);
    expect(headsOf(doc, 'childId')).toHaveLength(1);
    expect(contested(doc)).toEqual([]);
  });

  it('changes made after seeing each other are not contested', () => {
    const a = new Y.Doc();
    set(a, 'levelOfNeed', 'child-in-need', grace);
    const b = new Y.Doc();
    exchange(a, b);
    set(b, 'levelOfNeed', 'child-protection', yusuf);
    exchange(a, b);
    expect(contested(a)).toEqual([]);
    expect(current(a)('levelOfNeed')).toBe('child-protection');
  });

  it('two people choosing differently at once: the same value everywhere, shown as contested with who and when', () => {
    const a = new Y.Doc();
    set(a, 'levelOfNeed', 'early-help', grace);
    const b = new Y.Doc();
    exchange(a, b);
    set(a, 'levelOfNeed', 'child-protection', grace);
    set(b, 'levelOfNeed', 'child-in-need', yusuf);
    exchange(a, b);

    expect(current(a)('levelOfNeed')).toBe(current(b)('levelOfNeed'));
    const [onA] = contested(a);
    expect(contested(b)).toEqual(contested(a));
    expect(onA!.field).toBe('levelOfNeed');
    expect(onA!.current).toBe(current(a)('levelOfNeed'));
    expect(onA!.choices.map((c) => [c.byName, c.value]).sort()).toEqual([
      ['Grace Okafor', 'child-protection'],
      ['Yusuf Ahmed', 'child-in-need'],
    ]);
    expect(onA!.choices.every((c) => !Number.isNaN(Date.parse(c.at)))).toBe(true);
  });

  it('choosing again having seen both settles it, on every device', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    set(a, 'levelOfNeed', 'child-protection', grace);
    set(b, 'levelOfNeed', 'child-in-need', yusuf);
    exchange(a, b);
    expect(contested(a)).toHaveLength(1);
    set(b, 'levelOfNeed', current(b)('levelOfNeed'), yusuf);
    exchange(a, b);
    expect(contested(a)).toEqual([]);
    expect(contested(b)).toEqual([]);
  });

  it('agreeing by chance is not a contest', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    set(a, 'levelOfNeed', 'child-in-care', grace);
    set(b, 'levelOfNeed', 'child-in-care', yusuf);
    exchange(a, b);
    expect(contested(a)).toEqual([]);
  });

  it('typing that continued after someone else changed the field shows as a contest, not a silent loss', () => {
    const a = new Y.Doc();
    set(a, 'childId', 'MOS1', grace);
    const b = new Y.Doc();
    exchange(a, b);
    set(b, 'childId', 'MOS2', yusuf); // Yusuf corrects it, having seen MOS1
    set(a, 'childId', 'MOS12', grace); // meanwhile Grace keeps typing
    exchange(a, b);
    expect(contested(a)[0]!.choices.map((c) => c.value).sort()).toEqual(['MOS12', 'MOS2']);
  });
});
