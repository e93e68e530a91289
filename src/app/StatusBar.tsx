/**
 * Always visible: whether the device is connected to the server, how many records are not yet sent
 * (sent means the server has proved it stores them), progress while sending, when the last sync
 * finished, and "Sync now".
 */
import { useServerReachable } from '../data/connectivity';
import { useUnsentRecords } from '../data/records';
import { useSyncNow, useSyncStatus } from '../data/sync/SyncContext';
import type { SyncStatus } from '../data/sync/syncManager';
import { formatDateTime } from '../lib/format';
import { summariseSync } from './syncSummary';

const connectionLabels: Record<SyncStatus['connection'], string> = {
  connecting: 'Connecting…',
  online: 'Online',
  offline: 'Offline — working on this tablet',
  'signed-out': 'Not syncing — sign in again',
};

interface Props {
  /** The signed-in person, or null on the sign-in screen. */
  userId: string | null;
  onSignInAgain?: () => void;
}

export function StatusBar({ userId, onSignInAgain }: Props) {
  return (
    <div className="status-bar" role="region" aria-label="Sync status">
      {userId ? <SyncState userId={userId} onSignInAgain={onSignInAgain} /> : <ServerReachability />}
    </div>
  );
}

function Connection({ state }: { state: SyncStatus['connection'] }) {
  return (
    <span className={`connection connection--${state === 'online' ? 'online' : 'offline'}`} data-testid="connection">
      <span aria-hidden="true" className="dot" />
      {connectionLabels[state]}
    </span>
  );
}

function SyncState({ userId, onSignInAgain }: { userId: string; onSignInAgain?: (() => void) | undefined }) {
  const status = useSyncStatus();
  const syncNow = useSyncNow();
  const summary = summariseSync(status, useUnsentRecords(userId));
  const connection = status?.connection ?? 'connecting';
  return (
    <>
      <Connection state={connection} />
      {/* While sync is down, ask the server over HTTP now and then: an answer reconnects sync at once. */}
      {(connection === 'offline' || connection === 'connecting') && <WatchForServer />}
      <span data-testid="unsent-count">{summary.unsent}</span>
      {summary.sending && (
        <span data-testid="sending" role="status">
          {summary.sending}
        </span>
      )}
      {summary.fetching && (
        <span data-testid="fetching" role="status">
          {summary.fetching}
        </span>
      )}
      <span data-testid="last-sync">{status?.lastSyncAt ? `Last sync ${formatDateTime(status.lastSyncAt)}` : 'Not synced yet'}</span>
      {/* Always in the page, so a new message is announced when it appears. */}
      <span className="status-problem" role="alert" data-testid="sync-problem" hidden={summary.problems.length === 0}>
        {summary.problems.join(' ')}
      </span>
      {status?.connection === 'signed-out' && onSignInAgain ? (
        <button type="button" className="button button--on-dark" onClick={onSignInAgain}>
          Sign in again
        </button>
      ) : (
        syncNow && (
          <button type="button" className="button button--on-dark" onClick={syncNow}>
            Sync now
          </button>
        )
      )}
    </>
  );
}

function WatchForServer() {
  useServerReachable();
  return null;
}

/** Before anyone signs in: only whether the server answers (signing in needs it). */
function ServerReachability() {
  const reachable = useServerReachable();
  return <Connection state={reachable === undefined ? 'connecting' : reachable ? 'online' : 'offline'} />;
}
