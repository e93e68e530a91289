/**
 * Issue 15, items 3 and 4, against a real server: who is told when a record is finished; the team
 * manager's response (agreed or not with each action), required before a review is closed; and the
 * follow-up rules — RI or Inadequate after moderation tells the team and service managers and gives the
 * team manager a dip sample of three more cases; those cases linked and moderated finish it, and the same
 * domains found wanting again give the service manager a caseload audit; Inadequate proposes a re-audit.
 */
import * as Y from 'yjs';
import { expect, it } from 'vitest';
import { addDays, dateInEngland, type ActionList } from '../../domain/actions';
import { reviewDomains, type ReviewValues } from '../../domain/review';
import { openRecord } from '../../src/data/docs/openRecord';
import { completeObservationValues } from '../support/records';
import type { TestDevice } from '../support/device';
import { useTestServer } from '../support/testServer';

let now = new Date();
const testServer = useTestServer(() => {
  now = new Date();
  return { now: () => now, scheduleEveryMs: 0 };
});
const { device } = testServer;
const server = () => testServer.server();

const api = async (d: TestDevice, path: string) =>
  (await (await fetch(`${server().url}${path}`, { headers: { Authorization: `Bearer ${d.token}` } })).json()) as unknown;
const actionsOf = async (d: TestDevice, record?: string) => ((await api(d, `/api/actions${record ? `?record=${encodeURIComponent(record)}` : ''}`)) as ActionList).actions;
const notices = async (d: TestDevice) => ((await api(d, '/api/notifications')) as { notifications: { kind: string; text: string; record: string }[] }).notifications;

type Grades = Partial<Record<string, string>>;
const graded = (overall: string, domains: Grades = {}) => ({
  ...Object.fromEntries(reviewDomains.map((d) => [`${d.key}Grade`, domains[d.key] ?? 'good'])),
  overallGrade: overall,
});
const reviewValues = (childId: string, grades: Record<string, string>): Partial<ReviewValues> => ({
  childId,
  levelOfNeed: 'child-in-need',
  reviewDate: '2026-11-02',
  location: 'Civic centre',
  conversationMinutes: '60',
  reviewers: 'Owen Hughes, Daniel Clarke',
  penPicture: 'Sam is twelve.',
  overallEvaluation: 'See the domains.',
  wentWell: 'Sam was heard.',
  needsToHappen: 'A plan with dates.',
  overallGradeRationale: 'As graded.',
  ...Object.fromEntries(reviewDomains.map((d) => [`${d.key}Evaluation`, `On ${d.label}.`])),
  ...grades,
});
const stateVectorOf = async (d: TestDevice, kind: 'review' | 'moderation', id: string) => {
  const handle = (await openRecord(d.storeId, kind, id, d.user))!;
  const sv = handle.stateVector();
  handle.release();
  return sv;
};

/** A review of Daniel Clarke's work led by his team manager, submitted; `beforeSubmit` runs once it is on the server. */
async function submittedReview(lead: TestDevice, childId: string, grades: Record<string, string>, beforeSubmit?: (name: string) => Promise<void>) {
  const clarke = server().organisation.findUserByUsername('sw.clarke')!;
  const id = await lead.createReview({ ...reviewValues(childId, grades), socialWorkerId: clarke.id, socialWorkerName: clarke.displayName });
  const name = `review/${id}`;
  await lead.goOnline();
  await lead.waitUntilAllSent();
  expect(await lead.command({ type: 'set-subject', record: name, userId: clarke.id })).toEqual({ status: 'applied' });
  await beforeSubmit?.(name);
  expect(await lead.command({ type: 'submit', record: name, stateVector: await stateVectorOf(lead, 'review', id) })).toEqual({ status: 'applied' });
  return { id, name };
}

/** The QA officer moderates a review, agreeing its grades. */
async function moderate(qa: TestDevice, id: string, grades: Record<string, string>) {
  await qa.createModeration(id, { ...grades, wentWell: 'Some.', needsToHappen: 'More.', summary: 'As graded.' });
  await qa.goOnline();
  await qa.waitUntilAllSent();
  const { moderationIdFor } = await import('../../domain/moderation');
  expect(await qa.command({ type: 'moderate', record: `review/${id}`, stateVector: await stateVectorOf(qa, 'moderation', moderationIdFor(id)) })).toEqual({ status: 'applied' });
}

