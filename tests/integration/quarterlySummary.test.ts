/**
 * Issue 17, item 3, against a real server with real Yjs clients: the head of service starts the quarterly
 * summary of their service and the server drafts it from the data (a review and consented feedback in the
 * service this quarter; another service's review and unconsented feedback never in it); the head of service and
 * the QA officer write it together on two devices and converge, online and with one offline; it is submitted, the director and assistant
 * director are told, and it is read-only after; starting it again opens the same one; it is listed by quarter.
 */
import * as Y from 'yjs';
import { expect, it } from 'vitest';
import { dateInEngland } from '../../domain/actions';
import { periodContaining } from '../../domain/periods';
import { reviewDomains, type ReviewValues } from '../../domain/review';
import type { NotificationList } from '../../domain/notifications';
import type { SummaryListing } from '../../domain/summary';
import { readDrafted } from '../../recordModel/summaryDoc';
import { readDocStates } from '../../src/data/docs/docStore';
import { openAs, waitFor, type TestDevice } from '../support/device';
import { useTestServer } from '../support/testServer';

const testServer = useTestServer();
const { device } = testServer;
const server = () => testServer.server();
const anyVector = Buffer.from(Y.encodeStateVector(new Y.Doc())).toString('base64');
const today = () => dateInEngland(new Date());
const quarter = () => periodContaining('quarter', today());
const person = (username: string) => server().organisation.findUserByUsername(username)!;

const reviewValues = (childId: string, wentWell: string, needsToHappen: string): Partial<ReviewValues> => ({
  childId,
  levelOfNeed: 'child-in-need',
  reviewDate: today(),
  location: 'Civic centre',
  conversationMinutes: '60',
  reviewers: 'The lead and the social worker',
  penPicture: 'A child.',
  overallEvaluation: 'See the domains.',
  wentWell,
  needsToHappen,
  overallGradeRationale: 'As graded.',
  ...Object.fromEntries(reviewDomains.flatMap((d) => [[`${d.key}Evaluation`, `On ${d.label}.`], [`${d.key}Grade`, 'good']])),
  overallGrade: 'good',
});

async function review(lead: TestDevice, practitioner: string, childId: string, wentWell: string, needsToHappen: string) {
  const worker = person(practitioner);
  const id = await lead.createReview({ ...reviewValues(childId, wentWell, needsToHappen), socialWorkerId: worker.id, socialWorkerName: worker.displayName });
  await lead.goOnline();
  await lead.waitUntilAllSent();
  expect(await lead.command({ type: 'set-subject', record: `review/${id}`, userId: worker.id })).toEqual({ status: 'applied' });
  expect(await lead.command({ type: 'submit', record: `review/${id}`, stateVector: anyVector })).toEqual({ status: 'applied' });
}

/** Feedback given with consent is finished; without it, it cannot be (domain/feedback.ts) and stays a draft. */
async function feedback(author: TestDevice, childId: string, consent: 'yes' | 'no', words: string) {
  const id = await author.createFeedback({ childId, giver: 'parent', how: 'meeting', score: '7', consent, goneWell: words, date: today() });
  await author.goOnline();
  await author.waitUntilAllSent();
  const outcome = await author.command({ type: 'complete', record: `feedback/${id}`, stateVector: anyVector });
  expect(outcome.status).toBe(consent === 'yes' ? 'applied' : 'rejected');
}

