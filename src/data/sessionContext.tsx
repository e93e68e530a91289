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
    saveSession(next);
    setSession(next);
  }, []);
  const signOut = useCallback(async () => {
    const token = session?.token;
    clearSession();
    setSession(null);
    // Revoking on the server is best-effort: signing out must work offline too.
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
export function useSignedIn(): { user: Person; token: string } {
  const { session } = useSessionContext();
  if (!session) throw new Error('useSignedIn is only for screens shown to a signed-in person.');
  return { user: session.user, token: session.token };
}
