/**
 * A quarterly summary's draft (what the server drafted from the data: its figures and quotes) is the server's:
 * a device writes the three narratives, and never changes, adds to or deletes the draft (writePolicy.ts).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Person } from '../../domain/directory';
import { parsePeriodId } from '../../domain/periods';
import { draftSummary } from '../../domain/summary';
import { initRecordDoc } from '../../recordModel/recordDoc';
import { DRAFTED, readDrafted, writeDrafted } from '../../recordModel/summaryDoc';
import { checkRecordWrite } from './writePolicy';

const patel = { id: 'u-patel', displayName: 'Priya Patel', role: 'head-of-service', teamId: '', serviceId: 's' } as Person;
const record = { kind: 'summary', id: '00000000-0000-4000-8000-00000000000a' };

function serverCopy(): Y.Doc {
  const doc = new Y.Doc();
  initRecordDoc(doc, { id: record.id, kind: 'summary', status: 'draft', createdAt: '2026-10-01T09:00:00Z', authorId: patel.id, authorName: patel.displayName, authorTeamId: '' });
  writeDrafted(doc, draftSummary({ service: { id: 's', name: 'Safeguarding' }, teams: [], quarter: parsePeriodId('2026-27-Q2')!, facts: [], values: new Map(), draftedAt: new Date() }));
  return doc;
}

function edit(server: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const device = new Y.Doc();
  Y.applyUpdate(device, Y.encodeStateAsUpdate(server));
  const before = Y.encodeStateVector(device);
  change(device);
  return Y.encodeStateAsUpdate(device, before);
}

describe('a quarterly summary’s draft', () => {
  it('is read back as the server wrote it', () => {
    expect(readDrafted(serverCopy())?.serviceName).toBe('Safeguarding');
  });

  it('lets a device write the narratives', () => {
    const server = serverCopy();
    expect(checkRecordWrite(server, edit(server, (d) => d.getText('workingWell').insert(0, 'Plans are better.')), patel, record)).toBeNull();
  });

  it('refuses a device’s change to the draft, a new key in it, and deleting it', () => {
    const server = serverCopy();
    const changes: ((d: Y.Doc) => void)[] = [
      (d) => d.getMap(DRAFTED).set('draft', JSON.stringify({ ...readDrafted(d)!, serviceName: 'Forged' })),
      (d) => d.getMap(DRAFTED).set('extra', 'x'),
      (d) => d.getMap(DRAFTED).delete('draft'),
    ];
    for (const change of changes) expect(checkRecordWrite(server, edit(server, change), patel, record)).toMatchObject({ reason: 'server-owned' });
  });

  it('accepts a device’s state that carries the server’s own redrafting (the old draft deleted), with the device’s words', () => {
    const server = serverCopy();
    const device = new Y.Doc();
    Y.applyUpdate(device, Y.encodeStateAsUpdate(server));
    // The server drafts it again: its new draft replaces (deletes) the old one; the device receives that.
    const before = Y.encodeStateVector(server);
    writeDrafted(server, { ...readDrafted(server)!, serviceName: 'Safeguarding, drafted again' });
    Y.applyUpdate(device, Y.encodeStateAsUpdate(server, before));
    device.getText('worried').insert(0, 'Recording is late.');
    // What a device sends: everything the server lacks, with every deletion it knows (Yjs sends the whole delete set).
    const update = Y.encodeStateAsUpdate(device, Y.encodeStateVector(server));
    expect(Y.decodeUpdate(update).ds.clients.size).toBeGreaterThan(0);
    expect(checkRecordWrite(server, update, patel, record)).toBeNull();
    // Deleting the server's current draft is still refused.
    expect(checkRecordWrite(server, edit(server, (d) => d.getMap(DRAFTED).delete('draft')), patel, record)).toMatchObject({ reason: 'server-owned' });
  });
});
