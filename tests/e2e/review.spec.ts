/**
 * Issue 5 in a real Chromium: a lead reviewer and a practitioner write one collaborative case review
 * together — live with presence, then apart (the server stops), and both see the merged review after.
 * Also measures the live edit latency between the two browser contexts.
 */
import type { Page } from '@playwright/test';
import { reviewDomains } from '../../domain/review';
import { storedRecord } from '../support/storedOnServer';
import { expectNoAccessibilityViolations } from './accessibility';
import { expect, newReviewWithSocialWorker, signIn, signOut, test, waitForOfflineReady } from './fixtures';

/**
 * Milliseconds from the keystroke that completes `marker` on `from` until `to` shows it: both pages note
 * the time (the same machine clock) — the sender on its input event, the receiver by checking every
 * millisecond.
 */
async function editLatency(from: Page, to: Page, label: string, marker: string): Promise<number> {
  const watch = (page: Page, event: 'input' | 'poll') =>
    page.evaluate(
      ({ label, marker, event }) =>
        new Promise<number>((resolve) => {
          const field = [...document.querySelectorAll('label')].find((l) => l.textContent === label)!;
          const input = document.getElementById(field.htmlFor) as HTMLTextAreaElement;
          if (event === 'input') {
            const onInput = () => input.value.includes(marker) && (input.removeEventListener('input', onInput), resolve(Date.now()));
            input.addEventListener('input', onInput);
          } else {
            const timer = setInterval(() => input.value.includes(marker) && (clearInterval(timer), resolve(Date.now())), 1);
          }
        }),
      { label, marker, event },
    );
  const typed = watch(from, 'input');
  const arrived = watch(to, 'poll');
  await from.getByLabel(label).press('End');
  await from.getByLabel(label).pressSequentially(marker, { delay: 0 });
  return (await arrived) - (await typed);
}

