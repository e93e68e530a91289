/**
 * The signed-in session kept on the device, so that after one online sign-in Fieldnotes works with no
 * signal: who is signed in, the short-lived access token every API call and sync connection carries, and
 * the refresh token that renews it. Refreshing rotates the refresh token (the server accepts each one
 * once), so tabs take turns through a Web Lock and re-read the session inside it: two tabs refreshing
 * with the same token would look like a stolen token and sign the person out.
 */
import { signInResponseSchema, type SignInResponse } from '../../domain/auth';

const KEY = 'fieldnotes.session';
/** Refresh this long before the access token runs out, so a request never carries a dying token. */
const REFRESH_MARGIN_MS = 60_000;

export type StoredSession = SignInResponse & {
  /** When the person signed in (not refreshed): a new sign-in restarts sync. */
  signedInAt?: string | undefined;
};

export function loadSession(storage: Storage = localStorage): StoredSession | null {
  const raw = storage.getItem(KEY);
  if (!raw) return null;
  try {
    const parsed = signInResponseSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) return null;
    const signedInAt = (JSON.parse(raw) as { signedInAt?: unknown }).signedInAt;
    return { ...parsed.data, signedInAt: typeof signedInAt === 'string' ? signedInAt : undefined };
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

/** The server refused to renew the sign-in: the person must sign in again (their work stays on the device). */
export class SignInNeeded extends Error {
  constructor(message = 'Your sign-in has expired. Sign in again to send your records — they are kept safe on this tablet.') {
    super(message);
  }
}

export type RefreshOnServer = (refreshToken: string) => Promise<SignInResponse>;

let refreshing: Promise<StoredSession> | null = null;

/** Runs `work` while holding a lock shared by every tab (or, where Web Locks are missing, alone). */
async function withRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? locks.request('fieldnotes-refresh', work) : work();
}

/**
 * A session whose access token is good for at least another minute, renewed with the refresh token if
 * needed. Throws SignInNeeded when the server will not renew it, and the network error when the server
 * cannot be reached (the caller is offline; nothing is lost).
 */
export async function freshSession(refreshOnServer: RefreshOnServer, force = false): Promise<StoredSession> {
  const session = loadSession();
  if (!session) throw new SignInNeeded('Sign in to continue.');
  if (!force && Date.parse(session.expiresAt) - Date.now() > REFRESH_MARGIN_MS) return session;
  refreshing ??= withRefreshLock(async () => {
    // Another tab may have renewed it while this one waited for the lock.
    const current = loadSession();
    if (!current) throw new SignInNeeded('Sign in to continue.');
    if (current.token !== session.token && Date.parse(current.expiresAt) - Date.now() > REFRESH_MARGIN_MS) return current;
    const renewed: StoredSession = { ...(await refreshOnServer(current.refreshToken)), signedInAt: current.signedInAt };
    // Only if the same person is still signed in here (no sign-out or other sign-in meanwhile).
    if (loadSession()?.refreshToken === current.refreshToken) saveSession(renewed);
    return renewed;
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}
