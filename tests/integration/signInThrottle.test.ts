/** Password guessing is throttled per account and per address, against a real server. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../sync-server/demo';
import { startServer, type RunningServer } from '../../sync-server/server';
import { makeDataDir } from '../support/serverProcess';

let server: RunningServer;
beforeEach(async () => {
  server = await startServer(
    { port: 0, host: '127.0.0.1', dataDir: makeDataDir(), staticDir: null, seedDemo: true, sessionDays: 1 },
    { signInLimits: { perAccount: 5, perAddress: 12, windowMs: 15 * 60 * 1000 } },
  );
});
afterEach(() => server.close());

const attempt = (username: string, password: string) =>
  fetch(`${server.url}/api/sign-in`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });

it('after five wrong passwords an account is refused for a while, even with the right one', async () => {
  for (let i = 0; i < 5; i++) expect((await attempt('tm.okafor', `guess-${i}`)).status).toBe(401);
  const refused = await attempt('tm.okafor', DEMO_PASSWORD);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await refused.json()).toEqual({ error: 'too-many-attempts', message: 'Too many sign-in attempts. Try again in 15 minutes.' });
  // Other people can still sign in.
  expect((await attempt('sw.ahmed', DEMO_PASSWORD)).status).toBe(200);
});

it('many failures from one address across accounts refuse that address', async () => {
  const names = ['tm.hughes', 'tm.begum', 'sw.brown', 'sw.clarke'];
  for (let i = 0; i < 12; i++) expect((await attempt(names[i % names.length]!, `guess-${i}`)).status).toBe(401);
  expect((await attempt('qa.green', DEMO_PASSWORD)).status).toBe(429);
});

it('confirming a password (to unlock family mode) needs the signed-in person’s own password, and shares the throttle', async () => {
  const signIn = (await (await attempt('tm.okafor', DEMO_PASSWORD)).json()) as { token: string };
  const confirm = (password: string, token = signIn.token) =>
    fetch(`${server.url}/api/confirm-password`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ password }),
    });
  expect((await confirm(DEMO_PASSWORD)).status).toBe(200);
  expect((await confirm(DEMO_PASSWORD, 'forged')).status).toBe(401);
  const wrong = await confirm('not-it');
  expect(wrong.status).toBe(401);
  expect(await wrong.json()).toEqual({ error: 'wrong-credentials', message: 'That password is not right.' });
  for (let i = 0; i < 4; i++) await confirm(`guess-${i}`);
  // Five wrong guesses: the right password is refused for a while, here and at sign-in.
  const refused = await confirm(DEMO_PASSWORD);
  expect(refused.status).toBe(429);
  expect(((await refused.json()) as { message: string }).message).toBe('Too many password attempts. Try again in 15 minutes.');
  expect((await attempt('tm.okafor', DEMO_PASSWORD)).status).toBe(429);
});
