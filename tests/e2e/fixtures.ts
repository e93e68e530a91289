/** Shared end-to-end fixtures: a fresh real server per test, and the steps a manager takes. */
import { test as base, expect, type Page } from '@playwright/test';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';

export const DEMO_PASSWORD = 'fieldnotes-demo';

export const test = base.extend<{ server: ServerProcess; clock: boolean }>({
  /** `test.use({ clock: true })`: the server's clock can be moved forward (server.advanceClock). */
  clock: [false, { option: true }],
  server: async ({ clock }, use) => {
    const server = await startServerProcess({ clock });
    await use(server);
    await server.stop();
  },
  baseURL: async ({ server }, use) => use(server.url),
});
export { expect };

/** People whose home is the reports dashboard (issue 17): domain/reports.ts reportRoles. */
const dashboardPeople = ['hos.patel', 'hos.lewis', 'ad.wright', 'dcs.morgan', 'qa.green', 'psw.khan'];

/**
 * Signs in and waits for the home screen. Those whose home is the dashboard land on Reports; unless
 * `landing` is 'home', they then open My records from the header, where most steps start.
 */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD, landing: 'records' | 'home' = 'records') {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in to Fieldnotes' })).toBeVisible();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (!dashboardPeople.includes(username)) {
    await expect(page.getByRole('heading', { name: 'My records' })).toBeVisible();
    return;
  }
  await expect(page.getByRole('heading', { name: 'Reports', level: 1 })).toBeVisible();
  if (landing === 'home') return;
  await page.getByRole('link', { name: 'My records', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'My records' })).toBeVisible();
}

/** Resolves once the service worker is active, i.e. the app shell is precached for offline use. */
export async function waitForOfflineReady(page: Page) {
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return registration.active?.state;
  });
}

export interface ObservationInput {
  practitioner: string;
  childId: string;
  levelOfNeed: string;
  nature: string;
  strengths: string;
  areasForDevelopment: string;
  reflections: string;
  equality: string;
}

export const sampleObservation: ObservationInput = {
  practitioner: 'Yusuf Ahmed',
  childId: 'MOS123456',
  levelOfNeed: 'Child Protection',
  nature: 'Home visit',
  strengths: 'Yusuf spoke with Amy on her own, at her pace, and used her drawings to understand her day.',
  areasForDevelopment: 'Record the visit the same day and share the plan with the school.',
  reflections: 'We talked about how Amy’s voice shaped the plan and what Yusuf would do differently.',
  equality: 'The family’s faith and first language were respected: an interpreter was booked in advance.',
};

/** Starts a new observation and returns its id (from the URL). */
export async function newObservation(page: Page): Promise<string> {
  await page.getByRole('link', { name: 'New observation of practice' }).click();
  await expect(page.getByRole('heading', { name: 'Observation of practice' })).toBeVisible();
  await expect(page).toHaveURL(/\/observations\/[0-9a-f-]{36}$/);
  return page.url().split('/').pop()!;
}

export async function fillObservation(page: Page, input: ObservationInput) {
  await page.getByLabel('Practitioner observed').selectOption({ label: input.practitioner });
  await page.getByLabel('Child ID').fill(input.childId);
  await page.getByRole('radio', { name: input.levelOfNeed }).check();
  await page.getByRole('radio', { name: input.nature }).check();
  await page.getByLabel('Identified strengths').fill(input.strengths);
  await page.getByLabel('Areas for development').fill(input.areasForDevelopment);
  await page.getByLabel('Reflections with the practitioner').fill(input.reflections);
  await page.getByLabel('Equality, diversity and identity').fill(input.equality);
}

export async function expectObservation(page: Page, input: ObservationInput) {
  await expect(page.getByLabel('Practitioner observed').locator('option:checked')).toHaveText(input.practitioner);
  await expect(page.getByLabel('Child ID')).toHaveValue(input.childId);
  await expect(page.getByRole('radio', { name: input.levelOfNeed })).toBeChecked();
  await expect(page.getByRole('radio', { name: input.nature })).toBeChecked();
  await expect(page.getByLabel('Identified strengths')).toHaveText(input.strengths);
  await expect(page.getByLabel('Areas for development')).toHaveText(input.areasForDevelopment);
  await expect(page.getByLabel('Reflections with the practitioner')).toHaveText(input.reflections);
  await expect(page.getByLabel('Equality, diversity and identity')).toHaveText(input.equality);
}

