/**
 * Issue 13, item 3: the sign-in throttle holds against guesses sent all at once. Against a real server with
 * the default limits (5 failures per account, 50 per address, 15 minutes), over plain HTTP.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../sync-server/demo';
import { startServer, type RunningServer } from '../../sync-server/server';
import { defaultThrottleLimits } from '../../sync-server/signInThrottle';
import { makeDataDir } from '../support/serverProcess';

let server: RunningServer;
beforeEach(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: makeDataDir(), staticDir: null, seedDemo: true, sessionDays: 1 });
});
afterEach(() => server.close());

const post = (path: string, body: unknown, token?: string) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {});

/**
 * 99 wrong guesses at once, then — as soon as the server has answered any of them, while most are still
 * being checked — the right password.
 */
async function burst(send: (password: string) => Promise<Response>) {
  const wrong = Array.from({ length: 99 }, (_, i) => send(`guess-${i}`));
  await Promise.race(wrong);
  const right = send(DEMO_PASSWORD);
  const statuses = (await Promise.all(wrong)).map((r) => r.status);
  return { wrong: tally(statuses), right: (await right).status };
}

describe('100 concurrent guesses at one account', () => {
  it('at sign-in: only 5 are checked, and the right password among them does not sign in', async () => {
    expect(defaultThrottleLimits.perAccount).toBe(5);
    const { wrong, right } = await burst((password) => post('/api/sign-in', { username: 'tm.okafor', password }));
    // 401: the password was checked and was wrong. 429: refused without being checked.
    expect(wrong).toEqual({ 401: 5, 429: 94 });
    expect(right).toBe(429);
    // And it stays refused afterwards, right password or not.
    expect((await post('/api/sign-in', { username: 'tm.okafor', password: DEMO_PASSWORD })).status).toBe(429);
    // Someone else is not locked out by it.
    expect((await post('/api/sign-in', { username: 'sw.ahmed', password: DEMO_PASSWORD })).status).toBe(200);
  });

  it('at /api/confirm-password (unlocking family mode): only 5 are checked, and the right password is refused', async () => {
    const { token } = (await (await post('/api/sign-in', { username: 'tm.okafor', password: DEMO_PASSWORD })).json()) as { token: string };
    const { wrong, right } = await burst((password) => post('/api/confirm-password', { password }, token));
    expect(wrong).toEqual({ 401: 5, 429: 94 });
    expect(right).toBe(429);
  });

  it('a right password still signs in, many times over, from one address: successes are not counted', async () => {
    // More successful sign-ins than the per-address limit, five people at a time. (Attempts being checked
    // do count, so one account has at most 5, and one address at most 50, in flight at once.)
    const people = ['sw.ahmed', 'sw.brown', 'sw.clarke', 'sw.evans', 'pa.davies'];
    const statuses: number[] = [];
    for (let round = 0; round < 11; round++)
      statuses.push(...(await Promise.all(people.map((username) => post('/api/sign-in', { username, password: DEMO_PASSWORD }).then((r) => r.status)))));
    expect(tally(statuses)).toEqual({ 200: 55 });
  });
});
