/**
 * What the device's storage is doing: whether the browser agreed to keep our data (persistent storage),
 * how much is used, and whether a write has failed because the disk is full. A full disk must never be
 * a silent failure: the app shows a clear message as soon as one write is refused.
 */
import { useSyncExternalStore } from 'react';

export interface StorageProblem {
  kind: 'full' | 'failed';
  message: string;
}

let problem: StorageProblem | null = null;
const listeners = new Set<() => void>();

export function isQuotaError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const names = [(error as { name?: string }).name, (error as { inner?: { name?: string } }).inner?.name];
  return names.some((n) => n === 'QuotaExceededError');
}

/** Called by every write path when IndexedDB refuses a write. */
export function reportStorageError(error: unknown): void {
  problem = isQuotaError(error)
    ? {
        kind: 'full',
        message:
          'This tablet’s storage is full, so your latest changes could not be saved. Do not close Fieldnotes: free some space (for example delete photos or other apps’ files), then carry on typing.',
      }
    : {
        kind: 'failed',
        message: 'Fieldnotes could not save your latest change on this tablet. Do not close Fieldnotes; try again in a moment.',
      };
  console.error('Storage write failed', error);
  listeners.forEach((l) => l());
}

/** Called when a write succeeds again, so the warning goes away once space has been freed. */
export function reportStorageRecovered(): void {
  if (!problem) return;
  problem = null;
  listeners.forEach((l) => l());
}

export function useStorageProblem(): StorageProblem | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => problem,
  );
}

/** Failed writes that nobody awaited (a write left to run in the background) still reach the user. */
export function watchUnhandledStorageErrors(target: Window = window): () => void {
  const onRejection = (event: PromiseRejectionEvent) => {
    if (isQuotaError(event.reason)) reportStorageError(event.reason);
  };
  target.addEventListener('unhandledrejection', onRejection);
  return () => target.removeEventListener('unhandledrejection', onRejection);
}

/** Asks the browser not to evict our data under pressure. Returns whether it agreed. */
export async function requestPersistentStorage(): Promise<boolean> {
  if (!navigator.storage?.persist) return false;
  if (await navigator.storage.persisted()) return true;
  return navigator.storage.persist();
}
