import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { describeStoredState, isCoveredBy } from './storedState';

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
