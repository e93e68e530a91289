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
import { expect, fillObservation, newObservation, sampleObservation, signIn, test, waitForOfflineReady } from './fixtures';

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
  // The QA officer sets a new expectation on the screen, then changes how often.
  await qa.getByRole('button', { name: 'Add an expectation' }).click();
  const add = qa.getByRole('form', { name: 'Add an expectation' });
  await add.getByLabel('Who', { exact: true }).selectOption({ label: 'IRO / CP chair' });
  await add.getByLabel('Activity').selectOption({ label: 'Collaborative case review' });
  await add.getByLabel('Of whom').selectOption({ label: 'in all' });
  await add.getByLabel('How many').fill('2');
  await add.getByLabel('How often').selectOption({ label: 'Each quarter' });
  await add.getByLabel('Note (where it comes from, or why)').fill('St Helens Appendix 6: IROs take part in CCRs quarterly.');
  await add.getByRole('button', { name: 'Add the expectation' }).click();
  const expectations = qa.getByRole('region', { name: 'What is expected of whom' });
  await expect(expectations).toContainText('IRO / CP chair: 2 collaborative case reviews in all each quarter', { timeout: 30_000 });
  await expectations.getByRole('button', { name: 'Change: IRO / CP chair: 2 collaborative case reviews in all each quarter' }).click();
  const change = qa.getByRole('form', { name: 'Change the expectation' });
  await change.getByLabel('How often').selectOption({ label: 'Each month' });
  await change.getByRole('button', { name: 'Save the change' }).click();
  await expect(expectations).toContainText('IRO / CP chair: 2 collaborative case reviews in all each month', { timeout: 30_000 });
  // A quarter of reviews assigned without a named moderator go to the service managers' panel.
  const share = qa.getByLabel('Share moderated by the service managers’ panel (%)');
  await share.fill('25');
  await qa.getByRole('button', { name: 'Save the share' }).click();
  await qa.reload();
  await expect(qa.getByLabel('Share moderated by the service managers’ panel (%)')).toHaveValue('25', { timeout: 30_000 });
  const form = qa.getByRole('form', { name: 'Assign a child’s review' });
  await form.getByLabel('Child ID').fill('CCR8001');
  await form.getByLabel('Child’s name (optional)').fill('Amy');
  await form.getByLabel('Social worker / PA').selectOption({ label: 'Yusuf Ahmed' });
  await form.getByLabel('Level of need').selectOption({ label: 'Child in Need' });
  await form.getByLabel('Lead reviewer').selectOption({ label: 'Grace Okafor' });
  await form.getByLabel('Moderator').selectOption({ label: 'Priya Patel' });
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
  await expect(assigned).toContainText('moderator: Priya Patel');
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

  // One review for the assignment, however often it was opened from To do.
  await tm.goto('/');
  await expect(tm.getByRole('list', { name: 'My records' }).getByRole('listitem').filter({ hasText: 'CCR8001' })).toHaveCount(1);
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
  // Everyone's figures, under their service and team.
  const north = qa.getByRole('region', { name: 'Safeguarding: Safeguarding Team North' });
  await expect(north.getByTestId('coverage-row').filter({ hasText: 'Grace Okafor — 1 collaborative case review in all each month' })).toContainText('1 of 1');
  await expect(qa.getByRole('region', { name: 'Children in Care: Children in Care Team' })).toContainText('Nasima Begum');

  // The moderators' queues: the QA team's, and Priya Patel's, whom the assignment named; not Owen Hughes's.
  await qa.goto('/records');
  const qaQueue = qa.getByRole('list', { name: 'Awaiting moderation' });
  await expect(qaQueue.getByRole('listitem')).toHaveCount(1, { timeout: 30_000 });
  await expect(qaQueue).toContainText('CCR8001 (Amy)');
  const hosContext = await browser.newContext({ baseURL: server.url });
  const hos = await hosContext.newPage();
  await signIn(hos, 'hos.patel');
  await expect(hos.getByRole('heading', { name: 'Awaiting moderation (1)' })).toBeVisible({ timeout: 30_000 });
  await hos.getByRole('list', { name: 'Awaiting moderation' }).getByRole('link', { name: /Collaborative case review/ }).click();
  await expect(hos).toHaveURL(new RegExp(`/reviews/${id}$`));
  await expect(hos.getByRole('button', { name: 'Start the moderation' })).toBeVisible({ timeout: 30_000 });
  const otherContext = await browser.newContext({ baseURL: server.url });
  const other = await otherContext.newPage();
  await signIn(other, 'tm.hughes');
  await expect(other.getByRole('heading', { name: /Awaiting moderation/ })).toHaveCount(0);
  await Promise.all([qaContext.close(), tmContext.close(), hosContext.close(), otherContext.close()]);
});

