/** What a device may write into a record: everything of its own, nothing of the server's. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Person } from '../../domain/directory';
import { addAction, initRecordDoc, noteWriter, removeAction, replaceText, setStatus, writeReflection } from '../../recordModel/recordDoc';
import { checkRecordWrite, isEmptyUpdate } from './writePolicy';

const okafor = { id: 'u-okafor', displayName: 'Grace Okafor', teamId: 't-north' } as Person;
const ahmed = { id: 'u-ahmed', displayName: 'Yusuf Ahmed', teamId: 't-north' } as Person;
const record = { kind: 'observation', id: '00000000-0000-4000-8000-000000000001' };

/** The server's copy, with the record made by its author and a reflection written by the server. */
function serverCopy(): Y.Doc {
  const server = new Y.Doc();
  const author = new Y.Doc();
  initRecordDoc(author, { id: record.id, kind: 'observation', status: 'draft', createdAt: '2026-12-01T10:00:00Z', authorId: okafor.id, authorName: okafor.displayName, authorTeamId: 't-north' });
  noteWriter(author, okafor);
  author.getText('strengths').insert(0, 'Warm with the family.');
  Y.applyUpdate(server, Y.encodeStateAsUpdate(author));
  writeReflection(server, { text: 'My reflection.', byId: ahmed.id, byName: ahmed.displayName, at: '2026-12-01T11:00:00Z' });
  return server;
}

/** A device's copy of the server's document, and the update its edit makes. */
function edit(server: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const device = new Y.Doc();
  Y.applyUpdate(device, Y.encodeStateAsUpdate(server));
  const before = Y.encodeStateVector(device);
  change(device);
  return Y.encodeStateAsUpdate(device, before);
}

describe('checkRecordWrite', () => {
  it('lets a device make a new record, type, set fields, note its own copy, and add and remove actions', () => {
    const server = new Y.Doc();
    const creation = new Y.Doc();
    initRecordDoc(creation, { id: record.id, kind: 'observation', status: 'draft', createdAt: '2026-12-01T10:00:00Z', authorId: okafor.id, authorName: okafor.displayName, authorTeamId: 't-north' });
    noteWriter(creation, okafor);
    const first = Y.encodeStateAsUpdate(creation);
    expect(checkRecordWrite(server, first, okafor, record)).toBeNull();
    Y.applyUpdate(server, first);

    const edits: ((doc: Y.Doc) => void)[] = [
      (d) => replaceText(d.getText('strengths'), 'Clear and kind.'),
      (d) => d.getMap('fields').set('childId', 'MOS1'),
      (d) => noteWriter(d, ahmed),
      (d) => addAction(d, { id: 'a1', what: 'Share the plan', who: 'Yusuf', byWhen: '2026-12-10' }),
    ];
    for (const change of edits) {
      const update = edit(server, change);
      expect(checkRecordWrite(server, update, change === edits[2] ? ahmed : okafor, record)).toBeNull();
      Y.applyUpdate(server, update);
    }
    const removal = edit(server, (d) => removeAction(d, 'a1'));
    expect(checkRecordWrite(server, removal, okafor, record)).toBeNull();
  });

  it('refuses the reflection, the status, the completion time, the record’s details once set, and deleting any of them', () => {
    const server = serverCopy();
    const forbidden: [string, (doc: Y.Doc) => void][] = [
      ['a reflection', (d) => d.getMap('reflection').set('text', 'Forged')],
      ['deleting the reflection', (d) => d.getMap('reflection').delete('text')],
      ['a status', (d) => setStatus(d, 'complete')],
      ['who closed it', (d) => d.getMap('meta').set('closedByName', 'Someone else')],
      ['the author', (d) => d.getMap('meta').set('authorId', ahmed.id)],
      ['deleting the kind', (d) => d.getMap('meta').delete('kind')],
      ['a copy noted as someone else', (d) => noteWriter(d, ahmed)],
      ['another copy’s note replaced', (d) => d.getMap('writers').forEach((_v, key) => d.getMap('writers').set(key, { id: okafor.id, name: okafor.displayName }))],
    ];
    for (const [what, change] of forbidden) expect(checkRecordWrite(server, edit(server, change), okafor, record)?.reason, what).toBe('server-owned');
  });

  it('refuses a new record made in someone else’s name', () => {
    const creation = new Y.Doc();
    initRecordDoc(creation, { id: record.id, kind: 'observation', status: 'draft', createdAt: '2026-12-01T10:00:00Z', authorId: ahmed.id, authorName: ahmed.displayName, authorTeamId: 't-north' });
    expect(checkRecordWrite(new Y.Doc(), Y.encodeStateAsUpdate(creation), okafor, record)?.reason).toBe('server-owned');
  });

  it('refuses an update that refers to items the server does not have (they would land later, unchecked)', () => {
    const server = serverCopy();
    const elsewhere = new Y.Doc();
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(server));
    elsewhere.getText('strengths').insert(0, 'unseen ');
    const device = new Y.Doc();
    Y.applyUpdate(device, Y.encodeStateAsUpdate(elsewhere));
    const before = Y.encodeStateVector(device);
    device.getText('strengths').insert(3, 'x');
    // Only the device's own insertion, which sits inside text the server never received.
    expect(checkRecordWrite(server, Y.encodeStateAsUpdate(device, before), okafor, record)?.reason).toBe('missing-dependency');
  });

  it('refuses bytes that are not an update', () => {
    expect(checkRecordWrite(serverCopy(), new Uint8Array([1, 2, 3, 250, 250]), okafor, record)?.reason).toBe('malformed');
  });
});

describe('isEmptyUpdate', () => {
  it('is true only for an update that changes nothing', () => {
    const doc = new Y.Doc();
    expect(isEmptyUpdate(Y.encodeStateAsUpdate(doc))).toBe(true);
    doc.getText('x').insert(0, 'a');
    expect(isEmptyUpdate(Y.encodeStateAsUpdate(doc))).toBe(false);
  });
});
