/**
 * Issue 4 against a real server: short-lived access tokens with rotating refresh tokens, administration
 * (and the first-admin CLI), deactivation cutting live connections, and the audit log.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCli } from '../../sync-server/adminCli';
import { startServer, type RunningServer } from '../../sync-server/server';
import { DEMO_PASSWORD, signInAs, TestDevice, waitFor } from '../support/device';
import { REFRESH_COOKIE, REFRESH_PATH } from '../../domain/auth';
import { CookieJar } from '../support/cookieJar';
import { makeDataDir } from '../support/serverProcess';

let server: RunningServer;
let dataDir: string;

/** (Re)starts the server on the same data with access tokens of the given length. */
async function startWithTokensOf(accessTokenMinutes: number) {
  await server?.close();
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir, staticDir: null, seedDemo: true, sessionDays: 1, accessTokenMinutes });
}

beforeAll(async () => {
  dataDir = makeDataDir();
  // Access tokens of 1.5 seconds, so that expiry and renewal can be seen in the token tests.
  await startWithTokensOf(0.025);
});
afterAll(() => server.close());

const api = async (path: string, init: { token?: string; method?: string; body?: unknown } = {}) => {
  const response = await fetch(`${server.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

/** The refresh token a sign-in left in its device's cookie jar. */
const refreshCookieOf = (session: { cookies: CookieJar }) => session.cookies.get(REFRESH_COOKIE)!.value;

/** Renews with a refresh cookie, as a browser sends it; returns the new cookie the server set, if any. */
async function refresh(cookie: string | null) {
  const jar = new CookieJar();
  const response = await fetch(`${server.url}${REFRESH_PATH}`, { method: 'POST', headers: cookie ? { Cookie: `${REFRESH_COOKIE}=${cookie}` } : {} });
  jar.store(response);
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, cookie: jar.get(REFRESH_COOKIE)?.value ?? null };
}

describe('tokens', () => {
  it('expire quickly and are renewed with a refresh token that works once; a second use signs that sign-in out', async () => {
    const first = await signInAs(server.url, 'sw.ahmed');
    expect((await api('/api/me', { token: first.token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await api('/api/me', { token: first.token })).body).toMatchObject({ error: 'expired' });

    const firstRefresh = refreshCookieOf(first);
    const renewed = await refresh(firstRefresh);
    expect(renewed.status).toBe(200);
    const second = renewed.body as { token: string; user: { username: string } };
    expect(second.user.username).toBe('sw.ahmed');
    expect(renewed.cookie).toBeTruthy();
    expect(renewed.cookie).not.toBe(firstRefresh);
    expect((await api('/api/me', { token: second.token })).status).toBe(200);

    // The old refresh token again: someone has a copy. The whole sign-in ends, new tokens included.
    expect((await refresh(firstRefresh)).body).toMatchObject({ error: 'reused' });
    expect((await api('/api/me', { token: second.token })).body).toMatchObject({ error: 'revoked' });
    expect((await refresh(renewed.cookie!)).body).toMatchObject({ error: 'revoked' });
    // Another sign-in of the same person is untouched.
    const other = await signInAs(server.url, 'sw.ahmed');
    expect((await api('/api/me', { token: other.token })).status).toBe(200);
  });

  it('a device whose access token ran out renews it with its refresh token and carries on syncing', async () => {
    const tablet = await TestDevice.signIn(server.url, 'tm.okafor', 'renewing-tablet');
    const first = await tablet.createObservation({ childId: 'RENEW1' });
    await tablet.goOnline();
    await tablet.waitUntilAllSent();
    tablet.goOffline();
    await new Promise((r) => setTimeout(r, 1600)); // the access token has expired
    const second = await tablet.createObservation({ childId: 'RENEW2' });
    await tablet.goOnline();
    await tablet.waitUntilAllSent();
    expect(tablet.renewals).toBeGreaterThanOrEqual(1);
    expect(tablet.manager!.getStatus().connection).toBe('online');
    expect(await server.store.load(`observation/${second}`)).not.toBeNull();
    expect(first).not.toBe(second);
    tablet.goOffline();
  });

  it('sign-out ends the access and refresh tokens of that sign-in; forged refresh tokens are refused', async () => {
    const session = await signInAs(server.url, 'sw.brown');
    expect((await api('/api/sign-out', { token: session.token, body: {} })).status).toBe(200);
    expect((await refresh(refreshCookieOf(session))).body).toMatchObject({ error: 'revoked' });
    expect((await refresh('forged')).body).toMatchObject({ error: 'unknown' });
    expect((await refresh(null)).body).toMatchObject({ error: 'missing' });
    // An access token is not a refresh token, nor the other way round.
    const again = await signInAs(server.url, 'sw.brown');
    expect((await refresh(again.token)).body).toMatchObject({ error: 'unknown' });
    expect((await api('/api/me', { token: refreshCookieOf(again) })).body).toMatchObject({ error: 'unknown' });
  });
});

describe('administration', () => {
  // Tokens of the usual length from here on: a loaded machine must not see them run out mid-test.
  beforeAll(() => startWithTokensOf(15));
  it('is for administrators only', async () => {
    const manager = await signInAs(server.url, 'tm.okafor');
    expect((await api('/api/admin/users', { token: manager.token })).status).toBe(403);
    expect((await api('/api/admin/users', { token: manager.token, body: {} })).status).toBe(403);
    expect((await api('/api/admin/users')).status).toBe(401);
  });

  it('adds people, moves them between teams, resets passwords', async () => {
    const admin = await signInAs(server.url, 'admin.jones');
    const directory = (await api('/api/directory', { token: admin.token })).body as { teams: { id: string; name: string; managerId: string }[] };
    const north = directory.teams.find((t) => t.name === 'Safeguarding Team North')!;
    const care = directory.teams.find((t) => t.name === 'Children in Care Team')!;

    const bad = await api('/api/admin/users', { token: admin.token, body: { username: 'x', displayName: '', role: 'practitioner', teamId: '', serviceId: '', managerId: '', password: 'short' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/at least 3 characters/);

    const added = await api('/api/admin/users', {
      token: admin.token,
      body: { username: 'sw.new', displayName: 'Noor Ali', role: 'practitioner', teamId: north.id, serviceId: '', managerId: '', password: 'a-new-password' },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ username: 'sw.new', teamId: north.id, managerId: north.managerId, active: true });
    const taken = await api('/api/admin/users', {
      token: admin.token,
      body: { username: 'SW.NEW', displayName: 'Someone', role: 'practitioner', teamId: '', serviceId: '', managerId: '', password: 'a-new-password' },
    });
    expect(taken.body.message).toBe('The username "sw.new" is taken.');

    const signIn = async (username: string, password: string) => (await api('/api/sign-in', { body: { username, password } })).body as { token: string; user: { id: string } };
    const newcomer = await signIn('sw.new', 'a-new-password');
    const moved = await api(`/api/admin/users/${newcomer.user.id}`, { token: admin.token, method: 'PATCH', body: { teamId: care.id } });
    expect(moved.body).toMatchObject({ teamId: care.id, managerId: care.managerId });

    const reset = await api(`/api/admin/users/${newcomer.user.id}/password`, { token: admin.token, body: { password: 'another-password' } });
    expect(reset.status).toBe(200);
    expect((await api('/api/me', { token: newcomer.token })).body).toMatchObject({ error: 'revoked' });
    expect((await api('/api/sign-in', { body: { username: 'sw.new', password: 'a-new-password' } })).status).toBe(401);
    expect((await api('/api/sign-in', { body: { username: 'sw.new', password: 'another-password' } })).status).toBe(200);
    expect((await api(`/api/admin/users/${admin.user.id}`, { token: admin.token, method: 'PATCH', body: { active: false } })).body.message).toBe(
      'You cannot deactivate your own account.',
    );
  });

  it('line management decides which managers read a team’s records, and a change takes effect at once', async () => {
    const asAdmin = async () => (await signInAs(server.url, 'admin.jones')).token;
    const tablet = await TestDevice.signIn(server.url, 'tm.okafor', 'line-tablet');
    const id = await tablet.createObservation({ childId: 'LINE1' });
    await tablet.goOnline();
    await tablet.waitUntilAllSent();
    tablet.goOffline();
    const name = `observation/${id}`;
    const lists = async (username: string) => {
      const { token } = await signInAs(server.url, username);
      return ((await api('/api/records', { token })).body.records as { name: string }[]).some((r) => r.name === name);
    };
    expect([await lists('hos.patel'), await lists('hos.lewis')]).toEqual([true, false]);
    const lewis = server.organisation.findUserByUsername('hos.lewis')!;
    const okafor = server.organisation.findUserByUsername('tm.okafor')!;
    const patel = server.organisation.findUserByUsername('hos.patel')!;
    // Grace Okafor now reports to Gareth Lewis: her team's records go up his line instead.
    await api(`/api/admin/users/${okafor.id}`, { token: await asAdmin(), method: 'PATCH', body: { managerId: lewis.id } });
    expect([await lists('hos.patel'), await lists('hos.lewis'), await lists('ad.wright')]).toEqual([false, true, true]);
    // A line that would loop is refused.
    const loop = await api(`/api/admin/users/${lewis.id}`, { token: await asAdmin(), method: 'PATCH', body: { managerId: okafor.id } });
    expect(loop.body.message).toBe('Someone cannot be managed by a person they manage.');
    await api(`/api/admin/users/${okafor.id}`, { token: await asAdmin(), method: 'PATCH', body: { managerId: patel.id } });
  });

  it('deactivating someone cuts their open connection at once; their device keeps its unsent work and stops syncing', async () => {
    const admin = await signInAs(server.url, 'admin.jones');
    const leaver = await TestDevice.signIn(server.url, 'tm.begum', 'leaver-tablet');
    const id = await leaver.createObservation({ childId: 'LEAVE1' });
    await leaver.goOnline();
    await leaver.waitUntilAllSent();
    const release = leaver.manager!.keepLive('observation', id);
    const connections = () =>
      [...server.collaboration.hocuspocus.documents.values()].flatMap((d) => [...d.getConnections()]).filter((c) => (c.context as { user: { id: string } }).user.id === leaver.user.id);
    await waitFor('the leaver’s live connections', () => connections().length >= 2);

    const deactivated = await api(`/api/admin/users/${leaver.user.id}`, { token: admin.token, method: 'PATCH', body: { active: false } });
    expect(deactivated.body).toMatchObject({ active: false });
    await waitFor('their connections to be cut', () => connections().length === 0, 5000);
    await waitFor('their device to stop syncing', () => leaver.manager!.getStatus().connection === 'signed-out', 10_000);
    await leaver.edit(id, { strengths: 'Written after leaving.' });
    expect(await leaver.unsentCount()).toBe(1);
    expect((await leaver.read(id)).values.strengths).toBe('Written after leaving.');
    expect((await api('/api/sign-in', { body: { username: 'tm.begum', password: DEMO_PASSWORD } })).status).toBe(401);
    release();
    leaver.goOffline();
    await api(`/api/admin/users/${leaver.user.id}`, { token: admin.token, method: 'PATCH', body: { active: true } });
  });

  it('the first administrator comes from the command line, through the same functions', async () => {
    const cliDir = makeDataDir();
    process.env.FIELDNOTES_PASSWORD = 'first-admin-password';
    try {
      expect(await runAdminCli(['add-admin', '--username', 'ana.lee', '--name', 'Ana Lee'], cliDir)).toBe('Added Ana Lee (ana.lee) as an administrator.');
      await expect(runAdminCli(['add-admin', '--username', 'ana.lee', '--name', 'Ana Lee'], cliDir)).rejects.toThrow('The username "ana.lee" is taken.');
      await expect(runAdminCli(['deactivate', '--username', 'nobody'], cliDir)).rejects.toThrow('There is nobody with the username "nobody".');
    } finally {
      delete process.env.FIELDNOTES_PASSWORD;
    }
    // A server on that database has no demo organisation, and the new administrator can sign in.
    const fresh = await startServer({ port: 0, host: '127.0.0.1', dataDir: cliDir, staticDir: null, seedDemo: true, sessionDays: 1 });
    try {
      expect(fresh.seededAccounts).toEqual([]);
      const response = await fetch(`${fresh.url}/api/sign-in`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'ana.lee', password: 'first-admin-password' }) });
      expect(((await response.json()) as { user: { role: string } }).user.role).toBe('admin');
    } finally {
      await fresh.close();
    }
  });
});

describe('the audit log', () => {
  it('records who opened and changed which record from which device, and who was refused; only QA and admins read it', async () => {
    const tablet = await TestDevice.signIn(server.url, 'tm.hughes', 'audited-tablet');
    const id = await tablet.createObservation({ childId: 'AUD1' });
    await tablet.goOnline();
    await tablet.waitUntilAllSent();
    tablet.goOffline();
    const name = `observation/${id}`;
    // Someone without access tries to open it.
    const outsider = await signInAs(server.url, 'sw.fraser');
    const { HocuspocusProvider, HocuspocusProviderWebsocket } = await import('@hocuspocus/provider');
    const { NodeWebSocket } = await import('../support/device');
    const socket = new HocuspocusProviderWebsocket({ url: `${server.url.replace('http', 'ws')}/sync`, WebSocketPolyfill: NodeWebSocket });
    await new Promise<void>((resolve) => {
      new HocuspocusProvider({ websocketProvider: socket, name, token: outsider.token, document: new Y.Doc(), onAuthenticationFailed: () => resolve() }).attach();
    });
    socket.destroy();

    const qa = await signInAs(server.url, 'qa.green');
    const page = (await api(`/api/audit?record=${encodeURIComponent(name)}`, { token: qa.token })).body as {
      entries: { action: string; userName: string; deviceId: string; detail: string }[];
    };
    const actions = page.entries.map((e) => `${e.action} by ${e.userName}`);
    expect(actions).toEqual(expect.arrayContaining(['open by Owen Hughes', 'change by Owen Hughes', 'refused by Isla Fraser']));
    const deviceId = page.entries.find((e) => e.action === 'change')!.deviceId;
    expect(deviceId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await api(`/api/audit`, { token: outsider.token })).status).toBe(403);
    const admin = await signInAs(server.url, 'admin.jones');
    expect((await api(`/api/audit?record=${encodeURIComponent(name)}`, { token: admin.token })).status).toBe(200);
  });
});
