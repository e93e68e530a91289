/**
 * Issue 17: the access matrix of reports (the figures, and the records behind a figure), against a real server. Three submitted reviews — Safeguarding
 * North, Safeguarding South, Children in Care — and every demo person (every role): whether they may read
 * reports, and exactly which of the three the figures are built on, for everything, for a service and for a
 * team. Each cell written out by hand; zero unexpected allows, zero figures on records they may not read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dateInEngland } from '../../domain/actions';
import { periodContaining } from '../../domain/periods';
import type { ReportFigures } from '../../domain/reports';
import { reviewDomains } from '../../domain/review';
import { startServer, type RunningServer } from '../../sync-server/server';
import { signInAs, TestDevice } from '../support/device';
import { makeDataDir } from '../support/serverProcess';

let server: RunningServer;
const tokens = new Map<string, string>();
const devices: TestDevice[] = [];

const USERNAMES = [
  'tm.okafor', 'sw.ahmed', 'tm.hughes', 'tm.begum', 'hos.patel', 'hos.lewis', 'ad.wright', 'dcs.morgan', 'psw.khan', 'qa.green', 'iro.walsh', 'admin.jones',
] as const;
type Username = (typeof USERNAMES)[number];
type Review = 'north' | 'south' | 'care';
const reviews = new Map<Review, string>();
const today = () => dateInEngland(new Date());

async function submittedReview(lead: Username, practitioner: string, childId: string): Promise<string> {
  const d = await TestDevice.signIn(server.url, lead, `${lead}-tablet`);
  devices.push(d);
  const worker = server.organisation.findUserByUsername(practitioner)!;
  const id = await d.createReview({
    childId,
    levelOfNeed: 'child-in-need',
    reviewDate: today(),
    location: 'Office',
    conversationMinutes: '45',
    reviewers: 'Lead and social worker',
    penPicture: 'A child.',
    overallEvaluation: 'Fine.',
    wentWell: 'Heard.',
    needsToHappen: 'Dates.',
    overallGradeRationale: 'As graded.',
    socialWorkerId: worker.id,
    socialWorkerName: worker.displayName,
    ...Object.fromEntries(reviewDomains.flatMap((dm) => [[`${dm.key}Evaluation`, 'Seen.'], [`${dm.key}Grade`, 'good']])),
    overallGrade: 'good',
  });
  await d.goOnline();
  await d.waitUntilAllSent();
  const name = `review/${id}`;
  expect(await d.command({ type: 'set-subject', record: name, userId: worker.id })).toEqual({ status: 'applied' });
  expect(await d.command({ type: 'submit', record: name, stateVector: Buffer.from(Y.encodeStateVector(new Y.Doc())).toString('base64') })).toEqual({ status: 'applied' });
  return name;
}

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: makeDataDir(), staticDir: null, seedDemo: true, sessionDays: 1 });
  for (const username of USERNAMES) tokens.set(username, (await signInAs(server.url, username)).token);
  reviews.set('north', await submittedReview('tm.okafor', 'sw.ahmed', 'N1'));
  reviews.set('south', await submittedReview('tm.hughes', 'sw.clarke', 'S1'));
  reviews.set('care', await submittedReview('tm.begum', 'pa.davies', 'C1'));
}, 60_000);
afterAll(async () => {
  devices.forEach((d) => d.goOffline());
  await server?.close();
});

/** null: refused (403); otherwise which of the three reviews the figures count. */
async function counted(username: Username, scope = ''): Promise<Review[] | null> {
  const query = `period=${periodContaining('quarter', today()).id}${scope}`;
  const headers = { Authorization: `Bearer ${tokens.get(username)}` };
  const summary = await fetch(`${server.url}/api/reports?${query}`, { headers });
  const response = await fetch(`${server.url}/api/reports/records?${query}&figure=current.activity.review`, { headers });
  expect(summary.status).toBe(response.status);
  if (response.status === 403) return null;
  expect(response.status).toBe(200);
  const body = (await response.json()) as { count: number; records: string[] };
  // The summary's count is the same figure, without the list.
  expect(((await summary.json()) as ReportFigures).current.activity.review).toEqual({ count: body.count, records: [] });
  const names = new Set(body.records);
  return (['north', 'south', 'care'] as const).filter((r) => names.has(reviews.get(r)!));
}

const ALL: Review[] = ['north', 'south', 'care'];
const SAFEGUARDING: Review[] = ['north', 'south'];
// prettier-ignore
const EXPECTED: Record<Username, { everything: Review[] | null; safeguarding: Review[] | null; careTeam: Review[] | null }> = {
  'tm.okafor':   { everything: null, safeguarding: null, careTeam: null },
  'sw.ahmed':    { everything: null, safeguarding: null, careTeam: null },
  'tm.hughes':   { everything: null, safeguarding: null, careTeam: null },
  'tm.begum':    { everything: null, safeguarding: null, careTeam: null },
  'hos.patel':   { everything: SAFEGUARDING, safeguarding: SAFEGUARDING, careTeam: [] },
  'hos.lewis':   { everything: ['care'], safeguarding: [], careTeam: ['care'] },
  'ad.wright':   { everything: ALL, safeguarding: SAFEGUARDING, careTeam: ['care'] },
  'dcs.morgan':  { everything: ALL, safeguarding: SAFEGUARDING, careTeam: ['care'] },
  'psw.khan':    { everything: ALL, safeguarding: SAFEGUARDING, careTeam: ['care'] },
  'qa.green':    { everything: ALL, safeguarding: SAFEGUARDING, careTeam: ['care'] },
  'iro.walsh':   { everything: null, safeguarding: null, careTeam: null },
  'admin.jones': { everything: null, safeguarding: null, careTeam: null },
};

describe('who may read reports, and on which records', () => {
  it('allows exactly what the matrix says, and builds figures on exactly the records each person may read', async () => {
    const safeguarding = (server.db.prepare("SELECT id FROM services WHERE name = 'Safeguarding'").get() as { id: string }).id;
    const careTeam = server.organisation.findUserByUsername('tm.begum')!.teamId;
    const unexpected: string[] = [];
    for (const username of USERNAMES) {
      const seen = {
        everything: await counted(username),
        safeguarding: await counted(username, `&service=${safeguarding}`),
        careTeam: await counted(username, `&team=${careTeam}`),
      };
      for (const key of Object.keys(seen) as (keyof typeof seen)[])
        if (JSON.stringify(seen[key]) !== JSON.stringify(EXPECTED[username][key])) unexpected.push(`${username} ${key}: ${JSON.stringify(seen[key])}`);
    }
    expect(unexpected).toEqual([]);
  });

  it('refuses a request without a sign-in', async () => {
    expect((await fetch(`${server.url}/api/reports?period=${periodContaining('quarter', today()).id}`)).status).toBe(401);
  });
});
