/**
 * "The first screen is up": the moment work the person is not waiting for may start (issue 20, item 4).
 * Starting sync loads and runs Yjs, the sync manager and a pass over the whole index; done as the app mounts, it
 * competes for the tablet's CPU with reading and drawing the first list. So sync waits for this: a screen
 * says when it has drawn what the person came for (My records, its first rows or its empty state), and a
 * screen that never says (a record opened from a link, the reports) is waited for at most `longestWaitMs`,
 * so sync is never held up for long.
 */
import { useEffect } from 'react';

const longestWaitMs = 500;

let markShown: (() => void) | null = null;
const shown = new Promise<void>((resolve) => {
  markShown = resolve;
});

/** Resolves once the first screen is drawn, or after `longestWaitMs` of waiting (counted from this call). */
export function afterFirstScreen(): Promise<void> {
  return Promise.race([shown, new Promise<void>((resolve) => setTimeout(resolve, longestWaitMs))]);
}

/** Says the first screen is drawn once `drawn` is true (the effect runs after React has committed it). */
export function useFirstScreenDrawn(drawn: boolean): void {
  useEffect(() => {
    if (drawn) markShown?.();
  }, [drawn]);
}
