/**
 * Always visible: whether the server can be reached, how many records are not yet sent, and when the
 * last sync finished. Until sync lands every record is "saved on this tablet — not yet sent".
 */
import { useServerReachable } from '../data/connectivity';
import { useLastSyncAt, useUnsentCount } from '../data/records';
import { formatDateTime } from '../lib/format';

export function StatusBar({ userId }: { userId: string | null }) {
  const reachable = useServerReachable();
  return (
    <div className="status-bar" role="region" aria-label="Sync status">
      <span className={`connection connection--${reachable === false ? 'offline' : 'online'}`} data-testid="connection">
        <span aria-hidden="true" className="dot" />
        {reachable === undefined ? 'Checking connection…' : reachable ? 'Online' : 'Offline — working on this tablet'}
      </span>
      {userId && <SyncCounts userId={userId} />}
    </div>
  );
}

function SyncCounts({ userId }: { userId: string }) {
  const unsent = useUnsentCount(userId);
  const lastSyncAt = useLastSyncAt(userId);
  return (
    <>
      <span data-testid="unsent-count">
        {unsent === undefined ? '' : unsent === 0 ? 'Everything is sent' : `${unsent} ${unsent === 1 ? 'record' : 'records'} not yet sent`}
      </span>
      <span data-testid="last-sync">{lastSyncAt ? `Last sync ${formatDateTime(lastSyncAt)}` : 'Not synced yet'}</span>
    </>
  );
}
