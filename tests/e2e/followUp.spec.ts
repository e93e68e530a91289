/**
 * Issue 15 end to end, the follow-up path: a review graded Inadequate and moderated. The practitioner's
 * team manager is asked for a response to the findings and is given the follow-up (audit three more
 * cases); the QA officer sees every open action, follow-ups included; the practitioner completes the
 * review's action with the server out of reach, and their manager signs it off once it arrives.
 */
import { addDays, dateInEngland } from '../../domain/actions';
import { reviewDomains } from '../../domain/review';
import { expectNoAccessibilityViolations } from './accessibility';
import { expect, newReviewWithSocialWorker, signIn, signOffAction, test, waitForOfflineReady } from './fixtures';

const ACTION = 'Convene a strategy discussion about Amy’s plan.';

test('a review moderated Inadequate: the team manager is asked to respond and given the follow-up, the QA officer sees the actions, the owner completes theirs offline and it is signed off', async ({ browser, server }) => {
  test.setTimeout(300_000);
  // The principal social worker leads the review of Yusuf Ahmed's work, so his team manager is told as a manager, not as its author.
  const leadContext = await browser.newContext({ baseURL: server.url });
  const lead = await leadContext.newPage();
  await signIn(lead, 'psw.khan');
  const id = await newReviewWithSocialWorker(lead, 'CCR9001', 'Yusuf Ahmed');
  await lead.getByRole('radio', { name: 'Child Protection' }).check();
  await lead.getByLabel('Who undertook the review').fill('Amira Khan (lead)\nYusuf Ahmed, social worker');
  await lead.getByLabel('Where the review took place').fill('Civic centre');
  await lead.getByLabel('How long the conversation took (minutes)').fill('60');
  await lead.getByLabel('Pen picture of the child, their circumstances and needs').fill('Amy is six and lives with her mum.');
  for (const domain of reviewDomains) {
    await lead.getByLabel(`${domain.label}: evaluation`).fill(`The ${domain.label.toLowerCase()} did not keep Amy safe.`);
    await lead.getByRole('group', { name: `${domain.label}: grade` }).getByRole('radio', { name: 'Inadequate' }).check();
  }
  await lead.getByLabel('Overall evaluation').fill('Risks to Amy were not acted on.');
  await lead.getByLabel('What has gone well and made a positive difference for the child').fill('Amy was seen regularly.');
  await lead.getByLabel('What needs to happen to support further improvement').fill('A strategy discussion and a new plan.');
  await lead.getByRole('group', { name: 'Overall grade' }).getByRole('radio', { name: 'Inadequate' }).check();
  await lead.getByLabel('Rationale for the overall grade').fill('Risk was not recognised.');

  // An action for Yusuf, raised in the review.
  await lead.getByRole('button', { name: 'Raise an action' }).click();
  const form = lead.getByRole('form', { name: 'Raise an action' });
  await form.getByLabel('What needs to happen').fill(ACTION);
  await form.getByLabel('The finding it answers').selectOption({ label: 'Overall findings' });
  await form.getByLabel('Why').fill('Risk was not recognised.');
  await form.getByLabel('Owner').selectOption({ label: 'Yusuf Ahmed, Practitioner' });
  await form.getByLabel('Due date').fill(addDays(dateInEngland(new Date()), 3));
  await form.getByRole('button', { name: 'Raise the action' }).click();
  await expect(lead.getByRole('article', { name: ACTION })).toContainText('Open', { timeout: 30_000 });
  await lead.getByRole('button', { name: 'Submit for moderation' }).click();
  await expect(lead.getByTestId('record-status')).toContainText('Submitted for moderation', { timeout: 30_000 });

  // The QA officer moderates it, agreeing the grades.
  const qaContext = await browser.newContext({ baseURL: server.url });
  const qa = await qaContext.newPage();
  await signIn(qa, 'qa.green');
  await qa.goto(`/reviews/${id}`);
  await qa.getByRole('button', { name: 'Start the moderation' }).click({ timeout: 30_000 });
  await qa.getByLabel('What has gone well').fill('Amy was seen.');
  await qa.getByLabel('What needs to happen').fill('Act on risk.');
  await qa.getByLabel('Summary').fill('Inadequate: agreed.');
  await qa.getByRole('button', { name: 'Record the moderation' }).click();
  await expect(qa.getByTestId('record-status')).toContainText('Moderated', { timeout: 30_000 });

  // The QA officer's list: every open action across the service, the follow-ups the rules made included.
  await qa.getByRole('link', { name: 'Actions', exact: true }).click();
  const every = qa.getByRole('region', { name: 'Every open action' });
  await expect(every.getByRole('article', { name: ACTION })).toBeVisible({ timeout: 30_000 });
  await expect(every.getByRole('article', { name: 'Audit three more of Yusuf Ahmed’s cases' })).toBeVisible();
  await expect(every.getByRole('article', { name: /Re-audit the case of child CCR9001/ })).toBeVisible();
  await expectNoAccessibilityViolations(qa, 'the QA officer’s actions');

  // The team manager: asked to respond, told of the grade, given the follow-up.
  const managerContext = await browser.newContext({ baseURL: server.url });
  const manager = await managerContext.newPage();
  await signIn(manager, 'tm.okafor');
  await manager.getByRole('link', { name: /^Notifications/ }).click();
  const notices = manager.getByRole('list', { name: 'Notifications' });
  await expect(notices).toContainText('The team manager records a response to its findings before the review is closed.', { timeout: 30_000 });
  await expect(notices).toContainText('graded Inadequate after moderation');
  await expect(notices).toContainText('Follow-up: audit three more of Yusuf Ahmed’s cases');
  await manager.getByRole('link', { name: 'Actions', exact: true }).click();
  await expect(manager.getByRole('region', { name: 'My actions' }).getByRole('article', { name: 'Audit three more of Yusuf Ahmed’s cases' })).toBeVisible({ timeout: 30_000 });
  await manager.goto(`/reviews/${id}`);
  await expect(manager.getByRole('button', { name: 'Respond to the findings' })).toBeVisible({ timeout: 30_000 });
  await expect(manager.getByRole('article', { name: 'Audit three more of Yusuf Ahmed’s cases' })).toBeVisible();

  // The owner completes the action with the server out of reach; it is sent when it is back.
  const ownerContext = await browser.newContext({ baseURL: server.url });
  const owner = await ownerContext.newPage();
  await signIn(owner, 'sw.ahmed');
  await waitForOfflineReady(owner);
  await owner.getByRole('link', { name: 'Actions', exact: true }).click();
  const card = owner.getByRole('region', { name: 'My actions' }).getByRole('article', { name: ACTION });
  await expect(card).toBeVisible({ timeout: 30_000 });
  await server.stop();
  await expect(owner.getByTestId('connection')).toHaveText('Offline — working on this tablet', { timeout: 30_000 });
  await card.getByRole('button', { name: 'Record what was done' }).click();
  await card.getByRole('textbox', { name: 'What was done' }).fill('Strategy discussion held with police and health.');
  await card.getByRole('textbox', { name: 'Evidence' }).fill('Strategy discussion record in the case system.');
  await card.getByRole('button', { name: 'Mark as done' }).click();
  await expect(card).toContainText('Marked as done on this tablet — it will be sent when there is a connection.');
  await server.restart();
  await expect(owner.getByTestId('connection')).toHaveText('Online', { timeout: 70_000 });
  await expect(owner.getByRole('article', { name: ACTION })).toContainText('Done, waiting for sign-off', { timeout: 30_000 });

  // Their manager signs it off from their team's actions.
  await manager.goto('/actions');
  const team = manager.getByRole('region', { name: 'My team’s actions' });
  await expect(team.getByRole('heading', { name: 'Waiting for your sign-off (1)' })).toBeVisible({ timeout: 70_000 });
  await signOffAction(manager, ACTION);
  await manager.goto(`/reviews/${id}`);
  await expect(manager.getByRole('article', { name: ACTION })).toContainText('Signed off', { timeout: 30_000 });

  await Promise.all([leadContext, qaContext, managerContext, ownerContext].map((c) => c.close()));
});