it('a finished observation tells the practitioner, team manager and service manager; only the team manager responds, agreeing or not with every action', async () => {
  const okafor = await device('tm.okafor'); // observes Megan Evans (South): Owen Hughes responds
  const evans = server().organisation.findUserByUsername('sw.evans')!;
  const id = await okafor.createObservation(completeObservationValues(evans));
  const name = `observation/${id}`;
  await okafor.goOnline();
  await okafor.waitUntilAllSent();
  expect(await okafor.command({ type: 'set-subject', record: name, userId: evans.id })).toEqual({ status: 'applied' });
  const hughes = await device('tm.hughes');
  // Not before it is finished.
  expect((await hughes.command({ type: 'respond-to-findings', record: name, response: { text: 'Fine.', agreements: [] } })).status).toBe('rejected');
  const action = { actionId: crypto.randomUUID(), what: 'Summarise the plan at the end of visits.', why: 'The family were unsure what happens next.', finding: 'areasForDevelopment', ownerId: evans.id, dueDate: addDays(dateInEngland(now), 14) };
  expect(await okafor.command({ type: 'raise-action', record: name, action })).toEqual({ status: 'applied' });
  expect(await okafor.command({ type: 'complete', record: name, stateVector: Buffer.from(Y.encodeStateVector(new Y.Doc())).toString('base64') })).toEqual({ status: 'applied' });

  for (const username of ['sw.evans', 'tm.hughes', 'hos.patel']) expect((await notices(await device(username))).map((n) => n.kind), username).toContain('record-finished');
  expect((await notices(await device('hos.lewis'))).map((n) => n.kind)).not.toContain('record-finished');

  const respond = (d: TestDevice, agreements: { actionId: string; agreed: boolean }[]) => d.command({ type: 'respond-to-findings', record: name, response: { text: 'I agree with the findings.', agreements } });
  expect(await respond(okafor, [{ actionId: action.actionId, agreed: true }])).toMatchObject({ status: 'rejected', message: 'The practitioner’s team manager responds to the findings.' });
  expect(await respond(hughes, [])).toMatchObject({ status: 'rejected', message: 'Say whether you agree with each of the record’s actions.' });
  expect(await respond(hughes, [{ actionId: action.actionId, agreed: false }])).toEqual({ status: 'applied' });
  expect(await api(okafor, `/api/records/response?record=${encodeURIComponent(name)}`)).toMatchObject({ response: { byName: 'Owen Hughes', text: 'I agree with the findings.', agreements: [{ actionId: action.actionId, agreed: false }] } });
  expect((await actionsOf(okafor))[0]!.history.map((e) => [e.event, e.note])).toContainEqual(['response', 'Not agreed by the team manager']);
});

