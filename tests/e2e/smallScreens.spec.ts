/**
 * Issue 14, item 4: phones and tablets. At 390, 768 and 1024 px wide, My records, a review and family
 * mode never scroll sideways (the page is no wider than the screen), Sign out and Notifications stay
 * reachable, the 0–10 scale never leaves one number alone on a row, and axe finds nothing. Screenshots are
 * kept in test-results/screens for a person to look at.
 */
import type { Locator, Page } from '@playwright/test';
import { expectNoAccessibilityViolations } from './accessibility';
import { expect, newFeedback, signIn, test } from './fixtures';

const widths = [390, 768, 1024];

async function expectNoSidewaysScroll(page: Page, what: string) {
  const { scrollWidth, viewport } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth }));
  expect(scrollWidth, `${what} is ${scrollWidth} px wide on a ${viewport} px screen`).toBeLessThanOrEqual(viewport);
}

async function shoot(page: Page, name: string, width: number) {
  await page.screenshot({ path: `test-results/screens/${name}-${width}.png`, fullPage: true });
}

/** Each row of the scale holds at least two numbers: "10" (or any other) is never alone on a row. */
async function expectNoLoneScore(scale: Locator, what: string) {
  const tops = await scale.getByRole('radio').evaluateAll((inputs) => inputs.map((input) => Math.round(input.closest('label')!.getBoundingClientRect().top)));
  expect(tops).toHaveLength(11);
  const perRow = new Map<number, number>();
  for (const top of tops) perRow.set(top, (perRow.get(top) ?? 0) + 1);
  expect([...perRow.values()].filter((n) => n === 1), `${what}: numbers per row ${[...perRow.values()].join(', ')}`).toEqual([]);
}

async function expectHeaderReachable(page: Page) {
  for (const control of [page.getByRole('button', { name: 'Sign out' }), page.getByRole('link', { name: /^Notifications/ })]) {
    await expect(control).toBeVisible();
    const box = (await control.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(page.viewportSize()!.width);
    expect(box.height).toBeGreaterThanOrEqual(44);
  }
}

test('at 390, 768 and 1024 px: My records, a review and family feedback fit the screen, keep the header reachable and pass axe', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1024, height: 900 });
  await signIn(page, 'tm.okafor');
  await page.getByRole('link', { name: 'New collaborative case review' }).click();
  await expect(page.getByRole('heading', { name: 'Collaborative case review' })).toBeVisible();
  const reviewUrl = page.url();
  await page.getByLabel('Child ID').fill('MOS3900');
  await page.goto('/');
  await newFeedback(page);
  const feedbackUrl = page.url();
  await page.getByLabel('Child ID').fill('MOS3900');

  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });

    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'My records' })).toBeVisible();
    await expectHeaderReachable(page);
    await expectNoSidewaysScroll(page, `My records at ${width} px`);
    await shoot(page, 'my-records', width);
    await expectNoAccessibilityViolations(page, `My records at ${width} px`);

    await page.goto(reviewUrl);
    await expect(page.getByLabel('Child ID')).toHaveValue('MOS3900');
    await expectHeaderReachable(page);
    await expectNoSidewaysScroll(page, `the review at ${width} px`);
    await shoot(page, 'review', width);
    await expectNoAccessibilityViolations(page, `the review at ${width} px`);

    await page.goto(feedbackUrl);
    await expect(page.getByLabel('Child ID')).toHaveValue('MOS3900');
    await expectNoLoneScore(page.locator('.score-scale'), `the worker's scale at ${width} px`);
    await expectNoSidewaysScroll(page, `family feedback at ${width} px`);
    await shoot(page, 'feedback', width);
  }

  // Family mode: the tablet handed over, at each width.
  await page.setViewportSize({ width: 1024, height: 900 });
  await page.getByRole('button', { name: 'Hand the tablet to the family' }).click();
  await page.getByLabel('Choose a PIN').fill('4821');
  await page.getByLabel('Type the PIN again').fill('4821');
  await page.getByRole('button', { name: 'Hand over the tablet' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Tell us what you think' })).toBeVisible();
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    await expectNoLoneScore(page.locator('.score-scale'), `family mode's scale at ${width} px`);
    await expectNoSidewaysScroll(page, `family mode at ${width} px`);
    await shoot(page, 'family-mode', width);
    await expectNoAccessibilityViolations(page, `family mode at ${width} px`);
  }
  // Every width in between, too: the scale never strands a number.
  for (let width = 320; width <= 1280; width += 40) {
    await page.setViewportSize({ width, height: 900 });
    await expectNoLoneScore(page.locator('.score-scale'), `family mode's scale at ${width} px`);
    await expectNoSidewaysScroll(page, `family mode at ${width} px`);
  }
});
