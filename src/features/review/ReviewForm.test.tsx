import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { moderationIdFor } from '../../../domain/moderation';
import { reviewDomains } from '../../../domain/review';
import { dbFor } from '../../data/db';
import { chooseAtTheSameTime } from '../../data/docs/concurrentChoice';
import { acquireDoc, createRecord, openRecord } from '../../data/docs/openRecord';
import { setStatus } from '../../../recordModel/recordDoc';
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

/**
 * A review as the server leaves it after each step: submitted by its lead reviewer, moderated by the QA
 * officer (whose moderation lowers the planning grade), then, if `closed`, closed by the lead reviewer.
 */
async function finishedReview(status: 'submitted' | 'moderated' | 'closed') {
  const lead = freshUser();
  const qa = { ...freshUser(), role: 'qa-officer' as const, displayName: 'Sam Green' };
  const id = await createRecord(lead.id, lead, 'review', {
    ...nearlyComplete(),
    penPicture: 'Amy is nine and loves drawing.\nShe lives with her mum and her brother.\n\nShe moved school in September.',
  });
  const handle = (await openRecord(lead.id, 'review', id, lead))!;
  handle.addAction({ what: 'Share the plan with school', who: 'Yusuf Ahmed', byWhen: '2026-12-01' });
  handle.release();
  if (status !== 'submitted')
    await createRecord(lead.id, qa, 'moderation', {
      ...Object.fromEntries(reviewDomains.map((d) => [`${d.key}Grade`, 'good'])),
      planningGrade: 'requires-improvement',
      overallGrade: 'good',
      wentWell: 'Amy’s voice is clear throughout.',
      needsToHappen: 'Put dates in the plan.',
      summary: 'Sound, child-focused work.',
      gradeChangeReason: 'The plan has no dates, so progress cannot be measured.',
    }, moderationIdFor(id));
  const { doc, release } = await acquireDoc(lead.id, 'review', id);
  setStatus(doc, 'submitted', new Date('2026-11-03T10:00:00Z'));
  if (status !== 'submitted') setStatus(doc, 'moderated', new Date('2026-11-10T14:30:00Z'), qa);
  if (status === 'closed') setStatus(doc, 'closed', new Date('2026-11-12T09:15:00Z'), lead);
  release();
  await renderAt(`/reviews/${id}`, <Route path="/reviews/:id" element={<ReviewPage />} />, lead);
  await screen.findByRole('heading', { name: 'Collaborative case review' });
  return { lead, id };
}

const document_ = () => screen.getByRole('article', { name: 'The review as written' });

