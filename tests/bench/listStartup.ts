/**
 * Lists at thousands of records (issue 20, item 4), in Chromium on the built app. A device signed in as
 * tm.okafor has its records index filled with N rows of the real shape (tests/support/seedIndex.ts) while the
 * server is stopped (so no sync pass takes them away: the app opens from its service worker and IndexedDB).
 *
 * - Cold start: a new tab, navigation until the first row is on screen AND the count of every record is shown
 *   ("1000 records"), read in the page (ms since the navigation started, polled every frame).
 * - Relaunch: the same, after closing the browser and launching it again on the same profile.
 * - Search: each keystroke typing a child ID, from the input event until the list and the count show the
 *   query (the first frame after the DOM has it).
 * Each with 10 records as the baseline, in the same run. Medians.
 */
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromiumArgs } from '../../playwright.config';
import { startServerProcess } from '../support/serverProcess';
import { seededRows, seedIndex, signedInUserId } from '../support/seedIndex';
import { median } from './stats';

const author = { id: 'someone-else', name: 'Someone Else', teamId: 'team-north' };

async function launch(profile: string, baseURL: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: chromiumArgs,
    baseURL,
    viewport: { width: 1024, height: 768 },
  });
}

/** Ms from navigation start until the first row and the full count are on screen. */
async function timeToList(page: Page, n: number): Promise<number> {
  await page.bringToFront();
  await page.goto('/');
  const handle = await page.waitForFunction(
    (count) => {
      const row = document.querySelector('ul[aria-label="My records"] > li');
      const status = [...document.querySelectorAll('[role="status"]')].some((s) => s.textContent?.trim() === `${count} records`);
      return row && status ? performance.now() : 0;
    },
    n,
    { polling: 'raf', timeout: 30_000 },
  );
  return (await handle.jsonValue()) as number;
}

/** Each keystroke of `query` typed into the search box: ms from its input event to the frame showing its result. */
async function searchKeystrokes(page: Page, query: string): Promise<number[]> {
  await page.evaluate(() => {
    const w = window as unknown as { searchTimes: number[] };
    w.searchTimes = [];
    // On the document: the page may have drawn the box anew since it was first on screen. The DOM is watched
    // (a MutationObserver), not frames: a background tab of a launched browser gets no animation frames.
    document.addEventListener('input', (event) => {
      const input = event.target as HTMLInputElement;
      if (input.id !== 'record-search') return;
      const started = performance.now();
      const want = `“${input.value.trim()}”`;
      const observer = new MutationObserver(() => {
        if (!document.querySelector('.result-count')?.textContent?.includes(want)) return;
        w.searchTimes.push(performance.now() - started);
        observer.disconnect();
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  });
  const box = page.getByLabel('Search by child ID or practitioner');
  await box.click();
  for (const [typed, key] of [...query].entries()) {
    await page.keyboard.type(key);
    await page
      .waitForFunction((count) => (window as unknown as { searchTimes: number[] }).searchTimes.length >= count, typed + 1, { polling: 'raf', timeout: 10_000 })
      .catch(async (error: unknown) => {
        throw new Error(`no result for "${query}" at "${key}": ${await page.locator('.result-count').textContent()} (input "${await box.inputValue()}")`, { cause: error });
      });
    await page.waitForTimeout(100);
  }
  return page.evaluate(() => (window as unknown as { searchTimes: number[] }).searchTimes);
}

export interface ListStartupBench {
  runs: number;
  coldMs: Record<number, number[]>;
  relaunchMs: Record<number, number[]>;
  searchMs: Record<number, number[]>;
  rowJsonBytes: number;
}

export async function runListStartupBench(runs = 5, sizes = [10, 1000], searchSizes = [10, 5000]): Promise<ListStartupBench> {
  const server = await startServerProcess();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-bench-lists-'));
  let context = await launch(profile, server.url);
  try {
    let page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Username').fill('tm.okafor');
    await page.getByLabel('Password').fill('fieldnotes-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My records' }).waitFor();
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    const userId = await signedInUserId(page);
    await server.stop();
    const now = new Date().toISOString();
    const rowJsonBytes = median(seededRows(1000, author, now).map((r) => JSON.stringify(r).length));

    const coldMs: Record<number, number[]> = {};
    const relaunchMs: Record<number, number[]> = {};
    for (const n of sizes) {
      await seedIndex(page, userId, seededRows(n, author, now));
      await page.close();
      coldMs[n] = [];
      for (let i = 0; i < runs; i++) {
        const tab = await context.newPage();
        coldMs[n].push(await timeToList(tab, n));
        await tab.close();
      }
      relaunchMs[n] = [];
      for (let i = 0; i < runs; i++) {
        await context.close();
        context = await launch(profile, server.url);
        const tab = context.pages()[0] ?? (await context.newPage());
        relaunchMs[n].push(await timeToList(tab, n));
        if (i < runs - 1) await tab.close();
      }
      page = context.pages()[0] ?? (await context.newPage());
    }

    const searchMs: Record<number, number[]> = {};
    for (const n of searchSizes) {
      await seedIndex(page, userId, seededRows(n, author, now));
      searchMs[n] = [];
      for (let i = 0; i < runs; i++) {
        await timeToList(page, n);
        // A child ID of the last record: every prefix matches fewer, down to one.
        searchMs[n].push(...(await searchKeystrokes(page, `MOS${100000 + (((n - 1) * 7919) % 90000)}`)));
      }
    }
    return { runs, coldMs, relaunchMs, searchMs, rowJsonBytes };
  } finally {
    await context.close();
    await server.stop();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
