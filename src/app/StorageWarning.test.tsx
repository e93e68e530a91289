import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dbFor } from '../data/db';
import { summariseRecord, writeSummary } from '../data/records';
import { reportStorageRecovered } from '../data/storageHealth';
import { StorageWarning } from './StorageWarning';

const meta = {
  id: '3f2c1b7e-1d2a-4c3b-9a8e-0f1e2d3c4b5a',
  kind: 'observation' as const,
  status: 'draft' as const,
  createdAt: '2026-03-14T09:00:00.000Z',
  authorId: 'u-full',
  authorName: 'Grace Okafor',
  authorTeamId: 't1',
};

afterEach(() => {
  vi.restoreAllMocks();
  act(() => reportStorageRecovered());
});

describe('a full disk', () => {
  it('shows a clear message when a write is refused for lack of space, and clears it once writes succeed', async () => {
    render(<StorageWarning />);
    const table = dbFor('u-full').records;
    const put = vi.spyOn(table, 'put').mockRejectedValueOnce(Object.assign(new Error('quota'), { name: 'QuotaExceededError' }));
    const summary = summariseRecord(meta, { childId: 'MOS1' }, '2026-03-14T09:01:00.000Z', 1);

    await act(() => writeSummary('u-full', summary));
    expect(screen.getByRole('alert')).toHaveTextContent('This tablet’s storage is full');

    put.mockRestore();
    await act(() => writeSummary('u-full', summary));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('catches refused writes that nobody awaited (writes left to run in the background)', async () => {
    render(<StorageWarning />);
    const { watchUnhandledStorageErrors } = await import('../data/storageHealth');
    const stop = watchUnhandledStorageErrors(window);
    const event = new Event('unhandledrejection') as PromiseRejectionEvent;
    Object.defineProperty(event, 'reason', { value: new DOMException('full', 'QuotaExceededError') });
    act(() => void window.dispatchEvent(event));
    expect(screen.getByRole('alert')).toHaveTextContent('storage is full');
    stop();
  });
});
