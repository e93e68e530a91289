/**
 * Issue 15, the main path of actions: a manager raises an action on an observation for the practitioner;
 * the practitioner, with the server out of reach, records what was done and the evidence; it is sent when
 * the server is back; the manager signs it off from their team's actions, and the record shows it.
 */
import { addDays, dateInEngland } from '../../domain/actions';
import { expectNoAccessibilityViolations } from './accessibility';
import { expect, fillObservation, newObservation, sampleObservation, signIn, signOffAction, test, waitForOfflineReady } from './fixtures';

test('an action raised on an observation is done offline by its owner and signed off by their manager', async ({ browser, server }) => {
  test.setTimeout(240_000);
  const managerContext = await browser.newContext({ baseURL: server.url });
  const manager = await managerContext.newPage();
  await signIn(manager, 'tm.okafor');
  const id = await newObservation(manager);
  await fillObservation(manager, sampleObservation);
  await expect(manager.getByTestId('unsent-count')).toHaveText('Everything is sent', { timeout: 30_000 });

  // Raise the action: what, the finding, why, the owner from the directory, a due date.
  await manager.getByRole('button', { name: 'Raise an action' }).click();
  const form = manager.getByRole('form', { name: 'Raise an action' });
  await form.getByLabel('What needs to happen').fill('Share the plan with Amy’s school.');
  await form.getByLabel('The finding it answers').selectOption({ label: 'Areas for development (observation)' });
  await form.getByLabel('Why').fill('The school did not know what the plan asked of it.');
  await form.getByLabel('Owner').selectOption({ label: 'Yusuf Ahmed, Practitioner' });
  await form.getByLabel('Due date').fill(addDays(dateInEngland(new Date()), 5));
  await expectNoAccessibilityViolations(manager, 'the observation with the form to raise an action');
  await form.getByRole('button', { name: 'Raise the action' }).click();
  const onRecord = manager.getByRole('article', { name: 'Share the plan with Amy’s school.' });
  await expect(onRecord).toContainText('Open', { timeout: 30_000 });

  // The owner's tablet: the action is in My actions, due soon.
  const ownerContext = await browser.newContext({ baseURL: server.url });
  const owner = await ownerContext.newPage();
  await signIn(owner, 'sw.ahmed');
  await waitForOfflineReady(owner);
  await owner.getByRole('link', { name: 'Actions' }).click();
  const mine = owner.getByRole('region', { name: 'My actions' });
  await expect(mine.getByRole('heading', { name: 'Due soon (1)' })).toBeVisible({ timeout: 30_000 });
  const card = mine.getByRole('article', { name: 'Share the plan with Amy’s school.' });
  await expectNoAccessibilityViolations(owner, 'my actions');

  // No server: done on the tablet, kept through a reload, sent when the server is back.
  await server.stop();
  await expect(owner.getByTestId('connection')).toHaveText('Offline — working on this tablet', { timeout: 30_000 });
  await card.getByRole('button', { name: 'Record what was done' }).click();
  await card.getByRole('textbox', { name: 'What was done' }).fill('Plan shared with the school’s safeguarding lead.');
  await card.getByRole('textbox', { name: 'Evidence' }).fill('Case note, 3 December.');
  await card.getByRole('button', { name: 'Mark as done' }).click();
  await expect(card).toContainText('Marked as done on this tablet — it will be sent when there is a connection.');
  await owner.reload();
  await expect(owner.getByRole('article', { name: 'Share the plan with Amy’s school.' })).toContainText('Marked as done on this tablet');

  await server.restart();
  await expect(owner.getByTestId('connection')).toHaveText('Online', { timeout: 70_000 });
  const sent = owner.getByRole('article', { name: 'Share the plan with Amy’s school.' });
  await expect(sent).toContainText('Done, waiting for sign-off', { timeout: 30_000 });
  await expect(sent).not.toContainText('Marked as done on this tablet');

  // The manager signs it off from their team's actions; the observation shows it signed off.
  await manager.goto('/actions');
  const team = manager.getByRole('region', { name: 'My team’s actions' });
  await expect(team.getByRole('heading', { name: 'Waiting for your sign-off (1)' })).toBeVisible({ timeout: 70_000 });
  await signOffAction(manager, 'Share the plan with Amy’s school.');
  await expectNoAccessibilityViolations(manager, 'my team’s actions');
  await manager.goto(`/observations/${id}`);
  await expect(manager.getByRole('article', { name: 'Share the plan with Amy’s school.' })).toContainText('Signed off', { timeout: 30_000 });
  await expect(manager.getByRole('article', { name: 'Share the plan with Amy’s school.' })).toContainText('Evidence');

  await managerContext.close();
  await ownerContext.close();
});
