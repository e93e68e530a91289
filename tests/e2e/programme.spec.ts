/**
 * Issue 16, the main path of the QA programme: the QA officer assigns a child's review to a team manager;
 * the team manager sees it in "To do" with the server stopped, starts it in one tap (filled in from the
 * assignment), writes and submits it offline; once the server is back the assignment is done and coverage
 * counts the review — for her and, organisation-wide, for the QA officer.
 */
import { dateInEngland } from '../../domain/actions';
import { periodContaining } from '../../domain/periods';
import { reviewDomains } from '../../domain/review';
import { expectNoAccessibilityViolations } from './accessibility';
import { expect, signIn, test, waitForOfflineReady } from './fixtures';

test('a review assigned by the QA officer is done offline from To do and counted in coverage', async ({ browser, server }) => {
  test.setTimeout(240_000);
  const quarter = periodContaining('quarter', dateInEngland(new Date()));

  // The QA officer assigns child CCR8001 (Yusuf Ahmed's case) to Grace Okafor.
  const qaContext = await browser.newContext({ baseURL: server.url });
  const qa = await qaContext.newPage();
  await signIn(qa, 'qa.green');
  await qa.getByRole('link', { name: 'Programme' }).click();
  await expect(qa.getByRole('heading', { name: 'The QA programme' })).toBeVisible();
  await expect(qa.getByText('Team manager: 1 observation of practice of each direct report each year')).toBeVisible({ timeout: 30_000 });
  await expect(qa.getByRole('table', { name: 'The quarter’s schedule' })).toContainText('Dip sampling');
  const form = qa.getByRole('form', { name: 'Assign a child’s review' });
  await form.getByLabel('Child ID').fill('CCR8001');
  await form.getByLabel('Child’s name (optional)').fill('Amy');
  await form.getByLabel('Social worker / PA').selectOption({ label: 'Yusuf Ahmed' });
  await form.getByLabel('Level of need').selectOption({ label: 'Child in Need' });
  await form.getByLabel('Lead reviewer').selectOption({ label: 'Grace Okafor' });
  await form.getByLabel('Due date').fill(quarter.end);
  await expectNoAccessibilityViolations(qa, 'the QA programme screen');
  await form.getByRole('button', { name: 'Assign the review' }).click();
  await expect(qa.getByRole('status').filter({ hasText: '1 assigned.' })).toBeVisible({ timeout: 30_000 });
  await expect(qa.getByRole('region', { name: /Assign reviews/ })).toContainText('Child CCR8001 (Amy): Grace Okafor', { timeout: 30_000 });

  // Grace's tablet: the assignment is in To do; then the server stops and it is still there after a reload.
  const tmContext = await browser.newContext({ baseURL: server.url });
  const tm = await tmContext.newPage();
  await signIn(tm, 'tm.okafor');
  await waitForOfflineReady(tm);
  await tm.getByRole('link', { name: 'To do' }).click();
  const assigned = tm.getByRole('region', { name: 'Assigned to you' });
  await expect(assigned).toContainText('Collaborative case review of child CCR8001 (Amy)', { timeout: 30_000 });
  await expect(assigned).toContainText('Assigned by Sam Green');
  await expect(tm.getByRole('region', { name: 'This quarter’s schedule for you' })).toContainText('Dip sampling');
  await expectNoAccessibilityViolations(tm, 'To do');

  await server.stop();
  await expect(tm.getByTestId('connection')).toHaveText('Offline — working on this tablet', { timeout: 30_000 });
  await tm.reload();
  await expect(tm.getByRole('region', { name: 'Assigned to you' })).toContainText('Collaborative case review of child CCR8001 (Amy)');

  // One tap: a review filled in from the assignment.
  await tm.getByRole('link', { name: 'Start the collaborative case review of child CCR8001' }).click();
  await expect(tm.getByRole('heading', { name: 'Collaborative case review' })).toBeVisible();
  await expect(tm).toHaveURL(/\/reviews\/[0-9a-f-]{36}$/);
  const id = tm.url().split('/').pop()!;
  await expect(tm.getByLabel('Child ID')).toHaveValue('CCR8001');
  await expect(tm.getByLabel('Social worker / PA').locator('option:checked')).toHaveText('Yusuf Ahmed');
  await expect(tm.getByRole('radio', { name: 'Child in Need' })).toBeChecked();
  await tm.getByLabel('Who undertook the review').fill('Grace Okafor (lead)\nYusuf Ahmed, social worker');
  await tm.getByLabel('Where the review took place').fill('Civic centre');
  await tm.getByLabel('How long the conversation took (minutes)').fill('60');
  await tm.getByLabel('Pen picture of the child, their circumstances and needs').fill('Amy is nine and loves drawing.');
  for (const domain of reviewDomains) {
    await tm.getByLabel(`${domain.label}: evaluation`).fill(`The ${domain.label.toLowerCase()} was child-focused.`);
    await tm.getByRole('group', { name: `${domain.label}: grade` }).getByRole('radio', { name: 'Good' }).check();
  }
  await tm.getByLabel('Overall evaluation').fill('Consistent work that keeps Amy at the centre.');
  await tm.getByLabel('What has gone well and made a positive difference for the child').fill('Amy’s voice shaped the plan.');
  await tm.getByLabel('What needs to happen to support further improvement').fill('Share the plan with school.');
  await tm.getByRole('group', { name: 'Overall grade' }).getByRole('radio', { name: 'Good' }).check();
  await tm.getByLabel('Rationale for the overall grade').fill('Child-focused throughout.');
  await tm.getByRole('button', { name: 'Submit for moderation' }).click();
  // A second tap from To do opens the same review, not a new one.
  await tm.goto('/todo');
  await tm.getByRole('link', { name: 'Continue the collaborative case review of child CCR8001' }).click();
  await expect(tm).toHaveURL(new RegExp(`/reviews/${id}$`));

  // The server is back: the review is submitted, the assignment done, coverage counts it.
  await server.restart();
  await expect(tm.getByTestId('connection')).toHaveText('Online', { timeout: 70_000 });
  await expect(tm.getByTestId('record-status')).toContainText('Submitted for moderation', { timeout: 60_000 });
  await tm.goto('/todo');
  await expect(tm.getByRole('region', { name: 'Done' })).toContainText('Collaborative case review of child CCR8001, done', { timeout: 30_000 });
  await expect(tm.getByRole('region', { name: 'Assigned to you' })).toContainText('Nothing is assigned to you.');

  await tm.goto('/coverage');
  const monthly = tm.getByTestId('coverage-row').filter({ hasText: 'Grace Okafor — 1 collaborative case review in all each month' });
  await expect(monthly).toContainText('1 of 1', { timeout: 30_000 });
  await expect(monthly).toContainText('Done');
  await monthly.getByText('The 1 record counted').click();
  await expect(monthly.getByRole('link', { name: /Collaborative case review/ })).toHaveAttribute('href', `/reviews/${id}`);
  await expectNoAccessibilityViolations(tm, 'coverage');

  // The QA officer's coverage counts it organisation-wide, by team and level of need.
  await qa.goto('/coverage');
  const organisation = qa.getByRole('region', { name: 'The organisation' });
  await expect(organisation).toContainText('The organisation: 20 collaborative case reviews in all each quarter: 1 of 20', { timeout: 60_000 });
  await expect(organisation).toContainText('By team: Safeguarding Team North 1');
  await expect(organisation).toContainText('By level of need: Child in Need 1');
  await Promise.all([qaContext.close(), tmContext.close()]);
});
