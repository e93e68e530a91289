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

  it('a successful sign-in clears the account’s failures', () => {
    const throttle = new SignInThrottle(limits, () => 0);
    throttle.recordFailure('grace', 'a');
    throttle.recordFailure('grace', 'b');
    throttle.recordSuccess('grace');
    throttle.recordFailure('grace', 'c');
    throttle.recordFailure('grace', 'd');
    expect(throttle.waitBeforeAttempt('grace', 'e')).toBe(0);
  });
});
