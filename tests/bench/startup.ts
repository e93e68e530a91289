/**
 * Start-up figures for the foundation: the JavaScript a first visit downloads (gzipped), and how long
 * Fieldnotes takes to open from cold with the server stopped (service worker + IndexedDB only), against
 * the same open with the server up, measured in the same run.
 */
import { chromium } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromiumArgs } from '../../playwright.config';
import { startServerProcess } from '../support/serverProcess';
import { median } from './stats';

const dist = path.resolve(import.meta.dirname, '../../dist');

/** The JS the shell loads before anything else: the entry script and what it preloads. */
export function initialJsGzipBytes(): { files: string[]; bytes: number } {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const bytes = files.reduce((sum, f) => sum + gzipSync(fs.readFileSync(path.join(dist, f)), { level: 9 }).length, 0);
  return { files, bytes };
}

export async function coldStart(runs: number): Promise<{ offlineMs: number[]; onlineMs: number[] }> {
  const server = await startServerProcess();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
  try {
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Username').fill('tm.okafor');
    await page.getByLabel('Password').fill('fieldnotes-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My records' }).waitFor();
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.close();

    const timeOpen = async () => {
      const p = await context.newPage();
      const started = performance.now();
      await p.goto('/');
      await p.getByRole('heading', { name: 'My records' }).waitFor();
      const ms = performance.now() - started;
      await p.close();
      return ms;
    };
    const onlineMs: number[] = [];
    for (let i = 0; i < runs; i++) onlineMs.push(await timeOpen());
    await server.stop();
    const offlineMs: number[] = [];
    for (let i = 0; i < runs; i++) offlineMs.push(await timeOpen());
    return { offlineMs, onlineMs };
  } finally {
    await browser.close();
    await server.stop();
  }
}

export async function runStartupBench(runs = 7) {
  const js = initialJsGzipBytes();
  const { offlineMs, onlineMs } = await coldStart(runs);
  return {
    initialJsGzipKiB: js.bytes / 1024,
    initialJsFiles: js.files,
    offlineColdStartMedianMs: median(offlineMs),
    onlineColdStartMedianMs: median(onlineMs),
    offlineToOnlineRatio: median(offlineMs) / median(onlineMs),
    runs,
  };
}