test('lead reviewer and practitioner co-write a review live with presence, then offline, and both see it merged', async ({ browser, server }) => {
  test.setTimeout(240_000);
  const contexts = await Promise.all([browser.newContext({ baseURL: server.url }), browser.newContext({ baseURL: server.url })]);
  const [lead, practitioner] = await Promise.all(contexts.map((c) => c.newPage()));
  await signIn(lead!, 'tm.okafor');
  await signIn(practitioner!, 'sw.ahmed');

  // The lead reviewer starts the review and adds the practitioner.
  await lead!.getByRole('link', { name: 'New collaborative case review' }).click();
  await expect(lead!.getByRole('heading', { name: 'Collaborative case review' })).toBeVisible();
  const id = lead!.url().split('/').pop()!;
  await lead!.getByLabel('Child ID').fill('CCR2026');
  await lead!.getByLabel('Add someone to the review').selectOption({ label: 'Yusuf Ahmed, Practitioner' });
  await lead!.getByRole('button', { name: 'Add to the review' }).click();
  const people = lead!.getByRole('region', { name: 'People in this review' });
  await expect(people).toContainText('Yusuf Ahmed, Practitioner');
  await expect(people).not.toContainText('not yet sent', { timeout: 30_000 });

  // It reaches the practitioner without a reload; he opens it and both see who else is there.
  const rows = practitioner!.getByRole('list', { name: 'My records' }).getByRole('listitem');
  await expect(rows.filter({ hasText: 'CCR2026' })).toHaveCount(1, { timeout: 30_000 });
  await rows.filter({ hasText: 'CCR2026' }).getByRole('link').click();
  await expect(practitioner!.getByLabel('Child ID')).toHaveValue('CCR2026');
  await expect(lead!.getByTestId('presence')).toContainText('Yusuf Ahmed', { timeout: 20_000 });
  await expect(practitioner!.getByTestId('presence')).toContainText('Grace Okafor', { timeout: 20_000 });
  await practitioner!.getByLabel('Pen picture of the child, their circumstances and needs').click();
  await expect(lead!.getByTestId('presence')).toContainText('Yusuf Ahmed — in Pen picture of the child, their circumstances and needs');

  // Live: each sees the other's typing. Latency from a keystroke to the other screen, both ways.
  const penPicture = 'Pen picture of the child, their circumstances and needs';
  const latencies: number[] = [];
  for (let i = 0; i < 5; i++) {
    latencies.push(await editLatency(lead!, practitioner!, penPicture, ` L${i}`));
    latencies.push(await editLatency(practitioner!, lead!, penPicture, ` P${i}`));
  }
  latencies.sort((a, b) => a - b);
  const median = (latencies[4]! + latencies[5]!) / 2;
  console.log(`Live edit latency between two browser contexts (10 edits): median ${median} ms, min ${latencies[0]} ms, max ${latencies.at(-1)} ms`);
  test.info().annotations.push({ type: 'live edit latency', description: `median ${median} ms, min ${latencies[0]} ms, max ${latencies.at(-1)} ms` });
  const live = await lead!.getByLabel(penPicture).inputValue();
  await expect(practitioner!.getByLabel(penPicture)).toHaveValue(live);

  // Apart: the server stops; both keep writing, in the same field and in their own.
  await Promise.all([waitForOfflineReady(lead!), waitForOfflineReady(practitioner!)]);
  await server.stop();
  for (const page of [lead!, practitioner!]) await expect(page.getByTestId('connection')).toHaveText('Offline — working on this tablet', { timeout: 20_000 });
  await lead!.getByLabel(penPicture).press('End');
  await lead!.getByLabel(penPicture).pressSequentially(' Lead offline.');
  await lead!.getByLabel('What has gone well and made a positive difference for the child').fill('Amy’s voice shaped the plan.');
  await practitioner!.getByLabel(penPicture).press('Home');
  await practitioner!.getByLabel(penPicture).pressSequentially('Practitioner offline. ');
  await practitioner!.getByLabel('The practitioner’s reflections').fill('I would visit sooner next time.');

  await server.restart();
  const merged = `Practitioner offline. ${live} Lead offline.`;
  for (const page of [lead!, practitioner!]) {
    await expect(page.getByLabel(penPicture)).toHaveValue(merged, { timeout: 70_000 });
    await expect(page.getByLabel('What has gone well and made a positive difference for the child')).toHaveValue('Amy’s voice shaped the plan.');
    await expect(page.getByLabel('The practitioner’s reflections')).toHaveValue('I would visit sooner next time.');
  }
  // Who wrote what in the pen picture: both of them.
  await lead!.getByRole('checkbox', { name: 'Show who wrote what' }).check();
  const writers = lead!.getByTestId('who-wrote').first();
  await expect(writers).toContainText('Grace Okafor:');
  await expect(writers).toContainText('Yusuf Ahmed: Practitioner offline.');
  // And the server stores the merged review.
  await expect(lead!.getByTestId('record-status')).toContainText('Sent — stored on the server.', { timeout: 30_000 });
  expect((await storedRecord(server.dataDir, 'review', id)).values).toMatchObject({
    penPicture: merged,
    wentWell: 'Amy’s voice shaped the plan.',
    practitionerReflections: 'I would visit sooner next time.',
  });
  await Promise.all(contexts.map((c) => c.close()));
});

