/**
 * Slows down password guessing: after too many failed sign-ins for one account, or from one network
 * address, within a window, further attempts are refused until the window has moved on — even with the
 * right password, so a guesser cannot tell when they have found it. Kept in memory: one server instance
 * (several instances would share it through the database or Redis).
 *
 * An attempt is counted (reserved) BEFORE its password is checked, synchronously, because checking takes
 * tens of milliseconds (scrypt): were it counted only after a failure, 100 guesses sent at once would all
 * pass the limit before the first failure was recorded, and the right one among them would sign in. A
 * reservation that turns out to be the right password is given back.
 */
export interface ThrottleLimits {
  perAccount: number;
  perAddress: number;
  windowMs: number;
}

// Per address is generous: a council office may put every tablet behind one address.
export const defaultThrottleLimits: ThrottleLimits = { perAccount: 5, perAddress: 50, windowMs: 15 * 60 * 1000 };

interface Attempt {
  at: number;
  /** Still being checked: a success elsewhere does not clear it (it may yet fail). */
  pending: boolean;
}

/** An attempt counted against the limits while its password is checked. */
export interface Reservation {
  /** The password was right: the attempt no longer counts, and the account's past failures are cleared. */
  succeeded(): void;
  /** The password was wrong (or the account unknown): the attempt stays counted as a failure. */
  failed(): void;
}

export type ReserveResult = { reserved: Reservation } | { waitMs: number };

export class SignInThrottle {
  private readonly attempts = new Map<string, Attempt[]>();

  constructor(
    private readonly limits: ThrottleLimits = defaultThrottleLimits,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string): Attempt[] {
    const since = this.now() - this.limits.windowMs;
    // A pending attempt always counts, however long its check takes.
    const kept = (this.attempts.get(key) ?? []).filter((a) => a.pending || a.at > since);
    if (kept.length) this.attempts.set(key, kept);
    else this.attempts.delete(key);
    return kept;
  }

  private keys(username: string, address: string) {
    return [
      [`account:${username.trim().toLowerCase()}`, this.limits.perAccount],
      [`address:${address}`, this.limits.perAddress],
    ] as const;
  }

  /** Milliseconds until this account may try again from this address, or 0 if it may try now. */
  waitBeforeAttempt(username: string, address: string): number {
    let wait = 0;
    for (const [key, limit] of this.keys(username, address)) {
      const times = this.recent(key).map((a) => a.at).sort((a, b) => a - b);
      if (times.length >= limit) wait = Math.max(wait, times[times.length - limit]! + this.limits.windowMs - this.now(), 1);
    }
    return wait;
  }

  /**
   * Counts an attempt now, before its password is checked, or says how long to wait when the limit is
   * reached. Synchronous, so concurrent attempts cannot all slip under the limit.
   */
  reserve(username: string, address: string): ReserveResult {
    const waitMs = this.waitBeforeAttempt(username, address);
    if (waitMs > 0) return { waitMs };
    const attempt: Attempt = { at: this.now(), pending: true };
    const keys = this.keys(username, address).map(([key]) => key);
    for (const key of keys) this.attempts.set(key, [...this.recent(key), attempt]);
    let settled = false;
    return {
      reserved: {
        succeeded: () => {
          if (settled) return;
          settled = true;
          attempt.pending = false;
          const [accountKey, addressKey] = keys;
          // The right password: the account's settled failures are forgiven (attempts still being checked
          // stay counted, so a guesser racing the real person gains nothing), and this attempt is given back
          // to the address — an office signing in all morning must not lock itself out.
          this.attempts.set(accountKey!, this.recent(accountKey!).filter((a) => a.pending));
          this.attempts.set(addressKey!, this.recent(addressKey!).filter((a) => a !== attempt));
          this.recent(accountKey!);
          this.recent(addressKey!);
        },
        failed: () => {
          if (settled) return;
          settled = true;
          attempt.pending = false;
        },
      },
    };
  }

  /** A failure counted after the fact (tests; prefer reserve()). */
  recordFailure(username: string, address: string): void {
    const result = this.reserve(username, address);
    if ('reserved' in result) result.reserved.failed();
    else {
      for (const [key] of this.keys(username, address)) this.attempts.set(key, [...this.recent(key), { at: this.now(), pending: false }]);
    }
  }
}
