/**
 * Family feedback (DOMAIN.md form 3) in a real Chromium: it is not finished without the family's
 * agreement, and the reason is shown beside the box; feedback taken with no connection, for a review,
 * reaches everyone in that review when the connection returns, in the family's own words; and the form,
 * with and without its problems showing, meets WCAG 2.2 A and AA as far as axe can tell. Several people in
 * one meeting follow each other, and the child's page charts them all, with or without a connection.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { storedRecord } from '../support/storedOnServer';
import { expectNoAccessibilityViolations } from './accessibility';
import { consentBox, expect, fillFeedback, newFeedback, newReviewWithSocialWorker, signIn, test, waitForOfflineReady, type FeedbackInput } from './fixtures';

/** The server's own row for a record: its state, and the record it was gathered for. */
function serverRow(dataDir: string, name: string) {
  const db = new Database(path.join(dataDir, 'fieldnotes.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT status, review_of AS reviewOf FROM documents WHERE name = ?').get(name) as { status: string; reviewOf: string | null } | undefined;
  } finally {
    db.close();
  }
}

/** What the server has stored for a feedback document: its state (in its registry and its document) and words. */
async function storedFeedback(dataDir: string, id: string) {
  const { stored, meta, values } = await storedRecord(dataDir, 'feedback', id);
  const row = serverRow(dataDir, `feedback/${id}`);
  return { stored, status: row?.status, docStatus: meta?.status, reviewOf: row?.reviewOf, values };
}

const parentFeedback: FeedbackInput = {
  childId: 'MOS778899',
  giver: 'A parent',
  relationship: 'Mum',
  how: 'At a home visit',
  workingWell: 'Yusuf rings back when he says he will, and Amy likes him.',
  score: 7,
  consent: false,
};

test('finishing family feedback without their agreement is refused beside the box; with it, the server stores it complete', async ({ page, server }) => {
  await signIn(page, 'tm.okafor');
  const id = await newFeedback(page);
  await fillFeedback(page, parentFeedback);
  await page.getByRole('button', { name: 'Finish' }).click();

  // The reason is beside the box, tied to it, and listed at the top.
  const consent = consentBox(page);
  await expect(consent).toHaveAttribute('aria-invalid', 'true');
  const consentField = page.locator('.field').filter({ has: consent });
  await expect(consentField).toHaveCount(1);
  await expect(consentField.getByText('The feedback can only be used with their agreement')).toBeVisible();
  await expect(consent).toHaveAccessibleDescription(/The feedback can only be used with their agreement/);
  const summary = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'This feedback cannot be finished yet' }) });
  await expect(summary).toBeVisible();
  await expect(summary).toContainText('There is 1 thing to put right');
  await expect(summary).toContainText('They agree to this feedback being used: The feedback can only be used with their agreement');
  // Still a draft they can change, on the tablet and on the server (which has their words by now).
  await expect(page.getByTestId('record-status')).toContainText('Draft');
  await expect(page.getByTestId('record-status')).toContainText('Sent — stored on the server.', { timeout: 30_000 });
  await expect(page.getByText(/Finished on this tablet/)).toHaveCount(0);
  await expect(page.getByLabel('What is working well?')).toBeEditable();
  const refused = await storedFeedback(server.dataDir, id);
  expect(refused).toMatchObject({ stored: true, status: 'draft', docStatus: 'draft' });
  expect(refused.values).toMatchObject({ workingWell: parentFeedback.workingWell, score: '7', consent: '' });

  // They agree: ticking the box clears the problem, and Finish goes through.
  await consent.check();
  await expect(consent).not.toHaveAttribute('aria-invalid', 'true');
  await expect(consentField.getByText('The feedback can only be used with their agreement')).toHaveCount(0);
  await page.getByRole('button', { name: 'Finish' }).click();
  await expect(page.getByTestId('record-status')).toContainText('Complete', { timeout: 30_000 });
  await expect(page.getByTestId('record-status')).toContainText('Sent — stored on the server.', { timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Finish' })).toHaveCount(0);
  // Finished, their words read as a document, with nothing left to type into.
  await expect(page.getByRole('region', { name: 'In their own words' })).toContainText(parentFeedback.workingWell);
  await expect(page.getByRole('textbox')).toHaveCount(0);
  const finished = await storedFeedback(server.dataDir, id);
  expect(finished).toMatchObject({ stored: true, status: 'complete', docStatus: 'complete' });
  expect(finished.values).toMatchObject({ childId: parentFeedback.childId, giver: 'parent', relationship: 'Mum', how: 'home-visit', workingWell: parentFeedback.workingWell, score: '7', consent: 'yes' });
});

