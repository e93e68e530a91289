/**
 * Issue 20: the bulk sync path (POST /api/sync/bulk) against a raw HTTP client that does not run our app:
 * bad bytes, someone else's record, a read-only record, the server's own parts of a record, too much at
 * once, after signing out. Each gets a refusal (per document, or for the whole request), nothing it sent
 * is stored, and the server keeps serving a legitimate device.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Person } from '../../domain/directory';
import { BULK_MAX_DOCUMENTS, BULK_MAX_REQUEST_BYTES, BULK_SYNC_PATH, decodeBulkAnswer, encodeBulkRequest, type BulkRequestDoc } from '../../recordModel/bulkWire';
import { initRecordDoc, noteWriter } from '../../recordModel/recordDoc';
import * as encoding from 'lib0/encoding';
import { describeStoredState, isStoredStateMessage, isUpdateCoveredBy } from '../../recordModel/storedState';
import { startServer, type RunningServer } from '../../sync-server/server';
import { TestDevice } from '../support/device';
import { makeDataDir } from '../support/serverProcess';
import { signInRaw } from './rawSync';

let server: RunningServer;
const devices: TestDevice[] = [];

beforeEach(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: makeDataDir(), staticDir: null, seedDemo: true, sessionDays: 1 });
}, 60_000);
afterEach(async () => {
  devices.splice(0).forEach((d) => d.goOffline());
  await server.close();
});

const post = (token: string, body: Uint8Array | string, contentType = 'application/octet-stream') =>
  fetch(`${server.url}${BULK_SYNC_PATH}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType }, body: body as BodyInit });

async function bulk(token: string, docs: BulkRequestDoc[]) {
  const response = await post(token, encodeBulkRequest(docs));
  expect(response.status).toBe(200);
  return decodeBulkAnswer(new Uint8Array(await response.arrayBuffer()));
}

function newRecord(id: string, author: { id: string; displayName: string; teamId?: string }): Y.Doc {
  const doc = new Y.Doc();
  initRecordDoc(doc, { id, kind: 'observation', status: 'draft', createdAt: new Date().toISOString(), authorId: author.id, authorName: author.displayName, authorTeamId: author.teamId ?? '' });
  noteWriter(doc, author as Person);
  return doc;
}

const whole = (doc: Y.Doc): BulkRequestDoc => ({ name: `observation/${doc.getMap('meta').get('id') as string}`, sv: Y.encodeStateVector(doc), update: Y.encodeStateAsUpdate(doc) });

/** The server still answers, and a legitimate record is stored through the bulk path with its proof. */
async function stillServes() {
  expect((await fetch(`${server.url}/api/health`)).ok).toBe(true);
  const me = await signInRaw(server.url, 'tm.hughes');
  const doc = newRecord(randomUUID(), me.user as Person);
  doc.getMap('fields').set('childId', 'STILL-SERVING');
  const [answer] = await bulk(me.token, [whole(doc)]);
  expect(answer!.status).toBe('stored');
  expect(isStoredStateMessage(JSON.parse(answer!.info))).toBe(true);
  expect(await server.store.load(whole(doc).name)).not.toBeNull();
}

async function storedChildId(name: string): Promise<unknown> {
  const state = await server.store.load(name);
  const doc = new Y.Doc();
  if (state) Y.applyUpdate(doc, state);
  return doc.getMap('fields').get('childId');
}

it('bad bytes, the wrong content type, a truncated request and duplicate names are refused; the server keeps serving', async () => {
  const me = await signInRaw(server.url, 'tm.okafor');
  expect((await post(me.token, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]))).status).toBe(400);
  expect((await post(me.token, crypto.getRandomValues(new Uint8Array(4096)))).status).toBe(400);
  expect((await post(me.token, '{"docs":[]}', 'application/json')).status).toBeGreaterThanOrEqual(400);
  const good = encodeBulkRequest([whole(newRecord(randomUUID(), me.user as Person))]);
  expect((await post(me.token, good.slice(0, good.length - 3))).status).toBe(400);
  // A well-formed update with a Yjs payload that is garbage: refused for that document, nothing stored.
  const garbage = { name: `observation/${randomUUID()}`, sv: new Uint8Array([0]), update: crypto.getRandomValues(new Uint8Array(300)) };
  const response = await post(me.token, encodeBulkRequest([garbage]));
  if (response.status === 200) expect(decodeBulkAnswer(new Uint8Array(await response.arrayBuffer()))[0]!.status).not.toBe('stored');
  else expect(response.status).toBe(400);
  expect(await server.store.load(garbage.name)).toBeNull();
  const twice = whole(newRecord(randomUUID(), me.user as Person));
  expect((await post(me.token, encodeBulkRequest([twice, twice]))).status).toBe(400);
  await stillServes();
});

