/**
 * Issue 20, item 4: a phone-sized screen with 1,500 records. My records says how many there are, draws a
 * screenful (not 1,500 rows), scrolls down to the last, finds by search a record far down the list and opens
 * it; nothing scrolls sideways and axe finds nothing. The 1,500 are index rows as a sync writes them
 * (tests/support/seedIndex.ts), seeded with the server stopped so no sync takes them away; the record opened
 * is one made through the app.
 */
import { expectNoAccessibilityViolations } from './accessibility';
import { expect, newObservation, signIn, test, waitForOfflineReady } from './fixtures';
import { seededRows, seedIndex, signedInUserId } from '../support/seedIndex';

const SEEDED = 1500;

test('1,500 records at 390 px: counted, drawn a screenful at a time, searched, opened; no sideways scroll; axe clean', async ({ page, server }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, 'tm.okafor');
  const id = await newObservation(page);
  await page.getByLabel('Practitioner observed').selectOption({ label: 'Yusuf Ahmed' });
  // Older than every seeded record, so it is the last of the list (which is ordered by the record's date).
  await page.getByLabel('Date of observation').fill('2025-12-01');
  await page.getByLabel('Date of observation').press('Tab');
  await page.getByLabel('Child ID').fill('MOS999999');
  await page.goto('/');
  await expect(page.getByText('1 record', { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: /MOS999999/ })).toContainText('1 Dec 2025');
  await waitForOfflineReady(page);
  const userId = await signedInUserId(page);

  // 1,500 records dated after that one.
  await server.stop();
  const newest = new Date(Date.now() + (SEEDED + 60) * 1000).toISOString();
  await seedIndex(page, userId, seededRows(SEEDED, { id: 'someone-else', name: 'Someone Else', teamId: 'team-north' }, newest), [id]);
  await page.reload();

  const list = page.getByRole('list', { name: 'My records' });
  await expect(page.getByRole('status').filter({ hasText: `${SEEDED + 1} records` })).toBeVisible();
  await expect(list.getByRole('listitem').first()).toHaveAttribute('aria-setsize', String(SEEDED + 1));
  const drawn = await list.getByRole('listitem').count();
  expect(drawn).toBeLessThan(60);
  const mine = page.getByRole('link', { name: /MOS999999/ });
  await expect(mine).toHaveCount(0);

  const { scrollWidth, viewport } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth }));
  expect(scrollWidth, `My records is ${scrollWidth} px wide on a ${viewport} px screen`).toBeLessThanOrEqual(viewport);
  await expectNoAccessibilityViolations(page, 'My records with 1,501 records at 390 px');

  // Scrolled to the end (again, as a person would, while rows drawn on the way are measured taller or
  // shorter than estimated), the last row is drawn, and says it is the last.
  await expect(async () => {
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect(mine).toBeInViewport({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(list.getByRole('listitem').filter({ has: mine })).toHaveAttribute('aria-posinset', String(SEEDED + 1));
  // The last row lies inside its list (so nothing below the list could overlap it).
  const overflow = await list.evaluate((ul) => ul.lastElementChild!.getBoundingClientRect().bottom - ul.getBoundingClientRect().bottom);
  expect(overflow).toBeLessThanOrEqual(1);
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(mine).toHaveCount(0);

  await page.getByLabel('Search by child ID or practitioner').fill('MOS999999');
  await expect(page.getByRole('status').filter({ hasText: `1 of ${SEEDED + 1} records match “MOS999999”` })).toBeVisible();
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expectNoAccessibilityViolations(page, 'My records searched, at 390 px');
  await mine.click();
  await expect(page.getByRole('heading', { name: 'Observation of practice' })).toBeVisible();
  await expect(page.getByLabel('Child ID')).toHaveValue('MOS999999');
});