/**
 * Adds someone to a record as a co-writer, as the record's author, through the server's command API with
 * the token signed in on `page` (the app's screen for this arrives with collaborative case reviews).
 */
export async function shareRecord(page: Page, record: string, username: string) {
  const outcome = await page.evaluate(
    async ({ record, username }) => {
      // The app keeps its access token in memory only: get one as another tab would, renewing through the
      // HttpOnly refresh cookie under the app's own lock (so the rotation never races the app's).
      const { token } = await navigator.locks.request('fieldnotes-refresh', async () => (await (await fetch('/api/refresh', { method: 'POST' })).json()) as { token: string });
      const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
      const directory = (await (await fetch('/api/directory', { headers })).json()) as { people: { id: string; username: string }[] };
      const userId = directory.people.find((p) => p.username === username)!.id;
      const body = JSON.stringify({ id: crypto.randomUUID(), type: 'add-participant', record, userId, role: 'contributor' });
      return (await (await fetch('/api/commands', { method: 'POST', headers, body })).json()) as { status: string };
    },
    { record, username },
  );
  expect(outcome).toEqual({ status: 'applied' });
}

/**
 * A manager signs off one of their team's actions, as they would: clicks Sign off and sees the tablet take
 * it (the card says "Signed off on this tablet" or leaves the list, and its Sign off button goes) before
 * going elsewhere. Leaving in the same instant as the click can close the page before the command is
 * written to the outbox — as closing a tab mid-click would.
 */
export async function signOffAction(page: Page, action: string) {
  const card = page.getByRole('region', { name: 'My team’s actions' }).getByRole('article', { name: action });
  const signOff = card.getByRole('button', { name: 'Sign off' });
  await signOff.click();
  await expect(signOff).toBeHidden();
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Fieldnotes' })).toBeVisible();
}

/**
 * Starts a collaborative case review for `childId` as its lead reviewer and chooses the child's social
 * worker, which makes them a co-writer; resolves once the server has added them. Returns the review's id.
 */
export async function newReviewWithSocialWorker(page: Page, childId: string, socialWorker: string): Promise<string> {
  await page.getByRole('link', { name: 'New collaborative case review' }).click();
  await expect(page.getByRole('heading', { name: 'Collaborative case review' })).toBeVisible();
  await expect(page).toHaveURL(/\/reviews\/[0-9a-f-]{36}$/);
  const id = page.url().split('/').pop()!;
  await page.getByLabel('Child ID').fill(childId);
  await page.getByLabel('Social worker / PA').selectOption({ label: socialWorker });
  const people = page.getByRole('region', { name: 'People in this review' });
  await expect(people).toContainText(socialWorker, { timeout: 30_000 });
  await expect(people).not.toContainText('not yet sent', { timeout: 30_000 });
  return id;
}

export interface FeedbackInput {
  childId?: string;
  /** "A parent", "A carer", "Another family member" (each asks for a relationship). */
  giver: string;
  relationship: string;
  how: string;
  workingWell: string;
  score: number;
  consent: boolean;
}

/** Starts family feedback from My records and returns its id (from the URL). */
export async function newFeedback(page: Page): Promise<string> {
  await page.getByRole('link', { name: 'New family feedback' }).click();
  await expect(page.getByRole('heading', { name: 'Family feedback' })).toBeVisible();
  await expect(page).toHaveURL(/\/feedback\/[0-9a-f-]{36}$/);
  return page.url().split('/').pop()!;
}

export const consentBox = (page: Page) => page.getByRole('checkbox', { name: 'They agree to this feedback being used' });

/** Fills in family feedback as a manager writing down what a parent or carer says. */
export async function fillFeedback(page: Page, input: FeedbackInput) {
  if (input.childId !== undefined) await page.getByLabel('Child ID').fill(input.childId);
  await page.getByRole('radio', { name: input.giver, exact: true }).check();
  await page.getByLabel('Their relationship to the child').fill(input.relationship);
  await page.getByRole('radio', { name: input.how, exact: true }).check();
  await page.getByLabel('What is working well?').fill(input.workingWell);
  // The score's options are named by their number (a description may follow it).
  await page.getByRole('radio', { name: new RegExp(`^${input.score}\\b`) }).check();
  await consentBox(page).setChecked(input.consent);
}
