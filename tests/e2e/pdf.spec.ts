/**
 * Issue 18 in Chromium: with the server stopped, a manager downloads the PDF of a completed observation
 * (made on the tablet by the lazily loaded, precached PDF chunk), and the file is a valid PDF with the
 * child ID, the words as written, the organisation's name and the marking; the copy reaches the audit log
 * once the server is back. And the print view: only the record, with the marking on every printed page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, fillObservation, newObservation, sampleObservation, signIn, test, waitForOfflineReady } from './fixtures';
import { inkPerPage, pagesText, words } from '../pdf/poppler';
import { signInAs } from '../support/device';

async function completeObservation(page: Page): Promise<string> {
  await signIn(page, 'tm.okafor');
  const id = await newObservation(page);
  await fillObservation(page, sampleObservation);
  await page.getByRole('button', { name: 'Mark as complete' }).click();
  await expect(page.locator('.record-status')).toContainText('Complete');
  await expect(page.getByRole('button', { name: 'Download PDF' })).toBeVisible();
  return id;
}

async function auditFor(url: string, record: string) {
  const { token } = await signInAs(url, 'qa.green');
  const response = await fetch(`${url}/api/audit?record=${encodeURIComponent(record)}`, { headers: { Authorization: `Bearer ${token}` } });
  return ((await response.json()) as { entries: { action: string; userName: string; detail: string }[] }).entries;
}

test('offline, a manager downloads the PDF of a completed observation: a valid PDF with the child ID, recorded in the audit log', async ({ page, server }) => {
  test.setTimeout(180_000);
  const id = await completeObservation(page);
  await waitForOfflineReady(page);
  // The organisation's name comes with the directory, cached on the tablet.
  await expect(page.getByText('A copy for the child’s file, marked OFFICIAL-SENSITIVE')).toBeVisible();

  await server.stop();
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('Offline — working on this tablet');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download PDF' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^MOS123456_observation-of-practice_\d{4}-\d{2}-\d{2}\.pdf$/);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-e2e-pdf-')), download.suggestedFilename());
  await download.saveAs(file);
  await expect(page.getByRole('status').filter({ hasText: 'PDF made' })).toContainText(download.suggestedFilename());

  expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
  const pages = pagesText(file);
  const all = words(pages.join(' '));
  expect(all).toContain('MOS123456');
  expect(all).toContain('Fieldnotes Demo Borough Council');
  expect(all).toContain('Observation of practice');
  expect(all).toContain(sampleObservation.strengths);
  expect(all).toContain('Yusuf Ahmed');
  expect(all).toContain('Grace Okafor');
  pages.forEach((text, i) => {
    expect(text.match(/OFFICIAL-SENSITIVE/g)?.length).toBe(2);
    expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
  });
  // Rendered by poppler, no page is blank: the text is drawn, not only there to be extracted.
  for (const ink of inkPerPage(file)) expect(ink).toBeGreaterThan(2000);

  // The copy was taken with no signal: it reaches the audit log when the server is back.
  await server.restart();
  await expect(page.getByTestId('connection')).toHaveText('Online', { timeout: 70_000 });
  await expect
    .poll(async () => (await auditFor(server.url, `observation/${id}`)).filter((e) => e.action === 'copy').map((e) => `${e.userName}: ${e.detail}`), { timeout: 30_000 })
    .toEqual([expect.stringMatching(new RegExp(`^Grace Okafor: downloaded the PDF ${download.suggestedFilename().replace(/\./g, '\\.')}, made on the device at `))]);
});

test('the print view shows only the record, with the marking and page numbers on every printed page; printing is logged', async ({ page, server }) => {
  test.setTimeout(120_000);
  const id = await completeObservation(page);
  await page.emulateMedia({ media: 'print' });
  const printed = page.locator('.print-document');
  await expect(printed).toBeVisible();
  await expect(printed).toContainText('Fieldnotes Demo Borough Council');
  await expect(printed).toContainText(sampleObservation.strengths);
  // Nothing of the app around it, and nothing that looks typed into.
  await expect(page.locator('.app-header')).toBeHidden();
  await expect(page.locator('.status-bar')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Download PDF' })).toBeHidden();
  await expect(page.getByRole('article', { name: 'The observation as written' })).toBeHidden();

  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-e2e-print-')), 'printed.pdf');
  await page.pdf({ path: file, format: 'A4' });
  const pages = pagesText(file);
  const all = words(pages.join(' '));
  expect(all).toContain('MOS123456');
  expect(all).toContain(sampleObservation.reflections);
  expect(all).not.toContain('Sync now');
  pages.forEach((text, i) => {
    expect(text.match(/OFFICIAL-SENSITIVE/g)?.length, `printed page ${i + 1}`).toBe(2);
    expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
  });

  // Every print is written to the audit log as a copy taken: the one above (Chromium fires beforeprint),
  // and pressing Print (the browser's print, after which headless Chromium stays "printing", so it comes last).
  const printCopies = async () => (await auditFor(server.url, `observation/${id}`)).filter((e) => e.action === 'copy').map((e) => `${e.userName}: ${e.detail}`);
  const entry = expect.stringMatching(/^Grace Okafor: printed it, made on the device at /);
  await expect.poll(printCopies, { timeout: 30_000 }).toEqual([entry]);
  await page.emulateMedia({ media: 'screen' });
  await page.getByRole('button', { name: 'Print' }).click();
  await expect.poll(printCopies, { timeout: 30_000 }).toEqual([entry, entry]);
});