test('the next person in the meeting starts with the child and the meeting filled in; the child’s page charts both, with no signal too', async ({ page, server }) => {
  test.setTimeout(120_000);
  await signIn(page, 'tm.okafor');
  const mumId = await newFeedback(page);
  const mum: FeedbackInput = { ...parentFeedback, childId: 'MOS556677', consent: true };
  await fillFeedback(page, mum);
  const meetingDate = await page.getByLabel('Date', { exact: true }).inputValue();
  await page.getByRole('button', { name: 'Finish' }).click();
  await expect(page.getByTestId('record-status')).toContainText('Complete', { timeout: 30_000 });

  // Dad is next: a new feedback, already for the same child, way and day.
  await page.getByRole('link', { name: 'Record feedback from the next person' }).click();
  await expect(page).toHaveURL(/\/feedback\/[0-9a-f-]{36}$/);
  const dadId = page.url().split('/').pop()!;
  expect(dadId).not.toBe(mumId);
  await expect(page.getByLabel('Child ID')).toHaveValue(mum.childId!);
  await expect(page.getByLabel('Date', { exact: true })).toHaveValue(meetingDate);
  await expect(page.getByRole('radio', { name: mum.how, exact: true })).toBeChecked();
  await expect(page.getByLabel('What is working well?')).toHaveValue('');
  // He gives the same score as Mum: the chart must still show two people, not one.
  await fillFeedback(page, { ...mum, childId: undefined, relationship: 'Dad', workingWell: 'The school run is calmer since the plan.' });
  await page.getByRole('button', { name: 'Finish' }).click();
  await expect(page.getByTestId('record-status')).toContainText('Complete', { timeout: 30_000 });
  await expect(page.getByTestId('record-status')).toContainText('Sent — stored on the server.', { timeout: 30_000 });
  const dad = await storedFeedback(server.dataDir, dadId);
  expect(dad).toMatchObject({ stored: true, status: 'complete' });
  expect(dad.values).toMatchObject({ childId: mum.childId, date: meetingDate, how: 'home-visit', relationship: 'Dad', score: '7' });

  await page.getByRole('link', { name: `All family feedback for child ${mum.childId}` }).click();
  const expectChartOfTheMeeting = async () => {
    await expect(page.getByRole('heading', { level: 1, name: `Child ${mum.childId}` })).toBeVisible();
    const chart = page.getByRole('img', { name: /^Scores from 2 pieces of family feedback on .+: 7 and 7$/ });
    await expect(chart).toBeVisible();
    const points = await chart.locator('circle').evaluateAll((circles) => circles.map((c) => c.getBoundingClientRect()));
    expect(points).toHaveLength(2);
    // Drawn side by side as the browser lays them out, not one over the other.
    expect(points[1]!.left).toBeGreaterThanOrEqual(points[0]!.right);
    const rows = page.getByRole('table', { name: 'Family feedback scores' }).getByRole('row');
    await expect(rows).toHaveCount(3);
    await expect(rows.filter({ hasText: 'A parent' }).filter({ hasText: '7 out of 10' })).toHaveCount(2);
    await expect(page.getByRole('list', { name: 'Records for this child' }).getByRole('link')).toHaveCount(2);
  };
  await expectChartOfTheMeeting();
  await expectNoAccessibilityViolations(page, 'the child’s page with its chart');

  // No signal: the child's page opens from the tablet alone, cold.
  await waitForOfflineReady(page);
  await server.stop();
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('Offline — working on this tablet');
  await expectChartOfTheMeeting();
});