it('someone else’s record: writing and fetching are refused per document, and nothing is stored or sent', async () => {
  const okafor = await TestDevice.signIn(server.url, 'tm.okafor', 'okafor');
  devices.push(okafor);
  const id = await okafor.createObservation({ childId: 'OWNERS' });
  await okafor.goOnline();
  await okafor.waitUntilAllSent();

  // Ben Brown (same team, not involved) may not read it, let alone write it.
  const brown = await signInRaw(server.url, 'sw.brown');
  const stranger = new Y.Doc();
  Y.applyUpdate(stranger, (await server.store.load(`observation/${id}`))!);
  stranger.getMap('fields').set('childId', 'HIJACKED');
  const [write] = await bulk(brown.token, [whole(stranger)]);
  expect(write!.status).toBe('forbidden');
  expect(write!.missing.byteLength).toBe(0);
  const [read] = await bulk(brown.token, [{ name: `observation/${id}`, sv: new Uint8Array([0]), update: new Uint8Array() }]);
  expect(read!.status).toBe('forbidden');
  expect(read!.missing.byteLength).toBe(0);
  expect(await storedChildId(`observation/${id}`)).toBe('OWNERS');
  // Both refusals are in the audit log, as the live path's are.
  server.audit.flush();
  expect((server.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'refused' AND user_id = ? AND doc = ?").get(brown.user.id, `observation/${id}`) as { n: number }).n).toBe(2);
  await stillServes();
});

it('a reader’s write is refused read-only; the server’s own parts of a record are refused to its author', async () => {
  const okafor = await TestDevice.signIn(server.url, 'tm.okafor', 'okafor');
  devices.push(okafor);
  const id = await okafor.createObservation({ childId: 'READONLY' });
  await okafor.goOnline();
  await okafor.waitUntilAllSent();
  const evans = await signInRaw(server.url, 'sw.evans');
  await okafor.share(id, evans.user as Person, 'reader');
  const name = `observation/${id}`;

  const copy = new Y.Doc();
  Y.applyUpdate(copy, (await server.store.load(name))!);
  copy.getMap('fields').set('childId', 'READER-WROTE');
  const [answer] = await bulk(evans.token, [whole(copy)]);
  expect(answer!.status).toBe('refused');
  expect(JSON.parse(answer!.info)).toMatchObject({ type: 'refused', reason: 'read-only' });
  // A reader may still fetch it (read-only means read, not nothing).
  const [read] = await bulk(evans.token, [{ name, sv: new Uint8Array([0]), update: new Uint8Array() }]);
  expect(read!.status).toBe('stored');
  expect(read!.missing.byteLength).toBeGreaterThan(0);

  // The author writing the record's status (the server's) is refused like on the live path.
  const author = await signInRaw(server.url, 'tm.okafor');
  const forged = new Y.Doc();
  Y.applyUpdate(forged, (await server.store.load(name))!);
  forged.getMap('meta').set('status', 'completed');
  const [owned] = await bulk(author.token, [whole(forged)]);
  expect(owned!.status).toBe('refused');
  expect(JSON.parse(owned!.info)).toMatchObject({ reason: 'server-owned' });
  const stored = new Y.Doc();
  Y.applyUpdate(stored, (await server.store.load(name))!);
  expect(stored.getMap('meta').get('status')).toBe('draft');
  expect(await storedChildId(name)).toBe('READONLY');
  await stillServes();
});

it('a record the server has never seen is checked as it came: its server-owned parts and missing parts are refused, nothing of it is stored', async () => {
  const author = await signInRaw(server.url, 'tm.okafor');
  const me = author.user as Person;
  // Its author writing the practitioner's reflection (the server's) into a brand-new record.
  const reflecting = newRecord(randomUUID(), me);
  reflecting.getMap('fields').set('childId', 'NEW-REFLECTING');
  reflecting.getMap('reflection').set('text', 'Written by the author, not the practitioner');
  // A brand-new record that claims to be completed already.
  const completed = new Y.Doc();
  initRecordDoc(completed, { id: randomUUID(), kind: 'observation', status: 'complete', createdAt: new Date().toISOString(), authorId: me.id, authorName: me.displayName, authorTeamId: '' });
  // Only the second of two edits: it builds on an item the server has never had.
  const edited = newRecord(randomUUID(), me);
  edited.getMap('fields').set('childId', 'FIRST');
  const before = Y.encodeStateVector(edited);
  edited.getMap('fields').set('childId', 'SECOND');
  const partOnly = { ...whole(edited), update: Y.encodeStateAsUpdate(edited, before) };
  const answers = await bulk(author.token, [whole(reflecting), whole(completed), partOnly]);
  expect(answers.map((a) => [a.status, (JSON.parse(a.info) as { reason: string }).reason])).toEqual([
    ['refused', 'server-owned'],
    ['refused', 'server-owned'],
    ['refused', 'missing-dependency'],
  ]);
  for (const doc of [whole(reflecting), whole(completed), partOnly]) expect(await server.store.load(doc.name)).toBeNull();
  await stillServes();
});

/**
 * An update Yjs decodes (so the write policy reads it and finds nothing wrong) but cannot apply: its first
 * item sits after the client's own second item, which Yjs looks for before it has it.
 */
function unappliableUpdate(): Uint8Array {
  const client = 4242;
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1); // one client
  encoding.writeVarUint(e, 2); // two structs
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, 0); // from clock 0
  encoding.writeUint8(e, 0x84); // a string, with a left origin
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, 1); // ... its own next item
  encoding.writeVarString(e, 'x');
  encoding.writeUint8(e, 0x24); // a string with a parent and a key
  encoding.writeVarUint(e, 1); // the parent is a root type
  encoding.writeVarString(e, 'fields');
  encoding.writeVarString(e, 'childId');
  encoding.writeVarString(e, 'y');
  encoding.writeVarUint(e, 0); // no deletions
  return encoding.toUint8Array(e);
}

