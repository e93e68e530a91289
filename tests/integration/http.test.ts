/** The server's HTTP API against a real server on port 0 with its own SQLite database. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../sync-server/demo';
import { startServer, type RunningServer } from '../../sync-server/server';

let server: RunningServer;
let dataDir: string;
let staticDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-http-'));
  staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-static-'));
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Fieldnotes</title>');
  fs.writeFileSync(path.join(staticDir, 'sw.js'), 'self.x = 1;');
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir, staticDir, seedDemo: true, sessionDays: 30 });
});
afterAll(() => server.close());

const post = (url: string, body: unknown, token?: string) =>
  fetch(`${server.url}${url}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const get = (url: string, token?: string) => fetch(`${server.url}${url}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

async function signIn(username = 'tm.okafor', password = DEMO_PASSWORD) {
  const response = await post('/api/sign-in', { username, password });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { token: string } };
}

describe('demo organisation', () => {
  it('is seeded on first start: two services, three teams, every role, and the line management between them', async () => {
    const { body } = await signIn();
    const directory = (await (await get('/api/directory', body.token)).json()) as {
      services: unknown[];
      teams: unknown[];
      people: { role: string; username: string }[];
    };
    expect(directory.services).toHaveLength(2);
    expect(directory.teams).toHaveLength(3);
    const roles = directory.people.map((p) => p.role);
    expect(roles.filter((r) => r === 'head-of-service')).toHaveLength(2);
    expect(roles.filter((r) => r === 'team-manager')).toHaveLength(3);
    expect(roles.filter((r) => r === 'practitioner').length).toBeGreaterThanOrEqual(3);
    expect(new Set(roles)).toEqual(new Set(['director', 'assistant-director', 'head-of-service', 'team-manager', 'practitioner', 'principal-social-worker', 'qa-officer', 'iro', 'admin']));
    // The line from a practitioner to the director: practitioner → team manager → head of service → AD → DCS.
    const people = directory.people as unknown as { id: string; username: string; managerId: string }[];
    const byUsername = (u: string) => people.find((p) => p.username === u)!;
    const line: string[] = [];
    for (let p = byUsername('sw.ahmed'); p.managerId; p = people.find((q) => q.id === p.managerId)!) line.push(people.find((q) => q.id === p.managerId)!.username);
    expect(line).toEqual(['tm.okafor', 'hos.patel', 'ad.wright', 'dcs.morgan']);
    // Nothing secret leaves the server.
    expect(JSON.stringify(directory)).not.toMatch(/scrypt|password/i);
  });

  it('is not seeded again on a restart with the same data directory', async () => {
    const again = await startServer({ port: 0, host: '127.0.0.1', dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-seed-')), staticDir: null, seedDemo: true, sessionDays: 1 });
    expect(again.seededAccounts.length).toBeGreaterThan(0);
    const dir = (again.db.name as string).replace(/fieldnotes\.sqlite$/, '');
    await again.close();
    const restarted = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, staticDir: null, seedDemo: true, sessionDays: 1 });
    expect(restarted.seededAccounts).toEqual([]);
    expect(restarted.organisation.directory().people).toHaveLength(17);
    await restarted.close();
  });
});

describe('sign-in', () => {
  it('gives a token for the right password, and the password is stored hashed with scrypt', async () => {
    const { status, body } = await signIn('TM.Okafor');
    expect(status).toBe(200);
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(body.user).toMatchObject({ username: 'tm.okafor', displayName: 'Grace Okafor', role: 'team-manager' });
    const row = server.db.prepare('SELECT password_hash FROM users WHERE username = ?').get('tm.okafor') as { password_hash: string };
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(row.password_hash).not.toContain(DEMO_PASSWORD);
  });

  it('refuses a wrong password or unknown user with the same message', async () => {
    const wrong = await signIn('tm.okafor', 'nope-nope');
    const unknown = await signIn('nobody', 'nope-nope');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual({ error: 'wrong-credentials', message: 'The username or password is not right.' });
    expect(unknown.body).toEqual(wrong.body);
  });

  it('answers bad input with a clear error, never a crash', async () => {
    for (const body of ['{not json', JSON.stringify({ username: '' }), JSON.stringify({ username: 'a', password: 'x'.repeat(500) })]) {
      const response = await post('/api/sign-in', body);
      expect(response.status).toBe(400);
      const payload = (await response.json()) as { error: string; message: string };
      expect(payload.error).toBe('bad-request');
      expect(payload.message.length).toBeGreaterThan(0);
    }
    expect((await get('/api/health')).status).toBe(200);
  });
});

describe('API calls carry the token', () => {
  it('refuses the directory without a token, with a forged token, and after sign-out', async () => {
    expect((await get('/api/directory')).status).toBe(401);
    const forged = await get('/api/directory', 'forged-token-forged-token-forged-token-00');
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: 'unknown' });

    const { body } = await signIn();
    expect((await get('/api/me', body.token)).status).toBe(200);
    expect((await post('/api/sign-out', {}, body.token)).status).toBe(200);
    const after = await get('/api/me', body.token);
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ error: 'revoked' });
  });

  it('refuses an expired token', async () => {
    const { body } = await signIn();
    server.db.prepare("UPDATE session_tokens SET expires_at = '2000-01-01T00:00:00.000Z' WHERE kind = 'access'").run();
    const response = await get('/api/me', body.token);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'expired', message: 'Your sign-in has expired. Please sign in again.' });
  });
});

describe('serving the app', () => {
  it('answers deep links with the app shell and unknown API paths with a JSON 404', async () => {
    const deep = await get('/observations/3f2c1b7e-1d2a-4c3b-9a8e-0f1e2d3c4b5a');
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<title>Fieldnotes</title>');
    const api = await get('/api/nothing-here');
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: 'not-found' });
  });

  it('never lets a browser cache the service worker or the shell', async () => {
    expect((await get('/sw.js')).headers.get('cache-control')).toBe('no-cache');
    expect((await get('/')).headers.get('cache-control')).toBe('no-cache');
  });
});
