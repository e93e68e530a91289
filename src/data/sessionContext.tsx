/** Who is signed in on this device, for every screen; the session survives reloads and works offline. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Person } from '../../domain/directory';
import type { SignInResponse } from '../../domain/auth';
import { signOutOnServer } from './api';
import { allowStoresFor } from './db';
import { clearSession, loadSession, saveSession, type StoredSession } from './session';

interface SessionContextValue {
  session: StoredSession | null;
  startSession(session: SignInResponse): void;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/**
 * Set when a sign-out could not reach the server: the refresh cookie (which script cannot delete) may still
 * be valid on this tablet, so the sign-in is ended on the server as soon as there is a connection — unless
 * someone signs in here first, which replaces the cookie.
 */
const SIGN_OUT_PENDING = 'fieldnotes.signOutPending';

function endSignInOnServer(): Promise<void> {
  return signOutOnServer().then(
    () => localStorage.removeItem(SIGN_OUT_PENDING),
    () => localStorage.setItem(SIGN_OUT_PENDING, '1'),
  );
}

export function SessionProvider({ children, initial }: { children: ReactNode; initial?: StoredSession | null }) {
  const [session, setSession] = useState<StoredSession | null>(() => (initial === undefined ? loadSession() : initial));
  const startSession = useCallback((next: SignInResponse) => {
    const started = { ...next, signedInAt: new Date().toISOString() };
    allowStoresFor(next.user.id);
    localStorage.removeItem(SIGN_OUT_PENDING);
    // Who is signed in goes to localStorage; the access token stays in memory (session.ts).
    saveSession(started);
    setSession({ user: started.user, refreshExpiresAt: started.refreshExpiresAt, signedInAt: started.signedInAt });
  }, []);
  const signOut = useCallback(async () => {
    const userId = loadSession()?.user.id ?? session?.user.id;
    // Ends the sign-in on the server (the refresh cookie, and this tab's access token, read now, before
    // clearSession forgets it). Best-effort: signing out must work offline too.
    const ended = endSignInOnServer();
    clearSession();
    // The screens and sync stop with this (SyncProvider), before the person's stores are removed below.
    setSession(null);
    await ended;
    // Everything sent: their records leave the tablet. Anything not yet sent stays in their own stores and
    // is sent when they next sign in here (the sign-out warning said so).
    // (Loaded here, not at start: it brings the document store and Yjs, which the first screen does not need.
    // The chunk is precached, so this works offline.)
    if (userId)
      await import('./signOut')
        .then(({ forgetPersonOnDevice }) => forgetPersonOnDevice(userId))
        .catch((error: unknown) => console.error('Could not remove the records of the person who signed out', error));
  }, [session]);
  // A sign-out that happened offline reaches the server once there is a connection.
  useEffect(() => {
    if (session) return;
    const retry = () => {
      if (localStorage.getItem(SIGN_OUT_PENDING) && !loadSession()) void endSignInOnServer();
    };
    retry();
    window.addEventListener('online', retry);
    return () => window.removeEventListener('online', retry);
  }, [session]);
  const value = useMemo(() => ({ session, startSession, signOut }), [session, startSession, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionContext(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSessionContext must be used inside <SessionProvider>.');
  return value;
}

/** The signed-in person and token; only for screens behind the sign-in guard. */
export function useSignedIn(): { user: Person } {
  const { session } = useSessionContext();
  if (!session) throw new Error('useSignedIn is only for screens shown to a signed-in person.');
  return { user: session.user };
}
