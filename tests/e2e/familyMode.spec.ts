/**
 * Family mode in a real Chromium: a worker hands the tablet to a family. The tablet shows only that one
 * form, and nothing the family does (back, a typed address, a reload, closing and reopening the app)
 * leaves it without the worker's PIN or password; left alone, it locks, and never shows the record list.
 */
import type { Page } from '@playwright/test';
import { storedRecord } from '../support/storedOnServer';
import { expectNoAccessibilityViolations } from './accessibility';
import { expect, fillObservation, newFeedback, newObservation, sampleObservation, signIn, test, waitForOfflineReady } from './fixtures';

const PIN = '4821';
const familyHeading = (page: Page) => page.getByRole('heading', { level: 1, name: 'Tell us what you think' });

/** Starts family feedback for a child and hands the tablet over with a PIN; returns the feedback's id. */
async function handOver(page: Page, childId: string): Promise<string> {
  await page.goto('/');
  const id = await newFeedback(page);
  await page.getByLabel('Child ID').fill(childId);
  await page.getByRole('button', { name: 'Hand the tablet to the family' }).click();
  await page.getByLabel('Choose a PIN').fill(PIN);
  await page.getByLabel('Type the PIN again').fill(PIN);
  await page.getByRole('button', { name: 'Hand over the tablet' }).click();
  await expect(familyHeading(page)).toBeVisible();
  await expect(page).toHaveURL(/\/family$/);
  return id;
}

/** The family's screen, and nothing else: no links, no other record, no names, no child ID. */
async function expectOnlyTheFamilyForm(page: Page, mustNotShow: string[]) {
  await expect(familyHeading(page)).toBeVisible();
  await expect(page).toHaveURL(/\/family$/);
  await expect(page.getByRole('link')).toHaveCount(0);
  await expect(page.getByRole('navigation')).toHaveCount(0);
  const text = await page.locator('body').innerText();
  for (const secret of mustNotShow) expect(text, `the family must not see “${secret}”`).not.toContain(secret);
}

test('family mode cannot be left by back, a changed URL, a reload or reopening without the PIN, and shows no other record — with no signal', async ({ page, server }) => {
  // The server restarts below: a tablet's reconnection backoff can reach 30 s.
  test.setTimeout(180_000);
  await signIn(page, 'tm.okafor');
  await waitForOfflineReady(page);
  // Another record on this tablet, about someone else: the family must never see it.
  const observationId = await newObservation(page);
  await fillObservation(page, { ...sampleObservation, childId: 'OTHER4455' });
  const id = await handOver(page, 'FAM7788');
  const hidden = ['OTHER4455', 'FAM7788', 'Yusuf Ahmed', 'Grace Okafor', 'My records', 'Observation of practice', 'Sign out'];
  await expectOnlyTheFamilyForm(page, hidden);
  await expectNoAccessibilityViolations(page, 'the family mode form');
  // A home visit with no signal: nothing below needs the server (the PIN is checked on the tablet).
  await server.stop();

  await page.getByRole('radio', { name: 'I am a mum, dad or parent' }).check();
  await page.getByLabel('How are you related to the child?').fill('Mum');
  await page.getByLabel('What is going well for you?').fill('Our worker comes when she says she will.');
  await page.getByRole('radio', { name: '7', exact: true }).check();

  // Back: still the family's form.
  await page.goBack();
  await expectOnlyTheFamilyForm(page, hidden);
  // A typed address, the record list's or the other record's: still the family's form.
  await page.goto('/');
  await expectOnlyTheFamilyForm(page, hidden);
  await page.goto(`/observations/${observationId}`);
  await expectOnlyTheFamilyForm(page, hidden);
  // A reload: still the family's form, with what they wrote (saved as they typed).
  await page.reload();
  await expectOnlyTheFamilyForm(page, hidden);
  await expect(page.getByLabel('What is going well for you?')).toHaveValue('Our worker comes when she says she will.');
  await expect(page.getByRole('radio', { name: '7', exact: true })).toBeChecked();
  // Closing the app and opening it again.
  const context = page.context();
  await page.close();
  const reopened = await context.newPage();
  await reopened.goto('/');
  await expectOnlyTheFamilyForm(reopened, hidden);

  await reopened.getByRole('checkbox', { name: 'Yes, you can use what I wrote to help make things better.' }).check();
  await reopened.getByRole('button', { name: 'I have finished' }).click();
  await expect(reopened.getByRole('heading', { level: 1, name: 'Thank you' })).toBeVisible();
  await expect(reopened.getByLabel('What is going well for you?')).toHaveCount(0);
  await expectNoAccessibilityViolations(reopened, 'the family mode locked screen');

  // A wrong PIN is refused, and a reload does not forget it or open the tablet.
  await reopened.getByLabel('Your PIN').fill('1234');
  await reopened.getByRole('button', { name: 'Unlock' }).click();
  await expect(reopened.getByText('That PIN is not right. 4 more tries before only your password will unlock it.')).toBeVisible();
  await reopened.reload();
  await expect(reopened.getByRole('heading', { level: 1, name: 'Thank you' })).toBeVisible();
  await reopened.getByLabel('Your PIN').fill('9999');
  await reopened.getByRole('button', { name: 'Unlock' }).click();
  await expect(reopened.getByText('That PIN is not right. 3 more tries before only your password will unlock it.')).toBeVisible();

  // The worker's PIN: back to the feedback, in the worker's form, with the family's words.
  await reopened.getByLabel('Your PIN').fill(PIN);
  await reopened.getByRole('button', { name: 'Unlock' }).click();
  await expect(reopened.getByRole('heading', { level: 1, name: 'Family feedback' })).toBeVisible();
  await expect(reopened).toHaveURL(new RegExp(`/feedback/${id}$`));
  await expect(reopened.getByLabel('What is working well?')).toHaveValue('Our worker comes when she says she will.');
  await expect(reopened.getByRole('radio', { name: 'In their own hand, on the tablet' })).toBeChecked();

  // What the family wrote reaches the server once there is signal again.
  await server.restart();
  await expect
    .poll(async () => (await storedRecord(server.dataDir, 'feedback', id)).values, { timeout: 70_000 })
    .toMatchObject({ giver: 'parent', relationship: 'Mum', workingWell: 'Our worker comes when she says she will.', score: '7', consent: 'yes', how: 'own-hand' });
});

test('left alone, family mode locks and stays locked across a reload; the worker’s password opens it', async ({ page }) => {
  test.setTimeout(120_000);
  // Time runs as usual until the test jumps it forward.
  await page.clock.install();
  await signIn(page, 'tm.okafor');
  await handOver(page, 'FAM9911');
  await page.getByLabel('What is going well for you?').fill('I can see my brother at weekends.');
  await page.clock.fastForward('04:00');
  await expect(familyHeading(page)).toBeVisible();
  await page.clock.fastForward('01:05');
  await expect(page.getByRole('heading', { level: 1, name: 'This tablet is locked' })).toBeVisible();
  await expect(page.getByLabel('What is going well for you?')).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'This tablet is locked' })).toBeVisible();
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'This tablet is locked' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'My records' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Use my password instead' }).click();
  await page.getByLabel('Your Fieldnotes password').fill('not-my-password');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByText('That password is not right.')).toBeVisible();
  await page.getByLabel('Your Fieldnotes password').fill('fieldnotes-demo');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Family feedback' })).toBeVisible();
  await expect(page.getByLabel('What is working well?')).toHaveValue('I can see my brother at weekends.');
});
