/**
 * Live keystroke latency between two people on one review (issue 14): the lead reviewer and the
 * practitioner each in their own browser context, the review open on both, the real server in between.
 * Each sample is one key pressed on one screen: from the page's own keydown (its clock) until the other
 * page's field holds the character (checked every millisecond, same machine clock). Directions alternate.
 *
 * Measured for a narrative field (the CodeMirror editor bound to a Y.Text) and, as the baseline in the
 * same run, for the Child ID box (a plain input written to the record's Y.Map): the same sync path
 * without the editor, so the difference is what the editor costs on the way.
 */
import { chromium, type Page } from '@playwright/test';
import { chromiumArgs } from '../../playwright.config';
import { startServerProcess } from '../support/serverProcess';
import { median } from './stats';

const PASSWORD = 'fieldnotes-demo';
const PEN_PICTURE = 'Pen picture of the child, their circumstances and needs';

async function signIn(page: Page, username: string) {
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'My records' }).waitFor();
}

type Waiting = Window & { benchAt?: Promise<number> };

/** How long `from` takes to show on `to` one key pressed in the field labelled `label`. */
async function oneKey(from: Page, to: Page, label: string, key: string, kind: 'narrative' | 'input'): Promise<number> {
  const expected = ((await readField(from, label, kind)) + key).length;
  // Both watchers are in place before the key is pressed.
  await to.getByLabel(label).evaluate(
    (field, { expected, kind }) => {
      const text = () => (kind === 'input' ? (field as HTMLInputElement).value : (field.textContent ?? ''));
      (window as Waiting).benchAt = new Promise<number>((resolve) => {
        const timer = setInterval(() => text().length >= expected && (clearInterval(timer), resolve(Date.now())), 1);
      });
    },
    { expected, kind },
  );
  await from.getByLabel(label).evaluate((field) => {
    (window as Waiting).benchAt = new Promise<number>((resolve) => field.addEventListener('keydown', () => resolve(Date.now()), { once: true, capture: true }));
  });
  await from.keyboard.press(key);
  const pressedAt = await from.evaluate(() => (window as Waiting).benchAt!);
  const arrivedAt = await to.evaluate(() => (window as Waiting).benchAt!);
  return arrivedAt - pressedAt;
}

function readField(page: Page, label: string, kind: 'narrative' | 'input'): Promise<string> {
  return page.getByLabel(label).evaluate((field, kind) => (kind === 'input' ? (field as HTMLInputElement).value : (field.textContent ?? '')), kind);
}

export async function runKeystrokeBench(keys = 60) {
  const server = await startServerProcess();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
  try {
    const contexts = await Promise.all([browser.newContext({ baseURL: server.url }), browser.newContext({ baseURL: server.url })]);
    // tsx compiles this file with esbuild's keepNames, which wraps the functions handed to evaluate() in a
    // __name() helper that only exists in Node: give the pages one that does nothing.
    await Promise.all(contexts.map((c) => c.addInitScript({ content: 'globalThis.__name = (f) => f;' })));
    const [lead, practitioner] = (await Promise.all(contexts.map((c) => c.newPage()))) as [Page, Page];
    await signIn(lead, 'tm.okafor');
    await signIn(practitioner, 'sw.ahmed');
    await lead.getByRole('link', { name: 'New collaborative case review' }).click();
    await lead.getByRole('heading', { name: 'Collaborative case review' }).waitFor();
    await lead.getByLabel('Child ID').fill('BENCH');
    await lead.getByLabel('Add someone to the review').selectOption({ label: 'Yusuf Ahmed, Practitioner' });
    await lead.getByRole('button', { name: 'Add to the review' }).click();
    const rows = practitioner.getByRole('list', { name: 'My records' }).getByRole('listitem').filter({ hasText: 'BENCH' });
    await rows.waitFor({ timeout: 60_000 });
    await rows.getByRole('link').click();
    await lead.getByTestId('presence').getByText('Yusuf Ahmed').waitFor({ timeout: 30_000 });

    const measure = async (label: string, kind: 'narrative' | 'input') => {
      for (const page of [lead, practitioner]) {
        await page.getByLabel(label).click();
        await page.getByLabel(label).press(kind === 'narrative' ? 'ControlOrMeta+End' : 'End');
      }
      const ms: number[] = [];
      // A few unmeasured keys first: the first ones pay for warming up code paths in both pages.
      for (let i = 0; i < keys + 4; i++) {
        const [from, to] = i % 2 === 0 ? [lead, practitioner] : [practitioner, lead];
        const latency = await oneKey(from, to, label, 'abcdefghij'[i % 10]!, kind);
        if (i >= 4) ms.push(latency);
        await from.waitForTimeout(30);
      }
      return ms;
    };
    const narrativeMs = await measure(PEN_PICTURE, 'narrative');
    const inputMs = await measure('Child ID', 'input');
    await Promise.all(contexts.map((c) => c.close()));
    const sorted = (v: number[]) => [...v].sort((a, b) => a - b);
    const p90 = (v: number[]) => sorted(v)[Math.floor(v.length * 0.9)]!;
    return {
      keys,
      narrative: { median: median(narrativeMs), p90: p90(narrativeMs), min: Math.min(...narrativeMs), max: Math.max(...narrativeMs) },
      input: { median: median(inputMs), p90: p90(inputMs), min: Math.min(...inputMs), max: Math.max(...inputMs) },
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}