test('a review submitted, moderated and closed reads as a document, at phone and laptop widths', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1024, height: 900 });
  await signIn(page, 'tm.okafor');
  const id = await newReviewWithSocialWorker(page, 'CCR7001', 'Yusuf Ahmed');
  const menu = page.getByRole('navigation', { name: 'Sections of the review' });
  await expect(menu).toContainText('0 of 7 domains graded');
  await page.getByRole('radio', { name: 'Child in Need' }).check();
  await page.getByLabel('Who undertook the review').fill('Grace Okafor (lead)\nYusuf Ahmed, social worker');
  await page.getByLabel('Where the review took place').fill('Civic centre');
  await page.getByLabel('How long the conversation took (minutes)').fill('75');
  await page.getByLabel('Pen picture of the child, their circumstances and needs').fill('Amy is nine and loves drawing.\nShe lives with her mum.');
  for (const domain of reviewDomains) {
    await page.getByLabel(`${domain.label}: evaluation`).fill(`The ${domain.label.toLowerCase()} was child-focused.`);
    await page.getByRole('group', { name: `${domain.label}: grade` }).getByRole('radio', { name: 'Good' }).check();
  }
  await expect(menu).toContainText('7 of 7 domains graded');
  // The menu stays in view beside the form as it scrolls, and takes the focus to the section chosen.
  await menu.getByRole('link', { name: /^6\. Management oversight/ }).click();
  await expect(page.getByRole('heading', { name: '6. Management oversight and supervision' })).toBeFocused();
  await expect(menu).toBeInViewport();
  await page.screenshot({ path: 'test-results/screens/review-menu-1024.png' });
  await page.setViewportSize({ width: 390, height: 900 });
  await menu.getByRole('button', { name: 'Sections' }).click();
  await expect(menu.getByRole('link', { name: 'Overall' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/review-menu-open-390.png' });
  await menu.getByRole('link', { name: 'Overall' }).click();
  await expect(page.getByRole('heading', { name: 'Overall', exact: true })).toBeFocused();
  await expect(menu.getByRole('link', { name: 'Overall' })).toBeHidden();
  await expect(menu.getByRole('button', { name: 'Sections' })).toBeInViewport();
  await page.screenshot({ path: 'test-results/screens/review-menu-closed-390.png' });
  await page.setViewportSize({ width: 1024, height: 900 });
  await page.getByLabel('Overall evaluation').fill('Consistent work that keeps Amy at the centre.');
  await page.getByLabel('What has gone well and made a positive difference for the child').fill('Amy’s voice shaped the plan.');
  await page.getByLabel('What needs to happen to support further improvement').fill('Share the plan with school.');
  await page.getByRole('group', { name: 'Overall grade' }).getByRole('radio', { name: 'Good' }).check();
  await page.getByLabel('Rationale for the overall grade').fill('Child-focused throughout.');
  await page.getByRole('button', { name: 'Submit for moderation' }).click();
  await expect(page.getByTestId('record-status')).toContainText('Submitted for moderation', { timeout: 30_000 });
  await signOut(page);

  // The QA officer moderates: planning is lowered, with a reason.
  await signIn(page, 'qa.green');
  await page.goto(`/reviews/${id}`);
  await page.getByRole('button', { name: 'Start the moderation' }).click({ timeout: 30_000 });
  await page.getByRole('group', { name: 'Planning: agreed grade' }).getByRole('radio', { name: 'Requires Improvement' }).check();
  await page.getByLabel('Why the grade was changed').fill('The plan has no dates.');
  await page.getByLabel('What has gone well').fill('Amy’s voice is clear.');
  await page.getByLabel('What needs to happen').fill('Dates in the plan.');
  await page.getByLabel('Summary').fill('Sound work.');
  await page.getByRole('button', { name: 'Record the moderation' }).click();
  await expect(page.getByTestId('record-status')).toContainText('Moderated', { timeout: 30_000 });
  await signOut(page);

  // The lead reviewer closes it.
  await signIn(page, 'tm.okafor');
  await page.goto(`/reviews/${id}`);
  await page.getByRole('button', { name: 'Close the review' }).click({ timeout: 30_000 });
  await expect(page.getByTestId('record-status')).toContainText('Closed', { timeout: 30_000 });

  // Closed, it reads as a document: no boxes to type in, the grades in a table beside moderation's, who did what.
  const written = page.getByRole('article', { name: 'The review as written' });
  await expect(page.getByRole('textbox')).toHaveCount(0);
  await expect(page.getByRole('radio')).toHaveCount(0);
  const grades = written.getByRole('table', { name: /with the grades agreed at moderation/ });
  await expect(grades.getByRole('row', { name: /Planning/ })).toContainText('Requires Improvement (changed from Good)');
  await expect(grades.getByRole('row', { name: /Overall grade/ })).toContainText('Good');
  const about = written.getByRole('region', { name: 'About this review' });
  await expect(about).toContainText(/Moderated.*by Sam Green/);
  await expect(about).toContainText(/Closed.*by Grace Okafor/);
  await expect(written.getByRole('region', { name: 'Moderation' })).toContainText('The plan has no dates.');
  await expect(written.getByRole('region', { name: 'The review' })).toContainText('Amy is nine and loves drawing.');

  for (const width of [390, 1024]) {
    await page.setViewportSize({ width, height: 900 });
    await expect(grades).toBeVisible();
    const { scrollWidth, viewport } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    expect(scrollWidth, `the closed review is ${scrollWidth} px wide on a ${viewport} px screen`).toBeLessThanOrEqual(viewport);
    await page.screenshot({ path: `test-results/screens/closed-review-${width}.png`, fullPage: true });
    await written.getByRole('region', { name: 'Grades', exact: true }).screenshot({ path: `test-results/screens/closed-review-grades-${width}.png` });
    await about.screenshot({ path: `test-results/screens/closed-review-about-${width}.png` });
    await expectNoAccessibilityViolations(page, `the closed review at ${width} px`);
  }
});

