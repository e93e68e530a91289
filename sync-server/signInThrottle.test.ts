import { describe, expect, it } from 'vitest';
import { SignInThrottle } from './signInThrottle';

describe('sign-in throttle', () => {
  const limits = { perAccount: 3, perAddress: 5, windowMs: 60_000 };

  it('refuses an account after too many failures until the window moves on', () => {
    let now = 0;
    const throttle = new SignInThrottle(limits, () => now);
    for (let i = 0; i < 3; i++) {
      expect(throttle.waitBeforeAttempt('Grace', '10.0.0.1')).toBe(0);
      throttle.recordFailure('grace', '10.0.0.1');
      now += 1000;
    }
    expect(throttle.waitBeforeAttempt('GRACE', '10.0.0.2')).toBe(57_000);
    now = 60_001;
    expect(throttle.waitBeforeAttempt('grace', '10.0.0.1')).toBe(0);
  });

  it('refuses an address after too many failures across accounts', () => {
    const throttle = new SignInThrottle(limits, () => 0);
    for (let i = 0; i < 5; i++) throttle.recordFailure(`user${i}`, '10.0.0.9');
    expect(throttle.waitBeforeAttempt('someone-new', '10.0.0.9')).toBe(60_000);
    expect(throttle.waitBeforeAttempt('someone-new', '10.0.0.10')).toBe(0);
  });

  it('counts attempts while they are being checked: no more than the limit can be in flight at once', () => {
    const throttle = new SignInThrottle(limits, () => 0);
    const results = Array.from({ length: 10 }, () => throttle.reserve('grace', '10.0.0.1'));
    expect(results.filter((r) => 'reserved' in r)).toHaveLength(3);
    expect(results.slice(3).every((r) => 'waitMs' in r && r.waitMs > 0)).toBe(true);
  });

  it('a successful sign-in gives its attempt back and clears the account’s settled failures, not those still being checked', () => {
    const throttle = new SignInThrottle(limits, () => 0);
    throttle.recordFailure('grace', 'a');
    const inFlight = throttle.reserve('grace', 'b');
    const right = throttle.reserve('grace', 'c');
    if (!('reserved' in inFlight) || !('reserved' in right)) throw new Error('expected reservations');
    right.reserved.succeeded();
    // The failure is forgiven; the guess still being checked counts until it settles.
    inFlight.reserved.failed();
    const next = throttle.reserve('grace', 'd');
    const last = throttle.reserve('grace', 'd');
    expect('reserved' in next && 'reserved' in last).toBe(true);
    expect(throttle.waitBeforeAttempt('grace', 'e')).toBeGreaterThan(0);
    // The address that signed in has its attempt back.
    for (let i = 0; i < 5; i++) {
      const r = throttle.reserve(`person${i}`, 'c');
      if (!('reserved' in r)) throw new Error(`address c refused at ${i}`);
      r.reserved.succeeded();
    }
    expect(throttle.waitBeforeAttempt('someone', 'c')).toBe(0);
  });
});
