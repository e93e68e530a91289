/**
 * Issue 13, item 11: administrators manage people, not case records. Over HTTP (and the sync websocket)
 * against a real server: an administrator cannot give themselves or another administrator case access —
 * by role, by line management, or by being added to a record — and a role change that gives someone case
 * access is its own, prominent, audit action.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage } from '../../domain/audit';
import type { Person, Role } from '../../domain/directory';
import { startServer, type RunningServer } from '../../sync-server/server';
import { openAs, signInAs, TestDevice } from '../support/device';
import { makeDataDir } from '../support/serverProcess';

let server: RunningServer;
const tokens = new Map<string, string>();
const people = new Map<string, Person>();
let observation = '';
let review = '';

async function api(path: string, username: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { Authorization: `Bearer ${tokens.get(username)}`, ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const command = (username: string, body: Record<string, unknown>) => api('/api/commands', username, { body: { id: crypto.randomUUID(), ...body } });
const changeUser = (admin: string, target: string, change: Record<string, unknown>) => api(`/api/admin/users/${people.get(target)!.id}`, admin, { method: 'PATCH', body: change });
const readableBy = async (username: string) => ((await api('/api/records', username)).body.records as { name: string }[]).map((r) => r.name);
const auditEntries = async () => ((await api('/api/audit', 'admin.jones')).body as unknown as AuditPage).entries;

async function signIn(username: string) {
  const session = await signInAs(server.url, username);
  tokens.set(username, session.token);
  people.set(username, session.user);
}

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: makeDataDir(), staticDir: null, seedDemo: true, sessionDays: 1 });
  for (const username of ['admin.jones', 'tm.okafor', 'sw.ahmed', 'sw.brown', 'qa.green']) await signIn(username);
  // A second administrator, added the ordinary way.
  const added = await api('/api/admin/users', 'admin.jones', {
    body: { username: 'admin.two', displayName: 'Robin Two', role: 'admin', teamId: '', serviceId: '', managerId: '', password: 'fieldnotes-demo' },
  });
  expect(added.status).toBe(201);
  await signIn('admin.two');
  // Case records on the server: an observation and a review by Grace Okafor.
  const tablet = await TestDevice.signIn(server.url, 'tm.okafor', 'okafor-tablet');
  observation = `observation/${await tablet.createObservation({ childId: 'SEP1' })}`;
  review = `review/${await tablet.createReview({ childId: 'SEP2' })}`;
  await tablet.goOnline();
  await tablet.waitUntilAllSent();
  tablet.goOffline();
  expect(await readableBy('qa.green')).toEqual(expect.arrayContaining([observation, review]));
}, 60_000);

afterAll(() => server?.close());

describe('an administrator', () => {
  it('cannot change their own role to one that reads case records (or to any other)', async () => {
    const roles: Role[] = ['qa-officer', 'principal-social-worker', 'director', 'team-manager', 'practitioner', 'iro'];
    for (const role of roles) {
      const refused = await changeUser('admin.jones', 'admin.jones', { role });
      expect(refused.status, role).toBe(403);
      expect(refused.body.message).toBe('You cannot change your own role. Another administrator must do it.');
    }
    expect((await api('/api/me', 'admin.jones')).body.role).toBe('admin');
    expect(await readableBy('admin.jones')).toEqual([]);
    // The attempt is in the log.
    expect((await auditEntries()).some((e) => e.action === 'refused' && e.detail.includes('role change of admin.jones to qa-officer'))).toBe(true);
  });

  it('cannot give another administrator a role that reads case records', async () => {
    for (const role of ['qa-officer', 'principal-social-worker'] as const) {
      const refused = await changeUser('admin.jones', 'admin.two', { role });
      expect(refused.status, role).toBe(403);
      expect(refused.body.message).toMatch(/^Administrators manage people, not case records/);
      // Two administrators cannot do it for each other either.
      expect((await changeUser('admin.two', 'admin.jones', { role })).status, role).toBe(403);
    }
    expect(await readableBy('admin.two')).toEqual([]);
    expect(await readableBy('admin.jones')).toEqual([]);
  });

  it('cannot become a line manager, which would let them read a team’s records', async () => {
    const refused = await changeUser('admin.jones', 'tm.okafor', { managerId: people.get('admin.jones')!.id });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe('An administrator cannot be a line manager: line managers read their teams’ records.');
    expect(await readableBy('admin.jones')).toEqual([]);
  });
});

describe('an author', () => {
  it('cannot add an administrator to a record, as a reader, contributor or the person it is about', async () => {
    const admin = people.get('admin.jones')!.id;
    for (const role of ['reader', 'contributor'] as const) {
      const outcome = await command('tm.okafor', { type: 'add-participant', record: observation, userId: admin, role });
      expect(outcome.body, role).toEqual({ status: 'rejected', message: 'Administrators manage people, not case records: they cannot be added to a record.' });
    }
    expect((await command('tm.okafor', { type: 'set-subject', record: observation, userId: admin })).body).toMatchObject({ status: 'rejected' });
    expect((await command('tm.okafor', { type: 'add-participant', record: review, userId: admin, role: 'contributor' })).body).toMatchObject({ status: 'rejected' });
    expect(await readableBy('admin.jones')).toEqual([]);
    const opened = await openAs(server.url, tokens.get('admin.jones')!, observation);
    opened.close();
    expect(opened.opened).toBe(false);
  });

  it('and were an administrator in a record anyway (data from before this rule), they still could not read it', async () => {
    server.db
      .prepare('INSERT INTO record_participants (doc, user_id, role, added_by, added_at) VALUES (?, ?, ?, ?, ?)')
      .run(observation, people.get('admin.two')!.id, 'reader', people.get('tm.okafor')!.id, new Date().toISOString());
    expect(await readableBy('admin.two')).toEqual([]);
    const opened = await openAs(server.url, tokens.get('admin.two')!, observation);
    opened.close();
    expect(opened).toMatchObject({ opened: false });
  });
});

describe('the audit log', () => {
  it('records a role change that gives case access as its own action, and an ordinary one as before', async () => {
    expect((await changeUser('admin.jones', 'sw.brown', { role: 'qa-officer' })).status).toBe(200);
    expect((await changeUser('admin.jones', 'sw.ahmed', { role: 'team-manager' })).status).toBe(200);
    const added = await api('/api/admin/users', 'admin.jones', {
      body: { username: 'psw.new', displayName: 'Pat New', role: 'principal-social-worker', teamId: '', serviceId: '', managerId: '', password: 'fieldnotes-demo' },
    });
    expect(added.status).toBe(201);
    const granted = (await auditEntries()).filter((e) => e.action === 'case-access');
    expect(granted.map((e) => [e.userName, e.detail])).toEqual([
      ['Alex Jones', 'Pat New (psw.new): new account as Principal social worker (reads every case record)'],
      ['Alex Jones', `${people.get('sw.brown')!.displayName} (sw.brown): Practitioner → QA officer (reads every case record)`],
    ]);
  });
});
