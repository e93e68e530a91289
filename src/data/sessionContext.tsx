/** Who is signed in on this device, for every screen; the session survives reloads and works offline. */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { Person } from '../../domain/directory';
import { signOutOnServer } from './api';
import { clearSession, loadSession, saveSession, type StoredSession } from './session';

interface SessionContextValue {
  session: StoredSession | null;
  startSession(session: StoredSession): void;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children, initial }: { children: ReactNode; initial?: StoredSession | null }) {
  const [session, setSession] = useState<StoredSession | null>(() => (initial === undefined ? loadSession() : initial));
  const startSession = useCallback((next: StoredSession) => {
    const started = { ...next, signedInAt: new Date().toISOString() };
    saveSession(started);
    setSession(started);
  }, []);
  const signOut = useCallback(async () => {
    // The token as stored now (it may have been renewed since this screen read the session).
    const token = loadSession()?.token ?? session?.token;
    clearSession();
    setSession(null);
    // Revoking on the server is best-effort: signing out must work offline too. What is not yet sent stays
    // in this person's own stores on the device and is sent when they next sign in.
    if (token) await signOutOnServer(token).catch(() => undefined);
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
