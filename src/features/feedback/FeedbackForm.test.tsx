import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { dbFor } from '../../data/db';
import { acquireDoc, createRecord } from '../../data/docs/openRecord';
import { setStatus } from '../../../recordModel/recordDoc';
import { freshUser, renderAt } from '../../test/renderApp';
import { FeedbackPage, NewFeedbackPage } from './FeedbackPages';

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

  it('after one person’s feedback is finished, the next person’s starts with the child and the meeting filled in', async () => {
    const user = freshUser();
    const review = `review/${crypto.randomUUID()}`;
    const id = await createRecord(user.id, user, 'feedback', {
      childId: 'FB2', date: '2026-11-03', linkedRecord: review, giver: 'parent', relationship: 'Dad', how: 'meeting', workingWell: 'We get a call back now.', consent: 'yes',
    });
    await renderAt(
      `/feedback/${id}`,
      <>
        <Route path="/feedback/new" element={<NewFeedbackPage />} />
        <Route path="/feedback/:id" element={<FeedbackPage />} />
      </>,
      user,
    );
    const u = userEvent.setup();
    expect(screen.queryByRole('link', { name: 'Record feedback from the next person' })).toBeNull();
    await u.click(await screen.findByRole('button', { name: 'Finish' }));
    await u.click(await screen.findByRole('link', { name: 'Record feedback from the next person' }));
    // A new feedback, not this one, with the child, the review and the meeting already there.
    await waitFor(() => expect(screen.getByLabelText('Child ID')).toHaveValue('FB2'));
    expect(screen.getByLabelText('Date')).toHaveValue('2026-11-03');
    expect(screen.getByRole('radio', { name: 'In person, in a meeting' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'A parent' })).not.toBeChecked();
    const rows = await dbFor(user.id).records.where('kind').equals('feedback').toArray();
    expect(rows.map((r) => r.linkedRecord)).toEqual([review, review]);
  });

  it('shows faces on the scale for a child under 11, and not for older children or adults', async () => {
    const user = freshUser();
    const id = await createRecord(user.id, user, 'feedback', { childId: 'FB3', giver: 'child', ageBand: '5-10' });
    await renderAt(`/feedback/${id}`, <Route path="/feedback/:id" element={<FeedbackPage />} />, user);
    const u = userEvent.setup();
    const face = () => screen.getByRole('radio', { name: '3' }).closest('label')!.querySelector('svg.score-face');
    await screen.findByRole('heading', { name: 'Family feedback' });
    expect(face()).not.toBeNull();
    await u.click(screen.getByRole('radio', { name: '11 to 15' }));
    expect(face()).toBeNull();
  });
});

describe('finished family feedback', () => {
  it('reads as a document of their words, with no disabled boxes', async () => {
    const user = freshUser();
    const id = await createRecord(user.id, user, 'feedback', {
      childId: 'FB9', date: '2026-11-03', giver: 'child', ageBand: '11-15', seenAlone: 'yes', how: 'meeting', score: '8', consent: 'yes',
      workingWell: 'I see my brother at weekends.\nMy worker listens.',
    });
    const { doc, release } = await acquireDoc(user.id, 'feedback', id);
    setStatus(doc, 'complete', new Date('2026-11-03T11:00:00Z'));
    release();
    await renderAt(`/feedback/${id}`, <Route path="/feedback/:id" element={<FeedbackPage />} />, user);
    const words = await screen.findByRole('region', { name: 'In their own words' });
    expect(document.querySelectorAll('input:disabled, textarea:disabled, select:disabled, fieldset:disabled')).toHaveLength(0);
    expect(screen.queryAllByRole('radio')).toHaveLength(0);
    expect(within(words).getByText('What is working well?').nextElementSibling!.querySelector('p')!.innerHTML).toBe('I see my brother at weekends.<br>My worker listens.');
    expect(within(words).getByText('What are we worried about?').nextElementSibling).toHaveTextContent('Not recorded');
    expect(within(words).getByText('How well are things going? (0 to 10)').nextElementSibling).toHaveTextContent('8 out of 10');
    const about = screen.getByRole('region', { name: 'About this feedback' });
    expect(within(about).getByText('Was the child seen alone?').nextElementSibling).toHaveTextContent('Yes');
    expect(within(about).getByText('They agree to this feedback being used').nextElementSibling).toHaveTextContent('Yes');
    expect(screen.getByRole('link', { name: 'Record feedback from the next person' })).toBeInTheDocument();
  });
});

