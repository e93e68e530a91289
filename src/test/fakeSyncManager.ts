/** A stand-in for the sync manager with a status the test controls (component tests). */
import { act } from '@testing-library/react';
import { vi } from 'vitest';
import type { SyncManager, SyncStatus } from '../data/sync/syncManager';

export function fakeManager(initial: SyncStatus) {
  let status = initial;
  const listeners = new Set<() => void>();
  const manager = {
    getStatus: () => status,
    subscribe: (l: () => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    syncNow: vi.fn(),
  };
  return {
    manager: manager as unknown as SyncManager,
    syncNow: manager.syncNow,
    set(patch: Partial<SyncStatus>) {
      status = { ...status, ...patch };
      act(() => listeners.forEach((l) => l()));
    },
  };
}
