import { describe, expect, it } from 'vitest';
import { clearSession, freshSession, loadSession, saveSession, SignInNeeded } from './session';

const session = {
  token: 'abc',
  expiresAt: '2099-01-01T00:00:00.000Z',
  refreshToken: 'def',
  refreshExpiresAt: '2099-01-01T00:00:00.000Z',
  user: { id: 'u1', username: 'tm.okafor', displayName: 'Grace Okafor', role: 'team-manager' as const, teamId: 't1', serviceId: 's1', managerId: '' },
};

describe('the session kept on the device', () => {
  it('survives a reload and can be cleared', () => {
    saveSession(session);
    expect(loadSession()).toEqual(session);
    clearSession();
    expect(loadSession()).toBeNull();
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
  const renewed = (n: number) => ({ ...session, token: `access-${n}`, refreshToken: `refresh-${n}`, expiresAt: later() });

  it('uses the stored token while it has more than a minute left, and renews it (once, for every caller) when it has not', async () => {
    saveSession({ ...session, expiresAt: later() });
    let calls = 0;
    const refresh = async (token: string) => {
      expect(token).toBe('def');
      calls++;
      await new Promise((r) => setTimeout(r, 20));
      return renewed(calls);
    };
    expect((await freshSession(refresh)).token).toBe('abc');
    expect(calls).toBe(0);
    saveSession({ ...session, expiresAt: soon(), signedInAt: '2026-11-01T09:00:00.000Z' });
    const [a, b] = await Promise.all([freshSession(refresh), freshSession(refresh)]);
    expect(calls).toBe(1);
    expect(a.token).toBe('access-1');
    expect(b.token).toBe('access-1');
    // Stored for the next call and for other tabs, keeping when the person signed in.
    expect(loadSession()).toMatchObject({ token: 'access-1', refreshToken: 'refresh-1', signedInAt: '2026-11-01T09:00:00.000Z' });
  });

  it('when the server refuses to renew it, says so and keeps the session (and with it, the person’s local work)', async () => {
    saveSession({ ...session, expiresAt: soon() });
    await expect(freshSession(async () => Promise.reject(new SignInNeeded()))).rejects.toBeInstanceOf(SignInNeeded);
    expect(loadSession()?.user.id).toBe('u1');
    clearSession();
    await expect(freshSession(async () => renewed(9))).rejects.toBeInstanceOf(SignInNeeded);
  });
});
