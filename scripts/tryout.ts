/**
 * Tries Fieldnotes as its users do, for a person to look at (not a test): the server on a host name that is
 * not localhost, over https with a certificate it makes, the demo organisation, and each role's screens at
 * 390, 768 and 1024 px. Writes a screenshot of every screen to the output directory and prints, per screen,
 * what a person would notice: page errors, console errors, a page wider than the screen, and axe violations.
 *
 *   npx tsx scripts/tryout.ts [output directory] [username ...]
 */
import AxeBuilder from '@axe-core/playwright';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { chromiumArgs } from '../playwright.config';
import { makeDevCertificate, spkiSha256 } from '../sync-server/devCertificate';
import { startServerProcess } from '../tests/support/serverProcess';

const HOST = 'fieldnotes.test';
const WIDTHS = [390, 768, 1024];
const out = path.resolve(process.argv[2] ?? 'tryout');
const usernames = process.argv.slice(3).length > 0 ? process.argv.slice(3) : ['tm.okafor', 'sw.ahmed', 'hos.patel', 'qa.green', 'dcs.morgan', 'psw.khan', 'admin.jones'];
fs.mkdirSync(out, { recursive: true });

const certificate = makeDevCertificate(HOST, fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-tryout-ca-')));
// The whole demo, with its year of records, as `npm start` makes it: the screens as a council would see them.
const server = await startServerProcess({ host: HOST, env: { FIELDNOTES_DEMO: 'on', FIELDNOTES_TLS_CERT: certificate.certFile, FIELDNOTES_TLS_KEY: certificate.keyFile } });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [...chromiumArgs, `--host-resolver-rules=MAP ${HOST} 127.0.0.1`, `--ignore-certificate-errors-spki-list=${spkiSha256(fs.readFileSync(certificate.certFile, 'utf8'))}`],
});

async function look(page: Page, label: string, width: number, problems: string[]) {
  await page.setViewportSize({ width, height: 900 });
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(out, `${label}-${width}.png`), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 1) problems.push(`${width}px: ${overflow}px wider than the screen`);
  const small = await page.evaluate(() =>
    [...document.querySelectorAll('a, button, input, select, textarea, [role="button"]')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        const type = (el as HTMLInputElement).type;
        return r.width > 0 && r.height > 0 && r.height < 44 && type !== 'radio' && type !== 'checkbox' && !el.closest('p, li, td') && !el.classList.contains('skip-link');
      })
      .map((el) => `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 30)}" ${Math.round(el.getBoundingClientRect().height)}px`),
  );
  if (small.length > 0) problems.push(`${width}px: targets under 44px: ${small.slice(0, 5).join('; ')}`);
  if (width === 1024) {
    const axe = await new AxeBuilder({ page }).analyze();
    for (const v of axe.violations) problems.push(`axe ${v.id}: ${v.nodes.length} (${v.help})`);
  }
}

try {
  for (const username of usernames) {
    const context = await browser.newContext({ baseURL: server.url, locale: 'en-GB', timezoneId: 'Europe/London' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
    await page.goto('/');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill('fieldnotes-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(1500);
    // Every place the header and the home screen lead to, as this person sees it (one record of each kind).
    const links = await page.locator('header a, main a').evaluateAll((as) => {
      const paths = as.map((a) => (a as HTMLAnchorElement).pathname).filter((p) => !p.startsWith('/api'));
      const byShape = new Map<string, string>();
      for (const p of paths) byShape.set(p.replace(/[0-9a-f-]{36}/g, ':id'), byShape.get(p.replace(/[0-9a-f-]{36}/g, ':id')) ?? p);
      return [...byShape.values()].filter((p) => !p.endsWith('/new'));
    });
    for (const link of ['/', ...links.filter((l) => l !== '/')]) {
      await page.goto(link);
      await page.waitForTimeout(800);
      const heading = (await page.locator('h1').first().textContent().catch(() => '')) ?? '';
      const problems: string[] = [];
      const label = `${username}${link === '/' ? '_home' : link.replaceAll('/', '_').slice(0, 40)}`;
      for (const width of WIDTHS) await look(page, label, width, problems);
      console.log(`${username} ${link} — "${heading.trim()}"${problems.length ? `\n    ${problems.join('\n    ')}` : ''}`);
    }
    if (errors.length) console.log(`  ${username}: ${[...new Set(errors)].join('\n    ')}`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
