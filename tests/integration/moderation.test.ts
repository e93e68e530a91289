/**
 * Issue 5: moderation of a submitted review, against a real server with real Yjs clients. Moderation is
 * its own document: moderators write it, everyone in the review only reads it; a changed grade needs a
 * reason, is recorded, and the lead reviewer and practitioner are told.
 */
import * as Y from 'yjs';
import { expect, it } from 'vitest';
import { moderationIdFor } from '../../domain/moderation';
import { reviewDomains, type ReviewValues } from '../../domain/review';
import { openRecord } from '../../src/data/docs/openRecord';
import { openAs as openAsClient, TestDevice, waitFor } from '../support/device';
import { useTestServer } from '../support/testServer';

const testServer = useTestServer();
const { device } = testServer;
const server = () => testServer.server();

const allGood = Object.fromEntries(reviewDomains.map((d) => [`${d.key}Grade`, 'good']));
const review = (): Partial<ReviewValues> => ({
  childId: 'MOD1',
  socialWorkerId: 'set-below',
  levelOfNeed: 'child-in-need',
  reviewDate: '2026-11-02',
  location: 'Civic centre',
  conversationMinutes: '60',
  reviewers: 'Grace Okafor, Daniel Clarke',
  penPicture: 'Sam is twelve.',
  overallEvaluation: 'Good.',
  wentWell: 'Sam was heard.',
  needsToHappen: 'Review monthly.',
  overallGrade: 'good',
  overallGradeRationale: 'Consistent.',
  ...allGood,
  ...Object.fromEntries(reviewDomains.map((d) => [`${d.key}Evaluation`, `On ${d.label}.`])),
});

const stateVectorOf = async (d: TestDevice, kind: 'review' | 'moderation', id: string) => {
  const handle = (await openRecord(d.storeId, kind, id, d.user))!;
  const sv = handle.stateVector();
  handle.release();
  return sv;
};

const openAs = (token: string, name: string) => openAsClient(server().url, token, name);

