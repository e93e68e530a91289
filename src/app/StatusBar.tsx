/**
 * Always visible: whether the device is connected to the server, how many records are not yet sent
 * (sent means the server has proved it stores them), progress while sending, when the last sync
 * finished, and "Sync now".
 */
import { useServerReachable } from '../data/connectivity';
import { useUnsentCount } from '../data/records';
import { useSyncNow, useSyncStatus } from '../data/sync/SyncContext';
import type { SyncStatus } from '../data/sync/syncManager';
import { formatDateTime } from '../lib/format';

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
  const unsent = useUnsentCount(userId);
  return (
    <>
      <Connection state={status?.connection ?? 'connecting'} />
      <span data-testid="unsent-count">
        {unsent === undefined ? '' : unsent === 0 ? 'Everything is sent' : `${unsent} ${unsent === 1 ? 'record' : 'records'} not yet sent`}
      </span>
      {status?.sending && (
        <span data-testid="sending" role="status">
          Sending {status.sending.done} of {status.sending.total}
        </span>
      )}
      <span data-testid="last-sync">{status?.lastSyncAt ? `Last sync ${formatDateTime(status.lastSyncAt)}` : 'Not synced yet'}</span>
      {status?.problem && (
        <span className="status-problem" role="alert">
          {status.problem}
        </span>
      )}
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

/** Before anyone signs in: only whether the server answers (signing in needs it). */
function ServerReachability() {
  const reachable = useServerReachable();
  return <Connection state={reachable === undefined ? 'connecting' : reachable ? 'online' : 'offline'} />;
}