test('feedback taken offline for a review reaches the social worker’s open review, in the family’s words, when the connection returns', async ({ browser, server }) => {
  // After a restart each tablet may take up to its 30 s backoff (with jitter) to come back by itself.
  test.setTimeout(180_000);
  const contexts = await Promise.all([browser.newContext({ baseURL: server.url }), browser.newContext({ baseURL: server.url })]);
  const [lead, worker] = await Promise.all(contexts.map((c) => c.newPage()));
  await signIn(lead!, 'tm.okafor');
  await signIn(worker!, 'sw.ahmed');

  // The lead reviewer starts the review and chooses the child's social worker, who writes it with her.
  const reviewId = await newReviewWithSocialWorker(lead!, 'CCR5150', 'Yusuf Ahmed');
  const workerRows = worker!.getByRole('list', { name: 'My records' }).getByRole('listitem');
  await expect(workerRows.filter({ hasText: 'CCR5150' })).toHaveCount(1, { timeout: 30_000 });
  await workerRows.filter({ hasText: 'CCR5150' }).getByRole('link').click();
  await expect(worker!.getByLabel('Child ID')).toHaveValue('CCR5150');
  const workerFeedback = worker!.getByRole('region', { name: 'Family feedback' });
  await expect(workerFeedback).toContainText('No family feedback has been recorded for this yet.');
  // Marks this page, so it can be told later that it was never reloaded.
  await worker!.evaluate(() => Object.assign(window, { fieldnotesNotReloaded: true }));

  // The lead reviewer's tablet loses its connection (the server stops: this cuts websockets and the service worker too).
  await Promise.all([waitForOfflineReady(lead!), waitForOfflineReady(worker!)]);
  await server.stop();
  await expect(lead!.getByTestId('connection')).toHaveText('Offline — working on this tablet', { timeout: 20_000 });

  await lead!.getByRole('region', { name: 'Family feedback' }).getByRole('link', { name: 'Record family feedback' }).click();
  await expect(lead!.getByRole('heading', { name: 'Family feedback' })).toBeVisible();
  await expect(lead!).toHaveURL(/\/feedback\/[0-9a-f-]{36}$/);
  const feedbackId = lead!.url().split('/').pop()!;
  await expect(lead!.getByLabel('Child ID')).toHaveValue('CCR5150');
  const ownWords = 'Nana says the Tuesday visits are the first time anyone asked Kofi what he wanted for tea.';
  await fillFeedback(lead!, { giver: 'Another family member', relationship: 'Grandmother', how: 'In person, in a meeting', workingWell: ownWords, score: 8, consent: true });
  await lead!.getByRole('button', { name: 'Finish' }).click();
  await expect(lead!.getByText('Finished on this tablet. It will be marked finished when it reaches the server')).toBeVisible();

  // Back in the review, still offline: the feedback is there, and the record list says it is not yet sent.
  await lead!.getByRole('link', { name: 'Back to the collaborative case review' }).click();
  await expect(lead!.getByRole('heading', { name: 'Collaborative case review' })).toBeVisible();
  const leadFeedback = lead!.getByRole('region', { name: 'Family feedback' });
  await expect(leadFeedback).toContainText(`“${ownWords}”`);
  await expect(leadFeedback).toContainText('Another family member (Grandmother)');
  await lead!.getByRole('link', { name: 'Back to my records' }).click();
  const leadFeedbackRow = lead!.getByRole('list', { name: 'My records' }).getByRole('listitem').filter({ hasText: 'Family feedback' });
  await expect(leadFeedbackRow).toHaveCount(1);
  await expect(leadFeedbackRow).toContainText('Saved on this tablet — not yet sent');
  await expect(lead!.getByTestId('connection')).toHaveText('Offline — working on this tablet');

  // The connection returns: the social worker, who has the review open, sees their words without a reload.
  await server.restart();
  await expect(workerFeedback).toContainText(`“${ownWords}”`, { timeout: 70_000 });
  await expect(workerFeedback).toContainText('Another family member (Grandmother)');
  await expect(workerFeedback).toContainText('How well things are going: 8 out of 10');
  await expect(workerFeedback).toContainText('Complete', { timeout: 30_000 });
  expect(await worker!.evaluate(() => (window as unknown as { fieldnotesNotReloaded?: boolean }).fieldnotesNotReloaded)).toBe(true);
  await expect(leadFeedbackRow).toContainText('Sent', { timeout: 70_000 });
  await expect(leadFeedbackRow).not.toContainText('not yet sent');

  // And the server stores it: complete, gathered for that review, in their words.
  await expect.poll(async () => (await storedFeedback(server.dataDir, feedbackId)).status, { timeout: 30_000 }).toBe('complete');
  const stored = await storedFeedback(server.dataDir, feedbackId);
  expect(stored).toMatchObject({ stored: true, docStatus: 'complete', reviewOf: `review/${reviewId}` });
  expect(stored.values).toMatchObject({ childId: 'CCR5150', giver: 'family-member', relationship: 'Grandmother', workingWell: ownWords, score: '8', consent: 'yes', linkedRecord: `review/${reviewId}` });
  await Promise.all(contexts.map((c) => c.close()));
});

test('the feedback form, with and without its problems showing, and the pages around it meet WCAG 2.2 AA (axe)', async ({ page }) => {
  await signIn(page, 'tm.okafor');
  await expectNoAccessibilityViolations(page, 'My records, empty');

  await newFeedback(page);
  await expectNoAccessibilityViolations(page, 'the empty family feedback form');
  await page.getByRole('button', { name: 'Finish' }).click();
  await expect(page.getByRole('heading', { name: 'This feedback cannot be finished yet' })).toBeVisible();
  await expect(consentBox(page)).toHaveAttribute('aria-invalid', 'true');
  await expectNoAccessibilityViolations(page, 'the family feedback form after a refused Finish');
  // A child giving feedback: their age and whether they were seen alone are asked, with problems showing.
  await page.getByRole('radio', { name: 'The child or young person' }).check();
  const age = page.getByRole('group', { name: 'The child’s age' });
  await expect(age).toBeVisible();
  await page.getByRole('button', { name: 'Finish' }).click();
  await expect(age.getByText('Choose the child’s age.')).toBeVisible();
  await expect(age).toHaveAttribute('aria-invalid', 'true');
  await expectNoAccessibilityViolations(page, 'the family feedback form for a child, after a refused Finish');

  await page.getByRole('link', { name: 'Back to my records' }).click();
  await expect(page.getByRole('list', { name: 'My records' }).getByRole('listitem')).toHaveCount(1);
  await expectNoAccessibilityViolations(page, 'My records with a record');

  await page.getByRole('link', { name: 'New collaborative case review' }).click();
  await expect(page.getByRole('heading', { name: 'Collaborative case review' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Family feedback' })).toBeVisible();
  await expectNoAccessibilityViolations(page, 'the collaborative case review form');
});
