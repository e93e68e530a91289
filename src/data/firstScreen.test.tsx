import { render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The module keeps one "shown" promise for the app's life: each test loads it afresh.
async function load() {
  vi.resetModules();
  return import('./firstScreen');
}

describe('work held until the first screen is drawn (sync, at start)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('starts once the screen has drawn what it was opened for, not before', async () => {
    const { afterFirstScreen, useFirstScreenDrawn } = await load();
    function Screen({ drawn }: { drawn: boolean }) {
      useFirstScreenDrawn(drawn);
      return null;
    }
    let started = false;
    const view = render(<Screen drawn={false} />);
    void afterFirstScreen().then(() => (started = true));
    await vi.advanceTimersByTimeAsync(100);
    expect(started).toBe(false);
    view.rerender(<Screen drawn />);
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toBe(true);
  });

  it('waits at most half a second for a screen that never says (a record opened from a link)', async () => {
    const { afterFirstScreen } = await load();
    let started = false;
    void afterFirstScreen().then(() => (started = true));
    await vi.advanceTimersByTimeAsync(499);
    expect(started).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toBe(true);
  });
});
