/**
 * Property of the narrative editor's binding (narrativeBinding.ts): three people, each with their own
 * document and editor, type runs of text at carets they place anywhere in a shared paragraph, while their
 * documents' updates travel between them in any order and at any time (each relays what it receives to the
 * third, as devices do through the server). Whatever happens:
 *  - every document and every editor ends with the same text;
 *  - each run a person typed is one unbroken piece of that text (nobody's letters land inside it);
 *  - after every step, each person's caret is where they left it: straight after the last letter they
 *    typed, or, before they type, straight after the character they put it behind.
 */
import { EditorView } from '@codemirror/view';
import { EditorState } from '@codemirror/state';
import fc from 'fast-check';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { narrativeBinding, type NarrativeBinding } from './narrativeBinding';

const ORIGINAL = 'The child lives with her mother. School say she is doing well.';
/** Each person types from letters of their own, none of which the paragraph has, so runs can be told apart. */
const alphabets = ['ABCDEFGHIJ', 'KLMNOPQRUV', '0123456789'];

type Step =
  | { type: 'place'; person: number; boundary: number }
  | { type: 'type'; person: number; letters: number[] }
  | { type: 'deliver'; from: number; to: number; count: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ type: fc.constant('place' as const), person: fc.nat(2), boundary: fc.nat(ORIGINAL.length) }) },
  { weight: 5, arbitrary: fc.record({ type: fc.constant('type' as const), person: fc.nat(2), letters: fc.array(fc.nat(9), { minLength: 1, maxLength: 4 }) }) },
  { weight: 4, arbitrary: fc.record({ type: fc.constant('deliver' as const), from: fc.nat(2), to: fc.nat(2), count: fc.integer({ min: 1, max: 5 }) }) },
);

interface Person {
  doc: Y.Doc;
  text: Y.Text;
  view: EditorView;
  binding: NarrativeBinding;
  /** The original character their caret was put behind (null: the very start), and what they typed since. */
  behind: Y.RelativePosition | null;
  typed: string;
  runs: string[];
}

const open: Person[] = [];
afterEach(() => {
  for (const p of open.splice(0)) {
    p.view.destroy();
    p.binding.destroy();
  }
});

function setUp() {
  const first = new Y.Doc();
  first.getText('f').insert(0, ORIGINAL);
  const initial = Y.encodeStateAsUpdate(first);
  /** Updates on their way from one person's document to another's, in the order they were sent. */
  const queues = new Map<string, Uint8Array[]>();
  const queue = (from: number, to: number) => queues.get(`${from}>${to}`) ?? (queues.set(`${from}>${to}`, []), queues.get(`${from}>${to}`)!);
  const people: Person[] = [0, 1, 2].map(() => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, initial, 'initial');
    const text = doc.getText('f');
    const binding = narrativeBinding({ text, field: 'f', maxChars: 50_000 });
    const view = new EditorView({ parent: document.body, state: EditorState.create({ doc: text.toString(), extensions: binding.extension }) });
    const person: Person = { doc, text, view, binding, behind: null, typed: '', runs: [] };
    open.push(person);
    return person;
  });
  people.forEach((person, i) =>
    person.doc.on('update', (update: Uint8Array, origin: unknown) => {
      // Sent to both others; what arrived from one is relayed to the third.
      for (const j of [0, 1, 2]) if (j !== i && origin !== `from ${j}`) queue(i, j).push(update);
    }),
  );
  /** Where each boundary of the original paragraph is: behind its character (k - 1), whatever happens to it. */
  const boundaries = [...Array(ORIGINAL.length + 1).keys()].map((k) => (k === 0 ? null : Y.createRelativePositionFromTypeIndex(first.getText('f'), k, -1)));
  const deliver = (from: number, to: number, count: number) => {
    const pending = queue(from, to);
    for (const update of pending.splice(0, count)) Y.applyUpdate(people[to]!.doc, update, `from ${from}`);
  };
  const flush = () => {
    while ([...queues.values()].some((q) => q.length > 0)) for (const key of queues.keys()) deliver(Number(key[0]), Number(key[2]), Infinity);
  };
  return { people, boundaries, deliver, flush };
}

/** Where a boundary of the original paragraph is now, in a person's document. */
function indexOf(person: Person, behind: Y.RelativePosition | null): number {
  if (!behind) return 0;
  return Y.createAbsolutePositionFromRelativePosition(behind, person.doc)!.index;
}

