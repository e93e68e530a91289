/**
 * Offline: after one online visit the app opens, shows every record and takes new ones with the
 * server stopped (which cuts the service worker's network and every API call), and carries on when
 * the server returns.
 */
import { storedObservation } from '../support/storedOnServer';
import { expect, expectObservation, fillObservation, newObservation, sampleObservation, signIn, test, waitForOfflineReady } from './fixtures';

test('with the server stopped: reload, open a deep link, edit, create another, reload — all there; then the server returns', async ({ page, server }) => {
  test.setTimeout(180_000);
  await signIn(page, 'tm.okafor');
  const firstId = await newObservation(page);
  await fillObservation(page, sampleObservation);
  await waitForOfflineReady(page);

  await server.stop();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Observation of practice' })).toBeVisible();
  await expect(page.getByTestId('connection')).toHaveText('Offline — working on this tablet');
  await expectObservation(page, sampleObservation);

  // A deep link opened cold, with no network.
  await page.goto('/');
  await page.goto(`/observations/${firstId}`);
  await expectObservation(page, sampleObservation);
  const edited = `${sampleObservation.strengths} She trusted him enough to show her room.`;
  await page.getByLabel('Identified strengths').fill(edited);
  await page.getByLabel('Other comments').fill('Recorded with no signal.');

  // A new record with no network; the directory is cached on the device.
  await page.getByRole('link', { name: 'Back to my records' }).click();
  const secondId = await newObservation(page);
  const second = { ...sampleObservation, practitioner: 'Daniel Clarke', childId: 'LCS5550001', nature: 'Supervision' };
  await fillObservation(page, second);
  await expect(page.getByText('Safeguarding Team South')).toBeVisible();

  await page.reload();
  await expectObservation(page, second);
  await page.goto(`/observations/${firstId}`);
  await expect(page.getByLabel('Identified strengths')).toHaveText(edited);
  await expect(page.getByLabel('Other comments')).toHaveText('Recorded with no signal.');
  await page.goto('/');
  const rows = page.getByRole('list', { name: 'My records' }).getByRole('listitem');
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('unsent-count')).toHaveText('2 records not yet sent');

  // The server comes back: the app notices, sends both records and carries on without a reload.
  await server.restart();
  // After the restart the tablet may take up to its 30 s backoff to come back by itself.
  await expect(page.getByTestId('connection')).toHaveText('Online', { timeout: 70_000 });
  await expect(page.getByTestId('unsent-count')).toHaveText('Everything is sent', { timeout: 30_000 });
  await expect(rows.filter({ hasText: 'Saved on this tablet — not yet sent' })).toHaveCount(0);
  // "Sent" means stored: both records are in the server's database, with the offline edits.
  expect((await storedObservation(server.dataDir, firstId)).values).toMatchObject({ strengths: edited, otherComments: 'Recorded with no signal.' });
  expect((await storedObservation(server.dataDir, secondId)).values).toMatchObject({ childId: 'LCS5550001' });
  await page.goto(`/observations/${secondId}`);
  await page.getByLabel('Other comments').fill('Back in the office.');
  await page.reload();
  await expect(page.getByLabel('Other comments')).toHaveText('Back in the office.');
  await expectObservation(page, second);
});

test('signed-in state survives a cold offline start of a new tab', async ({ page, context, server }) => {
  await signIn(page, 'sw.ahmed');
  await waitForOfflineReady(page);
  await server.stop();
  const fresh = await context.newPage();
  await fresh.goto('/');
  await expect(fresh.getByRole('heading', { name: 'My records' })).toBeVisible();
  await expect(fresh.getByText('Yusuf Ahmed, Practitioner')).toBeVisible();
});
