/**
 * "Sign out". With records or commands not yet sent it warns first and offers to sync: what is not sent
 * stays on this tablet, in this person's own stores (nobody else signing in here can see it), and goes
 * when they next sign in — but a tablet handed back may not be signed into by them again soon.
 */
import { useEffect, useRef, useState } from 'react';
import { pendingCommands, usePendingCommandCount } from '../data/outbox';
import { unsentRecordIds, useUnsentCount } from '../data/records';
import { useSessionContext } from '../data/sessionContext';
import { useSyncNow, useSyncStatus } from '../data/sync/SyncContext';

export function SignOutButton({ userId }: { userId: string }) {
  const { signOut } = useSessionContext();
  const unsentLive = useUnsentCount(userId);
  const commandsLive = usePendingCommandCount(userId);
  /** Counted at the press, when the live counts were not read yet (the app had only just opened). */
  const [countedAtPress, setCountedAtPress] = useState<{ unsent: number; commands: number } | null>(null);
  const unsent = unsentLive ?? countedAtPress?.unsent ?? 0;
  const commands = commandsLive ?? countedAtPress?.commands ?? 0;
  const syncNow = useSyncNow();
  const status = useSyncStatus();
  const [asking, setAsking] = useState(false);
  const dialog = useRef<HTMLDivElement>(null);
  const waiting = unsent + commands;

  const onSignOut = async () => {
    let pending = waiting;
    // Pressed before the counts were read: the tablet is asked now, so nobody signs out unwarned.
    if (unsentLive === undefined || commandsLive === undefined) {
      const counted = { unsent: (await unsentRecordIds(userId)).length, commands: (await pendingCommands(userId)).length };
      setCountedAtPress(counted);
      pending = counted.unsent + counted.commands;
    }
    if (pending > 0) setAsking(true);
    else void signOut();
  };

  useEffect(() => {
    if (asking) dialog.current?.focus();
  }, [asking]);
  // Everything went while the question was open: nothing to warn about any more.
  useEffect(() => {
    if (asking && waiting === 0) setAsking(false);
  }, [asking, waiting]);

  return (
    <>
      <button type="button" className="button button--quiet" onClick={() => void onSignOut()}>
        Sign out
      </button>
      {asking && (
        <div className="sign-out-warning" role="alertdialog" aria-labelledby="sign-out-title" aria-describedby="sign-out-text" tabIndex={-1} ref={dialog}>
          <h2 id="sign-out-title">Not everything is sent yet</h2>
          <p id="sign-out-text">
            {unsent > 0 && `${unsent} ${unsent === 1 ? 'record has' : 'records have'} changes not yet on the server. `}
            {commands > 0 && `${commands} ${commands === 1 ? 'action is' : 'actions are'} waiting to be sent. `}
            If you sign out now they stay on this tablet, where only you can see them, and are sent the next time you sign in here.
          </p>
          {status?.sending && (
            <p role="status">
              Sending {status.sending.done} of {status.sending.total}…
            </p>
          )}
          <div className="form-actions">
            <button type="button" className="button button--primary" onClick={() => syncNow?.()} disabled={!syncNow || status?.connection !== 'online'}>
              {status?.connection === 'online' ? 'Send them now' : 'Offline — cannot send now'}
            </button>
            <button type="button" className="button" onClick={() => void signOut()}>
              Sign out anyway
            </button>
            <button type="button" className="button" onClick={() => setAsking(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </>
  );
}
