/**
 * The signed-in session on the device, so that after one online sign-in Fieldnotes works with no signal.
 *
 * What is kept where, and why:
 *  - who is signed in (the person, when they signed in, until when the sign-in lasts) in localStorage: the
 *    app opens offline "signed in" and works on the tablet's records with no token at all;
 *  - the short-lived access token in this tab's memory only: it is gone on reload, and renewed;
 *  - the refresh token nowhere script can reach: the server keeps it in an HttpOnly cookie sent only to
 *    /api/refresh, so an injected script cannot carry a 30-day sign-in away.
 * Renewing rotates the cookie (the server accepts each refresh token once), so tabs take turns through a
 * Web Lock: two tabs sending the same cookie at once would look like a stolen token and sign the person
 * out. Each tab renews its own access token; the browser hands every tab the newest cookie.
 */
import { signInResponseSchema, type SignInResponse } from '../../domain/auth';
import { personSchema, type Person } from '../../domain/directory';

const KEY = 'fieldnotes.session';
/** Refresh this long before the access token runs out, so a request never carries a dying token. */
const REFRESH_MARGIN_MS = 60_000;

/** Who is signed in on this device (no token: see above). */
export interface StoredSession {
  user: Person;
  /** When the sign-in ends unless the device renews it (the refresh cookie's expiry). */
  refreshExpiresAt: string;
  /** When the person signed in (not refreshed): a new sign-in restarts sync. */
  signedInAt?: string | undefined;
}

/** This tab's access token: in memory only, never stored. */
let access: { token: string; expiresAt: string; userId: string } | null = null;

export function loadSession(storage: Storage = localStorage): StoredSession | null {
  const raw = storage.getItem(KEY);
  if (!raw) return null;
  try {
    const stored = JSON.parse(raw) as Record<string, unknown>;
    const user = personSchema.safeParse(stored.user);
    if (!user.success || typeof stored.refreshExpiresAt !== 'string') return null;
    const session: StoredSession = {
      user: user.data,
      refreshExpiresAt: stored.refreshExpiresAt,
      signedInAt: typeof stored.signedInAt === 'string' ? stored.signedInAt : undefined,
    };
    // Stored before tokens left localStorage: keep who is signed in, drop the tokens at once. (Their next
    // renewal has no cookie and asks them to sign in again; their work stays on the tablet.)
    if ('token' in stored || 'refreshToken' in stored) storage.setItem(KEY, JSON.stringify(session));
    return session;
  } catch {
    return null;
  }
}

/** Keeps who is signed in; an access token given with it goes to memory, never to storage. */
export function saveSession(session: StoredSession & Partial<Pick<SignInResponse, 'token' | 'expiresAt'>>, storage: Storage = localStorage): void {
  const { user, refreshExpiresAt, signedInAt } = session;
  storage.setItem(KEY, JSON.stringify({ user, refreshExpiresAt, ...(signedInAt ? { signedInAt } : {}) }));
  if (session.token && session.expiresAt) access = { token: session.token, expiresAt: session.expiresAt, userId: user.id };
}

export function clearSession(storage: Storage = localStorage): void {
  storage.removeItem(KEY);
  access = null;
}

/** The access token this tab holds now, whatever its age (null after a reload until renewed). */
export function currentAccessToken(): string | null {
  return access?.token ?? null;
}

/** The server refused to renew the sign-in: the person must sign in again (their work stays on the device). */
export class SignInNeeded extends Error {
  constructor(message = 'Your sign-in has expired. Sign in again to send your records — they are kept safe on this tablet.') {
    super(message);
  }
}

/** Renews the sign-in with the refresh cookie (the browser sends it; script never sees it). */
export type RefreshOnServer = () => Promise<SignInResponse>;

let refreshing: Promise<string> | null = null;

/** Runs `work` while holding a lock shared by every tab (or, where Web Locks are missing, alone). */
async function withRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? locks.request('fieldnotes-refresh', work) : work();
}

const fresh = (userId: string) => !!access && access.userId === userId && Date.parse(access.expiresAt) - Date.now() > REFRESH_MARGIN_MS;

/**
 * An access token good for at least another minute, renewed through the refresh cookie if needed (always
 * when `force`). Throws SignInNeeded when the server will not renew it, and the network error when the
 * server cannot be reached (the caller is offline; nothing is lost, and the person stays signed in here).
 */
export async function freshAccessToken(refreshOnServer: RefreshOnServer, force = false): Promise<string> {
  const session = loadSession();
  if (!session) throw new SignInNeeded('Sign in to continue.');
  if (!force && fresh(session.user.id)) return access!.token;
  const stale = access?.token;
  refreshing ??= withRefreshLock(async () => {
    const current = loadSession();
    if (!current) throw new SignInNeeded('Sign in to continue.');
    // Renewed by another call in this tab while this one waited for the lock.
    if (fresh(current.user.id) && access!.token !== stale) return access!.token;
    const renewed = signInResponseSchema.parse(await refreshOnServer());
    // Only if the same person is still signed in here (no sign-out or other sign-in meanwhile).
    if (loadSession()?.user.id !== current.user.id || renewed.user.id !== current.user.id) throw new SignInNeeded('Sign in to continue.');
    saveSession({ user: renewed.user, refreshExpiresAt: renewed.refreshExpiresAt, signedInAt: current.signedInAt, token: renewed.token, expiresAt: renewed.expiresAt });
    return renewed.token;
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}
