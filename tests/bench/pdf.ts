/**
 * How long the tablet takes to make a 10-page review's PDF, in Chromium, with the app's own built PDF chunk
 * (dist/assets/makePdf-*.js: pdf-lib, fontkit, the layout) loaded the way the app loads it, and the size
 * of that chunk gzipped. The first PDF also fetches the fonts; the median is of the runs after it.
 */
import { chromium } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromiumArgs } from '../../playwright.config';
import { renderPdf } from '../../src/lib/pdf/renderPdf';
import { longReview, nodeFonts } from '../pdf/seededRecords';
import { startServerProcess } from '../support/serverProcess';
import { median } from './stats';

const dist = path.resolve(import.meta.dirname, '../../dist');

/** A seeded review of (about) the given number of pages. */
async function reviewOfPages(pages: number) {
  for (let paragraphs = 1; paragraphs < 20; paragraphs++) {
    const { model } = longReview(paragraphs);
    const laid = (await renderPdf(model, nodeFonts())).pages.length;
    if (laid >= pages) return { model, pages: laid };
  }
  throw new Error(`Could not make a ${pages}-page review.`);
}

export async function runPdfBench(runs = 7) {
  const chunk = fs.readdirSync(path.join(dist, 'assets')).find((f) => /^makePdf-.*\.js$/.test(f));
  if (!chunk) throw new Error('No PDF chunk in dist/assets: run `npm run build` first.');
  const bytes = fs.readFileSync(path.join(dist, 'assets', chunk));
  const fonts = fs.readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.ttf'));
  const fontGzip = fonts.reduce((sum, f) => sum + gzipSync(fs.readFileSync(path.join(dist, 'assets', f)), { level: 9 }).length, 0);
  const { model, pages } = await reviewOfPages(10);

  const server = await startServerProcess();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
  try {
    const page = await (await browser.newContext({ baseURL: server.url })).newPage();
    await page.goto('/');
    const timings = await page.evaluate(
      async ({ url, model, runs }) => {
        const started = performance.now();
        const { makePdf } = (await import(url)) as { makePdf: (m: unknown) => Promise<Uint8Array> };
        let size = (await makePdf(model)).length;
        const firstMs = performance.now() - started;
        const ms: number[] = [];
        for (let i = 0; i < runs; i++) {
          const t = performance.now();
          size = (await makePdf(model)).length;
          ms.push(performance.now() - t);
        }
        return { firstMs, ms, size };
      },
      { url: `/assets/${chunk}`, model, runs },
    );
    return { chunk, chunkBytes: bytes.length, chunkGzipBytes: gzipSync(bytes, { level: 9 }).length, fontGzipBytes: fontGzip, pages, ...timings, medianMs: median(timings.ms) };
  } finally {
    await browser.close();
    await server.stop();
  }
}