it('Requires Improvement after moderation: managers told, a dip sample of three cases for the team manager; the same domains again give the service manager a caseload audit', async () => {
  const hughes = await device('tm.hughes');
  const qa = await device('qa.green');
  const ri = graded('requires-improvement', { planning: 'requires-improvement', voiceOfChild: 'inadequate' });
  const cause = await submittedReview(hughes, 'CHILD1', ri);
  await moderate(qa, cause.id, ri);

  // The team and service managers are told; the team manager has the follow-up, shown on the causing record.
  const patel = await device('hos.patel');
  expect((await notices(patel)).some((n) => n.kind === 'follow-up' && n.text.includes('graded Requires Improvement after moderation'))).toBe(true);
  const onRecord = await actionsOf(qa, cause.name);
  expect(onRecord).toEqual([expect.objectContaining({ kind: 'dip-sample', rule: 'dip-sample', ownerName: 'Owen Hughes', what: 'Audit three more of Daniel Clarke’s cases', status: 'open' })]);
  expect(onRecord[0]!.dueDate).toBe(addDays(dateInEngland(now), 56));
  const dipId = onRecord[0]!.id;
  expect((await actionsOf(qa)).map((a) => a.id)).toContain(dipId); // in the QA team's list
  expect(onRecord.some((a) => a.kind === 're-audit')).toBe(false); // RI, not Inadequate

  // Three more of his cases: each linked when started; a review of someone else cannot be.
  const okafor = await device('tm.okafor');
  const other = await okafor.createReview({ childId: 'X1' });
  await okafor.goOnline();
  await okafor.waitUntilAllSent();
  expect((await hughes.command({ type: 'link-follow-up', record: `review/${other}`, actionId: dipId })).status).toBe('rejected');
  const cases: string[] = [];
  for (const [i, grades] of [graded('good'), graded('requires-improvement', { planning: 'requires-improvement' }), graded('good')].entries()) {
    const { id } = await submittedReview(hughes, `CHILD${i + 2}`, grades, async (name) => {
      expect(await hughes.command({ type: 'link-follow-up', record: name, actionId: dipId })).toEqual({ status: 'applied' });
    });
    cases.push(id);
    await moderate(qa, id, grades);
    // A case of a dip sample never starts another dip sample.
    expect((await actionsOf(qa, `review/${id}`)).filter((a) => a.kind === 'dip-sample')).toEqual([]);
    const dip = (await actionsOf(hughes)).find((a) => a.id === dipId)!;
    expect(dip.linkedRecords).toHaveLength(i + 1);
    expect(dip.status).toBe(i < 2 ? 'open' : 'done');
  }

  // Planning was RI again: the service manager has a caseload audit, on the causing record.
  const caseload = (await actionsOf(patel)).find((a) => a.kind === 'caseload-audit');
  expect(caseload).toMatchObject({ ownerName: 'Priya Patel', record: cause.name, what: 'Audit Daniel Clarke’s whole caseload', why: expect.stringContaining('Planning') });
  expect(caseload!.why).not.toContain('Voice of the child');
  expect((await notices(patel)).some((n) => n.text.startsWith('Follow-up: audit Daniel Clarke’s whole caseload'))).toBe(true);
});

it('the cases finding nothing again finish the dip sample with no caseload audit; Inadequate proposes a re-audit of the same child to the lead reviewer', async () => {
  const hughes = await device('tm.hughes');
  const qa = await device('qa.green');
  const inadequate = graded('inadequate', { assessment: 'inadequate' });
  const cause = await submittedReview(hughes, 'CHILD9', inadequate);
  await moderate(qa, cause.id, inadequate);
  const onRecord = await actionsOf(hughes, cause.name);
  const reAudit = onRecord.find((a) => a.kind === 're-audit');
  expect(reAudit).toMatchObject({ ownerName: 'Owen Hughes', childId: 'CHILD9', what: 'Re-audit the case of child CHILD9', dueDate: addDays(dateInEngland(now), 91) });
  const dipId = onRecord.find((a) => a.kind === 'dip-sample')!.id;
  for (let i = 0; i < 3; i++) {
    const { id } = await submittedReview(hughes, `CASE${i}`, graded('good'), async (name) => {
      expect(await hughes.command({ type: 'link-follow-up', record: name, actionId: dipId })).toEqual({ status: 'applied' });
    });
    await moderate(qa, id, graded('good'));
  }
  expect((await actionsOf(hughes)).find((a) => a.id === dipId)).toMatchObject({ status: 'done', history: expect.arrayContaining([expect.objectContaining({ event: 'done', byName: 'Fieldnotes' })]) });
  expect((await actionsOf(qa)).some((a) => a.kind === 'caseload-audit')).toBe(false);
  // The dip sample's manager signs it off like any action.
  const patel = await device('hos.patel');
  expect(await patel.command({ type: 'sign-off-action', record: cause.name, actionId: dipId })).toEqual({ status: 'applied' });
  // Overdue follow-ups are chased like actions: the re-audit falls due in 91 days.
  now = new Date(now.getTime() + 92 * 86_400_000);
  expect(server().runScheduledChecks()).toBeGreaterThanOrEqual(1);
  expect((await notices(hughes)).some((n) => n.kind === 'action-overdue' && n.text.includes('Re-audit the case of child CHILD9'))).toBe(true);
});
