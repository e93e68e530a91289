import { useEffect, useRef, useState } from 'react';
import type { RecordKind } from '../../../domain/records';
import { useFirstScreenDrawn } from '../firstScreen';
import { useSessionContext } from '../sessionContext';
import { useLiveSync, useSyncManager } from '../sync/SyncContext';
import { openRecord, type RecordHandle } from './openRecord';

export type RecordState =
  | { state: 'loading' }
  /** Not on this device: asking the server for it. */
  | { state: 'fetching' }
  | { state: 'missing' }
  | { state: 'ready'; handle: RecordHandle };

/**
 * Opens a record for as long as the component that shows it is on screen, and keeps it syncing live.
 * A record that is not on this device yet (made elsewhere, reached by a link) is fetched from the
 * server once, when there is a connection.
 */
export function useRecord(userId: string, kind: RecordKind, id: string): RecordState {
  const [state, setState] = useState<RecordState>({ state: 'loading' });
  const user = useSessionContext().session?.user;
  const editorId = user?.id ?? '';
  const editorName = user?.displayName ?? '';
  const syncManager = useSyncManager();
  const handleRef = useRef<RecordHandle | null>(null);
  const fetchedFor = useRef<string | null>(null);
  /** The record this hook currently shows; a fetch that finishes after a change of record is dropped. */
  const showing = useRef<string | null>(null);

  // Open it from this device.
  useEffect(() => {
    let cancelled = false;
    showing.current = `${userId}/${kind}/${id}`;
    setState({ state: 'loading' });
    openRecord(userId, kind, id, { id: editorId, displayName: editorName }).then(
      (opened) => {
        if (cancelled) return opened?.release();
        handleRef.current = opened;
        setState(opened ? { state: 'ready', handle: opened } : { state: 'missing' });
      },
      () => !cancelled && setState({ state: 'missing' }),
    );
    return () => {
      cancelled = true;
      showing.current = null;
      handleRef.current?.release();
      handleRef.current = null;
    };
  }, [userId, kind, id, editorId, editorName]);

  // Not here: ask the server for it, once per record.
  const missing = state.state === 'missing';
  useEffect(() => {
    if (!missing || !syncManager || fetchedFor.current === id) return;
    fetchedFor.current = id;
    const key = `${userId}/${kind}/${id}`;
    const stillShowing = () => showing.current === key;
    setState({ state: 'fetching' });
    (async () => {
      const arrived = await syncManager.fetchRecord(kind, id);
      const opened = arrived && stillShowing() ? await openRecord(userId, kind, id, { id: editorId, displayName: editorName }) : null;
      if (!stillShowing()) return opened?.release();
      handleRef.current = opened;
      setState(opened ? { state: 'ready', handle: opened } : { state: 'missing' });
    })().catch(() => stillShowing() && setState({ state: 'missing' }));
  }, [missing, syncManager, userId, kind, id, editorId, editorName]);

  // A record on screen (or not on this device, so to be fetched) needs sync now: it goes live with it.
  useFirstScreenDrawn(state.state !== 'loading');
  useLiveSync(kind, id, state.state === 'ready');
  return state;
}
