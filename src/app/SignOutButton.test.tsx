import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createRecord } from '../data/docs/openRecord';
import { dbFor, userDbName } from '../data/db';
import { markSent } from '../data/records';
import { saveSession } from '../data/session';
import { SessionProvider, useSessionContext } from '../data/sessionContext';
import { SyncManagerProvider } from '../data/sync/SyncContext';
import { fakeManager } from '../test/fakeSyncManager';
import { freshUser } from '../test/renderApp';
import { SignOutButton } from './SignOutButton';

function SignedInState() {
  const { session } = useSessionContext();
  return <p data-testid="who">{session ? session.user.displayName : 'signed out'}</p>;
}

/** The IndexedDB databases on the device that hold this person's index or records. */
const storesOf = async (userId: string) =>
  (await indexedDB.databases()).map((d) => d.name ?? '').filter((name) => name === userDbName(userId) || name.startsWith(`${userDbName(userId)}/`));

/** The record documents in this person's document table. */
const storedDocs = async (userId: string) => (await dbFor(userId).docUpdates.orderBy('doc').uniqueKeys()).map(String).sort();

async function renderButton(unsentRecords: number, sentRecords = 0) {
  const user = freshUser();
  const ids: string[] = [];
  for (let i = 0; i < unsentRecords; i++) ids.push(await createRecord(user.id, user, 'observation', { childId: `SO${i}` }));
  for (let i = 0; i < sentRecords; i++) await markSent(user.id, await createRecord(user.id, user, 'observation', { childId: `SENT${i}` }));
  saveSession({ refreshExpiresAt: '2099-01-01T00:00:00Z', user });
  const fake = fakeManager({ connection: 'online', sending: null, lastSyncAt: null, problem: null, failed: [] });
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
  it('with everything sent, signs out at once and removes the person’s records from the tablet', async () => {
    const { user } = await renderButton(0, 2);
    // One database holds the index and both records' documents.
    expect(await storesOf(user.id)).toEqual([userDbName(user.id)]);
    expect(await storedDocs(user.id)).toHaveLength(2);
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(screen.getByTestId('who')).toHaveTextContent('signed out'));
    // Their database, with both records' documents in it, is gone, and nothing of theirs is left in localStorage.
    await waitFor(async () => expect(await storesOf(user.id)).toEqual([]));
    expect(Object.keys(localStorage).filter((key) => (localStorage.getItem(key) ?? '').includes(user.id))).toEqual([]);
    expect(localStorage.getItem('fieldnotes.session')).toBeNull();
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

  it('pressed the moment the app opens, before the counts are read, still warns', async () => {
    const { user } = await renderButton(2);
    // No waiting for the screen to settle: the press comes before the tablet's counts have been read.
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    const warning = await screen.findByRole('alertdialog', { name: 'Not everything is sent yet' });
    expect(warning).toHaveTextContent('2 records have changes not yet on the server.');
    expect(screen.getByTestId('who')).toHaveTextContent(user.displayName);
  });

  it('"Sign out anyway" signs out, leaving the unsent records (and the sent ones with them) in the person’s own store', async () => {
    const { user, ids } = await renderButton(1, 1);
    const before = await storesOf(user.id);
    expect(before).toEqual([userDbName(user.id)]);
    const docs = await storedDocs(user.id);
    expect(docs).toHaveLength(2);
    expect(docs).toContain(`observation/${ids[0]}`);
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out anyway' }));
    await waitFor(() => expect(screen.getByTestId('who')).toHaveTextContent('signed out'));
    expect(localStorage.getItem('fieldnotes.session')).toBeNull();
    // Give a removal every chance to happen: it must not.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await storesOf(user.id)).sort()).toEqual(before.sort());
    expect(await storedDocs(user.id)).toEqual(docs);
  });
});