it('a new record’s update that Yjs cannot apply is refused on its own; the rest of the batch is stored, as Yjs encodes it, with its proof', async () => {
  const author = await signInRaw(server.url, 'tm.okafor');
  const me = author.user as Person;
  const hostile = { name: `observation/${randomUUID()}`, sv: new Uint8Array([0]), update: unappliableUpdate() };
  expect(() => Y.applyUpdate(new Y.Doc(), hostile.update)).toThrow();
  const honest = newRecord(randomUUID(), me);
  honest.getMap('fields').set('childId', 'HONEST');
  // Bytes after the update: Yjs reads past them; the server must not store them.
  const padded = newRecord(randomUUID(), me);
  padded.getMap('fields').set('childId', 'PADDED');
  const junk = new TextEncoder().encode('JUNK-AFTER-THE-UPDATE');
  const paddedDoc = { ...whole(padded), update: new Uint8Array([...Y.encodeStateAsUpdate(padded), ...junk]) };

  const [refused, stored, storedPadded] = await bulk(author.token, [hostile, whole(honest), paddedDoc]);
  expect(refused!.status).toBe('refused');
  expect(JSON.parse(refused!.info)).toMatchObject({ reason: 'malformed' });
  expect(await server.store.load(hostile.name)).toBeNull();

  expect([stored!.status, storedPadded!.status]).toEqual(['stored', 'stored']);
  expect(await storedChildId(whole(honest).name)).toBe('HONEST');
  expect(await storedChildId(paddedDoc.name)).toBe('PADDED');
  expect(Buffer.from((await server.store.load(paddedDoc.name))!).includes('JUNK-AFTER-THE-UPDATE')).toBe(false);
  // The proof of a record new to the server is the proof of its document as the device has it, and the device's check accepts it.
  expect(JSON.parse(stored!.info)).toEqual(describeStoredState(honest));
  expect(isUpdateCoveredBy(whole(honest).update, JSON.parse(stored!.info))).toBe(true);
  expect(stored!.missing.byteLength).toBe(0);
  await stillServes();
});

it('too many documents or too many bytes in one request are refused whole; nothing of them is stored', async () => {
  const me = await signInRaw(server.url, 'tm.okafor');
  const many = Array.from({ length: BULK_MAX_DOCUMENTS + 1 }, () => whole(newRecord(randomUUID(), me.user as Person)));
  expect((await post(me.token, encodeBulkRequest(many))).status).toBe(400);
  for (const doc of many.slice(0, 5)) expect(await server.store.load(doc.name)).toBeNull();
  const big = newRecord(randomUUID(), me.user as Person);
  big.getText('strengths').insert(0, 'x'.repeat(BULK_MAX_REQUEST_BYTES + 1024));
  expect((await post(me.token, encodeBulkRequest([whole(big)]))).status).toBe(413);
  expect(await server.store.load(whole(big).name)).toBeNull();
  await stillServes();
});

it('after signing out, the same token sends nothing: 401, and nothing is stored', async () => {
  const me = await signInRaw(server.url, 'tm.okafor');
  expect((await fetch(`${server.url}/api/sign-out`, { method: 'POST', headers: { Authorization: `Bearer ${me.token}` } })).ok).toBe(true);
  const doc = whole(newRecord(randomUUID(), me.user as Person));
  expect((await post(me.token, encodeBulkRequest([doc]))).status).toBe(401);
  expect((await post('', encodeBulkRequest([doc]))).status).toBe(401);
  expect(await server.store.load(doc.name)).toBeNull();
  await stillServes();
});
