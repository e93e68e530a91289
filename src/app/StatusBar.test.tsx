import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { createRecord } from '../data/docs/openRecord';
import { markAccess, markSent } from '../data/records';
import { SyncManagerProvider } from '../data/sync/SyncContext';
import { freshUser } from '../test/renderApp';
import { fakeManager } from '../test/fakeSyncManager';
import { StatusBar } from './StatusBar';

describe('the status bar', () => {
  it('shows the connection, progress while sending, the last sync, and offers Sync now', async () => {
    const fake = fakeManager({ connection: 'offline', sending: null, lastSyncAt: null, problem: null, failed: [] });
    // Offline, the bar asks the server over HTTP now and then (react-query).
    render(
      <QueryClientProvider client={new QueryClient()}>
        <SyncManagerProvider manager={fake.manager}>
          <StatusBar userId={`u-${crypto.randomUUID()}`} />
        </SyncManagerProvider>
      </QueryClientProvider>,
    );
    expect(screen.getByTestId('connection')).toHaveTextContent('Offline — working on this tablet');
    expect(screen.getByTestId('last-sync')).toHaveTextContent('Not synced yet');

    fake.set({ connection: 'online', sending: { done: 37, total: 120 } });
    expect(screen.getByTestId('connection')).toHaveTextContent('Online');
    expect(await screen.findByTestId('sending')).toHaveTextContent('Sending 37 of 120');

    fake.set({ sending: null, lastSyncAt: '2026-11-22T10:15:00.000Z' });
    expect(screen.queryByTestId('sending')).toBeNull();
    expect(screen.getByTestId('last-sync')).toHaveTextContent(/^Last sync 22 Nov/);

    await userEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    expect(fake.syncNow).toHaveBeenCalled();
  });

  it('when the sign-in is no longer accepted, says so and offers to sign in again', async () => {
    const fake = fakeManager({ connection: 'signed-out', sending: null, lastSyncAt: null, problem: 'Your sign-in has expired.', failed: [] });
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

  it('follows the device’s index live: a failed record’s message goes the moment it is stored, and never sits beside "Everything is sent"', async () => {
    const user = freshUser();
    const id = await createRecord(user.id, user, 'observation', { childId: 'MOS1' });
    const fake = fakeManager({ connection: 'online', sending: null, lastSyncAt: null, problem: null, failed: [id] });
    render(
      <SyncManagerProvider manager={fake.manager}>
        <StatusBar userId={user.id} />
      </SyncManagerProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('unsent-count')).toHaveTextContent('1 record not yet sent'));
    expect(screen.getByRole('alert')).toHaveTextContent('1 record could not be sent yet. It is safe on this tablet and Fieldnotes keeps trying: choose Sync now');

    // Stored: the bar changes as one — the count and the message together — with the manager's list unchanged.
    await markSent(user.id, id);
    await waitFor(() => expect(screen.getByTestId('unsent-count')).toHaveTextContent('Everything is sent'));
    expect(screen.getByTestId('sync-problem')).toBeEmptyDOMElement();
    expect(screen.getByTestId('sync-problem')).not.toBeVisible();
  });

  it('says why changes to a record this person may no longer write cannot be sent, and what to do', async () => {
    const user = freshUser();
    const id = await createRecord(user.id, user, 'observation', { childId: 'MOS2' });
    await markAccess(user.id, id, 'read');
    const fake = fakeManager({ connection: 'online', sending: null, lastSyncAt: null, problem: null, failed: [] });
    render(
      <SyncManagerProvider manager={fake.manager}>
        <StatusBar userId={user.id} />
      </SyncManagerProvider>,
    );
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('Changes to 1 record cannot be sent: it was completed, or your access changed.'));
    expect(screen.getByTestId('unsent-count')).toHaveTextContent('1 record not yet sent');
  });
});