test('My records filters, sorts and groups; an empty draft is discarded by its author', async ({ browser, server }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  await signIn(page, 'tm.okafor');
  // A completed observation of Yusuf Ahmed, a draft about Chloe Brown, and an empty draft.
  await newObservation(page);
  await fillObservation(page, sampleObservation);
  await page.getByRole('button', { name: 'Mark as complete' }).click();
  await expect(page.locator('.record-status')).toContainText('Complete', { timeout: 30_000 });
  // Back through the app, not a reload: the list's row is written as the page goes on.
  const home = () => page.getByRole('link', { name: 'Fieldnotes' }).click();
  await home();
  await newObservation(page);
  await page.getByLabel('Practitioner observed').selectOption({ label: 'Chloe Brown' });
  await page.getByLabel('Child ID').fill('MOS999');
  await home();
  await newObservation(page);
  await home();
  await expect(page.getByTestId('unsent-count')).toHaveText('Everything is sent', { timeout: 30_000 });

  const list = page.getByRole('list', { name: 'My records' }).getByRole('listitem');
  await expect(list).toHaveCount(3);
  await expect(list.filter({ hasText: 'MOS999' })).toHaveCount(1);
  await page.getByText('Filter and sort').click();
  await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Draft' });
  await expect(page.getByRole('status').filter({ hasText: 'records match' })).toHaveText('2 of 3 records match');
  await page.getByLabel('Practitioner', { exact: true }).selectOption({ label: 'Chloe Brown' });
  await expect(list).toHaveCount(1);
  await expect(list).toContainText('MOS999');
  await page.getByRole('button', { name: 'Clear the filters' }).click();
  await page.getByLabel('Child (ID or name)', { exact: true }).fill('123456');
  await expect(list).toHaveCount(1);
  await expect(list).toContainText('Yusuf Ahmed');
  await page.getByLabel('Child (ID or name)', { exact: true }).fill('');
  await page.getByLabel('Kind', { exact: true }).selectOption({ label: 'Collaborative case review' });
  await expect(page.getByRole('status').filter({ hasText: 'records match' })).toHaveText('0 of 3 records match');
  await page.getByLabel('Kind', { exact: true }).selectOption({ label: 'Any kind' });
  await page.getByLabel('Sort by', { exact: true }).selectOption({ label: 'Child ID' });
  // In number order (999 before 123456), and a draft with no child ID last.
  await expect(list.first()).toContainText('MOS999');
  await expect(list.nth(1)).toContainText('MOS123456');
  await expect(list.last()).toContainText('not recorded yet');
  await expectNoAccessibilityViolations(page, 'My records, filtered');

  // The empty draft is discarded: gone at once, and still gone once the server has applied it and after a reload.
  await list.last().getByRole('button', { name: 'Discard this observation of practice draft' }).click();
  await page.getByRole('button', { name: 'Discard it' }).click();
  await expect(list).toHaveCount(2);
  await expect(page.getByTestId('unsent-count')).toHaveText('Everything is sent', { timeout: 30_000 });
  await page.reload();
  await expect(page.getByRole('list', { name: 'My records' }).getByRole('listitem')).toHaveCount(2, { timeout: 30_000 });

  // Her head of service sees them grouped by team.
  const hosContext = await browser.newContext({ baseURL: server.url });
  const hos = await hosContext.newPage();
  await signIn(hos, 'hos.patel');
  await expect(hos.getByRole('heading', { name: 'Safeguarding Team North (2)' })).toBeVisible({ timeout: 30_000 });
  await expect(hos.getByRole('list', { name: 'My records: Safeguarding Team North' }).getByRole('listitem')).toHaveCount(2);
  await Promise.all([context.close(), hosContext.close()]);
});
