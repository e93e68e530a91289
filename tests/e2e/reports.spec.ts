/**
 * Issue 17, the dashboard's main path: reviews written and moderated elsewhere (plain Yjs clients and
 * commands over the real API, as any device sends them); the head of Safeguarding signs in and lands on
 * Reports, her home, sees her service's figures as tables (axe clean), the overall grades' trend and activity
 * against the programme, opens the records behind a trend figure, downloads the dashboard as a PDF, filters
 * to one team, opens the records behind a figure, and downloads a table as CSV that Excel reads (UTF-8 with
 * BOM, dates as dates).
 */
import fs from 'node:fs';
import * as Y from 'yjs';
import { dateInEngland } from '../../domain/actions';
import { formLayouts } from '../../domain/kinds';
import { moderationIdFor } from '../../domain/moderation';
import { periodContaining } from '../../domain/periods';
import { reviewDomains } from '../../domain/review';
import { initRecordDoc, setField } from '../../recordModel/recordDoc';
import { openAs, sendCommandAs, signInAs } from '../support/device';
import { pagesText, words } from '../pdf/poppler';
import { expectNoAccessibilityViolations } from './accessibility';
import { expect, signIn, test } from './fixtures';

const today = () => dateInEngland(new Date());

/** Writes a record's document as `username` and sends the command that finishes it, retrying until the server has stored what was written. */
async function writeAndFinish(serverUrl: string, username: string, name: string, values: Record<string, string>, finish: (token: string, stateVector: string) => Promise<{ status: string }>) {
  const { token, user } = await signInAs(serverUrl, username);
  const [kind, id] = name.split('/') as ['review' | 'moderation', string];
  const opened = await openAs(serverUrl, token, name);
  expect(opened.opened).toBe(true);
  initRecordDoc(opened.doc, { id, kind, status: 'draft', createdAt: new Date().toISOString(), authorId: user.id, authorName: user.displayName, authorTeamId: user.teamId });
  for (const [field, value] of Object.entries(values)) setField(opened.doc, formLayouts[kind], field, value);
  const stateVector = Buffer.from(Y.encodeStateVector(opened.doc)).toString('base64');
  await expect.poll(async () => (await finish(token, stateVector)).status, { timeout: 30_000 }).toBe('applied');
  opened.close();
  return token;
}

async function review(serverUrl: string, lead: string, practitioner: string, childId: string, overall: string) {
  const id = crypto.randomUUID();
  const name = `review/${id}`;
  const { token: leadToken } = await signInAs(serverUrl, lead);
  const worker = (await (await fetch(`${serverUrl}/api/directory`, { headers: { Authorization: `Bearer ${leadToken}` } })).json()) as { people: { id: string; username: string; displayName: string }[] };
  const social = worker.people.find((p) => p.username === practitioner)!;
  let subjectSet = false;
  await writeAndFinish(
    serverUrl,
    lead,
    name,
    {
      childId,
      childName: `Child ${childId}`,
      socialWorkerId: social.id,
      socialWorkerName: social.displayName,
      levelOfNeed: 'child-in-need',
      reviewDate: today(),
      location: 'Civic centre',
      conversationMinutes: '60',
      reviewers: 'The lead and the social worker',
      penPicture: 'A child.',
      overallEvaluation: 'See the domains.',
      wentWell: 'They were heard.',
      needsToHappen: 'A plan with dates.',
      overallGradeRationale: 'As graded.',
      ...Object.fromEntries(reviewDomains.flatMap((d) => [[`${d.key}Evaluation`, `On ${d.label}.`], [`${d.key}Grade`, 'good']])),
      overallGrade: overall,
    },
    async (token, stateVector) => {
      if (!subjectSet) {
        const set = await sendCommandAs(serverUrl, token, { type: 'set-subject', record: name, userId: social.id });
        if (set.status !== 'applied') return set;
        subjectSet = true;
      }
      return sendCommandAs(serverUrl, token, { type: 'submit', record: name, stateVector });
    },
  );
  return id;
}

