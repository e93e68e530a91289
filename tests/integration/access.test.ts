/**
 * Issue 4: who may see and change what, against a real server on port 0 with real Yjs clients.
 *
 * The matrix: every demo person (every role) × three records they stand in different relationships to ×
 * four operations — open for reading, write, list, command — with the expected allow or deny written out
 * by hand for every cell, and zero unexpected allows.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Person } from '../../domain/directory';
import { startServer, type RunningServer } from '../../sync-server/server';
import { completeObservationValues } from '../support/records';
import { openAs as openAsClient, sendCommandAs, signInAs, TestDevice, waitFor } from '../support/device';
import { makeDataDir } from '../support/serverProcess';

let server: RunningServer;
const tokens = new Map<string, string>();
const people = new Map<string, Person>();
const records: Record<'northDraft' | 'northComplete' | 'southDraft', string> = { northDraft: '', northComplete: '', southDraft: '' };
let author: TestDevice;
let southAuthor: TestDevice;

const USERNAMES = [
  'tm.okafor', 'sw.ahmed', 'sw.brown', 'sw.evans', 'sw.clarke', 'tm.hughes', 'tm.begum', 'hos.patel', 'hos.lewis',
  'ad.wright', 'dcs.morgan', 'psw.khan', 'qa.green', 'iro.walsh', 'admin.jones',
] as const;
type Username = (typeof USERNAMES)[number];

const completeValues = completeObservationValues;

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: makeDataDir(), staticDir: null, seedDemo: true, sessionDays: 1 });
  for (const username of USERNAMES) {
    const session = await signInAs(server.url, username);
    tokens.set(username, session.token);
    people.set(username, session.user);
  }
  const person = (u: Username) => people.get(u)!;

  // North (Safeguarding Team North): written by its team manager about Yusuf Ahmed. Fiona Walsh (IRO) is a
  // co-writer and Megan Evans (another team) a reader.
  author = await TestDevice.signIn(server.url, 'tm.okafor', 'author-tablet');
  records.northDraft = `observation/${await author.createObservation(completeValues(person('sw.ahmed')))}`;
  records.northComplete = `observation/${await author.createObservation(completeValues(person('sw.ahmed')))}`;
  await author.goOnline();
  await author.waitUntilAllSent();
  for (const name of [records.northDraft, records.northComplete]) {
    expect(await author.command({ type: 'set-subject', record: name, userId: person('sw.ahmed').id })).toEqual({ status: 'applied' });
    expect(await author.command({ type: 'add-participant', record: name, userId: person('iro.walsh').id, role: 'contributor' })).toEqual({ status: 'applied' });
  }
  expect(await author.command({ type: 'add-participant', record: records.northDraft, userId: person('sw.evans').id, role: 'reader' })).toEqual({ status: 'applied' });
  const stateVector = Buffer.from(Y.encodeStateVector(new Y.Doc())).toString('base64');
  expect(await author.command({ type: 'complete', record: records.northComplete, stateVector })).toEqual({ status: 'applied' });

  // South: written by Owen Hughes about Daniel Clarke, nobody added.
  southAuthor = await TestDevice.signIn(server.url, 'tm.hughes', 'south-tablet');
  records.southDraft = `observation/${await southAuthor.createObservation(completeValues(person('sw.clarke')))}`;
  await southAuthor.goOnline();
  await southAuthor.waitUntilAllSent();
  expect(await southAuthor.command({ type: 'set-subject', record: records.southDraft, userId: person('sw.clarke').id })).toEqual({ status: 'applied' });
  author.goOffline();
  southAuthor.goOffline();
}, 60_000);

afterAll(async () => {
  author?.goOffline();
  southAuthor?.goOffline();
  await server?.close();
});

const openAs = (token: string, name: string) => openAsClient(server.url, token, name);

async function storedComments(name: string): Promise<string> {
  const doc = new Y.Doc();
  const state = await server.store.load(name);
  if (state) Y.applyUpdate(doc, state);
  return doc.getText('otherComments').toString();
}

type Op = 'read' | 'write' | 'list' | 'command';
type Cell = [Username, keyof typeof records, Record<Op, boolean>];
const allow = (read: boolean, write: boolean, list: boolean, command: boolean) => ({ read, write, list, command });
const NONE = allow(false, false, false, false);
const READ = allow(true, false, true, false);

/**
 * The expected answers. "command" is sharing the record (add-participant), which only the author of a
 * draft may do. Written out by hand from the rules in sync-server/access.ts, never computed.
 */