async function start(d: TestDevice, body: unknown) {
  const response = await fetch(`${server().url}/api/summaries`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${d.token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { name?: string; created?: boolean; message?: string } };
}

async function list(d: TestDevice): Promise<SummaryListing[]> {
  const response = await fetch(`${server().url}/api/summaries`, { headers: { Authorization: `Bearer ${d.token}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { summaries: SummaryListing[] }).summaries;
}

const serviceOf = (username: string) => person(username).serviceId;

it('is drafted from the data, co-written on two devices, submitted, read-only after, and listed by quarter', async () => {
  const okafor = await device('tm.okafor'); // Safeguarding Team North
  const begum = await device('tm.begum'); // Children in Care
  await review(okafor, 'sw.ahmed', 'N1', 'The child’s wishes shaped the plan.', 'Visits written up within a week.');
  await review(begum, 'pa.davies', 'C1', 'Children in Care words.', 'Children in Care plan.');
  await feedback(okafor, 'N1', 'yes', 'The social worker really listens.');
  await feedback(okafor, 'N1', 'no', 'Words without consent.');

  const patel = await device('hos.patel');
  const qa = await device('qa.green');
  const safeguarding = serviceOf('hos.patel');
  const started = await start(patel, { service: safeguarding, quarter: quarter().id });
  expect(started.status).toBe(201);
  const name = started.body.name!;
  expect(name).toMatch(/^summary\//);
  const id = name.slice('summary/'.length);

  // Drafted in, from what the server stores.
  const stored = new Y.Doc();
  Y.applyUpdate(stored, (await server().store.load(name))!);
  const draft = readDrafted(stored)!;
  expect(draft.serviceName).toBe('Safeguarding');
  expect(draft.activity.find((a) => a.label === 'Collaborative case reviews submitted')?.count).toBe(1);
  expect(draft.activity.find((a) => a.label === 'Family feedback given with consent')?.count).toBe(1);
  expect(draft.grades[0]).toEqual({ label: 'Overall grade', counts: [0, 1, 0, 0] });
  expect(draft.wentWell.map((q) => q.text)).toEqual(['The child’s wishes shaped the plan.']);
  expect(draft.needsToHappen.map((q) => q.text)).toEqual(['Visits written up within a week.']);
  expect(draft.familyWords.map((q) => q.text)).toEqual(['The social worker really listens.']);
  expect(JSON.stringify(draft)).not.toMatch(/Children in Care words|without consent/);

  // Starting it again — by the QA team too — opens the same summary.
  expect(await start(patel, { service: safeguarding, quarter: quarter().id })).toEqual({ status: 200, body: { name, created: false } });
  expect(await start(qa, { service: safeguarding, quarter: quarter().id })).toEqual({ status: 200, body: { name, created: false } });

  // Two devices write the same field at once, and a field each; both converge on everyone's words.
  await patel.goOnline();
  await qa.goOnline();
  await waitFor('the summary on both devices', async () => (await patel.read(id, 'summary')).meta && (await qa.read(id, 'summary')).meta);
  await Promise.all([
    patel.edit(id, { workingWell: 'Priya: children’s wishes shape plans.', worried: 'Priya: recording is late.' }, 'summary'),
    qa.edit(id, { workingWell: 'Sam: moderation agreed most grades.', actionNeeded: 'Sam: a recording audit in Q3.' }, 'summary'),
  ]);
  const converged = await waitFor('the two devices to converge', async () => {
    const [a, b] = [await patel.read(id, 'summary'), await qa.read(id, 'summary')];
    return a && b && JSON.stringify(a.values) === JSON.stringify(b.values) && a.values.workingWell?.includes('Priya') && a.values.workingWell.includes('Sam') && a.values.actionNeeded ? a : null;
  });
  expect(converged.values.worried).toBe('Priya: recording is late.');
  expect(converged.values.actionNeeded).toBe('Sam: a recording audit in Q3.');
  await patel.waitUntilAllSent();
  await qa.waitUntilAllSent();

  // Offline too: the head of service writes with no connection while the QA officer writes online; both kept.
  patel.goOffline();
  await patel.edit(id, { worried: `${converged.values.worried} Offline: supervision gaps.` }, 'summary');
  await qa.edit(id, { worried: `QA: ${converged.values.worried}` }, 'summary');
  await qa.waitUntilAllSent();
  await patel.goOnline();
  await waitFor('the offline words to merge', async () => {
    const [a, b] = [await patel.read(id, 'summary'), await qa.read(id, 'summary')];
    return a.values.worried === b.values.worried && a.values.worried === 'QA: Priya: recording is late. Offline: supervision gaps.';
  });
  await patel.waitUntilAllSent();

  // Listed as being written, for those who may read it.
  expect((await list(patel)).map((s) => [s.name, s.status, s.quarter])).toEqual([[name, 'draft', quarter().id]]);

  // Submitted by the head of service; the director and assistant director are told; nobody writes it after.
  const director = await device('dcs.morgan');
  const ad = await device('ad.wright');
  const psw = await device('psw.khan');
  const told = async (d: TestDevice) => {
    const response = await fetch(`${server().url}/api/notifications`, { headers: { Authorization: `Bearer ${d.token}` } });
    return ((await response.json()) as NotificationList).notifications.filter((n) => n.kind === 'summary-submitted');
  };
  expect(await told(director)).toHaveLength(0);
  expect(await patel.command({ type: 'submit', record: name, stateVector: anyVector })).toEqual({ status: 'applied' });
  for (const leader of [director, ad]) expect((await told(leader)).map((n) => [n.record, n.text])).toEqual([[name, expect.stringContaining('Priya Patel submitted the quarterly summary of Safeguarding')]]);
  expect(await told(psw)).toHaveLength(0);
  expect(server().access.record(name)?.status).toBe('submitted');
  const again = await patel.command({ type: 'submit', record: name, stateVector: anyVector });
  expect(again.status).toBe('rejected');
  for (const writer of [patel, qa]) {
    const opened = await openAs(server().url, writer.token, name);
    expect(opened).toMatchObject({ opened: true, scope: 'readonly' });
    opened.close();
  }
  // Listed by quarter for the leadership team, newest first: an older quarter's summary comes after.
  const lewis = await device('hos.lewis');
  const earlier = periodContaining('quarter', new Date(Date.parse(`${quarter().start}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10));
  const older = await start(lewis, { service: serviceOf('hos.lewis'), quarter: earlier.id });
  expect(older.status).toBe(201);
  const listed = await list(director);
  expect(listed.map((s) => [s.name, s.quarter, s.status, s.serviceName])).toEqual([
    [name, quarter().id, 'submitted', 'Safeguarding'],
    [older.body.name, earlier.id, 'draft', 'Children in Care'],
  ]);
  expect(listed[0]).toMatchObject({ submittedByName: 'Priya Patel', startedByName: 'Priya Patel' });
});

it('is drafted again on request with the records finished since, keeping what people wrote; never once submitted', async () => {
  const okafor = await device('tm.okafor');
  await review(okafor, 'sw.ahmed', 'R1', 'First review went well.', 'First review needs.');
  const patel = await device('hos.patel');
  const safeguarding = serviceOf('hos.patel');
  const { body } = await start(patel, { service: safeguarding, quarter: quarter().id });
  const name = body.name!;
  const id = name.slice('summary/'.length);
  const draftOf = async () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await server().store.load(name))!);
    return readDrafted(doc)!;
  };
  const reviewsIn = (draft: Awaited<ReturnType<typeof draftOf>>) => draft.activity.find((a) => a.label === 'Collaborative case reviews submitted')?.count;
  expect(reviewsIn(await draftOf())).toBe(1);
  await patel.goOnline();
  await waitFor('the summary on the device', async () => (await patel.read(id, 'summary')).meta);
  await patel.edit(id, { workingWell: 'Written before the figures were updated.' }, 'summary');
  await patel.waitUntilAllSent();

  // A review finished after the summary was started: not in it until it is drafted again.
  await review(okafor, 'sw.brown', 'R2', 'A later review went well.', 'A later review needs.');
  expect(reviewsIn(await draftOf())).toBe(1);
  expect(await start(patel, { service: safeguarding, quarter: quarter().id, redraft: true })).toEqual({ status: 200, body: { name, created: false } });
  const redrafted = await draftOf();
  expect(reviewsIn(redrafted)).toBe(2);
  expect(redrafted.wentWell.map((q) => q.text).sort()).toEqual(['A later review went well.', 'First review went well.']);
  // On the device that has it open too, and the words written there are untouched.
  await waitFor('the new figures on the device', async () => {
    const doc = new Y.Doc();
    const state = (await readDocStates(patel.storeId, [name])).get(name);
    if (state) Y.applyUpdate(doc, state);
    const onDevice = readDrafted(doc);
    return onDevice && reviewsIn(onDevice) === 2;
  });
  expect((await patel.read(id, 'summary')).values.workingWell).toBe('Written before the figures were updated.');

  // Only its writers may ask; once submitted its figures stay as they were.
  const director = await device('dcs.morgan');
  expect((await start(director, { service: safeguarding, quarter: quarter().id, redraft: true })).status).toBe(403);
  await patel.edit(id, { worried: 'Worried.', actionNeeded: 'Action.' }, 'summary');
  await patel.waitUntilAllSent();
  expect(await patel.command({ type: 'submit', record: name, stateVector: anyVector })).toEqual({ status: 'applied' });
  await review(okafor, 'sw.clarke', 'R3', 'After submission.', 'After submission.');
  const refused = await start(patel, { service: safeguarding, quarter: quarter().id, redraft: true });
  expect(refused).toEqual({ status: 400, body: expect.objectContaining({ message: expect.stringContaining('has been submitted') }) });
  expect(await draftOf()).toEqual(redrafted);
}, 120_000);