test('a head of service reads her service’s reports, filters to a team, opens the records behind a figure and exports CSV', async ({ page, server }) => {
  test.setTimeout(180_000);
  // Safeguarding: North has two reviews (one moderated from Good down to Requires Improvement), South one; Children in Care one.
  const north = await review(server.url, 'tm.okafor', 'sw.ahmed', 'RPT1', 'good');
  await review(server.url, 'tm.okafor', 'sw.brown', 'RPT2', 'inadequate');
  const south = await review(server.url, 'tm.hughes', 'sw.clarke', 'RPT3', 'good');
  await review(server.url, 'tm.begum', 'pa.davies', 'RPT4', 'outstanding');
  await writeAndFinish(
    server.url,
    'qa.green',
    `moderation/${moderationIdFor(north)}`,
    { ...Object.fromEntries(reviewDomains.map((d) => [`${d.key}Grade`, 'good'])), overallGrade: 'requires-improvement', gradeChangeReason: 'No dates in the plan.', wentWell: 'Some.', needsToHappen: 'More.', summary: 'RI.' },
    (token, stateVector) => sendCommandAs(server.url, token, { type: 'moderate', record: `review/${north}`, stateVector }),
  );

  // Her home is the dashboard; My records and To do are in the header.
  await signIn(page, 'hos.patel', undefined, 'home');
  await expect(page).toHaveURL(/\/reports$/);
  await expect(page.getByRole('heading', { name: 'Reports', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'My records', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'To do', exact: true })).toBeVisible();
  const quarter = periodContaining('quarter', today());
  await expect(page.getByRole('status').filter({ hasText: `${quarter.label}, compared with` })).toContainText('Safeguarding', { timeout: 30_000 });
  const activity = page.getByRole('table', { name: /Records finished in each period/ });
  const thisPeriod = activity.getByRole('row').nth(1);
  await expect(thisPeriod.getByRole('button', { name: /Collaborative case reviews/ })).toHaveText(/^3/);
  const overall = page.getByRole('table', { name: /by overall grade/ }).getByRole('row').nth(1);
  // Outstanding 0 (Children in Care's is not hers), Good 1, Requires Improvement 1 (as moderated), Inadequate 1.
  await expect(overall.getByRole('cell')).toHaveText([/^\d/, /^\d/, '0', /^1/, /^1/, /^1/]);
  await expect(page.getByRole('heading', { name: 'Charts' })).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.report-chart svg').first()).toBeVisible();

  // The trend: five quarters, this one last — three graded, one Good or better (Requires Improvement as moderated, Inadequate, Good).
  const trend = page.getByRole('table', { name: /in each quarter up to the chosen period/ });
  await expect(trend.getByRole('row')).toHaveCount(6);
  const lastQuarter = trend.getByRole('row').nth(5);
  await expect(lastQuarter.getByRole('rowheader')).toHaveText(quarter.label);
  await expect(lastQuarter.getByRole('button', { name: /^3: list the records behind Reviews graded/ })).toBeVisible();
  await expect(page.getByRole('figure').filter({ hasText: 'Share of reviews graded Good or better' })).toBeVisible();
  // Activity against the programme: each team manager's review a month — Grace Okafor's two and Owen Hughes's one this month.
  const against = page.getByRole('table', { name: /What the QA programme expects/ });
  const monthly = against.getByRole('row').filter({ hasText: 'Team manager: 1 collaborative case review in all each month' });
  await expect(monthly.getByRole('cell').nth(3)).toHaveText('3', { timeout: 30_000 });
  await expectNoAccessibilityViolations(page, 'the reports dashboard');

  // The records behind a trend figure: the one Good review, Owen Hughes's.
  await lastQuarter.getByRole('button', { name: /Good or better/ }).click();
  const trendBehind = page.getByRole('region', { name: /Records behind: Good or better/ });
  await expect(trendBehind.getByRole('link')).toHaveCount(1);
  await expect(trendBehind.getByRole('link')).toHaveAttribute('href', `/reviews/${south}`);

  // The dashboard as a PDF: a real PDF, with the period and the service.
  const pdfDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download as PDF' }).click();
  const pdf = await pdfDownload;
  expect(pdf.suggestedFilename()).toMatch(new RegExp(`^reports_${quarter.id}_safeguarding_\\d{4}-\\d{2}-\\d{2}\\.pdf$`));
  const pdfPath = await pdf.path();
  expect(fs.readFileSync(pdfPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const pdfText = words(pagesText(pdfPath).join('\n'));
  expect(pdfText).toContain(quarter.label);
  expect(pdfText).toContain('Scope Safeguarding');
  expect(pdfText).toContain('Overall grades over the last five quarters');
  expect(pdfText).toContain('OFFICIAL-SENSITIVE');
  await expect(page.getByText(/^PDF made: reports_/)).toBeVisible();

  // One team: Safeguarding Team North.
  await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Safeguarding Team North' });
  await expect(page.getByRole('status').filter({ hasText: 'compared with' })).toContainText('Safeguarding Team North', { timeout: 30_000 });
  await expect(activity.getByRole('row').nth(1).getByRole('button', { name: /Collaborative case reviews/ })).toHaveText(/^2/);
  const changed = page.getByRole('table', { name: /how often moderation changed a grade/ }).getByRole('row').nth(1);
  await expect(changed.getByRole('button', { name: /A grade changed/ })).toHaveText(/^1/);

  // The records behind a figure, and one of them opened.
  await changed.getByRole('button', { name: /A grade changed/ }).click();
  const behind = page.getByRole('region', { name: /Records behind: A grade changed/ });
  await expect(behind.getByRole('link')).toHaveCount(1);
  await expect(page.getByRole('heading', { name: /Records behind/ })).toBeFocused();

  // The activity table as CSV.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download as CSV: Activity', exact: true }).click();
  const file = await (await downloading).path();
  const bytes = fs.readFileSync(file);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.toString('utf8').slice(1).split('\r\n');
  expect(lines[0]).toBe('Period,From,To,Observations of practice,Collaborative case reviews,Family feedback,Moderations');
  expect(lines[1]).toBe(`${quarter.label.includes(',') ? `"${quarter.label} (this period)"` : `${quarter.label} (this period)`},${quarter.start},${quarter.end},0,2,0,1`);

  await behind.getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/reviews/${north}$`));
  await expect(page.getByRole('heading', { name: 'Collaborative case review' })).toBeVisible({ timeout: 30_000 });
});