const MATRIX: Cell[] = [
  // Safeguarding Team North draft: author tm.okafor, subject sw.ahmed, co-writer iro.walsh, reader sw.evans.
  ['tm.okafor', 'northDraft', allow(true, true, true, true)], // author
  ['sw.ahmed', 'northDraft', READ], // the practitioner observed: reads it (and adds a reflection by command)
  ['iro.walsh', 'northDraft', allow(true, true, true, false)], // co-writer
  ['sw.evans', 'northDraft', READ], // added as a reader, from another team
  ['sw.brown', 'northDraft', NONE], // same team, not involved
  ['sw.clarke', 'northDraft', NONE], // another team
  ['tm.hughes', 'northDraft', NONE], // manager of another team
  ['tm.begum', 'northDraft', NONE], // manager in another service
  ['hos.patel', 'northDraft', READ], // head of service above the team
  ['hos.lewis', 'northDraft', NONE], // head of another service
  ['ad.wright', 'northDraft', READ], // assistant director above
  ['dcs.morgan', 'northDraft', READ], // director
  ['psw.khan', 'northDraft', READ], // principal social worker
  ['qa.green', 'northDraft', READ], // QA officer
  ['admin.jones', 'northDraft', NONE], // administrator: manages people, not case records
  // The same, completed: read-only for everyone, and nothing more can be shared.
  ['tm.okafor', 'northComplete', READ],
  ['sw.ahmed', 'northComplete', READ],
  ['iro.walsh', 'northComplete', READ],
  ['sw.evans', 'northComplete', NONE], // not added to this one
  ['sw.brown', 'northComplete', NONE],
  ['hos.patel', 'northComplete', READ],
  ['hos.lewis', 'northComplete', NONE],
  ['dcs.morgan', 'northComplete', READ],
  ['qa.green', 'northComplete', READ],
  ['admin.jones', 'northComplete', NONE],
  // Safeguarding Team South draft: author tm.hughes, subject sw.clarke, nobody added.
  ['tm.hughes', 'southDraft', allow(true, true, true, true)],
  ['sw.clarke', 'southDraft', READ],
  ['sw.evans', 'southDraft', NONE], // same team as the record, not involved
  ['tm.okafor', 'southDraft', NONE], // manager of a sibling team
  ['hos.patel', 'southDraft', READ],
  ['ad.wright', 'southDraft', READ],
  ['dcs.morgan', 'southDraft', READ],
  ['psw.khan', 'southDraft', READ],
  ['qa.green', 'southDraft', READ],
  ['iro.walsh', 'southDraft', NONE], // an IRO not added to it
  ['hos.lewis', 'southDraft', NONE],
  ['admin.jones', 'southDraft', NONE],
];

