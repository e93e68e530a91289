/**
 * A record's plain values as they are now (`readValues` of its document), its metadata, actions and the
 * practitioner's reflection, re-read on every change — whatever made it (this screen, another device, the
 * server moving it on). For read views, which must not depend on how fields are edited.
 */
import { useEffect, useState } from 'react';
import type { RecordHandle } from '../data/docs/openRecord';

function snapshot(handle: RecordHandle) {
  return { values: handle.values(), meta: handle.meta(), actions: handle.actions(), reflection: handle.reflection() };
}

export function useRecordSnapshot(handle: RecordHandle) {
  const [state, setState] = useState(() => snapshot(handle));
  useEffect(() => {
    setState(snapshot(handle));
    return handle.subscribe(() => setState(snapshot(handle)));
  }, [handle]);
  return state;
}
