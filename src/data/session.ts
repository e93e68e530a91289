/**
 * The signed-in session kept on the device, so that after one online sign-in Fieldnotes works with no
 * signal: who is signed in and the token that every API call (and, later, every sync connection) carries.
 */
import { signInResponseSchema, type SignInResponse } from '../../domain/auth';

const KEY = 'fieldnotes.session';

export type StoredSession = SignInResponse;

export function loadSession(storage: Storage = localStorage): StoredSession | null {
  const raw = storage.getItem(KEY);
  if (!raw) return null;
  try {
    const parsed = signInResponseSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveSession(session: StoredSession, storage: Storage = localStorage): void {
  storage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(storage: Storage = localStorage): void {
  storage.removeItem(KEY);
}