describe('the access matrix', () => {
  it(`gives exactly the expected answer in all ${MATRIX.length * 4} cells (${MATRIX.length} person–record pairs × 4 operations)`, async () => {
    const outcomes = await Promise.all(
      MATRIX.map(async ([username, recordKey, expected], i) => {
        const token = tokens.get(username)!;
        const name = records[recordKey];
        const actual: Record<Op, boolean> = { read: false, write: false, list: false, command: false };

        // Open for reading: a refusal must come with no byte of the record's content.
        const opened = await openAs(token, name);
        actual.read = opened.opened;
        if (!opened.opened) {
          expect(opened.reason, `${username} on ${recordKey}`).toMatch(/^forbidden: /);
          expect(opened.doc.store.clients.size, `${username} received content of ${recordKey}`).toBe(0);
        } else {
          expect(opened.doc.getMap('fields').get('childId'), `${username} sees ${recordKey}`).toBe('MAT1');
          // Write: a read-only connection is told so, and its edit must never reach the server.
          opened.doc.getText('otherComments').insert(0, `[edit ${i} by ${username}]`);
        }

        // List: the records listing and the changes feed.
        const listing = (await (await fetch(`${server.url}/api/records`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
          records: { name: string; access: string }[];
        };
        const changes = (await (await fetch(`${server.url}/api/records/changes?after=0`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
          changes: { name: string }[];
        };
        actual.list = listing.records.some((r) => r.name === name);
        expect(changes.changes.some((c) => c.name === name), `${username}'s changes feed and listing agree on ${recordKey}`).toBe(actual.list);
        if (opened.opened) expect(opened.scope === 'read-write', `${username}'s scope on ${recordKey}`).toBe(listing.records.find((r) => r.name === name)?.access === 'write');

        // Command: share the record with someone outside the matrix.
        const outcome = await sendCommandAs(server.url, token, { type: 'add-participant', record: name, userId: fraserId(), role: 'reader' });
        actual.command = outcome.status === 'applied';
        return { username, recordKey, expected, actual, opened, edit: `[edit ${i} by ${username}]` };
      }),
    );

    // Writes: wait until every allowed edit is stored, then check that no refused one is.
    for (const o of outcomes.filter((o) => o.expected.write)) await waitFor(`${o.username}'s edit stored`, async () => (await storedComments(records[o.recordKey])).includes(o.edit));
    await new Promise((r) => setTimeout(r, 500));
    for (const o of outcomes) o.actual.write = o.opened.opened && (await storedComments(records[o.recordKey])).includes(o.edit);
    outcomes.forEach((o) => o.opened.close());

    const unexpectedAllows = outcomes.flatMap((o) => (Object.keys(o.actual) as Op[]).filter((op) => o.actual[op] && !o.expected[op]).map((op) => `${o.username} ${op} ${o.recordKey}`));
    const unexpectedDenials = outcomes.flatMap((o) => (Object.keys(o.actual) as Op[]).filter((op) => !o.actual[op] && o.expected[op]).map((op) => `${o.username} ${op} ${o.recordKey}`));
    expect(unexpectedAllows).toEqual([]);
    expect(unexpectedDenials).toEqual([]);
  }, 90_000);
});

let fraser: string | null = null;
/** Isla Fraser is outside the matrix: sharing records with her changes no cell. */
function fraserId(): string {
  fraser ??= server.organisation.findUserByUsername('sw.fraser')!.id;
  return fraser;
}

describe('commands', () => {
  it('let the practitioner observed add a reflection, even once complete — and nobody else', async () => {
    const reflection = { type: 'add-reflection' as const, record: records.northComplete, text: 'I will summarise the plan next time.' };
    expect(await sendCommandAs(server.url, tokens.get('sw.ahmed')!, reflection)).toEqual({ status: 'applied' });
    expect((await sendCommandAs(server.url, tokens.get('tm.okafor')!, reflection)).status).toBe('rejected');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await server.store.load(records.northComplete))!);
    expect(doc.getMap('reflection').toJSON()).toMatchObject({ text: 'I will summarise the plan next time.', byName: 'Yusuf Ahmed' });
    const audit = server.audit.page({ record: records.northComplete }).entries;
    expect(audit.some((e) => e.action === 'command' && e.userName === 'Yusuf Ahmed' && e.detail.startsWith('add-reflection: applied'))).toBe(true);
  });

  it('are applied once however often they are sent, and refuse a complete record that fails its checks with the problems', async () => {
    const id = crypto.randomUUID();
    const command = { id, type: 'add-participant', record: records.southDraft, userId: fraserId(), role: 'reader' };
    const send = () =>
      fetch(`${server.url}/api/commands`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens.get('tm.hughes')}` }, body: JSON.stringify(command) }).then((r) => r.json());
    expect(await send()).toEqual({ status: 'applied' });
    expect(await send()).toEqual({ status: 'applied' });
    // Sent twice at once (two tabs of one person) while the first is still being applied: the same answer to both.
    const twice = `observation/${await southAuthor.createObservation(completeValues(people.get('sw.clarke')!))}`;
    await southAuthor.goOnline();
    await southAuthor.waitUntilAllSent();
    southAuthor.goOffline();
    const completion = { id: crypto.randomUUID(), type: 'complete', record: twice, stateVector: Buffer.from(Y.encodeStateVector(new Y.Doc())).toString('base64') };
    const sendCompletion = () =>
      fetch(`${server.url}/api/commands`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens.get('tm.hughes')}` }, body: JSON.stringify(completion) }).then((r) => r.json());
    expect(await Promise.all([sendCompletion(), sendCompletion()])).toEqual([{ status: 'applied' }, { status: 'applied' }]);
    expect(server.db.prepare('SELECT COUNT(*) AS n FROM commands WHERE id = ?').get(id)).toEqual({ n: 1 });

    const empty = `observation/${await southAuthor.createObservation({ childId: 'EMPTY1' })}`;
    await southAuthor.goOnline();
    await southAuthor.waitUntilAllSent();
    southAuthor.goOffline();
    const outcome = await southAuthor.command({ type: 'complete', record: empty, stateVector: Buffer.from(Y.encodeStateVector(new Y.Doc())).toString('base64') });
    expect(outcome.status).toBe('rejected');
    expect(outcome.status === 'rejected' && outcome.problems?.map((p) => p.field)).toEqual(expect.arrayContaining(['practitionerId', 'levelOfNeed', 'strengths']));
    // A device's changes the server has not stored yet: "try again", not a refusal.
    const ahead = new Y.Doc();
    ahead.getText('otherComments').insert(0, 'not sent yet');
    const retry = await southAuthor.command({ type: 'complete', record: records.southDraft, stateVector: Buffer.from(Y.encodeStateVector(ahead)).toString('base64') });
    expect(retry.status).toBe('retry');
  });
});

