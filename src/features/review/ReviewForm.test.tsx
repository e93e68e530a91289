import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { reviewDomains } from '../../../domain/review';
import { dbFor } from '../../data/db';
import { chooseAtTheSameTime } from '../../data/docs/concurrentChoice';
import { createRecord, openRecord } from '../../data/docs/openRecord';
import { freshUser, renderAt } from '../../test/renderApp';
import { ReviewPage } from './ReviewPage';

async function openReview(values: Record<string, string> = {}) {
  const user = freshUser();
  const id = await createRecord(user.id, user, 'review', { reviewDate: '2026-11-02', ...values });
  await renderAt(`/reviews/${id}`, <Route path="/reviews/:id" element={<ReviewPage />} />, user);
  await screen.findByRole('heading', { name: 'Collaborative case review' });
  return { user, id };
}

/** Every field filled in, and every domain graded except `except`. */
const nearlyComplete = (except?: string) => ({
  childId: 'LCS77',
  socialWorkerId: 'p1',
  socialWorkerName: 'Yusuf Ahmed',
  teamId: 't1',
  levelOfNeed: 'child-in-need',
  reviewDate: '2026-11-02',
  location: 'Town hall',
  conversationMinutes: '90',
  reviewers: 'Grace Okafor (lead), Yusuf Ahmed',
  penPicture: 'Amy is nine and loves drawing.',
  overallEvaluation: 'Good work overall.',
  wentWell: 'Amy’s voice shaped the plan.',
  needsToHappen: 'Share the plan with school.',
  overallGrade: 'good',
  overallGradeRationale: 'Consistent, child-focused work.',
  ...Object.fromEntries(reviewDomains.flatMap((d) => [[`${d.key}Evaluation`, `About ${d.label}.`], ...(d.key === except ? [] : [[`${d.key}Grade`, 'good']])])),
});

