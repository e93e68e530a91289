import { afterEach, describe, expect, it } from 'vitest';
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

afterEach(() => localStorage.clear());

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
});
