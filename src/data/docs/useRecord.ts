import { useEffect, useState } from 'react';
import type { RecordKind } from '../../../domain/records';
import { useLiveSync } from '../sync/SyncContext';
import { openRecord, type RecordHandle } from './openRecord';

export type RecordState = { state: 'loading' } | { state: 'missing' } | { state: 'ready'; handle: RecordHandle };

/** Opens a record for as long as the component that shows it is on screen, and keeps it syncing live. */
export function useRecord(userId: string, kind: RecordKind, id: string): RecordState {
  const [state, setState] = useState<RecordState>({ state: 'loading' });
  useEffect(() => {
    let cancelled = false;
    let handle: RecordHandle | null = null;
    setState({ state: 'loading' });
    openRecord(userId, kind, id).then(
      (opened) => {
        handle = opened;
        if (cancelled) opened?.release();
        else setState(opened ? { state: 'ready', handle: opened } : { state: 'missing' });
      },
      () => !cancelled && setState({ state: 'missing' }),
    );
    return () => {
      cancelled = true;
      handle?.release();
    };
  }, [userId, kind, id]);
  useLiveSync(kind, id, state.state === 'ready');
  return state;
}