/** A person's live connections to a document on the server. */
const connectionsOf = (username: string, name: string) =>
  [...(server.collaboration.hocuspocus.documents.get(name)?.getConnections() ?? [])].filter((c) => (c.context as { user: Person }).user.username === username);

describe('live access changes', () => {
  it('completing a record turns a co-writer’s open connection read-only at once', async () => {
    const device = await TestDevice.signIn(server.url, 'tm.hughes', 'hughes-live');
    const name = `observation/${await device.createObservation(completeValues(people.get('sw.clarke')!))}`;
    await device.goOnline();
    await device.waitUntilAllSent();
    await device.share(name.split('/')[1]!, people.get('iro.walsh')!);
    const iro = await openAs(tokens.get('iro.walsh')!, name);
    expect(iro.scope).toBe('read-write');
    expect(await device.command({ type: 'complete', record: name, stateVector: Buffer.from(Y.encodeStateVector(new Y.Doc())).toString('base64') })).toEqual({
      status: 'applied',
    });
    await waitFor('the IRO to see it complete', () => iro.doc.getMap('meta').get('status') === 'complete');
    await waitFor('the IRO’s read-write connection to close', () => connectionsOf('iro.walsh', name).length === 0);
    const again = await openAs(tokens.get('iro.walsh')!, name);
    expect(again.scope).toBe('readonly');
    again.doc.getText('otherComments').insert(0, 'too late');
    await new Promise((r) => setTimeout(r, 500));
    expect(await storedComments(name)).not.toContain('too late');
    iro.close();
    again.close();
    device.goOffline();
  });

  it('removing someone from a record closes their connection to it, and they cannot open it again', async () => {
    const device = await TestDevice.signIn(server.url, 'tm.hughes', 'hughes-remove');
    const id = await device.createObservation({ childId: 'RM1' });
    const name = `observation/${id}`;
    await device.goOnline();
    await device.waitUntilAllSent();
    await device.share(id, people.get('iro.walsh')!);
    const iro = await openAs(tokens.get('iro.walsh')!, name);
    expect(iro.opened).toBe(true);
    expect(await device.command({ type: 'remove-participant', record: name, userId: people.get('iro.walsh')!.id })).toEqual({ status: 'applied' });
    await waitFor('the IRO’s connection to close', () => connectionsOf('iro.walsh', name).length === 0);
    expect((await openAs(tokens.get('iro.walsh')!, name)).reason).toMatch(/^forbidden/);
    iro.close();
    device.goOffline();
  });
});

