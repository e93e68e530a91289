/**
 * Issue 13, items 12 and 13 in a real Chromium: the app runs under the strict Content-Security-Policy
 * (service worker included) with no violation; no script can read the refresh token; and signing out
 * with everything sent leaves none of the person's IndexedDB databases (their documents' table with them),
 * localStorage or cookies behind.
 */
import { storedObservation } from '../support/storedOnServer';
import { expect, newObservation, signIn, signOut, test, waitForOfflineReady } from './fixtures';

test('signing out with everything sent removes the person’s records from the tablet; the app keeps to its CSP', async ({ page, server }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await signIn(page, 'tm.okafor');
  await waitForOfflineReady(page);
  const id = await newObservation(page);
  await page.getByLabel('Child ID').fill('GONE001');
  await expect.poll(async () => (await storedObservation(server.dataDir, id)).values.childId, { timeout: 20_000 }).toBe('GONE001');
  await expect(page.getByTestId('record-status')).toContainText('Sent — stored on the server.', { timeout: 20_000 });

  // What a script on the page could find: who is signed in, but no token of any kind.
  const visible = await page.evaluate(() => ({ cookie: document.cookie, session: localStorage.getItem('fieldnotes.session') ?? '' }));
  expect(visible.cookie).toBe('');
  const session = JSON.parse(visible.session) as Record<string, unknown> & { user: { id: string } };
  expect(Object.keys(session).sort()).toEqual(['refreshExpiresAt', 'signedInAt', 'user']);
  const refreshCookie = (await page.context().cookies()).find((c) => c.name === 'fieldnotes_refresh');
  expect(refreshCookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/refresh' });

  const userId = session.user.id;
  const storesOf = () =>
    page.evaluate(async (prefix) => (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n === prefix || n.startsWith(`${prefix}/`)), `fieldnotes-${userId}`);
  // One database holds the index and every record's document (its docUpdates table).
  expect(await storesOf()).toEqual([`fieldnotes-${userId}`]);
  const documents = () =>
    page.evaluate(
      (name) =>
        new Promise<string[]>((resolve, reject) => {
          const request = indexedDB.open(name);
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            const db = request.result;
            const rows = db.transaction('docUpdates').objectStore('docUpdates').getAll();
            rows.onsuccess = () => {
              db.close();
              resolve([...new Set((rows.result as { doc: string }[]).map((row) => row.doc))]);
            };
            rows.onerror = () => reject(rows.error);
          };
        }),
      `fieldnotes-${userId}`,
    );
  expect(await documents()).toContain(`observation/${id}`);

  await page.goto('/');
  await signOut(page);
  await expect.poll(storesOf, { timeout: 15_000 }).toEqual([]);
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('fieldnotes.session')))).toEqual([]);
  expect((await page.context().cookies()).find((c) => c.name === 'fieldnotes_refresh')).toBeUndefined();
  // A reload offers only the sign-in screen; the record is nowhere on the tablet.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in to Fieldnotes' })).toBeVisible();
  expect(violations).toEqual([]);
});