it('refuses a submission with a part unwritten, naming each part', async () => {
  const qa = await device('qa.green');
  const { body } = await start(qa, { service: serviceOf('hos.patel'), quarter: quarter().id });
  await qa.goOnline();
  const id = body.name!.slice('summary/'.length);
  await waitFor('the summary on the device', async () => (await qa.read(id, 'summary')).meta);
  await qa.edit(id, { workingWell: 'Written.' }, 'summary');
  await qa.waitUntilAllSent();
  const outcome = await qa.command({ type: 'submit', record: body.name!, stateVector: anyVector });
  expect(outcome).toMatchObject({ status: 'rejected', message: 'The summary is not ready to be submitted.' });
  expect(outcome.status === 'rejected' && outcome.problems?.map((p) => p.field)).toEqual(['worried', 'actionNeeded']);
  expect(server().access.record(body.name!)?.status).toBe('draft');
});

it('refuses bad input, other services and other commands without harm', async () => {
  const patel = await device('hos.patel');
  expect((await start(patel, { service: serviceOf('hos.lewis'), quarter: quarter().id })).status).toBe(403);
  expect((await start(patel, { service: serviceOf('hos.patel'), quarter: 'not-a-quarter' })).status).toBe(400);
  expect((await start(patel, { service: serviceOf('hos.patel'), quarter: `${quarter().id.slice(0, 7)}-FY` })).status).toBe(400);
  expect((await start(patel, ['nonsense'])).status).toBe(400);
  expect((await start(patel, { service: 42, quarter: { toString: 'x' } })).status).toBe(400);
  expect((await start(patel, { service: 'x'.repeat(10_000), quarter: quarter().id })).status).toBe(400);
  // Without a sign-in: nothing listed, nothing started.
  expect((await fetch(`${server().url}/api/summaries`)).status).toBe(401);
  expect((await fetch(`${server().url}/api/summaries`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(401);
  const qa = await device('qa.green');
  expect((await start(qa, { service: 'no-such-service', quarter: quarter().id })).status).toBe(404);
  const { body } = await start(patel, { service: serviceOf('hos.patel'), quarter: quarter().id });
  // A summary is not shared, discarded or completed like other records.
  for (const command of [
    { type: 'add-participant' as const, record: body.name!, userId: person('tm.okafor').id, role: 'contributor' as const },
    { type: 'discard-draft' as const, record: body.name! },
    { type: 'complete' as const, record: body.name!, stateVector: anyVector },
  ])
    expect((await patel.command(command)).status).toBe('rejected');
  // A device cannot make a summary of its own: only the server drafts one.
  const made = await openAs(server().url, patel.token, `summary/${crypto.randomUUID()}`);
  expect(made.opened).toBe(false);
  made.close();
});

it('drafts a summary the server registered but never wrote (stopped between the two) when it is next started', async () => {
  const patel = await device('hos.patel');
  const name = `summary/${crypto.randomUUID()}`;
  const at = new Date().toISOString();
  server().db.prepare("INSERT INTO documents (name, kind, author_id, team_id, created_at, status) VALUES (?, 'summary', ?, NULL, ?, 'draft')").run(name, patel.user.id, at);
  server()
    .db.prepare('INSERT INTO quarterly_summaries (doc, service_id, quarter, quarter_start, started_by, started_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(name, serviceOf('hos.patel'), quarter().id, quarter().start, patel.user.id, at);
  expect(await server().store.load(name)).toBeFalsy();
  expect(await start(patel, { service: serviceOf('hos.patel'), quarter: quarter().id })).toEqual({ status: 200, body: { name, created: false } });
  const stored = new Y.Doc();
  Y.applyUpdate(stored, (await server().store.load(name))!);
  expect(readDrafted(stored)?.serviceName).toBe('Safeguarding');
  expect(stored.getMap('meta').get('kind')).toBe('summary');
});