describe('a finished review reads as a document', () => {
  it('a closed review shows every field as text under its label, never as disabled form boxes, and keeps line breaks', async () => {
    await finishedReview('closed');
    const doc = await screen.findByRole('article', { name: 'The review as written' });
    await within(doc).findByRole('heading', { level: 2, name: 'Moderation' }, { timeout: 5000 });
    // Nothing on the page is a form control nobody can use.
    expect(document.querySelectorAll('input:disabled, textarea:disabled, select:disabled, fieldset:disabled')).toHaveLength(0);
    expect(within(doc).queryAllByRole('textbox')).toHaveLength(0);
    expect(within(doc).queryAllByRole('radio')).toHaveLength(0);
    expect(screen.queryByRole('button', { name: 'Submit for moderation' })).toBeNull();

    for (const heading of ['About this review', 'The child', 'The review', 'Grades', 'The seven domains', 'Overall', 'Actions agreed', 'The practitioner’s reflections', 'Moderation'])
      expect(within(doc).getByRole('heading', { level: 2, name: heading })).toBeInTheDocument();
    for (const domain of reviewDomains) expect(within(doc).getByRole('heading', { level: 3, name: new RegExp(domain.label.replace(/[/]/g, '\\/')) })).toBeInTheDocument();

    // Each field under its label; an empty one said plainly.
    const child = within(doc).getByRole('region', { name: 'The child' });
    expect(within(child).getByText('Child ID').nextElementSibling).toHaveTextContent('LCS77');
    expect(within(child).getByText('Child’s name').nextElementSibling).toHaveTextContent('Not recorded');
    // The person's words as written: a line break stays a line break, a blank line a new paragraph.
    const penPicture = within(doc).getByText('Pen picture of the child, their circumstances and needs').nextElementSibling!;
    const paragraphs = penPicture.querySelectorAll('p');
    expect(paragraphs).toHaveLength(2);
    expect(paragraphs[0]!.innerHTML).toBe('Amy is nine and loves drawing.<br>She lives with her mum and her brother.');
    expect(paragraphs[1]).toHaveTextContent('She moved school in September.');

    // The actions agreed, in a table.
    const actions = within(doc).getByRole('table', { name: /Actions agreed/ });
    expect(within(actions).getByRole('row', { name: /Share the plan with school/ })).toHaveTextContent('Yusuf Ahmed1 Dec 2026');

    // Who submitted, moderated and closed it, and when.
    const about = within(doc).getByRole('region', { name: 'About this review' });
    expect(within(about).getByText('Submitted for moderation').nextElementSibling).toHaveTextContent(/3 Nov 2026 at \d\d:\d\d, by Grace Okafor/);
    expect(within(about).getByText('Moderated').nextElementSibling).toHaveTextContent(/10 Nov 2026 at \d\d:\d\d, by Sam Green/);
    expect(within(about).getByText('Closed').nextElementSibling).toHaveTextContent(/12 Nov 2026 at \d\d:\d\d, by Grace Okafor/);
    // Closed: nothing left to close.
    expect(screen.queryByRole('button', { name: 'Close the review' })).toBeNull();
  });

  it('shows the seven grades and the overall grade in a table, with the grades moderation agreed beside the review’s and why one changed', async () => {
    await finishedReview('closed');
    // The moderation is a document of its own, opened after the review.
    const table = await screen.findByRole('table', { name: /seven domains and the overall grade, with the grades agreed at moderation/ }, { timeout: 5000 });
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Domain', 'Review’s grade', 'Agreed at moderation']);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getByRole('rowheader').textContent)).toEqual([...reviewDomains.map((d, i) => `${i + 1}. ${d.label}`), 'Overall grade']);
    const planning = within(table).getByRole('row', { name: /Planning/ });
    expect(within(planning).getAllByRole('cell').map((c) => c.textContent)).toEqual(['Good', 'Requires Improvement (changed from Good)']);
    const assessment = within(table).getByRole('row', { name: /Assessment/ });
    expect(within(assessment).getAllByRole('cell').map((c) => c.textContent)).toEqual(['Good', 'Good']);

    const moderation = within(document_()).getByRole('region', { name: 'Moderation' });
    expect(moderation).toHaveTextContent(/Recorded 10 Nov 2026 at \d\d:\d\d, by Sam Green\./);
    expect(moderation).toHaveTextContent('Moderation changed one grade');
    expect(within(moderation).getByText('Why the grade was changed').nextElementSibling).toHaveTextContent('The plan has no dates, so progress cannot be measured.');
    expect(within(moderation).getByText('Summary').nextElementSibling).toHaveTextContent('Sound, child-focused work.');
  });

  it('a moderated review can still be closed by its lead reviewer, and still takes family feedback and concerns', async () => {
    const { lead, id } = await finishedReview('moderated');
    await screen.findByRole('table', { name: /with the grades agreed at moderation/ });
    expect(screen.getByRole('link', { name: 'Record family feedback' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Raise an immediate concern/ })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Close the review' }));
    await waitFor(async () => expect((await dbFor(lead.id).outbox.toArray()).map((e) => e.command)).toEqual([expect.objectContaining({ type: 'close', record: `review/${id}` })]));
    expect(await screen.findByText(/Closing — this will be sent/)).toBeInTheDocument();
  });

  it('a submitted review reads as a document too, without the moderation’s draft grades', async () => {
    await finishedReview('submitted');
    const table = await screen.findByRole('table', { name: /grade for each of the seven domains/ });
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Domain', 'Review’s grade']);
    expect(document.querySelectorAll('input:disabled, textarea:disabled, select:disabled, fieldset:disabled')).toHaveLength(0);
    expect(await screen.findByText('Waiting for moderation.')).toBeInTheDocument();
  });
});

describe('the review’s section menu', () => {
  const menu = () => screen.getByRole('navigation', { name: 'Sections of the review' });

  it('lists every section and counts the domains graded, as they are graded', async () => {
    await openReview();
    const u = userEvent.setup();
    expect(within(menu()).getAllByRole('link').map((l) => l.textContent)).toEqual([
      'The child',
      'The review',
      ...reviewDomains.map((d, i) => `${i + 1}. ${d.label}: Not graded`),
      'Overall',
      'Actions',
      'Reflections',
    ]);
    expect(menu()).toHaveTextContent('0 of 7 domains graded');
    await u.click(within(screen.getByRole('group', { name: 'Assessment: grade' })).getByRole('radio', { name: 'Good' }));
    expect(menu()).toHaveTextContent('1 of 7 domains graded');
    await u.click(within(screen.getByRole('group', { name: 'Case recording: grade' })).getByRole('radio', { name: 'Inadequate' }));
    expect(menu()).toHaveTextContent('2 of 7 domains graded');
    expect(within(menu()).getByRole('link', { name: /^1\. Assessment/ })).toHaveTextContent('Good');
    expect(within(menu()).getByRole('link', { name: /^7\. Case recording/ })).toHaveTextContent('Inadequate');
    // The overall grade is not a domain: it does not count.
    await u.click(within(screen.getByRole('group', { name: 'Overall grade' })).getByRole('radio', { name: 'Good' }));
    expect(menu()).toHaveTextContent('2 of 7 domains graded');
  });

  it('marks the sections with problems after a failed submit, and only those', async () => {
    await openReview({ ...nearlyComplete('voiceOfChild'), location: '' });
    expect(within(menu()).queryAllByText('Needs attention')).toHaveLength(0);
    await userEvent.click(screen.getByRole('button', { name: 'Submit for moderation' }));
    await screen.findByText('This review cannot be submitted for moderation yet');
    const marked = within(menu())
      .getAllByRole('link')
      .filter((link) => link.textContent?.includes('Needs attention'))
      .map((link) => link.getAttribute('href'));
    expect(marked).toEqual(['#section-review', '#domain-voiceOfChild']);
    expect(menu()).toHaveTextContent('2 sections need attention');
    // Put right, the mark goes.
    await userEvent.type(screen.getByLabelText('Where the review took place'), 'Town hall');
    await waitFor(() => expect(within(menu()).getByRole('link', { name: /^The review/ })).not.toHaveTextContent('Needs attention'));
  });

  it('moves the focus to the chosen section’s heading, by pointer or keyboard', async () => {
    await openReview();
    const u = userEvent.setup();
    const toggle = within(menu()).getByRole('button', { name: 'Sections' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await u.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await u.click(within(menu()).getByRole('link', { name: 'Overall' }));
    expect(screen.getByRole('heading', { level: 2, name: 'Overall' })).toHaveFocus();
    // Chosen, the list closes again so it does not sit over the form.
    expect(toggle).toHaveAttribute('aria-expanded', 'false');

    within(menu()).getByRole('link', { name: /^5\. Parent \/ carer engagement/ }).focus();
    await u.keyboard('{Enter}');
    expect(screen.getByRole('heading', { level: 3, name: '5. Parent / carer engagement' })).toHaveFocus();
    await u.click(within(menu()).getByRole('link', { name: 'Actions' }));
    expect(screen.getByRole('heading', { level: 2, name: 'Actions' })).toHaveFocus();
  });
});

