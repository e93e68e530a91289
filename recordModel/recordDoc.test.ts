import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { emptyObservation, observationLayout } from '../domain/observation';
import type { RecordMeta } from '../domain/records';
import { initRecordDoc, readMeta, replaceText, setField, setStatus, toRecord } from './recordDoc';

const meta: RecordMeta = {
  id: '3f2c1b7e-1d2a-4c3b-9a8e-0f1e2d3c4b5a',
  kind: 'observation',
  status: 'draft',
  createdAt: '2026-03-14T09:00:00.000Z',
  authorId: 'u1',
  authorName: 'Grace Okafor',
  authorTeamId: 't1',
};

function newDoc() {
  const doc = new Y.Doc();
  initRecordDoc(doc, meta);
  return doc;
}

/** Copies a document through its binary update, as storage and sync do. */
function roundTrip(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

describe('document ↔ record mapping', () => {
  it('reads a new document as its metadata and every field empty', () => {
    expect(toRecord(newDoc(), observationLayout)).toEqual({ meta, values: emptyObservation() });
  });

  it('an empty or foreign document has no metadata', () => {
    expect(readMeta(new Y.Doc())).toBeNull();
    const foreign = new Y.Doc();
    foreign.getMap('meta').set('kind', 'shopping-list');
    expect(readMeta(foreign)).toBeNull();
  });

  it('keeps scalars in the fields map and narrative in Y.Text, and restores them exactly', () => {
    const doc = newDoc();
    const values = { childId: 'MOS1', levelOfNeed: 'child-in-need', strengths: 'Line one\nLine two — “quoted”, émigré 👍' };
    doc.transact(() => Object.entries(values).forEach(([name, value]) => setField(doc, observationLayout, name, value)));
    expect(doc.getMap('fields').get('childId')).toBe('MOS1');
    expect(doc.getText('strengths')).toBeInstanceOf(Y.Text);
    const restored = toRecord(roundTrip(doc), observationLayout);
    expect(restored.meta).toEqual(meta);
    expect(restored.values).toEqual({
      ...emptyObservation(),
      childId: 'MOS1',
      levelOfNeed: 'child-in-need',
      strengths: 'Line one\nLine two — “quoted”, émigré 👍',
    });
  });

  it('refuses a field the form does not have', () => {
    expect(() => setField(newDoc(), observationLayout, 'favouriteColour', 'blue')).toThrow(/not a field/);
  });

  it('records completion and reopening in the metadata', () => {
    const doc = newDoc();
    setStatus(doc, 'complete', new Date('2026-03-15T10:00:00Z'));
    expect(readMeta(doc)).toMatchObject({ status: 'complete', completedAt: '2026-03-15T10:00:00.000Z' });
    setStatus(doc, 'draft');
    expect(readMeta(doc)?.status).toBe('draft');
    expect(readMeta(doc)?.completedAt).toBeUndefined();
  });

  it('notes who moderated and who closed a review, and when, keeping when it was submitted', () => {
    const doc = newDoc();
    setStatus(doc, 'submitted', new Date('2026-03-15T10:00:00Z'));
    setStatus(doc, 'moderated', new Date('2026-03-20T09:30:00Z'), { displayName: 'Sam Green' });
    setStatus(doc, 'closed', new Date('2026-03-21T16:00:00Z'), { displayName: 'Grace Okafor' });
    expect(readMeta(doc)).toMatchObject({
      status: 'closed',
      completedAt: '2026-03-15T10:00:00.000Z',
      moderatedAt: '2026-03-20T09:30:00.000Z',
      moderatedByName: 'Sam Green',
      closedAt: '2026-03-21T16:00:00.000Z',
      closedByName: 'Grace Okafor',
    });
  });

  it('turns a changed text box into the smallest edit, so concurrent typing merges', () => {
    const a = newDoc();
    replaceText(a.getText('strengths'), 'Calm and clear.');
    const b = roundTrip(a);
    // Two people edit the same field at once: one adds at the start, one at the end.
    replaceText(a.getText('strengths'), 'Warm. Calm and clear.');
    replaceText(b.getText('strengths'), 'Calm and clear. Listened well.');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(a.getText('strengths').toString()).toBe('Warm. Calm and clear. Listened well.');
    expect(b.getText('strengths').toString()).toBe(a.getText('strengths').toString());
  });

  it('edits in the middle, deletions and no-ops', () => {
    const doc = newDoc();
    const text = doc.getText('reflections');
    replaceText(text, 'abcdef');
    replaceText(text, 'abXYef');
    expect(text.toString()).toBe('abXYef');
    replaceText(text, 'ef');
    expect(text.toString()).toBe('ef');
    const before = Y.encodeStateVector(doc);
    replaceText(text, 'ef');
    expect(Y.encodeStateVector(doc)).toEqual(before);
    replaceText(text, '');
    expect(text.toString()).toBe('');
  });
});

describe('who wrote what', () => {
  it('splits a narrative field into runs by the person whose device wrote them, after a merge', async () => {
    const { noteWriter, whoWroteWhat } = await import('./recordDoc');
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.transact(() => {
      noteWriter(a, { id: 'u1', displayName: 'Grace Okafor' });
      a.getText('penPicture').insert(0, 'Sam is twelve.');
    });
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    b.transact(() => {
      noteWriter(b, { id: 'u2', displayName: 'Fiona Walsh' });
      b.getText('penPicture').insert(14, ' He loves football.');
    });
    a.transact(() => a.getText('penPicture').insert(0, 'Seen at school. '));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    expect(whoWroteWhat(a, 'penPicture')).toEqual([
      { text: 'Seen at school. Sam is twelve.', by: 'Grace Okafor' },
      { text: ' He loves football.', by: 'Fiona Walsh' },
    ]);
  });
});

describe('a review’s actions', () => {
  it('added on two devices at once are both kept, each editable by its id', async () => {
    const { addAction, readActions, updateAction, removeAction } = await import('./recordDoc');
    const a = new Y.Doc();
    const b = new Y.Doc();
    addAction(a, { id: 'x', what: 'Share the plan', who: 'Yusuf', byWhen: '2026-12-01' });
    addAction(b, { id: 'y', what: 'Visit school', who: 'Grace', byWhen: '' });
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readActions(a).map((x) => x.id).sort()).toEqual(['x', 'y']);
    updateAction(b, 'x', { byWhen: '2026-12-08' });
    removeAction(a, 'y');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readActions(a)).toEqual([{ id: 'x', what: 'Share the plan', who: 'Yusuf', byWhen: '2026-12-08' }]);
    expect(readActions(b)).toEqual(readActions(a));
  });
});
