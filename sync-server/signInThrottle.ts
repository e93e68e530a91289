/**
 * Slows down password guessing: after too many failed sign-ins for one account, or from one network
 * address, within a window, further attempts are refused until the window has moved on — even with the
 * right password, so a guesser cannot tell when they have found it. Kept in memory: one server instance
 * (several instances would share it through the database or Redis).
 */
export interface ThrottleLimits {
  perAccount: number;
  perAddress: number;
  windowMs: number;
}

// Per address is generous: a council office may put every tablet behind one address.
export const defaultThrottleLimits: ThrottleLimits = { perAccount: 5, perAddress: 50, windowMs: 15 * 60 * 1000 };

export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: ThrottleLimits = defaultThrottleLimits,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string): number[] {
    const since = this.now() - this.limits.windowMs;
    const times = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (times.length) this.failures.set(key, times);
    else this.failures.delete(key);
    return times;
  }

  /** Milliseconds until this account may try again from this address, or 0 if it may try now. */
  waitBeforeAttempt(username: string, address: string): number {
    const waits = [
      [`account:${username.trim().toLowerCase()}`, this.limits.perAccount],
      [`address:${address}`, this.limits.perAddress],
    ] as const;
    let wait = 0;
    for (const [key, limit] of waits) {
      const times = this.recent(key);
      if (times.length >= limit) wait = Math.max(wait, times[times.length - limit]! + this.limits.windowMs - this.now());
    }
    return wait;
  }

  recordFailure(username: string, address: string): void {
    for (const key of [`account:${username.trim().toLowerCase()}`, `address:${address}`]) this.failures.set(key, [...this.recent(key), this.now()]);
  }

  /** A successful sign-in clears the account's failures (not the address's: others may share it). */
  recordSuccess(username: string): void {
    this.failures.delete(`account:${username.trim().toLowerCase()}`);
  }
}
