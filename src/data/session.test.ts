import { describe, expect, it } from 'vitest';
import { clearSession, currentAccessToken, freshAccessToken, loadSession, saveSession, SignInNeeded } from './session';

const user = { id: 'u1', username: 'tm.okafor', displayName: 'Grace Okafor', role: 'team-manager' as const, teamId: 't1', serviceId: 's1', managerId: '' };
const session = { token: 'abc', expiresAt: '2099-01-01T00:00:00.000Z', refreshExpiresAt: '2099-01-01T00:00:00.000Z', user };

describe('the session kept on the device', () => {
  it('keeps who is signed in across a reload, and the access token in memory only', () => {
    saveSession(session);
    expect(loadSession()).toEqual({ user, refreshExpiresAt: session.refreshExpiresAt, signedInAt: undefined });
    expect(currentAccessToken()).toBe('abc');
    // Nothing a script reading localStorage could use to act as the person.
    expect(localStorage.getItem('fieldnotes.session')).not.toContain('abc');
    clearSession();
    expect(loadSession()).toBeNull();
    expect(currentAccessToken()).toBeNull();
  });

  it('drops tokens stored by earlier versions, keeping who is signed in', () => {
    localStorage.setItem('fieldnotes.session', JSON.stringify({ ...session, refreshToken: 'long-lived', signedInAt: '2026-11-01T09:00:00.000Z' }));
    expect(loadSession()).toEqual({ user, refreshExpiresAt: session.refreshExpiresAt, signedInAt: '2026-11-01T09:00:00.000Z' });
    expect(localStorage.getItem('fieldnotes.session')).not.toMatch(/long-lived|abc/);
    clearSession();
  });

  it('ignores anything stored that is not a session', () => {
    localStorage.setItem('fieldnotes.session', '{not json');
    expect(loadSession()).toBeNull();
    localStorage.setItem('fieldnotes.session', JSON.stringify({ token: 1 }));
    expect(loadSession()).toBeNull();
  });
});

describe('renewing the sign-in', () => {
  const soon = () => new Date(Date.now() + 10_000).toISOString();
  const later = () => new Date(Date.now() + 15 * 60_000).toISOString();
  const renewed = (n: number) => ({ ...session, token: `access-${n}`, expiresAt: later() });

  it('uses the token in memory while it has more than a minute left, and renews it (once, for every caller) when it has not', async () => {
    saveSession({ ...session, expiresAt: later() });
    let calls = 0;
    const refresh = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 20));
      return renewed(calls);
    };
    expect(await freshAccessToken(refresh)).toBe('abc');
    expect(calls).toBe(0);
    saveSession({ ...session, expiresAt: soon(), signedInAt: '2026-11-01T09:00:00.000Z' });
    const [a, b] = await Promise.all([freshAccessToken(refresh), freshAccessToken(refresh)]);
    expect(calls).toBe(1);
    expect([a, b]).toEqual(['access-1', 'access-1']);
    expect(currentAccessToken()).toBe('access-1');
    // Who signed in, and when, is kept; the new token is not stored.
    expect(loadSession()).toMatchObject({ user, signedInAt: '2026-11-01T09:00:00.000Z' });
    expect(localStorage.getItem('fieldnotes.session')).not.toContain('access-1');
  });

  it('after a reload (no token in memory) the device is still signed in, and renews through the cookie once it can', async () => {
    clearSession();
    saveSession({ user, refreshExpiresAt: later() });
    expect(currentAccessToken()).toBeNull();
    // Offline: the network error comes through, and the person stays signed in on the device.
    await expect(freshAccessToken(async () => Promise.reject(new TypeError('Failed to fetch')))).rejects.toThrow('Failed to fetch');
    expect(loadSession()?.user.id).toBe('u1');
    expect(await freshAccessToken(async () => renewed(7))).toBe('access-7');
  });

  it('when the server refuses to renew it, says so and keeps the session (and with it, the person’s local work)', async () => {
    saveSession({ ...session, expiresAt: soon() });
    await expect(freshAccessToken(async () => Promise.reject(new SignInNeeded()))).rejects.toBeInstanceOf(SignInNeeded);
    expect(loadSession()?.user.id).toBe('u1');
    clearSession();
    await expect(freshAccessToken(async () => renewed(9))).rejects.toBeInstanceOf(SignInNeeded);
  });
});