/** The caret is where its person left it (see the file's comment). */
function expectAnchored(person: Person, who: number) {
  const caret = person.view.state.selection.main;
  expect(caret.empty).toBe(true);
  const text = person.view.state.doc.toString();
  if (person.typed) expect(text.slice(caret.head - person.typed.length, caret.head), `person ${who}'s caret follows their own typing`).toBe(person.typed);
  else expect(caret.head, `person ${who}'s caret stays behind the character they chose`).toBe(indexOf(person, person.behind));
}

describe('narrative editor binding', () => {
  it('three people typing at once: all converge, each run stays in one piece, each caret stays where its typist left it', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 5, maxLength: 40 }), (steps) => {
        const { people, boundaries, deliver, flush } = setUp();
        for (const s of steps) {
          if (s.type === 'place') {
            const person = people[s.person]!;
            if (person.typed) person.runs.push(person.typed);
            person.behind = boundaries[s.boundary]!;
            person.typed = '';
            const at = indexOf(person, person.behind);
            person.view.dispatch({ selection: { anchor: at }, userEvent: 'select' });
          } else if (s.type === 'type') {
            const person = people[s.person]!;
            for (const letter of s.letters) {
              const ch = alphabets[s.person]![letter]!;
              const head = person.view.state.selection.main.head;
              // What CodeMirror dispatches for a typed letter.
              person.view.dispatch({ changes: { from: head, insert: ch }, selection: { anchor: head + 1 }, userEvent: 'input.type' });
              person.typed += ch;
            }
          } else if (s.from !== s.to) {
            deliver(s.from, s.to, s.count);
          }
          people.forEach(expectAnchored);
        }
        flush();
        people.forEach(expectAnchored);

        const final = people[0]!.text.toString();
        for (const person of people) {
          expect(person.text.toString()).toBe(final);
          expect(person.view.state.doc.toString()).toBe(final);
        }
        for (const person of people) for (const run of [...person.runs, person.typed].filter(Boolean)) expect(final).toContain(run);
        // Nothing of the paragraph was lost: it is still there, in order, around the runs.
        expect([...final].filter((c) => !alphabets.join('').includes(c)).join('')).toBe(ORIGINAL);
      }),
      { numRuns: 150 },
    );
  });

  it('undo takes back only this person’s own typing, never what arrived from someone else', () => {
    const { people, flush } = setUp();
    const [lead, practitioner] = people as [Person, Person, Person];
    lead.view.dispatch({ selection: { anchor: ORIGINAL.length } });
    lead.view.dispatch({ changes: { from: ORIGINAL.length, insert: ' Lead.' }, selection: { anchor: ORIGINAL.length + 6 }, userEvent: 'input.type' });
    flush();
    practitioner.view.dispatch({ selection: { anchor: 0 } });
    practitioner.view.dispatch({ changes: { from: 0, insert: 'Practitioner. ' }, selection: { anchor: 14 }, userEvent: 'input.type' });
    flush();
    expect(lead.text.toString()).toBe(`Practitioner. ${ORIGINAL} Lead.`);

    lead.binding.undoManager.undo();
    flush();
    for (const person of people) expect(person.text.toString()).toBe(`Practitioner. ${ORIGINAL}`);
    // Nothing more of the lead's to undo: the practitioner's words are not theirs to take back.
    expect(lead.binding.undoManager.canUndo()).toBe(false);
    lead.binding.undoManager.redo();
    flush();
    for (const person of people) expect(person.view.state.doc.toString()).toBe(`Practitioner. ${ORIGINAL} Lead.`);
  });

  it('refuses an edit made here that would go over the limit, and says how long it would have been', () => {
    const doc = new Y.Doc();
    const text = doc.getText('f');
    text.insert(0, '12345678');
    const tooLong: number[] = [];
    const binding = narrativeBinding({ text, field: 'f', maxChars: 10, onTooLong: (n) => tooLong.push(n) });
    const view = new EditorView({ parent: document.body, state: EditorState.create({ doc: text.toString(), extensions: binding.extension }) });
    open.push({ doc, text, view, binding, behind: null, typed: '', runs: [] });
    view.dispatch({ changes: { from: 8, insert: 'abc' }, userEvent: 'input.paste' });
    expect(text.toString()).toBe('12345678');
    expect(tooLong).toEqual([11]);
    view.dispatch({ changes: { from: 8, insert: 'ab' }, userEvent: 'input.paste' });
    expect(text.toString()).toBe('12345678ab');
    // Someone else's change is never refused here: it is already in the document.
    text.insert(0, 'zz');
    expect(view.state.doc.toString()).toBe('zz12345678ab');
  });
});
