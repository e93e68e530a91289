/**
 * Sign-in sessions. A token is 32 random bytes given to the device once; the server keeps only its
 * SHA-256, so a copy of the database does not let anyone sign in. Tokens expire and can be revoked.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ServerDatabase } from './database';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export class Sessions {
  constructor(
    private readonly db: ServerDatabase,
    private readonly lifetimeMs: number,
  ) {}

  issue(userId: string, now = new Date()): { token: string; expiresAt: string } {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.lifetimeMs).toISOString();
    this.db
      .prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(hashToken(token), userId, now.toISOString(), expiresAt);
    return { token, expiresAt };
  }

  /** The user a token belongs to, or why it is refused. */
  verify(token: string, now = new Date()): { userId: string } | { refused: 'unknown' | 'expired' | 'revoked' } {
    const row = this.db.prepare('SELECT user_id, expires_at, revoked_at FROM sessions WHERE token_hash = ?').get(hashToken(token)) as
      | { user_id: string; expires_at: string; revoked_at: string | null }
      | undefined;
    if (!row) return { refused: 'unknown' };
    if (row.revoked_at) return { refused: 'revoked' };
    if (row.expires_at <= now.toISOString()) return { refused: 'expired' };
    return { userId: row.user_id };
  }

  revoke(token: string): void {
    this.db.prepare('UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL').run(new Date().toISOString(), hashToken(token));
  }
}
