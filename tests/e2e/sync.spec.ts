/**
 * Two people on two browsers: a record made on one appears on the other without a reload; one goes
 * offline (the server stops), edits, and when it returns the other sees the change live.
 */
import { storedObservation } from '../support/storedOnServer';
import { expect, fillObservation, newObservation, sampleObservation, shareRecord, signIn, test, waitForOfflineReady } from './fixtures';

test('a record made on one device appears on another, and offline edits reach it live on reconnect', async ({ browser, server }) => {
  // While the server is down each tablet retries with a backoff that grows to 30 s (with jitter), so after a
  // restart a tablet can take that long to come back by itself.
  test.setTimeout(180_000);
  const managerContext = await browser.newContext({ baseURL: server.url });
  const practitionerContext = await browser.newContext({ baseURL: server.url });
  const manager = await managerContext.newPage();
  const practitioner = await practitionerContext.newPage();
  await signIn(manager, 'tm.okafor');
  await signIn(practitioner, 'sw.ahmed');

  const id = await newObservation(manager);
  await fillObservation(manager, sampleObservation);
  await expect(manager.getByTestId('record-status')).toContainText('Sent — stored on the server.');

  // The practitioner's list shows it without a reload.
  const practitionerRows = practitioner.getByRole('list', { name: 'My records' }).getByRole('listitem');
  await expect(practitionerRows).toHaveCount(1, { timeout: 20_000 });
  await expect(practitionerRows).toContainText(sampleObservation.childId);
  await practitionerRows.getByRole('link').click();
  await expect(practitioner.getByLabel('Identified strengths')).toHaveText(sampleObservation.strengths);
  // The practitioner observed reads it, and the app says they cannot change it.
  await expect(practitioner.getByText('You can read this observation but not change it.')).toBeVisible({ timeout: 20_000 });
  await expect(practitioner.getByLabel('Identified strengths')).not.toBeEditable();
  await expect(practitioner.getByRole('heading', { name: 'Your reflection' })).toBeVisible();

  // The manager's tablet loses its connection (the server stops), and the manager keeps writing.
  await waitForOfflineReady(manager);
  await server.stop();
  await expect(manager.getByTestId('connection')).toHaveText('Offline — working on this tablet', { timeout: 20_000 });
  const addition = ' Afterwards we agreed a plan for the school holidays.';
  await manager.getByLabel('Identified strengths').press('ControlOrMeta+End');
  await manager.getByLabel('Identified strengths').pressSequentially(addition);
  await manager.getByLabel('Other comments').fill('Written with no signal.');
  await expect(manager.getByTestId('record-status')).toContainText('Saved on this tablet — not yet sent.');

  // The connection returns: the practitioner, who has the record open, sees the change without reloading.
  await server.restart();
  await expect(practitioner.getByLabel('Other comments')).toHaveText('Written with no signal.', { timeout: 70_000 });
  await expect(practitioner.getByLabel('Identified strengths')).toHaveText(sampleObservation.strengths + addition);
  await expect(manager.getByTestId('record-status')).toContainText('Sent — stored on the server.', { timeout: 70_000 });
  expect((await storedObservation(server.dataDir, id)).values).toMatchObject({
    strengths: sampleObservation.strengths + addition,
    otherComments: 'Written with no signal.',
  });

  await managerContext.close();
  await practitionerContext.close();
});

test('a level of need chosen differently on two offline devices shows as contested on both, until someone settles it', async ({ browser, server }) => {
  test.setTimeout(180_000); // each tablet may take up to its 30 s backoff to come back after the restart
  const contexts = await Promise.all([browser.newContext({ baseURL: server.url }), browser.newContext({ baseURL: server.url })]);
  const [manager, practitioner] = await Promise.all(contexts.map((c) => c.newPage()));
  await signIn(manager!, 'tm.okafor');
  await signIn(practitioner!, 'sw.ahmed');
  const id = await newObservation(manager!);
  await manager!.getByLabel('Child ID').fill('MOS4242');
  await expect(manager!.getByTestId('record-status')).toContainText('Sent — stored on the server.');
  // They write this one together: the manager adds the practitioner as a co-writer.
  await shareRecord(manager!, `observation/${id}`, 'sw.ahmed');
  await practitioner!.goto(`/observations/${id}`);
  await expect(practitioner!.getByLabel('Child ID')).toHaveValue('MOS4242', { timeout: 20_000 });
  await Promise.all([waitForOfflineReady(manager!), waitForOfflineReady(practitioner!)]);

  await server.stop();
  await expect(manager!.getByTestId('connection')).toHaveText('Offline — working on this tablet', { timeout: 20_000 });
  await expect(practitioner!.getByTestId('connection')).toHaveText('Offline — working on this tablet', { timeout: 20_000 });
  await manager!.getByRole('radio', { name: 'Child Protection' }).check();
  await practitioner!.getByRole('radio', { name: 'Child in Need' }).check();
  await server.restart();

  for (const page of [manager!, practitioner!]) {
    const notice = page.getByRole('note', { name: 'Level of need was changed by two people at once' });
    await expect(notice).toBeVisible({ timeout: 70_000 });
    await expect(notice).toContainText('Grace Okafor chose Child Protection');
    await expect(notice).toContainText('Yusuf Ahmed chose Child in Need');
  }
  // Both show the same value.
  const shown = await manager!.getByRole('radio', { name: 'Child Protection' }).isChecked() ? 'Child Protection' : 'Child in Need';
  await expect(practitioner!.getByRole('radio', { name: shown })).toBeChecked();

  // The practitioner and manager agree: Child Protection. Settling clears the notice everywhere.
  await practitioner!.getByRole('button', { name: 'Keep Child Protection' }).click();
  for (const page of [manager!, practitioner!]) {
    await expect(page.getByRole('note', { name: 'Level of need was changed by two people at once' })).toHaveCount(0, { timeout: 20_000 });
    await expect(page.getByRole('radio', { name: 'Child Protection' })).toBeChecked();
  }
  await Promise.all(contexts.map((c) => c.close()));
});
