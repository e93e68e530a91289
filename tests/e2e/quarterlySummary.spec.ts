/**
 * Issue 17, item 3 in Chromium: a head of service starts the quarterly summary of their service from Reports; the
 * QA officer opens the same summary on another screen; they write it together, each seeing the other's words as
 * they type; the head of service submits it to the leadership team; it is read-only on both screens, listed by
 * quarter as submitted, and its PDF downloads with their words in it. Axe finds nothing on the list or the summary.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dateInEngland } from '../../domain/actions';
import { periodContaining, previousPeriod } from '../../domain/periods';
import { expectNoAccessibilityViolations } from './accessibility';
import { expect, signIn, test } from './fixtures';

test('a head of service and the QA officer write the quarterly summary together, submit it, and it is listed by quarter with its PDF', async ({ browser, server }) => {
  test.setTimeout(240_000);
  const contexts = await Promise.all([browser.newContext({ baseURL: server.url }), browser.newContext({ baseURL: server.url })]);
  const [hos, qa] = await Promise.all(contexts.map((c) => c.newPage())) as [import('@playwright/test').Page, import('@playwright/test').Page];
  await signIn(hos, 'hos.patel');
  await signIn(qa, 'qa.green');
  // The quarter a summary is usually written for: the one that has just ended (the first choice).
  const quarter = previousPeriod(periodContaining('quarter', dateInEngland(new Date())));

  // The head of service goes from Reports to the quarterly summaries and starts Safeguarding's.
  await hos.getByRole('link', { name: 'Reports' }).first().click();
  await hos.getByRole('link', { name: 'Quarterly summaries' }).click();
  await expect(hos.getByRole('heading', { name: 'Quarterly summaries', level: 1 })).toBeVisible();
  await expect(hos.getByText('No quarterly summary has been started yet.')).toBeVisible();
  await expectNoAccessibilityViolations(hos, 'the list of quarterly summaries');
  await expect(hos.getByLabel('Quarter', { exact: true })).toHaveValue(quarter.id);
  await hos.getByRole('button', { name: 'Start or open the summary' }).click();
  await expect(hos).toHaveURL(/\/summaries\/[0-9a-f-]{36}$/);
  const id = hos.url().split('/').pop()!;
  await expect(hos.getByRole('heading', { name: `Quarterly summary: Safeguarding, ${quarter.label}` })).toBeVisible({ timeout: 30_000 });
  // Drafted from the data: the activity table is there before anyone writes.
  await expect(hos.getByRole('region', { name: 'activity table' })).toContainText('Collaborative case reviews submitted');

  // The QA officer finds it in the list, under its quarter, being written, and opens it.
  await qa.goto('/reports/summaries');
  const quarterSection = qa.getByRole('region', { name: quarter.label });
  await expect(quarterSection.getByRole('listitem')).toContainText('Being written');
  await quarterSection.getByRole('link', { name: 'Safeguarding' }).click();
  await expect(qa).toHaveURL(new RegExp(`/summaries/${id}$`));
  await expect(qa.getByRole('heading', { name: `Quarterly summary: Safeguarding, ${quarter.label}` })).toBeVisible({ timeout: 30_000 });
  await expectNoAccessibilityViolations(qa, 'a quarterly summary being written');

  // Live: each sees the other's words, in the same field and in their own.
  const workingWell = 'What is working well';
  await hos.getByLabel(workingWell).click();
  await hos.getByLabel(workingWell).pressSequentially('Children’s wishes shape their plans.');
  await expect(qa.getByLabel(workingWell)).toHaveText('Children’s wishes shape their plans.', { timeout: 20_000 });
  await qa.getByLabel(workingWell).press('ControlOrMeta+End');
  await qa.getByLabel(workingWell).pressSequentially(' Moderation agreed most grades.');
  const together = 'Children’s wishes shape their plans. Moderation agreed most grades.';
  await expect(hos.getByLabel(workingWell)).toHaveText(together, { timeout: 20_000 });
  await qa.getByLabel('What we are worried about').click();
  await qa.getByLabel('What we are worried about').pressSequentially('Recording is late in Team North.');
  await expect(hos.getByLabel('What we are worried about')).toHaveText('Recording is late in Team North.', { timeout: 20_000 });
  await hos.getByLabel('What action is needed').click();
  await hos.getByLabel('What action is needed').pressSequentially('A recording audit next month.');
  await expect(qa.getByLabel('What action is needed')).toHaveText('A recording audit next month.', { timeout: 20_000 });
  // The QA officer drafts the figures again (records may have been finished since): everyone's words stay,
  // and what both write after it is still sent and stored.
  await qa.getByRole('button', { name: 'Draft the figures and quotes again' }).click();
  await expect(qa.getByRole('status').filter({ hasText: 'Drafted again from the records as they are now.' })).toBeVisible({ timeout: 30_000 });
  await hos.getByLabel('What action is needed').press('ControlOrMeta+End');
  await hos.getByLabel('What action is needed').pressSequentially(' Then again in spring.');
  for (const page of [hos, qa]) {
    await expect(page.getByLabel(workingWell)).toHaveText(together);
    await expect(page.getByLabel('What action is needed')).toHaveText('A recording audit next month. Then again in spring.', { timeout: 20_000 });
  }
  for (const page of [hos, qa]) await expect(page.getByTestId('record-status')).toContainText('Sent — stored on the server.', { timeout: 30_000 });

  // Submitted to the leadership team: read-only on both screens, their words kept.
  await hos.getByRole('button', { name: 'Submit to the leadership team' }).click();
  for (const page of [hos, qa]) {
    await expect(page.getByTestId('record-status')).toContainText('Submitted to the leadership team', { timeout: 30_000 });
    await expect(page.getByRole('button', { name: 'Submit to the leadership team' })).toHaveCount(0);
    const document = page.getByRole('article', { name: 'The quarterly summary as submitted' });
    await expect(document).toContainText(together);
    await expect(document).toContainText('Recording is late in Team North.');
    await expect(document).toContainText('A recording audit next month.');
  }
  await expectNoAccessibilityViolations(hos, 'a submitted quarterly summary');

  // The PDF: named from the service and quarter, with both people's words.
  const downloading = hos.waitForEvent('download');
  await hos.getByRole('button', { name: 'Download PDF' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`safeguarding_quarterly-summary_${quarter.id}.pdf`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-e2e-summary-')), download.suggestedFilename());
  await download.saveAs(file);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  for (const words of [together, 'Recording is late in Team North.', 'A recording audit next month.', 'Submitted to the leadership team: final copy', 'OFFICIAL-SENSITIVE'])
    expect(text).toContain(words);

  // Printed: the print view holds only the summary, with the marking and page numbers on every printed page.
  await hos.emulateMedia({ media: 'print' });
  const printed = hos.locator('.print-document');
  await expect(printed).toBeVisible();
  await expect(printed).toContainText('Quarterly summary of quality assurance');
  await expect(printed).toContainText(together);
  await expect(hos.getByRole('button', { name: 'Download PDF' })).toBeHidden();
  const printedFile = path.join(path.dirname(file), 'printed.pdf');
  await hos.pdf({ path: printedFile, format: 'A4' });
  const printedPages = execFileSync('pdftotext', ['-enc', 'UTF-8', printedFile, '-'], { encoding: 'utf8' }).split('\f').filter((p) => p.trim());
  printedPages.forEach((page, i) => {
    expect(page.match(/OFFICIAL-SENSITIVE/g)?.length, `printed page ${i + 1}`).toBe(2);
    expect(page).toContain(`Page ${i + 1} of ${printedPages.length}`);
  });
  expect(printedPages.join(' ').replace(/\s+/g, ' ')).toContain('A recording audit next month.');
  await hos.emulateMedia({ media: 'screen' });

  // Listed by quarter as submitted, for the head of service and the QA team alike.
  for (const page of [hos, qa]) {
    await page.goto('/reports/summaries');
    const listed = page.getByRole('region', { name: quarter.label }).getByRole('listitem');
    await expect(listed).toHaveCount(1);
    await expect(listed).toContainText('Safeguarding');
    await expect(listed).toContainText('Submitted');
    await expect(listed).toContainText('Priya Patel');
  }
  await Promise.all(contexts.map((c) => c.close()));
});
