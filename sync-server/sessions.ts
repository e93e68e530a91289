/**
 * Sign-in sessions: a short-lived access token that every request and sync connection carries, and a
 * refresh token that is exchanged, once, for a new pair. Each sign-in starts a "family" of tokens; using
 * a refresh token a second time means someone holds a copy, so the whole family is revoked (and the
 * person must sign in again). Tokens are 32 random bytes given to the device once; the server keeps only
 * their SHA-256, so a copy of the database does not let anyone sign in.
 */
import { log } from './log';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ServerDatabase } from './database';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

export interface SessionLifetimes {
  accessMs: number;
  refreshMs: number;
}

export interface IssuedTokens {
  token: string;
  expiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
}

export type TokenRefusal = 'unknown' | 'expired' | 'revoked' | 'reused';

/** A sign-in that has ended: every token of that family (or, with only a user, of every sign-in of theirs). */
export type EndedSignIn = { familyId: string } | { userId: string };

/** Which sign-in an access token belongs to, and until when it works. */
export interface VerifiedToken {
  userId: string;
  familyId: string;
  /** When the access token stops working (ms since the epoch). */
  expiresAt: number;
}

interface TokenRow {
  family_id: string;
  kind: 'access' | 'refresh';
  expires_at: string;
  used_at: string | null;
  user_id: string;
  revoked_at: string | null;
}

export class Sessions {
  private readonly statements;
  /** Told at once when a sign-in ends here, so live sync connections opened under it are closed. */
  private readonly endedListeners = new Set<(ended: EndedSignIn) => void>();

  constructor(
    private readonly db: ServerDatabase,
    private readonly lifetimes: SessionLifetimes,
  ) {
    this.statements = {
      newFamily: db.prepare('INSERT INTO session_families (id, user_id, created_at) VALUES (?, ?, ?)'),
      newToken: db.prepare('INSERT INTO session_tokens (token_hash, family_id, kind, expires_at) VALUES (?, ?, ?, ?)'),
      find: db.prepare(
        `SELECT t.family_id, t.kind, t.expires_at, t.used_at, f.user_id, f.revoked_at
         FROM session_tokens t JOIN session_families f ON f.id = t.family_id WHERE t.token_hash = ?`,
      ),
      markUsed: db.prepare('UPDATE session_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL'),
      revokeFamily: db.prepare('UPDATE session_families SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL'),
      revokeUser: db.prepare('UPDATE session_families SET revoked_at = ?, revoked_reason = ? WHERE user_id = ? AND revoked_at IS NULL'),
      revokedSince: db.prepare('SELECT id FROM session_families WHERE revoked_at IS NOT NULL AND revoked_at >= ?'),
      // Tokens of families that ended, or that expired, are no use to anyone: keep the table small.
      prune: db.prepare('DELETE FROM session_tokens WHERE expires_at < ?'),
    };
  }

  /** A new sign-in: a new family with its first pair of tokens. */
  issue(userId: string, now = new Date()): IssuedTokens {
    const familyId = randomUUID();
    return this.db.transaction(() => {
      this.statements.newFamily.run(familyId, userId, now.toISOString());
      return this.issuePair(familyId, now);
    })();
  }

  private issuePair(familyId: string, now: Date): IssuedTokens {
    const token = newToken();
    const refreshToken = newToken();
    const expiresAt = new Date(now.getTime() + this.lifetimes.accessMs).toISOString();
    const refreshExpiresAt = new Date(now.getTime() + this.lifetimes.refreshMs).toISOString();
    this.statements.newToken.run(hashToken(token), familyId, 'access', expiresAt);
    this.statements.newToken.run(hashToken(refreshToken), familyId, 'refresh', refreshExpiresAt);
    return { token, expiresAt, refreshToken, refreshExpiresAt };
  }

  private find(token: string, kind: TokenRow['kind']): TokenRow | undefined {
    const row = this.statements.find.get(hashToken(token)) as TokenRow | undefined;
    return row?.kind === kind ? row : undefined;
  }

  /** The user (and sign-in) an access token belongs to, or why it is refused. */
  verify(token: string, now = new Date()): VerifiedToken | { refused: TokenRefusal } {
    const row = this.find(token, 'access');
    if (!row) return { refused: 'unknown' };
    if (row.revoked_at) return { refused: 'revoked' };
    if (row.expires_at <= now.toISOString()) return { refused: 'expired' };
    return { userId: row.user_id, familyId: row.family_id, expiresAt: Date.parse(row.expires_at) };
  }

  /** Hears of every sign-in that ends in this process (sign-out, a reused refresh token, revocation). */
  onEnded(listener: (ended: EndedSignIn) => void): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  private ended(ended: EndedSignIn) {
    for (const listener of this.endedListeners) {
      try {
        listener(ended);
      } catch (error) {
        log.error({ err: error }, 'A listener for ended sign-ins failed.');
      }
    }
  }

  /**
   * Sign-ins ended at or after `since` (ISO time), by this process or another on the same database (the
   * admin command line): the sync server checks these now and then, so none of them keeps a connection.
   */
  revokedSince(since: string): string[] {
    return (this.statements.revokedSince.all(since) as { id: string }[]).map((row) => row.id);
  }

  /**
   * Exchanges a refresh token for a new pair. A refresh token works once: a second use revokes its family,
   * because either the device lost track of its tokens or someone else has a copy.
   */
  refresh(refreshToken: string, now = new Date()): { userId: string; tokens: IssuedTokens } | { refused: TokenRefusal } {
    return this.db.transaction(() => {
      const row = this.find(refreshToken, 'refresh');
      if (!row) return { refused: 'unknown' as const };
      if (row.revoked_at) return { refused: 'revoked' as const };
      if (row.used_at) {
        this.statements.revokeFamily.run(now.toISOString(), 'refresh token used twice', row.family_id);
        this.ended({ familyId: row.family_id });
        return { refused: 'reused' as const };
      }
      if (row.expires_at <= now.toISOString()) return { refused: 'expired' as const };
      this.statements.markUsed.run(now.toISOString(), hashToken(refreshToken));
      this.statements.prune.run(now.toISOString());
      return { userId: row.user_id, tokens: this.issuePair(row.family_id, now) };
    })();
  }

  /** Signing out: the family of this access token (and so every token of that sign-in) stops working. */
  revoke(token: string, reason = 'signed out'): void {
    const row = this.statements.find.get(hashToken(token)) as TokenRow | undefined;
    if (!row) return;
    this.statements.revokeFamily.run(new Date().toISOString(), reason, row.family_id);
    this.ended({ familyId: row.family_id });
  }

  /** Ends every sign-in of a person (deactivation, a password reset). */
  revokeAllFor(userId: string, reason: string): void {
    this.statements.revokeUser.run(new Date().toISOString(), reason, userId);
    this.ended({ userId });
  }
}