it('moderators write the moderation and everyone in the review only reads it; a changed grade needs a reason and the reviewer and practitioner are told', async () => {
  const lead = await device('tm.okafor');
  const clarke = await device('sw.clarke');
  const id = await lead.createReview({ ...review(), socialWorkerId: clarke.user.id, socialWorkerName: clarke.user.displayName });
  await lead.goOnline();
  await lead.waitUntilAllSent();
  expect(await lead.command({ type: 'set-subject', record: `review/${id}`, userId: clarke.user.id })).toEqual({ status: 'applied' });
  expect(await lead.command({ type: 'submit', record: `review/${id}`, stateVector: await stateVectorOf(lead, 'review', id) })).toEqual({ status: 'applied' });
  const moderationId = moderationIdFor(id);
  const moderationName = `moderation/${moderationId}`;

  // The practitioner, in the review, cannot start (or write) its moderation.
  expect((await openAs(clarke.token, moderationName)).reason).toMatch(/^forbidden/);

  // The QA officer moderates: agrees every grade but planning, which moderation lowers — at first with no reason.
  const qa = await device('qa.green');
  expect(await qa.createModeration(id, { ...allGood, planningGrade: 'requires-improvement', overallGrade: 'good', wentWell: 'Sam’s voice is clear.', needsToHappen: 'A plan with dates.', summary: 'Sound work; planning needs dates.' })).toBe(moderationId);
  await qa.goOnline();
  await qa.waitUntilAllSent();
  const noReason = await qa.command({ type: 'moderate', record: `review/${id}`, stateVector: await stateVectorOf(qa, 'moderation', moderationId) });
  expect(noReason).toMatchObject({ status: 'rejected', problems: [{ field: 'gradeChangeReason', message: 'Moderation changed a grade: say why.' }] });

  // Everyone in the review can read the moderation, read-only: the practitioner's edits never reach the server().
  const onClarke = await openAs(clarke.token, moderationName);
  expect(onClarke).toMatchObject({ opened: true, scope: 'readonly' });
  expect(onClarke.doc.getText('summary').toString()).toBe('Sound work; planning needs dates.');
  onClarke.doc.getMap('fields').set('planningGrade', 'outstanding');
  await new Promise((r) => setTimeout(r, 500));
  const stored = new Y.Doc();
  Y.applyUpdate(stored, (await server().store.load(moderationName))!);
  expect(stored.getMap('fields').get('planningGrade')).toBe('requires-improvement');
  onClarke.close();
  // The lead reviewer's review is no longer writable either; only a moderator records the moderation.
  expect((await clarke.command({ type: 'moderate', record: `review/${id}`, stateVector: 'AA==' })).status).toBe('rejected');

  await qa.edit(moderationId, { gradeChangeReason: 'The plan has no dates, so progress cannot be measured.' }, 'moderation');
  await qa.waitUntilAllSent();
  expect(await qa.command({ type: 'moderate', record: `review/${id}`, stateVector: await stateVectorOf(qa, 'moderation', moderationId) })).toEqual({ status: 'applied' });
  expect(server().access.record(`review/${id}`)?.status).toBe('moderated');

  // Told: the lead reviewer and the practitioner, with what changed and why; and it is in the audit log.
  for (const d of [lead, clarke]) {
    const response = await fetch(`${server().url}/api/notifications`, { headers: { Authorization: `Bearer ${d.token}` } });
    const { notifications } = (await response.json()) as { notifications: { kind: string; text: string }[] };
    expect(notifications[0]).toMatchObject({ kind: 'grade-changed' });
    expect(notifications[0]!.text).toContain('Planning from Good to Requires Improvement');
    expect(notifications[0]!.text).toContain('The plan has no dates');
  }
  expect(server().audit.page({ record: `review/${id}` }).entries.some((e) => e.detail.startsWith('moderation changed grades: Planning from Good to Requires Improvement'))).toBe(true);

  // Moderated, the moderation is read-only for the moderator too; the lead reviewer closes the review —
  // once the practitioner's team manager has responded to its findings (issue 15).
  await waitFor('the moderator’s connection to turn read-only', async () => (await openAs(qa.token, moderationName)).scope === 'readonly');
  expect(await lead.command({ type: 'close', record: `review/${id}` })).toMatchObject({ status: 'rejected', message: 'The team manager has not yet responded to the review’s findings.' });
  const hughes = await device('tm.hughes');
  expect(await hughes.command({ type: 'respond-to-findings', record: `review/${id}`, response: { text: 'Agreed; planning will be dated.', agreements: [] } })).toEqual({ status: 'applied' });
  expect(await lead.command({ type: 'close', record: `review/${id}` })).toEqual({ status: 'applied' });
  expect(server().access.record(`review/${id}`)?.status).toBe('closed');
  // The review itself says who moderated it and who closed it, written by the server as it applied each step.
  const meta = await waitFor('the lead reviewer’s copy to say who closed it', async () => {
    const handle = (await openRecord(lead.storeId, 'review', id, lead.user))!;
    const found = handle.meta();
    handle.release();
    return found?.closedByName ? found : null;
  });
  expect(meta).toMatchObject({ moderatedByName: 'Sam Green', closedByName: 'Grace Okafor', moderatedAt: expect.any(String), closedAt: expect.any(String) });
});

it('the QA team chooses service managers to moderate with them; nobody else can', async () => {
  const lead = await device('tm.okafor');
  const id = await lead.createReview({ ...review(), socialWorkerId: 'x' });
  await lead.goOnline();
  await lead.waitUntilAllSent();
  expect(await lead.command({ type: 'submit', record: `review/${id}`, stateVector: await stateVectorOf(lead, 'review', id) })).toEqual({ status: 'applied' });
  const lewis = server().organisation.findUserByUsername('hos.lewis')!;
  const moderationName = `moderation/${moderationIdFor(id)}`;
  const lewisDevice = await device('hos.lewis');
  // Not chosen: a head of service of another service cannot open the review's moderation at all.
  expect((await openAs(lewisDevice.token, moderationName)).reason).toMatch(/^forbidden/);
  // Only the QA team chooses moderators.
  expect((await lead.command({ type: 'add-participant', record: `review/${id}`, userId: lewis.id, role: 'moderator' })).status).toBe('rejected');
  const qa = await device('qa.green');
  expect(await qa.command({ type: 'add-participant', record: `review/${id}`, userId: lewis.id, role: 'moderator' })).toEqual({ status: 'applied' });
  // Chosen, he starts and writes the moderation.
  const opened = await openAs(lewisDevice.token, moderationName);
  expect(opened).toMatchObject({ opened: true, scope: 'read-write' });
  opened.close();
});
