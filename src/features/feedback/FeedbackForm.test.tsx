import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { dbFor } from '../../data/db';
import { createRecord } from '../../data/docs/openRecord';
import { freshUser, renderAt } from '../../test/renderApp';
import { FeedbackPage } from './FeedbackPages';

describe('family feedback form', () => {
  it('finishing without consent is refused with the reason beside the box; with it, the feedback is finished', async () => {
    const user = freshUser();
    const id = await createRecord(user.id, user, 'feedback', { childId: 'FB1', date: '2026-11-02' });
    await renderAt(`/feedback/${id}`, <Route path="/feedback/:id" element={<FeedbackPage />} />, user);
    const u = userEvent.setup();
    await screen.findByRole('heading', { name: 'Family feedback' });
    await u.click(screen.getByRole('radio', { name: 'A parent' }));
    await u.type(screen.getByLabelText('Their relationship to the child'), 'Mum');
    await u.click(screen.getByRole('radio', { name: 'At a home visit' }));
    await u.type(screen.getByLabelText('What is working well?', { exact: false }), 'The new worker listens to us.');
    await u.click(screen.getByRole('radio', { name: '7' }));
    await u.click(screen.getByRole('button', { name: 'Finish' }));
    const consent = screen.getByRole('checkbox', { name: 'They agree to this feedback being used' });
    expect(consent).toHaveAttribute('aria-invalid', 'true');
    expect(consent.closest('.field')).toHaveTextContent('The feedback can only be used with their agreement.');
    expect(await dbFor(user.id).outbox.count()).toBe(0);
    await u.click(consent);
    await u.click(screen.getByRole('button', { name: 'Finish' }));
    await waitFor(async () => expect((await dbFor(user.id).outbox.toArray())[0]?.command).toMatchObject({ type: 'complete', record: `feedback/${id}` }));
  });
});
