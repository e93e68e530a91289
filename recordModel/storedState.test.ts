import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteSetOf, deletesCovered, describeStoredState, isCoveredBy, isUpdateCoveredBy, stateOfUpdate } from './storedState';

function docOf(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc;
}

function copy(doc: Y.Doc): Y.Doc {
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  return other;
}

describe('proof that the server stored a document', () => {
  it('holds when the server has exactly what the device has', () => {
    const device = new Y.Doc();
    device.getText('t').insert(0, 'hello');
    expect(isCoveredBy(device, describeStoredState(copy(device)))).toBe(true);
  });

  it('holds when the server has more than the device (others’ edits)', () => {
    const device = new Y.Doc();
    device.getText('t').insert(0, 'hello');
    const server = copy(device);
    server.getText('t').insert(5, ' world');
    server.getText('t').delete(0, 1);
    expect(isCoveredBy(device, describeStoredState(server))).toBe(true);
  });

  it('fails when the device has an insertion the server lacks', () => {
    const device = new Y.Doc();
    device.getText('t').insert(0, 'hello');
    const server = copy(device);
    device.getText('t').insert(5, '!');
    expect(isCoveredBy(device, describeStoredState(server))).toBe(false);
  });

  it('fails when the device has a deletion the server lacks, though the state vectors match', () => {
    const device = new Y.Doc();
    device.getText('t').insert(0, 'hello world');
    const server = copy(device);
    device.getText('t').delete(5, 6);
    expect(Y.encodeStateVector(device)).toEqual(Y.encodeStateVector(server));
    expect(isCoveredBy(device, describeStoredState(server))).toBe(false);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(device));
    expect(isCoveredBy(device, describeStoredState(server))).toBe(true);
  });

  it('checks deletions range by range across several stored ranges', () => {
    const device = new Y.Doc();
    const text = device.getText('t');
    text.insert(0, 'abcdefghij');
    const server = copy(device);
    server.getText('t').delete(1, 2);
    server.getText('t').delete(3, 2);
    Y.applyUpdate(device, Y.encodeStateAsUpdate(server));
    expect(isCoveredBy(device, describeStoredState(server))).toBe(true);
    text.delete(0, 1);
    expect(isCoveredBy(device, describeStoredState(server))).toBe(false);
  });

  it('an empty device is always covered', () => {
    expect(isCoveredBy(new Y.Doc(), describeStoredState(new Y.Doc()))).toBe(true);
  });
});

describe('an update read once for its state vector and deletions (stateOfUpdate)', () => {
  /** Several writers, deletions, and updates with gaps: what the bulk path meets. */
  function updates(): Uint8Array[] {
    const a = new Y.Doc();
    a.getText('t').insert(0, 'hello world');
    a.getMap('m').set('k', 'one');
    const b = copy(a);
    b.getText('t').delete(0, 6);
    b.getMap('m').set('k', 'two');
    const middle = Y.encodeStateVector(a);
    a.getText('t').insert(0, 'later ');
    const gapped = Y.encodeStateAsUpdate(a, middle); // starts past clock 0
    // The first and the last of three edits, without the middle one: Yjs marks the gap with a Skip.
    const c = new Y.Doc();
    c.getText('t').insert(0, 'x');
    const first = Y.encodeStateAsUpdate(c);
    c.getText('t').insert(1, 'y');
    const second = Y.encodeStateVector(c);
    c.getText('t').insert(2, 'z');
    const withSkip = Y.mergeUpdates([first, Y.encodeStateAsUpdate(c, second)]);
    return [new Uint8Array([0, 0]), Y.encodeStateAsUpdate(a), Y.encodeStateAsUpdate(b), gapped, withSkip, Y.mergeUpdates([Y.encodeStateAsUpdate(a), Y.encodeStateAsUpdate(b)])];
  }

  it('gives the state vector Yjs counts from the update, and its delete set', () => {
    for (const update of updates()) {
      const state = stateOfUpdate(update);
      expect(Y.encodeStateVector(state.sv)).toEqual(Y.encodeStateVectorFromUpdate(update));
      expect(state.ds).toEqual(deleteSetOf(update));
    }
  });

  it('checks a proof as the update’s own vector and deletions, decoded separately, say', () => {
    const all = updates();
    expect(all.some((u) => Y.decodeUpdate(u).structs.some((s) => s instanceof Y.Skip))).toBe(true);
    for (const stored of all.map((u) => describeStoredState(docOf(u)))) {
      const storedClocks = Y.decodeStateVector(Uint8Array.from(atob(stored.sv), (c) => c.charCodeAt(0)));
      const storedDs = deleteSetOf(Uint8Array.from(atob(stored.ds), (c) => c.charCodeAt(0)));
      for (const update of all) {
        const expected =
          [...Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update))].every(([client, clock]) => (storedClocks.get(client) ?? 0) >= clock) &&
          deletesCovered(deleteSetOf(update), storedDs);
        expect(isUpdateCoveredBy(update, stored, stateOfUpdate(update))).toBe(expected);
      }
    }
  });
});
