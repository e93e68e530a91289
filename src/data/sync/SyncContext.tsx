/**
 * Runs the sync manager for whoever is signed in, and gives screens its status. Syncs at start, when
 * the network comes back (`online`), when the app becomes visible again, when the server answers any
 * request while sync is down, and on "Sync now".
 */
import { createContext, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { readsCaseRecords } from '../../../domain/directory';
import type { RecordKind } from '../../../domain/records';
import { accessToken, onServerAnswered } from '../api';
import { afterFirstScreen } from '../firstScreen';
import { currentAccessToken, SignInNeeded } from '../session';
import { useSessionContext } from '../sessionContext';
import type { PresenceCursor, PresenceState, SyncManager, SyncStatus } from './syncManager';

const SyncContext = createContext<SyncManager | null>(null);

export function SyncProvider({ children }: { children: ReactNode }) {
  const { session } = useSessionContext();
  const userId = session?.user.id;
  // An administrator has no case work, so no programme to fetch (the server would refuse it each pass).
  const fetchProgramme = session ? readsCaseRecords(session.user.role) : false;
  // A new sign-in (after the old one could not be renewed) starts sync afresh.
  const signedInAt = session?.signedInAt;
  const [manager, setManager] = useState<SyncManager | null>(null);

  useEffect(() => {
    if (!userId) return;
    let syncManager: SyncManager | null = null;
    let stopped = false;
    const onOnline = () => syncManager?.syncNow();
    const onVisible = () => document.visibilityState === 'visible' && syncManager?.syncNow();
    // Any answer from the server means it is up: connect now rather than wait out the backoff.
    const stopWatchingServer = onServerAnswered(() => syncManager?.serverSeen());
    // Index rows from before the index carried feedback scores are filled in once (derived data: if it
    // fails, it is tried again at the next start).
    void afterFirstScreen()
      .then(() => import('../docs/indexUpgrade'))
      .then(({ fillInOldFeedbackRows }) => (stopped ? undefined : fillInOldFeedbackRows(userId)))
      .catch(() => undefined);
    // Sync (Yjs, Hocuspocus) loads after the first screen is up: the list needs only the index, and loading
    // and starting sync alongside it slowed a cold start of 1,000 records (docs/benchmarks.md).
    void afterFirstScreen().then(() => import('./syncManager')).then(({ SyncManager }) => {
      if (stopped) return;
      syncManager = new SyncManager({
        storeId: userId,
        userId,
        fetchProgramme,
        // Read at every connection (renewed when about to run out), so sync never carries a dead token.
        getToken: () => accessToken().catch(() => currentAccessToken() ?? ''),
        renewSignIn: async () => {
          try {
            await accessToken('', true);
            return true;
          } catch (error) {
            // Offline or the server is down: not a refusal. Only a refused refresh means signing in again.
            return !(error instanceof SignInNeeded);
          }
        },
        serverUrl: '',
      });
      void syncManager.start();
      setManager(syncManager);
    });
    window.addEventListener('online', onOnline);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      stopWatchingServer();
      window.removeEventListener('online', onOnline);
      document.removeEventListener('visibilitychange', onVisible);
      syncManager?.destroy();
      setManager(null);
    };
  }, [userId, signedInAt, fetchProgramme]);

  return <SyncContext.Provider value={manager}>{children}</SyncContext.Provider>;
}

/** Gives screens a particular sync manager (component tests; the app uses SyncProvider). */
export function SyncManagerProvider({ manager, children }: { manager: SyncManager; children: ReactNode }) {
  return <SyncContext.Provider value={manager}>{children}</SyncContext.Provider>;
}

const noStatus = () => null;
const noSubscribe = () => () => undefined;

/** The sync manager's status, or null before it has started (signed out). */
export function useSyncStatus(): SyncStatus | null {
  const manager = useContext(SyncContext);
  return useSyncExternalStore(manager?.subscribe ?? noSubscribe, manager?.getStatus ?? noStatus);
}

/** The "Sync now" action. */
export function useSyncNow(): (() => void) | null {
  const manager = useContext(SyncContext);
  return manager ? () => manager.syncNow() : null;
}

/** The running sync manager, for the data layer's own hooks. */
export function useSyncManager(): SyncManager | null {
  return useContext(SyncContext);
}

/** Keeps a record attached to the server while it is on screen, so edits flow both ways live. */
export function useLiveSync(kind: RecordKind, id: string, enabled: boolean): void {
  const manager = useContext(SyncContext);
  useEffect(() => {
    if (!manager || !enabled) return;
    return manager.keepLive(kind, id);
  }, [manager, kind, id, enabled]);
}

/**
 * Presence on a record on screen: who else has it open and which field they are in; and a way to say
 * which field this person is in, and where their caret is in a narrative field. Nothing is stored: it
 * lasts while people have the record open.
 */
export interface Presence {
  /** Everyone else here, for the "Here now" bar: changes only when someone comes, goes or changes field. */
  others: PresenceState[];
  setField(field: string): void;
  /** This person's caret in a narrative field (null when it leaves the field). */
  setCursor(field: string, cursor: PresenceCursor | null): void;
  /** Every change of everyone else's state, carets included (the editor draws them without a re-render). */
  watchOthers(listener: (others: PresenceState[]) => void): () => void;
}

export function usePresence(kind: RecordKind, id: string, me: { userId: string; name: string }): Presence {
  const manager = useContext(SyncContext);
  const [others, setOthers] = useState<PresenceState[]>([]);
  const { userId, name } = me;
  const mine = useRef<PresenceState>({ userId, name, field: '', colour: presenceColour(userId), cursor: null });
  useEffect(() => {
    if (!manager) return;
    mine.current = { userId, name, field: '', colour: presenceColour(userId), cursor: null };
    manager.setPresence(kind, id, mine.current);
    // Carets move with every keystroke; the bar only needs who and where, so it re-renders only for that.
    let shown = '';
    const stop = manager.watchPresence(kind, id, (states) => {
      const people = states.map(({ userId, name, field }) => ({ userId, name, field }));
      const key = JSON.stringify(people);
      if (key === shown) return;
      shown = key;
      setOthers(people);
    });
    return () => {
      stop();
      manager.setPresence(kind, id, null);
      setOthers([]);
    };
  }, [manager, kind, id, userId, name]);
  const publish = useCallback(
    (change: Partial<PresenceState>) => {
      mine.current = { ...mine.current, ...change };
      manager?.setPresence(kind, id, mine.current);
    },
    [manager, kind, id],
  );
  // Leaving a field takes the caret out of it; moving into a field keeps a caret already placed there.
  const setField = useCallback((field: string) => publish({ field, cursor: mine.current.cursor?.field === field ? mine.current.cursor : null }), [publish]);
  const setCursor = useCallback((field: string, cursor: PresenceCursor | null) => publish(cursor ? { field, cursor } : { cursor: null }), [publish]);
  const watchOthers = useCallback((listener: (others: PresenceState[]) => void) => manager?.watchPresence(kind, id, listener) ?? (() => undefined), [manager, kind, id]);
  return { others, setField, setCursor, watchOthers };
}

/**
 * A colour for a person's caret, the same on every screen: picked from their id among colours dark
 * enough for white text on them and for a 2 px caret on white (contrast 4.5:1 or more).
 */
const caretColours = ['#b3261e', '#1d6b2f', '#0b57d0', '#8e24aa', '#a14f00', '#00695c', '#ad1457', '#3949ab'];
export function presenceColour(userId: string): string {
  let hash = 0;
  for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) >>> 0;
  return caretColours[hash % caretColours.length]!;
}
