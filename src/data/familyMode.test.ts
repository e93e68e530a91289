import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  FAMILY_IDLE_MS,
  isIdle,
  leaveFamilyModeWithPassword,
  leaveFamilyModeWithPin,
  lockFamilyMode,
  noteFamilyActivity,
  PIN_ATTEMPTS,
  pinUsable,
  readFamilyMode,
  startFamilyMode,
} from './familyMode';
import { saveSession } from './session';

afterEach(() => {
  localStorage.clear();
  vi.unstubAllGlobals();
});

describe('family mode on the device', () => {
  it('is kept where a reload finds it, with the PIN only as a salted hash', async () => {
    await startFamilyMode('m1', 'rec-1', '4821');
    const raw = localStorage.getItem('fieldnotes.familyMode')!;
    expect(raw).not.toContain('4821');
    expect(readFamilyMode()).toMatchObject({ userId: 'm1', recordId: 'rec-1', locked: false, failedPinAttempts: 0 });
    // Two starts with the same PIN store different hashes (a fresh salt each time).
    await startFamilyMode('m1', 'rec-1', '4821');
    expect(JSON.parse(localStorage.getItem('fieldnotes.familyMode')!).pin.hash).not.toBe(JSON.parse(raw).pin.hash);
  });

  it('refuses a PIN that is not 4 to 8 numbers', async () => {
    await expect(startFamilyMode('m1', 'rec-1', '12')).rejects.toThrow('A PIN is 4 to 8 numbers.');
    await expect(startFamilyMode('m1', 'rec-1', 'abcd')).rejects.toThrow();
    expect(readFamilyMode()).toBeNull();
  });

  it('the right PIN ends it; wrong PINs are counted across reloads and run out, leaving only the password', async () => {
    await startFamilyMode('m1', 'rec-1', '4821');
    expect(await leaveFamilyModeWithPin('1111')).toEqual({ unlocked: false, problem: `That PIN is not right. ${PIN_ATTEMPTS - 1} more tries before only your password will unlock it.` });
    expect(readFamilyMode()?.failedPinAttempts).toBe(1);
    expect(await leaveFamilyModeWithPin('4821')).toEqual({ unlocked: true });
    expect(readFamilyMode()).toBeNull();

    await startFamilyMode('m1', 'rec-1', '4821');
    for (let i = 0; i < PIN_ATTEMPTS; i++) expect((await leaveFamilyModeWithPin('0000')).unlocked).toBe(false);
    expect(pinUsable(readFamilyMode()!)).toBe(false);
    // Even the right PIN no longer works.
    expect(await leaveFamilyModeWithPin('4821')).toMatchObject({ unlocked: false, problem: expect.stringContaining('Unlock with your Fieldnotes password') });
    expect(readFamilyMode()).not.toBeNull();
  });

  it('a password is only checked for the worker who handed the tablet over', async () => {
    await startFamilyMode('m1', 'rec-1', '4821');
    // Nobody is signed in on this device (in this test): the password cannot be checked, and it stays locked.
    expect(await leaveFamilyModeWithPassword('fieldnotes-demo')).toEqual({ unlocked: false, problem: 'Only the worker who handed over the tablet can unlock it.' });
    expect(readFamilyMode()).not.toBeNull();
  });

  it('locks after a while with nobody using it, and activity pushes that back', async () => {
    await startFamilyMode('m1', 'rec-1', '4821');
    const started = readFamilyMode()!;
    expect(isIdle(started, started.lastActivityAt + FAMILY_IDLE_MS - 1)).toBe(false);
    expect(isIdle(started, started.lastActivityAt + FAMILY_IDLE_MS)).toBe(true);
    noteFamilyActivity(started.lastActivityAt + 60_000);
    expect(isIdle(readFamilyMode()!, started.lastActivityAt + FAMILY_IDLE_MS)).toBe(false);
    lockFamilyMode('idle');
    expect(readFamilyMode()).toMatchObject({ locked: true, lockedBecause: 'idle' });
    // Once locked, it stays locked: activity does not open it.
    noteFamilyActivity(Date.now() + 120_000);
    expect(readFamilyMode()?.locked).toBe(true);
  });

  it('a damaged family mode fails closed: locked, and only a password opens it', () => {
    localStorage.setItem('fieldnotes.familyMode', '{"userId": 42');
    const state = readFamilyMode()!;
    expect(state.locked).toBe(true);
    expect(pinUsable(state)).toBe(false);
  });

  it('when the worker’s sign-in has run out, their password signs them in again and unlocks the tablet', async () => {
    const user = { id: 'm1', username: 'tm.okafor', displayName: 'Grace Okafor', role: 'team-manager' as const, teamId: 't1', serviceId: 's1', managerId: '' };
    const past = new Date(Date.now() - 60_000).toISOString();
    saveSession({ token: 'old', expiresAt: past, refreshExpiresAt: past, user });
    await startFamilyMode('m1', 'rec-1', '4821');
    const renewed = { token: 'new', expiresAt: '2099-01-01T00:00:00.000Z', refreshExpiresAt: '2099-01-01T00:00:00.000Z', user };
    const calls: string[] = [];
    // The server: the refresh token is refused; sign-in takes only the right password.
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push(url);
      const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
      if (url === '/api/refresh') return json(401, { error: 'expired', message: 'Sign in again.' });
      if (url === '/api/sign-in') {
        const { username, password } = JSON.parse(String(init.body)) as { username: string; password: string };
        return username === 'tm.okafor' && password === 'fieldnotes-demo' ? json(200, renewed) : json(401, { error: 'wrong-credentials', message: 'No.' });
      }
      return json(404, { error: 'not-found', message: 'Not here.' });
    });
    expect(await leaveFamilyModeWithPassword('wrong')).toEqual({ unlocked: false, problem: 'That password is not right.' });
    expect(readFamilyMode()).not.toBeNull();
    expect(await leaveFamilyModeWithPassword('fieldnotes-demo')).toEqual({ unlocked: true, signedIn: renewed });
    expect(readFamilyMode()).toBeNull();
    expect(calls).toContain('/api/sign-in');
  });
});
