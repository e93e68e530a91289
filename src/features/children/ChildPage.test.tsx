import { screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { dbFor } from '../../data/db';
import { createRecord } from '../../data/docs/openRecord';
import { todayIsoDate } from '../../lib/format';
import { freshUser, renderAt } from '../../test/renderApp';
import { ChildPage } from './ChildPage';
import { longDate } from './feedbackScores';

/**
 * Family feedback as it is once finished: with their agreement (the strict check asks for it) and marked
 * complete by the server (a command; here, written into the index as the server's listing would).
 */
async function finishedFeedback(user: ReturnType<typeof freshUser>, values: Record<string, string>): Promise<string> {
  const id = await createRecord(user.id, user, 'feedback', { consent: 'yes', ...values });
  await dbFor(user.id).records.update(id, { status: 'complete' });
  return id;
}

const openChild = (childId: string, user: ReturnType<typeof freshUser>) =>
  renderAt(`/children/${childId}`, <Route path="/children/:childId" element={<ChildPage />} />, user);

describe('the child’s page', () => {
  it('charts each scored family feedback for the child, oldest first, with the same numbers in a table', async () => {
    const user = freshUser();
    // Made out of date order, to prove the chart orders them by the date of the feedback.
    await finishedFeedback(user, { childId: 'KID1', giver: 'child', score: '8', date: '2024-10-01' });
    await finishedFeedback(user, { childId: 'KID1', giver: 'parent', score: '4', date: '2024-03-02' });
    await finishedFeedback(user, { childId: 'KID1', giver: 'carer', score: '0', date: '2024-05-10' });
    // No date yet: it stands on the day it was started (today, after all the others).
    await finishedFeedback(user, { childId: 'KID1', score: '5' });
    // Not on the chart: no score; another child's.
    await finishedFeedback(user, { childId: 'KID1', giver: 'parent', date: '2024-04-01' });
    await finishedFeedback(user, { childId: 'KID2', giver: 'parent', score: '2', date: '2024-04-02' });
    await openChild('KID1', user);

    expect(screen.getByRole('heading', { level: 1, name: 'Child KID1' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to my records' })).toHaveAttribute('href', '/records');
    const chart = await screen.findByRole('img', {
      name: `Scores from 4 pieces of family feedback, from 4 on 2 March 2024 to 5 on ${longDate(todayIsoDate())}`,
    });
    const points = [...chart.querySelectorAll('circle')];
    expect(points.map((p) => p.querySelector('title')?.textContent)).toEqual([
      '4 out of 10 on 2 March 2024, from a parent',
      '0 out of 10 on 10 May 2024, from a carer',
      '8 out of 10 on 1 October 2024, from the child or young person',
      `5 out of 10 on ${longDate(todayIsoDate())}, from someone in the family`,
    ]);
    // Left to right in time, higher up for a higher score (SVG y grows downwards).
    const cx = points.map((p) => Number(p.getAttribute('cx')));
    const cy = points.map((p) => Number(p.getAttribute('cy')));
    expect([...cx].sort((a, b) => a - b)).toEqual(cx);
    expect(new Set(cx).size).toBe(4);
    expect(cy[2]).toBeLessThan(cy[3]!);
    expect(cy[3]).toBeLessThan(cy[0]!);
    expect(cy[0]).toBeLessThan(cy[1]!);

    const table = screen.getByRole('table', { name: 'Family feedback scores' });
    expect(within(table).getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['Date', 'Who gave it', 'Score']);
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => within(row).getAllByRole('cell').map((td) => td.textContent));
    expect(rows).toEqual([
      ['2 Mar 2024', 'A parent', '4 out of 10'],
      ['10 May 2024', 'A carer', '0 out of 10'],
      ['1 Oct 2024', 'The child or young person', '8 out of 10'],
      [expect.any(String), 'Not recorded yet', '5 out of 10'],
    ]);
  });

  it('lists every record for the child, each a link to open it, and no other child’s', async () => {
    const user = freshUser();
    const observation = await createRecord(user.id, user, 'observation', { childId: 'KID3', dateOfObservation: '2024-02-01', practitionerName: 'Yusuf Ahmed' });
    const review = await createRecord(user.id, user, 'review', { childId: 'KID3', reviewDate: '2024-03-01' });
    const feedback = await createRecord(user.id, user, 'feedback', { childId: 'KID3', giver: 'carer', score: '6', date: '2024-04-01' });
    await createRecord(user.id, user, 'observation', { childId: 'KID4', dateOfObservation: '2024-02-02' });
    await openChild('KID3', user);

    const list = await screen.findByRole('list', { name: 'Records for this child' });
    const links = within(list).getAllByRole('link');
    expect(links.map((a) => a.getAttribute('href'))).toEqual([`/feedback/${feedback}`, `/reviews/${review}`, `/observations/${observation}`]);
    expect(links[0]).toHaveTextContent('Family feedback');
    expect(links[0]).toHaveTextContent('Given by A carer');
    expect(links[0]).toHaveTextContent('Score 6 out of 10');
    expect(links[1]).toHaveTextContent('Collaborative case review');
    expect(links[1]).toHaveTextContent('Date 1 Mar 2024');
    expect(links[2]).toHaveTextContent('Observation of practice');
    expect(links[2]).toHaveTextContent('Draft');
    expect(links[2]).toHaveTextContent('Practitioner Yusuf Ahmed');
  });

  it('says when there is no scored feedback yet, and draws the chart as soon as there is', async () => {
    const user = freshUser();
    await createRecord(user.id, user, 'observation', { childId: 'KID5', dateOfObservation: '2024-02-01' });
    await createRecord(user.id, user, 'feedback', { childId: 'KID5', giver: 'parent', date: '2024-02-03' });
    await openChild('KID5', user);

    expect(await screen.findByText('No finished family feedback with a score and their agreement to use it has been recorded for this child yet.')).toBeInTheDocument();
    expect(screen.queryByRole('img')).toBeNull();
    expect(screen.queryByRole('table')).toBeNull();
    expect(within(screen.getByRole('list', { name: 'Records for this child' })).getAllByRole('link')).toHaveLength(2);

    await finishedFeedback(user, { childId: 'KID5', giver: 'child', score: '9', date: '2024-02-05' });
    expect(await screen.findByRole('img', { name: 'Score from 1 piece of family feedback: 9 on 5 February 2024' })).toBeInTheDocument();
    expect(screen.queryByText('No finished family feedback with a score and their agreement to use it has been recorded for this child yet.')).toBeNull();
  });

  it('shows each person in one meeting as their own point, even when they gave the same score', async () => {
    const user = freshUser();
    await finishedFeedback(user, { childId: 'KID6', giver: 'parent', score: '6', date: '2024-06-01' });
    await finishedFeedback(user, { childId: 'KID6', giver: 'child', score: '6', date: '2024-06-01' });
    await openChild('KID6', user);

    const chart = await screen.findByRole('img', { name: 'Scores from 2 pieces of family feedback on 1 June 2024: 6 and 6' });
    const points = [...chart.querySelectorAll('circle')];
    expect(points.map((p) => p.querySelector('title')?.textContent)).toEqual([
      '6 out of 10 on 1 June 2024, from a parent',
      '6 out of 10 on 1 June 2024, from the child or young person',
    ]);
    const [first, second] = points.map((p) => Number(p.getAttribute('cx')));
    const radius = Number(points[0]!.getAttribute('r'));
    expect(second! - first!).toBeGreaterThan(2 * radius);
  });

  it('says so when the tablet has nothing for the child', async () => {
    const user = freshUser();
    await openChild('NOBODY', user);
    expect(await screen.findByText('There are no records for this child on this tablet.')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText('No finished family feedback with a score and their agreement to use it has been recorded for this child yet.')).toBeInTheDocument());
  });

  it('never charts or counts feedback that is not finished or that they did not agree may be used, and says how many were left out and why', async () => {
    const user = freshUser();
    await finishedFeedback(user, { childId: 'KID7', giver: 'parent', score: '7', date: '2024-07-01' });
    // A draft with a score and consent ticked: not finished, so not used.
    await createRecord(user.id, user, 'feedback', { childId: 'KID7', giver: 'carer', score: '1', consent: 'yes', date: '2024-07-02' });
    // A draft without consent.
    await createRecord(user.id, user, 'feedback', { childId: 'KID7', giver: 'child', score: '0', date: '2024-07-03' });
    // Marked complete but without their agreement (as an older record might be): still never used.
    const noConsent = await createRecord(user.id, user, 'feedback', { childId: 'KID7', giver: 'parent', score: '2', date: '2024-07-04' });
    await dbFor(user.id).records.update(noConsent, { status: 'complete' });
    await openChild('KID7', user);

    const chart = await screen.findByRole('img', { name: 'Score from 1 piece of family feedback: 7 on 1 July 2024' });
    expect(chart.querySelectorAll('circle')).toHaveLength(1);
    const rows = within(screen.getByRole('table', { name: 'Family feedback scores' })).getAllByRole('row');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toHaveTextContent('7 out of 10');
    expect(screen.getByTestId('left-out')).toHaveTextContent(
      '3 pieces of family feedback are left out of the chart and the table: 2 are not finished yet, and 1 does not have their agreement to be used.',
    );
    // They are still the worker's records, listed (without a chart point) under the child.
    expect(within(screen.getByRole('list', { name: 'Records for this child' })).getAllByRole('link')).toHaveLength(4);
  });
});
