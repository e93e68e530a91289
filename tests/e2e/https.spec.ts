/**
 * HTTPS on a real host name (issue 19). Chromium resolves `fieldnotes.test` to 127.0.0.1 (host-resolver
 * rules) and trusts the test's own certificate by its public key (`--ignore-certificate-errors-spki-list`:
 * a certificate whose key is listed is treated as valid, so the page is a secure context and the service
 * worker registers — unlike Playwright's ignoreHTTPSErrors, under which a service worker's script fetch
 * fails). Nothing on the machine's own trust store is touched. Over plain http on the same name the app must
 * not start: the page says to use the https:// address, and nothing is saved.
 */
import { test as base, expect } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromiumArgs } from '../../playwright.config';
import { makeDevCertificate, spkiSha256 } from '../../sync-server/devCertificate';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { storedObservation } from '../support/storedOnServer';
import { fillObservation, newObservation, sampleObservation, signIn, waitForOfflineReady } from './fixtures';

const HOST = 'fieldnotes.test';
// Made when this file loads, before the browser starts: the browser is told the certificate's key.
const certificate = makeDevCertificate(HOST, fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-test-ca-')));

const test = base.extend<{ server: ServerProcess }>({
  server: async ({}, use) => {
    const server = await startServerProcess({ host: HOST, env: { FIELDNOTES_TLS_CERT: certificate.certFile, FIELDNOTES_TLS_KEY: certificate.keyFile } });
    await use(server);
    await server.stop();
  },
  baseURL: async ({ server }, use) => use(server.url),
});

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...chromiumArgs, `--host-resolver-rules=MAP ${HOST} 127.0.0.1`, `--ignore-certificate-errors-spki-list=${spkiSha256(fs.readFileSync(certificate.certFile, 'utf8'))}`],
  },
});

test('over https on a host name: the service worker installs, it works offline, and syncs when the server returns', async ({ page, server }) => {
  test.setTimeout(180_000);
  expect(server.url).toMatch(/^https:\/\/fieldnotes\.test:\d+$/);
  await signIn(page, 'tm.okafor');
  expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
  await waitForOfflineReady(page);
  expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.state)).toBe('activated');
  // HSTS over https (the browser's own fetch: only it resolves the test host name).
  expect(await page.evaluate(async () => (await fetch('/api/health')).headers.get('strict-transport-security'))).toBe('max-age=31536000');

  await server.stop();
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('Offline — working on this tablet');
  const id = await newObservation(page);
  await fillObservation(page, { ...sampleObservation, childId: 'HTTPS0001' });
  await page.getByRole('link', { name: 'Back to my records' }).click();
  await expect(page.getByTestId('unsent-count')).toHaveText('1 record not yet sent');

  await server.restart();
  await expect(page.getByTestId('connection')).toHaveText('Online', { timeout: 70_000 });
  await expect(page.getByTestId('unsent-count')).toHaveText('Everything is sent', { timeout: 30_000 });
  expect((await storedObservation(server.dataDir, id)).values).toMatchObject({ childId: 'HTTPS0001', strengths: sampleObservation.strengths });
});

test('over plain http on a host name: the page says to use the https address, and nothing is saved', async ({ page }) => {
  const plain = await startServerProcess({ host: HOST });
  try {
    expect(plain.url).toMatch(/^http:\/\/fieldnotes\.test:\d+$/);
    await page.goto(`${plain.url}/observations/new`);
    await expect(page.getByRole('heading', { name: 'Use the secure address for Fieldnotes' })).toBeVisible();
    await expect(page.getByRole('alert')).toContainText('nothing has been saved on this device');
    await expect(page.getByRole('link', { name: `https://${HOST}/observations/new` })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Sign in to Fieldnotes' })).toHaveCount(0);
    const stored = await page.evaluate(async () => ({
      secure: window.isSecureContext,
      databases: (await indexedDB.databases()).map((d) => d.name),
      localStorage: localStorage.length,
      serviceWorker: 'serviceWorker' in navigator,
    }));
    expect(stored).toEqual({ secure: false, databases: [], localStorage: 0, serviceWorker: false });
  } finally {
    await plain.stop();
  }
});
