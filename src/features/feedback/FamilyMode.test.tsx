import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { FamilyModeGate } from '../../app/FamilyModeGate';
import { createRecord, openRecord } from '../../data/docs/openRecord';
import { readFamilyMode, startFamilyMode } from '../../data/familyMode';
import { freshUser, renderAt } from '../../test/renderApp';
import { FeedbackPage } from './FeedbackPages';

afterEach(() => localStorage.clear());

const routes = (
  <>
    <Route path="/" element={<h1>My records</h1>} />
    <Route path="/feedback/:id" element={<FeedbackPage />} />
    <Route path="*" element={<h1>Page not found</h1>} />
  </>
);

async function storedValues(userId: string, id: string) {
  const handle = await openRecord(userId, 'feedback', id, { id: userId, displayName: 'Test' });
  const values = handle!.values();
  handle!.release();
  return values;
}

describe('family mode', () => {
  it('hands the tablet over with a PIN, shows only the plain-words form saved as they type, and opens again only with the PIN', async () => {
    const user = freshUser();
    const id = await createRecord(user.id, user, 'feedback', { childId: 'FAM1', date: '2026-11-02', linkedRecord: '' });
    await renderAt(`/feedback/${id}`, routes, user, (r) => <FamilyModeGate>{r}</FamilyModeGate>);
    const u = userEvent.setup();
    await u.click(await screen.findByRole('button', { name: 'Hand the tablet to the family' }));
    await u.type(screen.getByLabelText('Choose a PIN'), '12');
    await u.type(screen.getByLabelText('Type the PIN again'), '12');
    await u.click(screen.getByRole('button', { name: 'Hand over the tablet' }));
    expect(await screen.findByText('A PIN is 4 to 8 numbers.')).toBeVisible();
    await u.clear(screen.getByLabelText('Choose a PIN'));
    await u.type(screen.getByLabelText('Choose a PIN'), '4821');
    await u.click(screen.getByRole('button', { name: 'Hand over the tablet' }));
    expect(await screen.findByText('The two PINs are not the same. Type the PIN again.')).toBeVisible();
    await u.clear(screen.getByLabelText('Type the PIN again'));
    await u.type(screen.getByLabelText('Type the PIN again'), '4821');
    await u.click(screen.getByRole('button', { name: 'Hand over the tablet' }));

    // The family's screen: only the form, in plain words. No links, no child ID, no other heading.
    expect(await screen.findByRole('heading', { level: 1, name: 'Tell us what you think' }, { timeout: 3000 })).toHaveFocus();
    expect(screen.queryAllByRole('link')).toHaveLength(0);
    expect(document.body).not.toHaveTextContent('FAM1');
    expect(document.body).not.toHaveTextContent('Family feedback');
    // Faces on the scale; the number is each button's name.
    expect(screen.getByRole('radio', { name: '8' }).closest('label')!.querySelector('svg.score-face')).not.toBeNull();

    await u.click(screen.getByRole('radio', { name: 'I am the child or young person' }));
    await u.click(screen.getByRole('radio', { name: '11 to 15' }));
    await u.type(screen.getByLabelText('What is going well for you?'), 'I like my new school.');
    await u.click(screen.getByRole('radio', { name: '8' }));
    await u.click(screen.getByRole('checkbox', { name: 'Yes, you can use what I wrote to help make things better.' }));
    await waitFor(async () =>
      expect(await storedValues(user.id, id)).toMatchObject({ giver: 'child', ageBand: '11-15', workingWell: 'I like my new school.', score: '8', consent: 'yes', how: 'own-hand' }),
    );

    await u.click(screen.getByRole('button', { name: 'I have finished' }));
    expect(await screen.findByRole('heading', { name: 'Thank you' })).toHaveFocus();
    expect(screen.queryByLabelText('What is going well for you?')).toBeNull();
    await u.type(screen.getByLabelText('Your PIN'), '1111');
    await u.click(screen.getByRole('button', { name: 'Unlock' }));
    expect(await screen.findByText(/That PIN is not right\. 4 more tries/)).toBeVisible();
    expect(readFamilyMode()?.failedPinAttempts).toBe(1);
    await u.type(screen.getByLabelText('Your PIN'), '4821');
    await u.click(screen.getByRole('button', { name: 'Unlock' }));

    // The worker gets the feedback back, with what the family wrote, in the worker's words.
    expect(await screen.findByRole('heading', { level: 1, name: 'Family feedback' })).toBeVisible();
    expect(screen.getByLabelText('What is working well?', { exact: false })).toHaveValue('I like my new school.');
    expect(screen.getByRole('radio', { name: 'In their own hand, on the tablet' })).toBeChecked();
    expect(readFamilyMode()).toBeNull();
  });

  it('any other address shows the family form, not the record list', async () => {
    const user = freshUser();
    const id = await createRecord(user.id, user, 'feedback', { childId: 'FAM2' });
    await startFamilyMode(user.id, id, '4821');
    await renderAt('/', routes, user, (r) => <FamilyModeGate>{r}</FamilyModeGate>);
    expect(await screen.findByRole('heading', { level: 1, name: 'Tell us what you think' })).toBeVisible();
    expect(screen.queryByRole('heading', { name: 'My records' })).toBeNull();
  });

  it('shows only the locked screen to anyone but the worker who handed the tablet over', async () => {
    const user = freshUser();
    const other = freshUser();
    const id = await createRecord(user.id, user, 'feedback', { childId: 'FAM3' });
    await startFamilyMode(user.id, id, '4821');
    await renderAt('/', routes, other, (r) => <FamilyModeGate>{r}</FamilyModeGate>);
    expect(await screen.findByRole('heading', { name: 'This tablet is locked' })).toBeVisible();
    expect(screen.queryByRole('heading', { name: 'My records' })).toBeNull();
    expect(screen.queryByLabelText('What is going well for you?')).toBeNull();
  });
});
