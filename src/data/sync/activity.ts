/**
 * Sync work still under way for a person's stores, even after its sync manager was stopped: signing out
 * waits for it before removing their stores, so a pass finishing late neither fails on a store that is
 * gone nor creates it again. A module of its own, so sign-out does not load the sync code.
 */
const running = new Map<string, Set<Promise<unknown>>>();

export function trackSync(storeId: string, work: Promise<unknown>): void {
  const set = running.get(storeId) ?? new Set();
  running.set(storeId, set);
  set.add(work);
  const done = () => {
    set.delete(work);
    if (set.size === 0 && running.get(storeId) === set) running.delete(storeId);
  };
  work.then(done, done);
}

/** Resolves once no sync work for this store is under way (whatever its outcome). */
export async function syncSettled(storeId: string): Promise<void> {
  for (let set = running.get(storeId); set && set.size > 0; set = running.get(storeId)) await Promise.allSettled([...set]);
}