/**
 * Issue 15: who may raise, read, complete and sign off an action — on the completed North observation,
 * with actions owned by Yusuf Ahmed (the practitioner observed; his line: Grace Okafor, Priya Patel, Tom
 * Wright, Helen Morgan). Written out by hand from the rules in sync-server/actions.ts.
 */
type ActionOp = 'raise' | 'read' | 'complete' | 'signOff';
const can = (raise: boolean, read: boolean, complete: boolean, signOff: boolean): Record<ActionOp, boolean> => ({ raise, read, complete, signOff });
const ACTION_MATRIX: [Username, Record<ActionOp, boolean>][] = [
  ['tm.okafor', can(true, true, false, true)], // author, and the owner's manager
  ['sw.ahmed', can(false, true, true, false)], // the owner: does it, never signs off his own
  ['iro.walsh', can(true, true, false, false)], // co-writer: raises actions, does not manage the owner
  ['sw.evans', can(false, false, false, false)], // not in this record
  ['sw.brown', can(false, false, false, false)], // same team, not involved
  ['sw.clarke', can(false, false, false, false)],
  ['tm.hughes', can(false, false, false, false)],
  ['tm.begum', can(false, false, false, false)],
  ['hos.patel', can(true, true, false, true)], // up the line
  ['hos.lewis', can(false, false, false, false)],
  ['ad.wright', can(true, true, false, true)],
  ['dcs.morgan', can(true, true, false, true)],
  ['psw.khan', can(false, true, false, false)], // reads every record; not a raiser or signer
  ['qa.green', can(true, true, false, true)], // tracks every action to completion
  ['admin.jones', can(false, false, false, false)],
];

describe('the actions matrix', () => {
  it(`gives exactly the expected answer in all ${ACTION_MATRIX.length * 4} cells`, async () => {
    const as = (u: Username, command: Parameters<typeof sendCommandAs>[2]) => sendCommandAs(server.url, tokens.get(u)!, command);
    const ahmed = people.get('sw.ahmed')!;
    const record = records.northComplete;
    const due = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const action = () => ({ actionId: crypto.randomUUID(), what: 'Update the plan.', why: 'It had no dates.', finding: 'planning', ownerId: ahmed.id, dueDate: due });
    /** Raised by Grace Okafor (and, for sign-off, done by the owner). */
    const prepared = async (done: boolean) => {
      const a = action();
      expect(await as('tm.okafor', { type: 'raise-action', record, action: a })).toEqual({ status: 'applied' });
      if (done) expect(await as('sw.ahmed', { type: 'complete-action', record, actionId: a.actionId, doneNote: 'Updated.', evidence: 'Plan v2.' })).toEqual({ status: 'applied' });
      return a.actionId;
    };
    const shared = await prepared(false);
    const unexpected: string[] = [];
    for (const [username, expected] of ACTION_MATRIX) {
      const actual: Record<ActionOp, boolean> = {
        raise: (await as(username, { type: 'raise-action', record, action: action() })).status === 'applied',
        read: ((await (await fetch(`${server.url}/api/actions`, { headers: { Authorization: `Bearer ${tokens.get(username)!}` } })).json()) as { actions?: { id: string }[] }).actions?.some((a) => a.id === shared) ?? false,
        complete: (await as(username, { type: 'complete-action', record, actionId: await prepared(false), doneNote: 'Done.', evidence: 'Note.' })).status === 'applied',
        signOff: (await as(username, { type: 'sign-off-action', record, actionId: await prepared(true) })).status === 'applied',
      };
      for (const op of Object.keys(expected) as ActionOp[]) if (actual[op] !== expected[op]) unexpected.push(`${username} ${op}: ${actual[op] ? 'allowed' : 'refused'}`);
    }
    expect(unexpected).toEqual([]);
  }, 90_000);
});
