/**
 * Who is sent the storage proof (issue 20): the connections that need it, not every connection on a
 * document. A device that wrote is sent a proof that covers its write; a read-only watcher that wrote
 * nothing is sent none unless it asks. And an update whose commit fails is never proved.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Person } from '../../domain/directory';
import { initRecordDoc, noteWriter } from '../../recordModel/recordDoc';
import { isCoveredBy, isStoredStateMessage, type StoredStateMessage } from '../../recordModel/storedState';
import { startServer, type RunningServer } from '../../sync-server/server';
import { waitFor } from '../support/device';
import { makeDataDir } from '../support/serverProcess';
import { frames, Msg, RawSyncClient, signInRaw, SyncStep, type ServerFrame } from '../security/rawSync';

let server: RunningServer;
const clients: RawSyncClient[] = [];

beforeEach(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: makeDataDir(), staticDir: null, seedDemo: true, sessionDays: 1 });
});
afterEach(async () => {
  clients.splice(0).forEach((c) => c.terminate());
  await server.close();
});

async function connect(device: string) {
  const client = await RawSyncClient.connect(server.url, device);
  clients.push(client);
  return client;
}

/** The storage proofs a client has received for a document. */
const proofs = (client: RawSyncClient, doc: string): StoredStateMessage[] =>
  client.received
    .filter((f: ServerFrame) => f.doc === doc && f.type === Msg.Stateless)
    .map((f) => JSON.parse(f.text!) as unknown)
    .filter(isStoredStateMessage);

/** A new observation's first update, as its author's device makes it. */
function newRecord(author: Person): { name: string; doc: Y.Doc; update: Uint8Array } {
  const id = randomUUID();
  const doc = new Y.Doc();
  initRecordDoc(doc, { id, kind: 'observation', status: 'draft', createdAt: new Date().toISOString(), authorId: author.id, authorName: author.displayName, authorTeamId: author.teamId });
  noteWriter(doc, author);
  return { name: `observation/${id}`, doc, update: Y.encodeStateAsUpdate(doc) };
}


/** tm.okafor's new record, written on a raw connection and proved stored: the record, its document and the connection. */
async function storedNewRecord() {
  const okafor = await signInRaw(server.url, 'tm.okafor');
  const { name, doc, update } = newRecord(okafor.user as Person);
  const writer = await connect('writer');
  expect((await writer.open(name, okafor.token)).auth).toBe('authenticated');
  writer.send(frames.update(name, update));
  await writer.waitFor(() => proofs(writer, name).some((p) => isCoveredBy(doc, p)), 10_000, 'the record to be stored');
  return { name, doc, writer };
}
it('the device that wrote is sent a proof covering its write; a read-only watcher that wrote nothing is sent one only when it asks', async () => {
  const okafor = await signInRaw(server.url, 'tm.okafor');
  const patel = await signInRaw(server.url, 'hos.patel'); // her line manager: reads the record, cannot write it
  const { name, doc, update } = newRecord(okafor.user as Person);
  const writer = await connect('writer');
  expect((await writer.open(name, okafor.token)).auth).toBe('authenticated');
  const watcher = await connect('watcher');
  expect((await watcher.open(name, patel.token)).text).toBe('readonly');

  writer.send(frames.update(name, update));
  await writer.waitFor(() => proofs(writer, name).some((p) => isCoveredBy(doc, p)), 10_000, 'a proof covering the write');
  // A round trip on the watcher's socket after the writer had its proof: anything sent to the watcher along
  // with the writer's proof is in before the server's reply to this.
  const from = watcher.received.length;
  watcher.send(frames.step1(name));
  await watcher.waitFor((f) => watcher.received.indexOf(f) >= from && f.doc === name && f.syncStep === SyncStep.Step2, 10_000, 'the sync reply');
  expect(proofs(watcher, name)).toEqual([]);
  // The watcher asks: the answer is the only proof it is sent.
  watcher.send(frames.stateless(name, JSON.stringify({ type: 'stored?' })));
  await watcher.waitFor(() => proofs(watcher, name).length > 0, 10_000, 'an answer to "stored?"');
  expect(proofs(watcher, name)).toHaveLength(1);
  expect(isCoveredBy(doc, proofs(watcher, name)[0]!)).toBe(true);
});

it('an update whose commit fails is never proved: its document is closed, and it is proved once stored again', async () => {
  const okafor = await signInRaw(server.url, 'tm.okafor');
  const { name, doc, update } = newRecord(okafor.user as Person);
  const writer = await connect('writer');
  expect((await writer.open(name, okafor.token)).auth).toBe('authenticated');
  // The database refuses this document's rows, as a full or failing disk would.
  server.db.exec(`CREATE TEMP TRIGGER refuse_append BEFORE INSERT ON doc_updates WHEN NEW.doc = '${name}' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
  writer.send(frames.update(name, update));
  await writer.waitFor((f) => f.doc === name && f.type === Msg.Close, 10_000, 'the document to be closed');
  expect(proofs(writer, name).filter((p) => isCoveredBy(doc, p))).toEqual([]);
  expect(await server.store.load(name)).toBeNull();

  server.db.exec('DROP TRIGGER refuse_append');
  await waitFor('the broken document to leave memory', () => !server.collaboration.hocuspocus.documents.has(name));
  const again = await connect('writer-again');
  expect((await again.open(name, okafor.token)).auth).toBe('authenticated');
  again.send(frames.update(name, update));
  await again.waitFor(() => proofs(again, name).some((p) => isCoveredBy(doc, p)), 10_000, 'a proof covering the write');
  expect(await server.store.load(name)).not.toBeNull();
});

it('two updates that arrive together, the second building on the first, are both applied and stored', async () => {
  const { name, doc, writer } = await storedNewRecord();
  // Typing: the second keystroke's item has the first's as its neighbour; both are sent in one go.
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  doc.getText('strengths').insert(0, 'A');
  doc.getText('strengths').insert(1, 'B');
  writer.send(frames.update(name, updates[0]!));
  writer.send(frames.update(name, updates[1]!));
  await writer.waitFor(() => proofs(writer, name).some((p) => isCoveredBy(doc, p)), 10_000, 'both keystrokes to be stored');
  expect(writer.hasClose(name)).toBe(false);
  const stored = new Y.Doc();
  Y.applyUpdate(stored, (await server.store.load(name))!);
  expect(stored.getText('strengths').toString()).toBe('AB');
});

it('a writer typing steadily is not sent a proof per keystroke, and its last keystroke is proved without asking', async () => {
  const { name, doc, writer } = await storedNewRecord();
  const before = proofs(writer, name).length;
  // Five keystrokes 100 ms apart: each would have had a proof of its own 50 ms after it.
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < 5; i++) {
    doc.getText('strengths').insert(i, String(i));
    writer.send(frames.update(name, updates.at(-1)!));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await writer.waitFor(() => proofs(writer, name).some((p) => isCoveredBy(doc, p)), 10_000, 'a proof of the last keystroke');
  expect(proofs(writer, name).length - before).toBeLessThan(5);
  expect(writer.hasClose(name)).toBe(false);
});
