/**
 * The device storage benchmark in Chromium (Debian's, as the e2e tests use): deviceStoreBrowser.ts bundled
 * with esbuild and served from 127.0.0.1, so the app's data layer runs on the browser's own IndexedDB.
 * Figures: the time to open a record (acquire to loaded) against y-indexeddb opening the same record's own
 * database, alternately; and what the origin's storage grows by (navigator.storage.estimate: the files
 * Chromium keeps, so per-database overhead included) for the new table and then for the old way.
 */
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromiumArgs } from '../../playwright.config';
import { median } from './stats';

interface BrowserBench {
  usage(): Promise<number>;
  make(userId: string, n: number): Promise<string[]>;
  rows(userId: string, ids: string[]): Promise<Record<string, number[][]>>;
  keepTheOldWay(userId: string, oldUserId: string, ids: string[], rowsOf: Record<string, number[][]>): Promise<void>;
  openNew(userId: string, id: string): Promise<number>;
  openOld(oldUserId: string, id: string): Promise<number>;
}

export interface DeviceStoreChromiumBench {
  records: number;
  newBytes: number;
  oldBytes: number;
  openNewMs: number[];
  openOldMs: number[];
}

export async function runDeviceStoreChromium(records: number, opens = 41): Promise<DeviceStoreChromiumBench> {
  const bundle = await build({
    entryPoints: [path.resolve(import.meta.dirname, 'deviceStoreBrowser.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    target: 'es2022',
  });
  const script = bundle.outputFiles[0]!.text;
  const server = http.createServer((request, response) => {
    if (request.url === '/bench.js') response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
    else response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>bench</title><script src="/bench.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // A profile on disk (not a private context's memory), so the estimate counts the files Chromium keeps.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-devicestore-'));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => 'bench' in window);
    const call = <T>(fn: (bench: BrowserBench, arg: unknown) => Promise<T>, arg?: unknown) =>
      page.evaluate(([source, a]) => (new Function('bench', 'arg', `return (${source})(bench, arg)`) as (b: unknown, a: unknown) => Promise<T>)((window as unknown as { bench: unknown }).bench, a), [fn.toString(), arg] as const);

    const userId = 'chromium-new';
    const oldUserId = 'chromium-old';
    const start = await call((b) => b.usage());
    const ids = await call((b, n) => b.make('chromium-new', n as number), records);
    const afterNew = await call((b) => b.usage());
    const rows = await call((b, a) => b.rows('chromium-new', a as string[]), ids);
    void userId;
    await call((b, a) => b.keepTheOldWay('chromium-new', 'chromium-old', (a as { ids: string[] }).ids, (a as { rows: Record<string, number[][]> }).rows), { ids, rows });
    const afterOld = await call((b) => b.usage());
    void oldUserId;

    const openNewMs: number[] = [];
    const openOldMs: number[] = [];
    for (let i = 0; i < opens; i++) {
      const id = ids[(i * 97) % ids.length]!;
      openOldMs.push(await call((b, a) => b.openOld('chromium-old', a as string), id));
      openNewMs.push(await call((b, a) => b.openNew('chromium-new', a as string), id));
    }
    return { records, newBytes: afterNew - start, oldBytes: afterOld - afterNew, openNewMs, openOldMs };
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

export function describeDeviceStoreChromium(b: DeviceStoreChromiumBench): string {
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
  return [
    `\n## Device storage in Chromium: ${b.records} records through the app's data layer`,
    `Storage grown (navigator.storage.estimate): one table (with the index) ${kib(b.newBytes)}, ${(b.newBytes / b.records).toFixed(0)} B a record; the same updates a y-indexeddb database each ${kib(b.oldBytes)}, ${(b.oldBytes / b.records).toFixed(0)} B a record`,
    `Open a record, acquire to loaded (median of ${b.openNewMs.length}): one table ${median(b.openNewMs).toFixed(1)} ms; y-indexeddb ${median(b.openOldMs).toFixed(1)} ms`,
    `Every run, ms: one table ${b.openNewMs.map((v) => v.toFixed(1)).join(', ')}; y-indexeddb ${b.openOldMs.map((v) => v.toFixed(1)).join(', ')}`,
  ].join('\n');
}
