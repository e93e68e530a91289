import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createRecord } from '../data/docs/openRecord';
import { markSent } from '../data/records';
import { SessionProvider, useSessionContext } from '../data/sessionContext';
import { SyncManagerProvider } from '../data/sync/SyncContext';
import { fakeManager } from '../test/fakeSyncManager';
import { freshUser } from '../test/renderApp';
import { SignOutButton } from './SignOutButton';

function SignedInState() {
  const { session } = useSessionContext();
  return <p data-testid="who">{session ? session.user.displayName : 'signed out'}</p>;
}

async function renderButton(unsentRecords: number) {
  const user = freshUser();
  const ids: string[] = [];
  for (let i = 0; i < unsentRecords; i++) ids.push(await createRecord(user.id, user, 'observation', { childId: `SO${i}` }));
  const fake = fakeManager({ connection: 'online', sending: null, lastSyncAt: null, problem: null });
  render(
    <SessionProvider initial={{ refreshExpiresAt: '2099-01-01T00:00:00Z', user }}>
      <SyncManagerProvider manager={fake.manager}>
        <SignOutButton userId={user.id} />
        <SignedInState />
      </SyncManagerProvider>
    </SessionProvider>,
  );
  return { user, ids, fake };
}

describe('signing out', () => {
  it('with everything sent, signs out at once', async () => {
    await renderButton(0);
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(screen.getByTestId('who')).toHaveTextContent('signed out'));
  });

  it('with records not yet sent, warns, offers to send them, and can be cancelled', async () => {
    const { user, ids, fake } = await renderButton(2);
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    const warning = await screen.findByRole('alertdialog', { name: 'Not everything is sent yet' });
    expect(warning).toHaveTextContent('2 records have changes not yet on the server.');
    expect(screen.getByTestId('who')).toHaveTextContent(user.displayName);
    await userEvent.click(screen.getByRole('button', { name: 'Send them now' }));
    expect(fake.syncNow).toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();

    // Asked again, and everything goes meanwhile: the question closes by itself.
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await screen.findByRole('alertdialog');
    for (const id of ids) await markSent(user.id, id);
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(screen.getByTestId('who')).toHaveTextContent(user.displayName);
  });

  it('"Sign out anyway" signs out, leaving the unsent records in the person’s own store', async () => {
    await renderButton(1);
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out anyway' }));
    await waitFor(() => expect(screen.getByTestId('who')).toHaveTextContent('signed out'));
  });
});
