import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { SyncManagerProvider } from '../data/sync/SyncContext';
import { fakeManager } from '../test/fakeSyncManager';
import { StatusBar } from './StatusBar';

describe('the status bar', () => {
  it('shows the connection, progress while sending, the last sync, and offers Sync now', async () => {
    const fake = fakeManager({ connection: 'offline', sending: null, lastSyncAt: null, problem: null });
    render(
      <SyncManagerProvider manager={fake.manager}>
        <StatusBar userId={`u-${crypto.randomUUID()}`} />
      </SyncManagerProvider>,
    );
    expect(screen.getByTestId('connection')).toHaveTextContent('Offline — working on this tablet');
    expect(screen.getByTestId('last-sync')).toHaveTextContent('Not synced yet');

    fake.set({ connection: 'online', sending: { done: 37, total: 120 } });
    expect(screen.getByTestId('connection')).toHaveTextContent('Online');
    expect(screen.getByTestId('sending')).toHaveTextContent('Sending 37 of 120');

    fake.set({ sending: null, lastSyncAt: '2026-11-22T10:15:00.000Z' });
    expect(screen.queryByTestId('sending')).toBeNull();
    expect(screen.getByTestId('last-sync')).toHaveTextContent(/^Last sync 22 Nov/);

    await userEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    expect(fake.syncNow).toHaveBeenCalled();
  });

  it('when the sign-in is no longer accepted, says so and offers to sign in again', async () => {
    const fake = fakeManager({ connection: 'signed-out', sending: null, lastSyncAt: null, problem: 'Your sign-in has expired.' });
    const signInAgain = vi.fn();
    render(
      <SyncManagerProvider manager={fake.manager}>
        <StatusBar userId="u-1" onSignInAgain={signInAgain} />
      </SyncManagerProvider>,
    );
    expect(screen.getByTestId('connection')).toHaveTextContent('Not syncing — sign in again');
    expect(screen.getByRole('alert')).toHaveTextContent('Your sign-in has expired.');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in again' }));
    expect(signInAgain).toHaveBeenCalled();
  });
});
