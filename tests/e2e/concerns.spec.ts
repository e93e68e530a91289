/**
 * Issue 15, item 5 end to end: an immediate concern raised from an observation reaches the director with
 * its child ID, looks urgent (its own heading and count, not colour alone), shows when a response is due,
 * and — when nobody answers — escalates once the server's clock has moved past its due time.
 */
import { expectNoAccessibilityViolations } from './accessibility';
import { expect, fillObservation, newObservation, sampleObservation, signIn, test } from './fixtures';

test.use({ clock: true });

test('a concern raised from an observation reaches the director with its child ID, looks urgent, and escalates when unanswered', async ({ browser, server }) => {
  test.setTimeout(180_000);
  const observerContext = await browser.newContext({ baseURL: server.url });
  const observer = await observerContext.newPage();
  await signIn(observer, 'tm.okafor');
  const id = await newObservation(observer);
  await fillObservation(observer, { ...sampleObservation, childId: 'MOS246810' });
  await expect(observer.getByTestId('unsent-count')).toHaveText('Everything is sent', { timeout: 30_000 });

  const concerns = observer.getByRole('region', { name: /Immediate concern/ });
  await concerns.getByRole('button', { name: 'Raise an immediate concern' }).click();
  await concerns.getByLabel('What is the concern about the child’s safety?').fill('Amy said she is frightened of her mum’s new partner.');
  await concerns.getByRole('button', { name: 'Raise the concern' }).click();
  const raised = concerns.getByRole('alert');
  await expect(raised).toContainText('child MOS246810', { timeout: 30_000 });
  await expect(raised).toContainText('Response due by');

  // The director: the badge counts it as urgent, and the notice stands apart from routine ones.
  const directorContext = await browser.newContext({ baseURL: server.url });
  const director = await directorContext.newPage();
  await signIn(director, 'dcs.morgan');
  await expect(director.getByRole('link', { name: 'Notifications, 1 unread, 1 urgent' })).toBeVisible({ timeout: 30_000 });
  await expect(director.getByTestId('urgent-count')).toHaveText('1 urgent');
  await director.getByRole('link', { name: /^Notifications/ }).click();
  const list = director.getByRole('list', { name: 'Notifications' });
  const notice = list.getByRole('listitem').filter({ has: director.getByRole('heading', { name: 'Immediate concern' }) });
  await expect(notice).toContainText('child MOS246810');
  await expect(notice).toContainText('Grace Okafor');
  await expect(director.getByText('1 unread, 1 of them urgent.')).toBeVisible();
  await expectNoAccessibilityViolations(director, 'notifications with an immediate concern');

  // Nobody responds. Four days on (past one working day, whatever day this runs), the server escalates it.
  expect(await server.advanceClock(4 * 24 * 60 * 60 * 1000 + 60_000)).toBeGreaterThan(0);
  await director.reload();
  const escalated = director.getByRole('listitem').filter({ has: director.getByRole('heading', { name: 'Escalated: immediate concern unanswered' }) });
  await expect(escalated).toContainText('child MOS246810', { timeout: 30_000 });
  await expect(director.getByRole('link', { name: /Notifications, \d+ unread, 2 urgent/ })).toBeVisible();
  await director.screenshot({ path: 'test-results/screens/notifications-urgent.png', fullPage: true });

  // On the observation itself: who it was escalated to, and when.
  await escalated.getByRole('link', { name: 'Open the record' }).click();
  await expect(director).toHaveURL(new RegExp(`/observations/${id}$`));
  const onRecord = director.getByRole('region', { name: /Immediate concern/ }).getByRole('alert');
  await expect(onRecord).toContainText('Escalated to Priya Patel and Helen Morgan on', { timeout: 30_000 });
  await director.getByRole('region', { name: /Immediate concern/ }).screenshot({ path: 'test-results/screens/concern-escalated.png' });
  await expectNoAccessibilityViolations(director, 'the observation with an escalated concern');

  // Moving the clock again escalates nothing twice.
  expect(await server.advanceClock(24 * 60 * 60 * 1000)).toBe(0);
  await observerContext.close();
  await directorContext.close();
});
