/**
 * Issue 16, against a real server with a controllable clock: the sample of children (from the records the
 * server holds, RI and Inadequate first when asked, none assigned twice in a quarter, a head of service only
 * their service's), assignment to a lead reviewer and a moderator, the record linked by a command and the
 * assignment done when it is submitted, and coverage counting it — this quarter and not the next.
 */
import { expect, it } from 'vitest';
import { dateInEngland } from '../../domain/actions';
import type { Assignment, SampleCandidate } from '../../domain/assignments';
import { moderationIdFor } from '../../domain/moderation';
import { addDaysTo, periodContaining } from '../../domain/periods';
import type { CoverageReport } from '../../domain/programme';
import { reviewDomains, type ReviewValues } from '../../domain/review';
import { openRecord } from '../../src/data/docs/openRecord';
import type { TestDevice } from '../support/device';
import { useTestServer } from '../support/testServer';

let now = new Date();
const testServer = useTestServer(() => {
  now = new Date();
  return { now: () => now, scheduleEveryMs: 0 };
});
const { device } = testServer;
const server = () => testServer.server();
const today = () => dateInEngland(now);
const quarter = () => periodContaining('quarter', today());

async function api<T>(d: TestDevice, path: string, method = 'GET', body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server().url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${d.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

const reviewValues = (childId: string, overall: string, levelOfNeed = 'child-in-need'): Partial<ReviewValues> => ({
  childId,
  childName: `Child ${childId}`,
  levelOfNeed: levelOfNeed as ReviewValues['levelOfNeed'],
  reviewDate: today(),
  location: 'Civic centre',
  conversationMinutes: '60',
  reviewers: 'The lead and the social worker',
  penPicture: 'A child.',
  overallEvaluation: 'See the domains.',
  wentWell: 'They were heard.',
  needsToHappen: 'A plan with dates.',
  overallGradeRationale: 'As graded.',
  ...Object.fromEntries(reviewDomains.map((d) => [`${d.key}Evaluation`, `On ${d.label}.`])),
  ...Object.fromEntries(reviewDomains.map((d) => [`${d.key}Grade`, 'good'])),
  overallGrade: overall,
});
const stateVectorOf = async (d: TestDevice, kind: 'review' | 'moderation', id: string) => {
  const handle = (await openRecord(d.storeId, kind, id, d.user))!;
  const sv = handle.stateVector();
  handle.release();
  return sv;
};

/** A review by `lead` of a practitioner's case, on the server; submitted unless told otherwise. */
async function review(lead: TestDevice, practitioner: string, childId: string, overall: string, options: { submit?: boolean; levelOfNeed?: string; before?: (name: string) => Promise<void> } = {}) {
  const worker = server().organisation.findUserByUsername(practitioner)!;
  const id = await lead.createReview({ ...reviewValues(childId, overall, options.levelOfNeed), socialWorkerId: worker.id, socialWorkerName: worker.displayName });
  const name = `review/${id}`;
  await lead.goOnline();
  await lead.waitUntilAllSent();
  expect(await lead.command({ type: 'set-subject', record: name, userId: worker.id })).toEqual({ status: 'applied' });
  await options.before?.(name);
  if (options.submit !== false) expect(await lead.command({ type: 'submit', record: name, stateVector: await stateVectorOf(lead, 'review', id) })).toEqual({ status: 'applied' });
  return { id, name };
}

it('draws a sample across teams, RI and Inadequate first, never twice in a quarter, and a head of service only from their service', async () => {
  const okafor = await device('tm.okafor');
  const begum = await device('tm.begum');
  const qa = await device('qa.green');
  // North: an Inadequate, a Good and a Requires Improvement (moderated down from Good); Children in Care: two Good.
  const inadequate = await review(okafor, 'sw.ahmed', 'N-INAD', 'inadequate');
  await review(okafor, 'sw.brown', 'N-GOOD', 'good', { levelOfNeed: 'child-protection' });
  const downgraded = await review(okafor, 'sw.ahmed', 'N-DOWN', 'good');
  await review(begum, 'pa.davies', 'C-ONE', 'good', { levelOfNeed: 'child-in-care' });
  await review(begum, 'sw.fraser', 'C-TWO', 'good', { levelOfNeed: 'child-in-care' });
  // A draft is not a child the server has findings about.
  await review(begum, 'sw.fraser', 'C-DRAFT', 'good', { submit: false });
  const agreed = { ...Object.fromEntries(reviewDomains.map((d) => [`${d.key}Grade`, 'good'])), overallGrade: 'requires-improvement', gradeChangeReason: 'No plan dates.', wentWell: 'Some.', needsToHappen: 'More.', summary: 'RI.' };
  await qa.createModeration(downgraded.id, agreed);
  await qa.goOnline();
  await qa.waitUntilAllSent();
  expect(await qa.command({ type: 'moderate', record: downgraded.name, stateVector: await stateVectorOf(qa, 'moderation', moderationIdFor(downgraded.id)) })).toEqual({ status: 'applied' });

  const sample = async (d: TestDevice, size: number, includeConcerns = 'yes') =>
    (await api<{ candidates: SampleCandidate[] }>(d, `/api/programme/sample?quarter=${quarter().id}&size=${size}&includeConcerns=${includeConcerns}`)).body.candidates;

  // Two of five, concerns first: exactly the Inadequate and the one moderated to RI (as moderated, not as written).
  const two = await sample(qa, 2);
  expect(two.map((c) => c.childId).sort()).toEqual(['N-DOWN', 'N-INAD']);
  expect(two.find((c) => c.childId === 'N-DOWN')).toMatchObject({ lastGrade: 'requires-improvement', reason: 'Earlier review graded Requires Improvement', childName: 'Child N-DOWN' });
  // Without concerns first, a sample of two is spread across the teams, not two of the larger one.
  for (let i = 0; i < 5; i++) {
    const spread = await sample(qa, 2, 'no');
    expect(new Set(spread.map((c) => c.teamId)).size).toBe(2);
  }
  expect((await sample(qa, 20)).map((c) => c.childId).sort()).toEqual(['C-ONE', 'C-TWO', 'N-DOWN', 'N-GOOD', 'N-INAD']);
  // A head of service samples their own service only.
  const lewis = await device('hos.lewis');
  expect((await sample(lewis, 20)).map((c) => c.childId).sort()).toEqual(['C-ONE', 'C-TWO']);

  // Assigned this quarter: not drawn again.
  const hughes = server().organisation.findUserByUsername('tm.hughes')!;
  const assigned = await api<{ assignments: Assignment[] }>(qa, '/api/programme/assignments', 'POST', {
    quarter: quarter().id,
    assignments: [{ childId: 'N-INAD', practitionerId: server().organisation.findUserByUsername('sw.ahmed')!.id, assigneeId: hughes.id, dueDate: quarter().end, reason: 'Earlier review graded Inadequate' }],
  });
  expect(assigned.status).toBe(201);
  expect((await sample(qa, 20)).map((c) => c.childId)).not.toContain('N-INAD');
  expect(inadequate.name).toMatch(/^review\//);
});

it('an assignment reaches the lead reviewer, its record is linked by a command, it is done when the review is submitted, and coverage counts it this quarter only', async () => {
  const qa = await device('qa.green');
  const okafor = await device('tm.okafor');
  const hughes = await device('tm.hughes');
  const patel = server().organisation.findUserByUsername('hos.patel')!;
  const ahmed = server().organisation.findUserByUsername('sw.ahmed')!;
  const due = addDaysTo(today(), 10);
  const { body, status } = await api<{ assignments: Assignment[] }>(qa, '/api/programme/assignments', 'POST', {
    quarter: quarter().id,
    assignments: [{ childId: 'CCR1', childName: 'Amy', practitionerId: ahmed.id, levelOfNeed: 'child-in-need', assigneeId: okafor.user.id, moderatorId: patel.id, dueDate: due }],
  });
  expect(status).toBe(201);
  const assignment = body.assignments[0]!;
  expect(assignment).toMatchObject({ kind: 'review', childId: 'CCR1', practitionerName: 'Yusuf Ahmed', assigneeName: 'Grace Okafor', moderatorName: 'Priya Patel', status: 'open', record: '', teamId: ahmed.teamId });

  // She is told, with the way to her To do list.
  const notices = (await api<{ notifications: { kind: string; text: string }[] }>(okafor, '/api/notifications')).body.notifications;
  expect(notices).toContainEqual(expect.objectContaining({ kind: 'assigned', text: `Sam Green has asked you to do a collaborative case review for child CCR1 by ${due}. It is in your To do list.` }));
  // It is on her list, not on anyone else's; a due date in the past is refused.
  const mine = async (d: TestDevice) => (await api<{ assignments: Assignment[]; given: Assignment[] }>(d, '/api/programme/mine')).body;
  expect((await mine(okafor)).assignments.map((a) => a.id)).toEqual([assignment.id]);
  expect((await mine(hughes)).assignments).toEqual([]);
  expect((await mine(qa)).given.map((a) => a.id)).toContain(assignment.id);
  expect((await api(qa, '/api/programme/assignments', 'POST', { quarter: quarter().id, assignments: [{ childId: 'X1', practitionerId: ahmed.id, assigneeId: okafor.user.id, dueDate: addDaysTo(today(), -1) }] })).status).toBe(400);

  // Someone else cannot link a record to it; the assignee links hers; the named moderator is added to the review.
  const coverageBefore = (await api<CoverageReport>(okafor, '/api/programme/coverage')).body;
  const monthlyBefore = coverageBefore.rows.find((r) => r.personId === okafor.user.id && r.description.includes('collaborative case review'))!;
  expect(monthlyBefore).toMatchObject({ done: 0, required: 1 });
  const { id, name } = await review(okafor, 'sw.ahmed', 'CCR1', 'good', {
    submit: false,
    before: async (record) => {
      const other = await review(hughes, 'sw.clarke', 'OTHER', 'good', { submit: false });
      expect(await hughes.command({ type: 'link-assignment', record: other.name, assignmentId: assignment.id })).toMatchObject({ status: 'rejected' });
      expect(await okafor.command({ type: 'link-assignment', record, assignmentId: assignment.id })).toEqual({ status: 'applied' });
    },
  });
  expect(server().access.isModerator(patel, server().access.record(name)!)).toBe(true);
  expect((await mine(okafor)).assignments[0]).toMatchObject({ status: 'open', record: name });

  expect(await okafor.command({ type: 'submit', record: name, stateVector: await stateVectorOf(okafor, 'review', id) })).toEqual({ status: 'applied' });
  expect((await mine(okafor)).assignments[0]).toMatchObject({ status: 'done', record: name });

  // Coverage: her monthly review is done, with the record behind it; the organisation's quarter counts one,
  // by team and level of need; a practitioner's line manager is not credited with it.
  const coverage = (await api<CoverageReport>(okafor, '/api/programme/coverage')).body;
  expect(coverage.rows.find((r) => r.expectationId === monthlyBefore.expectationId && r.personId === okafor.user.id)).toMatchObject({ done: 1, status: 'met', records: [name] });
  const orgRow = (await api<CoverageReport>(qa, '/api/programme/coverage')).body.organisation[0]!;
  expect(orgRow).toMatchObject({ required: 20, done: 1, records: [name], byTeam: [{ teamId: ahmed.teamId, count: 1 }], byLevelOfNeed: [{ levelOfNeed: 'child-in-need', count: 1 }] });
  expect((await api<CoverageReport>(hughes, '/api/programme/coverage')).body.rows.find((r) => r.expectationId === monthlyBefore.expectationId)).toMatchObject({ done: 0 });

  // The server's clock moves into the next quarter: the organisation starts again at none of twenty.
  now = new Date(`${addDaysTo(quarter().end, 1)}T12:00:00Z`);
  const next = (await api<CoverageReport>(qa, '/api/programme/coverage')).body;
  expect(next.asOf).toBe(today());
  expect(next.organisation[0]).toMatchObject({ done: 0, records: [] });
});

it('observations count for the observer’s direct reports, and who has not been observed this year is listed', async () => {
  const okafor = await device('tm.okafor');
  const ahmed = server().organisation.findUserByUsername('sw.ahmed')!;
  const { completeObservationValues } = await import('../support/records');
  const id = await okafor.createObservation({ ...completeObservationValues(ahmed), dateOfObservation: today() });
  const name = `observation/${id}`;
  await okafor.goOnline();
  await okafor.waitUntilAllSent();
  expect(await okafor.command({ type: 'set-subject', record: name, userId: ahmed.id })).toEqual({ status: 'applied' });
  const empty = Buffer.from(new Uint8Array([0])).toString('base64');
  expect(await okafor.command({ type: 'complete', record: name, stateVector: empty })).toEqual({ status: 'applied' });

  const coverage = (await api<CoverageReport>(okafor, '/api/programme/coverage')).body;
  const yearly = coverage.rows.find((r) => r.personId === okafor.user.id && r.description.includes('each direct report'))!;
  expect(yearly).toMatchObject({ required: 2, done: 1, records: [name], outstanding: [{ name: 'Chloe Brown' }] });
  expect(coverage.notObserved.map((p) => p.name).sort()).toEqual(['Chloe Brown', 'Grace Okafor']);
  // Her head of service sees her row too; a practitioner sees no one else's.
  const patel = await device('hos.patel');
  expect((await api<CoverageReport>(patel, '/api/programme/coverage')).body.rows.some((r) => r.personId === okafor.user.id && r.done === 1)).toBe(true);
});

it('an author discards their own draft (kept on the server, read by nobody); never one someone else has written in, nor someone else’s', async () => {
  const okafor = await device('tm.okafor');
  const { waitFor } = await import('../support/device');
  const empty = await okafor.createObservation({});
  const shared = await okafor.createObservation({ childId: 'SHARED1' });
  await okafor.goOnline();
  await okafor.waitUntilAllSent();
  const name = `observation/${empty}`;
  const sharedName = `observation/${shared}`;

  // Someone else may not discard it.
  const hughes = await device('tm.hughes');
  expect(await hughes.command({ type: 'discard-draft', record: name })).toMatchObject({ status: 'rejected' });

  // A co-writer writes in the other draft: it can no longer be discarded.
  const iro = server().organisation.findUserByUsername('iro.walsh')!;
  await okafor.share(shared, iro);
  const walsh = await device('iro.walsh');
  await walsh.goOnline();
  await waitFor('the shared draft on the co-writer’s device', async () => (await walsh.indexedIds()).includes(shared));
  await walsh.edit(shared, { childId: 'SHARED2' });
  await walsh.waitUntilAllSent();
  expect(await okafor.command({ type: 'discard-draft', record: sharedName })).toMatchObject({ status: 'rejected', message: 'Someone else has written in this draft: it cannot be discarded.' });

  // Her own empty draft goes: from her listing, from her manager's, and it no longer opens — but it is kept.
  expect(await okafor.command({ type: 'discard-draft', record: name })).toEqual({ status: 'applied' });
  const listing = async (d: TestDevice) => (await api<{ records: { name: string }[] }>(d, '/api/records')).body.records.map((r) => r.name);
  expect(await listing(okafor)).not.toContain(name);
  expect(await listing(okafor)).toContain(sharedName);
  expect(await listing(await device('hos.patel'))).not.toContain(name);
  expect(await server().store.load(name)).not.toBeNull();
  const { openAs } = await import('../support/device');
  expect((await openAs(server().url, okafor.token, name)).opened).toBe(false);
  // Her device drops it once it hears the listing.
  await waitFor('the discarded draft gone from her device', async () => !(await okafor.indexedIds()).includes(empty));
});

it('the share of assigned reviews the organisation sets goes to the service managers’ panel, each to a head of service outside the child’s line', async () => {
  const qa = await device('qa.green');
  const patelDevice = await device('hos.patel');
  expect((await api(patelDevice, '/api/programme/settings', 'PUT', { moderationPanelShare: 50 })).status).toBe(403);
  expect((await api(qa, '/api/programme/settings', 'PUT', { moderationPanelShare: 150 })).status).toBe(400);
  expect((await api(qa, '/api/programme/settings', 'PUT', { moderationPanelShare: 50 })).status).toBe(200);
  expect((await api<{ settings: { moderationPanelShare: number } }>(patelDevice, '/api/programme')).body.settings).toEqual({ moderationPanelShare: 50 });

  const ahmed = server().organisation.findUserByUsername('sw.ahmed')!;
  const okafor = server().organisation.findUserByUsername('tm.okafor')!;
  const begum = server().organisation.findUserByUsername('tm.begum')!;
  const items = ['P1', 'P2', 'P3', 'P4'].map((childId) => ({ childId, practitionerId: ahmed.id, assigneeId: okafor.id, dueDate: quarter().end }));
  // One with a moderator named stays as named and is not counted in the share.
  items.push({ childId: 'P5', practitionerId: ahmed.id, assigneeId: okafor.id, dueDate: quarter().end, moderatorId: begum.id } as (typeof items)[number]);
  const { body } = await api<{ assignments: Assignment[] }>(qa, '/api/programme/assignments', 'POST', { quarter: quarter().id, assignments: items });
  const panel = body.assignments.filter((a) => a.childId !== 'P5' && a.moderatorName);
  expect(panel).toHaveLength(2);
  // Yusuf Ahmed's team is under Priya Patel: the panel's moderator is the other head of service.
  expect(new Set(panel.map((a) => a.moderatorName))).toEqual(new Set(['Gareth Lewis']));
  expect(body.assignments.find((a) => a.childId === 'P5')!.moderatorName).toBe('Nasima Begum');
});
