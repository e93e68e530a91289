import { expect, expectObservation, fillObservation, newObservation, sampleObservation, signIn, test } from './fixtures';

test('a manager signs in, records an observation, reloads and finds it intact', async ({ page }) => {
  await signIn(page, 'tm.okafor');
  const id = await newObservation(page);
  await expect(page.getByText('Grace Okafor', { exact: true }).first()).toBeVisible();
  await fillObservation(page, sampleObservation);
  await expect(page.getByText('Safeguarding Team North')).toBeVisible();

  await page.reload();
  await expectObservation(page, sampleObservation);

  await page.getByRole('link', { name: 'Back to my records' }).click();
  const row = page.getByRole('list', { name: 'My records' }).getByRole('listitem');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Observation of practice');
  await expect(row).toContainText('Draft');
  await expect(row).toContainText('MOS123456');
  await expect(row).toContainText('Yusuf Ahmed');
  // Online, the record reaches the server; "Sent" appears only once the server has proved it stored it.
  await expect(row).toContainText('Sent');
  await expect(page.getByTestId('unsent-count')).toHaveText('Everything is sent');
  await row.getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/observations/${id}$`));
  await expectObservation(page, sampleObservation);
});

test('"Mark as complete" shows each problem beside its field, then completes once they are put right', async ({ page }) => {
  await signIn(page, 'tm.okafor');
  await newObservation(page);
  await page.getByLabel('Child ID').fill('MOS777');
  await page.getByRole('button', { name: 'Mark as complete' }).click();

  const summary = page.getByRole('alert').filter({ hasText: 'cannot be marked as complete yet' });
  await expect(summary).toBeVisible();
  await expect(page.getByLabel('Practitioner observed')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Choose the practitioner you observed.').first()).toBeVisible();
  await expect(page.getByLabel('Identified strengths')).toHaveAccessibleDescription(/Record the identified strengths/);
  await expect(page.getByLabel('Child ID')).not.toHaveAttribute('aria-invalid', 'true');

  await fillObservation(page, { ...sampleObservation, childId: 'MOS777' });
  await expect(page.getByLabel('Identified strengths')).not.toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: 'Mark as complete' }).click();
  await expect(page.locator('.record-status')).toContainText('Complete');
  // Complete, it reads as a document: the observer's words under their labels, no boxes to type in.
  const written = page.getByRole('article', { name: 'The observation as written' });
  await expect(written.getByRole('definition').filter({ hasText: sampleObservation.strengths })).toHaveCount(1);
  await expect(page.getByRole('textbox')).toHaveCount(0);

  await page.reload();
  await expect(page.locator('.record-status')).toContainText('Complete');
  await page.getByRole('link', { name: 'Back to my records' }).click();
  await expect(page.getByRole('list', { name: 'My records' })).toContainText('Complete');
});

test('search filters my records by child ID or practitioner', async ({ page }) => {
  await signIn(page, 'tm.okafor');
  await newObservation(page);
  await fillObservation(page, sampleObservation);
  await page.getByRole('link', { name: 'Back to my records' }).click();
  await newObservation(page);
  await fillObservation(page, { ...sampleObservation, practitioner: 'Chloe Brown', childId: 'LCS998877' });
  await page.getByRole('link', { name: 'Back to my records' }).click();

  const rows = page.getByRole('list', { name: 'My records' }).getByRole('listitem');
  await expect(rows).toHaveCount(2);
  // Newest first.
  await expect(rows.first()).toContainText('LCS998877');
  const search = page.getByLabel('Search by child ID or practitioner');
  await search.fill('lcs998');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('Chloe Brown');
  await search.fill('yusuf');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('MOS123456');
  await search.fill('nobody');
  await expect(rows).toHaveCount(0);
});

test('text typed into a narrative field survives closing the tab one second later', async ({ page, context }) => {
  await signIn(page, 'tm.okafor');
  const id = await newObservation(page);
  const words = 'Amy said she feels safe at home now that her mum has support in the evenings.';
  await page.getByLabel('Identified strengths').pressSequentially(words, { delay: 5 });
  await page.waitForTimeout(1000);
  await page.close();

  const again = await context.newPage();
  await again.goto(`/observations/${id}`);
  await expect(again.getByLabel('Identified strengths')).toHaveText(words);
});

test('a wrong password is refused with a clear message', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Username').fill('tm.okafor');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('The username or password is not right.');
});