describe('collaborative case review form', () => {
  it('labels every part of form 2 in DOMAIN.md’s words, with a grade on the four-point scale for each of the seven domains', async () => {
    await openReview();
    for (const label of ['Child ID', 'Child’s name', 'Social worker / PA', 'Date of the review', 'Where the review took place', 'How long the conversation took (minutes)', 'Who undertook the review', 'Additional work done', 'Pen picture of the child, their circumstances and needs', 'Overall evaluation', 'What has gone well and made a positive difference for the child', 'What needs to happen to support further improvement', 'Rationale for the overall grade', 'The practitioner’s reflections'])
      expect(screen.getByLabelText(label, { exact: false })).toBeInTheDocument();
    for (const domain of reviewDomains) {
      const group = screen.getByRole('group', { name: `${domain.label}: grade` });
      for (const grade of ['Outstanding', 'Good', 'Requires Improvement', 'Inadequate']) expect(within(group).getByRole('radio', { name: grade })).toBeInTheDocument();
      expect(screen.getByLabelText(`${domain.label}: evaluation`, { exact: false })).toBeInTheDocument();
    }
    expect(screen.getByRole('group', { name: 'Overall grade' })).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Level of need' })).toBeInTheDocument();
  });

  it('submitting with an ungraded domain shows the problem beside that domain, and nothing is sent', async () => {
    const { user } = await openReview(nearlyComplete('voiceOfChild'));
    await userEvent.click(screen.getByRole('button', { name: 'Submit for moderation' }));
    const group = await screen.findByRole('group', { name: 'Voice of the child / young person: grade' });
    expect(group).toHaveTextContent('Grade voice of the child / young person.');
    expect(group).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('alert')).toHaveTextContent('This review cannot be submitted for moderation yet');
    expect(await dbFor(user.id).outbox.count()).toBe(0);
  });

  it('a grade two people chose differently at once shows as contested and blocks submitting until it is settled', async () => {
    const { user, id } = await openReview(nearlyComplete());
    // Another participant graded planning differently, at the same time, on their own device.
    await chooseAtTheSameTime(user.id, 'review', id, 'planningGrade', { editor: user, value: 'outstanding' }, { editor: { id: 'p9', displayName: 'Fiona Walsh' }, value: 'inadequate' });

    const notice = await screen.findByRole('note', { name: 'Planning: grade was changed by two people at once' });
    expect(notice).toHaveTextContent('Fiona Walsh chose Inadequate');
    await userEvent.click(screen.getByRole('button', { name: 'Submit for moderation' }));
    expect(await screen.findByText('Settle the contested grades first')).toBeInTheDocument();
    expect(await dbFor(user.id).outbox.count()).toBe(0);

    await userEvent.click(within(notice).getByRole('button', { name: 'Keep Inadequate' }));
    await waitFor(() => expect(screen.queryByRole('note', { name: 'Planning: grade was changed by two people at once' })).toBeNull());
    await userEvent.click(screen.getByRole('button', { name: 'Submit for moderation' }));
    await waitFor(async () => expect((await dbFor(user.id).outbox.toArray()).map((e) => e.command.type)).toEqual(['submit']));
    expect(await screen.findByText(/It will be submitted for moderation when it reaches the server/)).toBeInTheDocument();
  });

  it('the lead reviewer adds people from the directory, by a command that waits for the server', async () => {
    const { user, id } = await openReview();
    await userEvent.selectOptions(screen.getByLabelText('Add someone to the review'), 'Yusuf Ahmed, Practitioner');
    await userEvent.click(screen.getByRole('button', { name: 'Add to the review' }));
    const people = screen.getByRole('region', { name: 'People in this review' });
    const added = await within(people).findByText(/added on this tablet, not yet sent/);
    expect(added.closest('li')).toHaveTextContent('Yusuf Ahmed, Practitioner');
    const [entry] = await dbFor(user.id).outbox.toArray();
    expect(entry?.command).toMatchObject({ type: 'add-participant', record: `review/${id}`, userId: 'p1', role: 'contributor' });
  });

  it('a moderator starts the moderation from the review’s grades; changing one needs a reason before it is recorded', async () => {
    const lead = freshUser();
    const qa = { ...freshUser(), role: 'qa-officer' as const, displayName: 'Sam Green' };
    const id = await createRecord(qa.id, lead, 'review', nearlyComplete());
    await dbFor(qa.id).records.update(id, { status: 'submitted', access: 'read', relationship: 'oversight', unsynced: 0 });
    await renderAt(`/reviews/${id}`, <Route path="/reviews/:id" element={<ReviewPage />} />, qa);
    const u = userEvent.setup();
    // The QA officer can bring a service manager in to moderate with them.
    await u.selectOptions(await screen.findByLabelText('Add a service manager as a moderator'), 'Grace Okafor, Team manager');
    await u.click(screen.getByRole('button', { name: 'Add moderator' }));
    await waitFor(async () => expect((await dbFor(qa.id).outbox.toArray())[0]?.command).toMatchObject({ type: 'add-participant', userId: 'm1', role: 'moderator' }));
    expect(await screen.findByText('Moderated by the QA team with Grace Okafor.')).toBeInTheDocument();
    await dbFor(qa.id).outbox.clear();
    await u.click(await screen.findByRole('button', { name: 'Start the moderation' }));
    const planning = await screen.findByRole('group', { name: 'Planning: agreed grade' });
    expect(within(planning).getByRole('radio', { name: 'Good' })).toBeChecked();
    expect(planning).toHaveTextContent('The review said: Good.');
    await u.click(within(planning).getByRole('radio', { name: 'Requires Improvement' }));
    await u.type(screen.getByLabelText('What has gone well'), 'Sam’s voice is clear.');
    await u.type(screen.getByLabelText('What needs to happen'), 'Dates in the plan.');
    await u.type(screen.getByLabelText('Summary'), 'Sound work.');
    await u.click(screen.getByRole('button', { name: 'Record the moderation' }));
    expect(await screen.findByText('Moderation changed a grade: say why.')).toBeInTheDocument();
    expect(await dbFor(qa.id).outbox.count()).toBe(0);
    await u.type(screen.getByLabelText('Why the grade was changed'), 'The plan has no dates.');
    await u.click(screen.getByRole('button', { name: 'Record the moderation' }));
    await waitFor(async () => expect((await dbFor(qa.id).outbox.toArray())[0]?.command).toMatchObject({ type: 'moderate', record: `review/${id}` }));
    expect(await screen.findByText(/Moderation recorded on this tablet/)).toBeInTheDocument();
  });

  it('shows, when asked, who wrote each part of a narrative field', async () => {
    await openReview();
    const u = userEvent.setup();
    await u.type(screen.getByLabelText('Pen picture of the child, their circumstances and needs'), 'Sam is twelve.');
    expect(screen.queryByTestId('who-wrote')).toBeNull();
    await u.click(screen.getByRole('checkbox', { name: 'Show who wrote what' }));
    expect(await screen.findByTestId('who-wrote')).toHaveTextContent('Grace Okafor: Sam is twelve.');
  });

  it('raises a tracked action (what, why, owner, due date) as a command in the outbox, shown as waiting until the server has it', async () => {
    const { user, id } = await openReview();
    const u = userEvent.setup();
    await u.click(screen.getByRole('button', { name: 'Raise an action' }));
    const form = screen.getByRole('form', { name: 'Raise an action' });
    // Every problem beside its field, and nothing queued.
    await u.click(within(form).getByRole('button', { name: 'Raise the action' }));
    expect(within(form).getByLabelText('What needs to happen')).toHaveAccessibleDescription(/Say what needs to happen/);
    expect(within(form).getByLabelText('Owner', { exact: false })).toHaveAccessibleDescription(/Choose who owns the action/);
    expect(await dbFor(user.id).outbox.count()).toBe(0);

    await u.type(within(form).getByLabelText('What needs to happen'), 'Share the plan with school');
    await u.selectOptions(within(form).getByLabelText('The finding it answers'), 'planning');
    await u.type(within(form).getByLabelText('Why', { exact: false }), 'The school did not have the plan.');
    await u.selectOptions(within(form).getByLabelText('Owner', { exact: false }), 'p1');
    await u.type(within(form).getByLabelText('Due date'), '2099-12-01');
    await u.click(within(form).getByRole('button', { name: 'Raise the action' }));
    await waitFor(async () => {
      const [entry] = await dbFor(user.id).outbox.toArray();
      expect(entry?.command).toMatchObject({ type: 'raise-action', record: `review/${id}`, action: { what: 'Share the plan with school', finding: 'planning', ownerId: 'p1', dueDate: '2099-12-01' } });
    });
    expect(await screen.findByText('Raised on this tablet; it will be sent when there is a connection.')).toBeInTheDocument();
  });

  it('shows actions an older review kept as free text as agreed in the review, and raises a tracked one from them', async () => {
    const user = freshUser();
    const id = await createRecord(user.id, user, 'review', { reviewDate: '2026-11-02' });
    const handle = (await openRecord(user.id, 'review', id, user))!;
    handle.addAction({ what: 'Share the plan with school', who: 'Yusuf', byWhen: '2099-12-01' });
    handle.release();
    await renderAt(`/reviews/${id}`, <Route path="/reviews/:id" element={<ReviewPage />} />, user);
    const agreed = await screen.findByRole('heading', { name: 'Agreed in the review (before actions were tracked)' });
    expect(agreed.parentElement).toHaveTextContent('Share the plan with school — who: Yusuf; by when: 1 Dec 2099');
    await userEvent.click(screen.getByRole('button', { name: 'Raise as a tracked action' }));
    const form = screen.getByRole('form', { name: 'Raise an action' });
    expect(within(form).getByLabelText('What needs to happen')).toHaveValue('Share the plan with school');
    expect(within(form).getByLabelText('Due date')).toHaveValue('2099-12-01');
    // The owner is a person's choice: free text is never matched to someone in the directory.
    expect(within(form).getByLabelText('Owner', { exact: false })).toHaveValue('');
  });

  it('shows the family feedback gathered for the review inside it, in their own words', async () => {
    const { user, id } = await openReview({ childId: 'LCS77' });
    expect(await screen.findByText('No family feedback has been recorded for this yet.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Record family feedback' })).toHaveAttribute('href', `/feedback/new?for=${encodeURIComponent(`review/${id}`)}&child=LCS77`);
    await createRecord(user.id, user, 'feedback', { childId: 'LCS77', linkedRecord: `review/${id}`, giver: 'child', score: '8', workingWell: 'I like my new school.', date: '2026-11-02' });
    const section = screen.getByRole('region', { name: 'Family feedback' });
    expect(await within(section).findByText(/I like my new school/)).toBeInTheDocument();
    expect(section).toHaveTextContent('The child or young person');
    expect(section).toHaveTextContent('How well things are going: 8 out of 10');
  });
});
