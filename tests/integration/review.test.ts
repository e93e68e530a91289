/**
 * Issue 5 against a real server on port 0 with the app's real sync manager: two people co-writing one
 * collaborative case review live and offline, contested grades, and submission for moderation.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { reviewDomains, reviewLayout, type ReviewValues } from '../../domain/review';
import { readValues } from '../../recordModel/recordDoc';
import { openRecord } from '../../src/data/docs/openRecord';
import { TestDevice, waitFor } from '../support/device';
import { useTestServer } from '../support/testServer';

const testServer = useTestServer();
const { device } = testServer;
const server = () => testServer.server();

async function storedReview(id: string) {
  const doc = new Y.Doc();
  const state = await server().store.load(`review/${id}`);
  if (state) Y.applyUpdate(doc, state);
  return { values: readValues(doc, reviewLayout), status: doc.getMap('meta').get('status') };
}

/** The lead reviewer's review, shared with the IRO as a co-writer, on both their devices. */
async function sharedReview(values: Partial<ReviewValues> = {}) {
  const lead = await device('tm.okafor', 'lead-tablet');
  const iro = await device('iro.walsh', 'iro-laptop');
  const id = await lead.createReview({ childId: 'CCR1', reviewDate: '2026-11-02', ...values });
  await lead.goOnline();
  await lead.waitUntilAllSent();
  await lead.share(id, iro.user, 'contributor', 'review');
  await iro.goOnline();
  await waitFor('the review on the IRO’s laptop', async () => (await iro.read(id, 'review')).values.childId === 'CCR1');
  return { lead, iro, id };
}

const complete = (): Partial<ReviewValues> => ({
  childId: 'CCR1',
  socialWorkerId: 'any-practitioner',
  socialWorkerName: 'Daniel Clarke',
  levelOfNeed: 'child-protection',
  reviewDate: '2026-11-02',
  location: 'Civic centre',
  conversationMinutes: '75',
  reviewers: 'Grace Okafor, Fiona Walsh',
  penPicture: 'Sam is twelve.',
  overallEvaluation: 'Good.',
  wentWell: 'Sam was heard.',
  needsToHappen: 'Review the plan monthly.',
  overallGrade: 'good',
  overallGradeRationale: 'Consistent.',
  ...Object.fromEntries(reviewDomains.flatMap((d) => [[`${d.key}Evaluation`, `On ${d.label}.`], [`${d.key}Grade`, 'good']])),
});

describe('a collaborative case review', () => {
  it('two people typing in the same narrative field at the same time both keep their words', async () => {
    const { lead, iro, id } = await sharedReview({ penPicture: 'Sam is twelve.' });
    const releaseLead = lead.manager!.keepLive('review', id);
    const releaseIro = iro.manager!.keepLive('review', id);
    const onLead = (await openRecord(lead.storeId, 'review', id, lead.user))!;
    const onIro = (await openRecord(iro.storeId, 'review', id, iro.user))!;
    try {
      // Both type at once, word by word, one at the start and one at the end.
      const leadWords = ['He', 'loves', 'football.'];
      const iroWords = ['His', 'school', 'is', 'supportive.'];
      for (let i = 0; i < 4; i++) {
        if (leadWords[i]) onLead.setField('penPicture', `${leadWords.slice(0, i + 1).join(' ')} ${onLead.values().penPicture!.replace(/^(He( loves( football\.)?)?) ?/, '')}`.trim());
        if (iroWords[i]) onIro.setField('penPicture', `${onIro.values().penPicture!} ${iroWords[i]}`.trim());
        await new Promise((r) => setTimeout(r, 5));
      }
      const expected = 'He loves football. Sam is twelve. His school is supportive.';
      await waitFor('both to converge', () => onLead.values().penPicture === expected && onIro.values().penPicture === expected);
      await lead.waitUntilAllSent();
      await iro.waitUntilAllSent();
      expect((await storedReview(id)).values.penPicture).toBe(expected);
    } finally {
      onLead.release();
      onIro.release();
      releaseLead();
      releaseIro();
    }
  });

  it('two people grading a domain differently while offline see it contested, with who chose what, until one settles it', async () => {
    const { lead, iro, id } = await sharedReview(complete());
    lead.goOffline();
    iro.goOffline();
    await lead.edit(id, { planningGrade: 'outstanding' }, 'review');
    await iro.edit(id, { planningGrade: 'requires-improvement' }, 'review');
    await lead.goOnline();
    await iro.goOnline();
    await lead.waitUntilAllSent();
    await iro.waitUntilAllSent();
    for (const d of [lead, iro])
      await waitFor(`the contest on ${d.name}`, async () => {
        const contested = await d.contested(id, 'review');
        return contested.length === 1 && contested[0]!.field === 'planningGrade' && contested[0]!.choices.length === 2;
      });
    const [contest] = await lead.contested(id, 'review');
    expect(contest!.choices.map((c) => `${c.byName}: ${c.value}`).sort()).toEqual(['Fiona Walsh: requires-improvement', 'Grace Okafor: outstanding']);

    // The server will not take the review for moderation while a grade is contested.
    const handle = (await openRecord(lead.storeId, 'review', id, lead.user))!;
    const refused = await lead.command({ type: 'submit', record: `review/${id}`, stateVector: handle.stateVector() });
    expect(refused).toMatchObject({ status: 'rejected', problems: [{ field: 'planningGrade', message: 'Two people chose differently here: settle it first.' }] });

    handle.settleField('planningGrade', 'requires-improvement');
    handle.release();
    await lead.waitUntilAllSent();
    await waitFor('the contest settled on the IRO’s laptop', async () => (await iro.contested(id, 'review')).length === 0);
    expect((await iro.read(id, 'review')).values.planningGrade).toBe('requires-improvement');
  });

  it('is submitted for moderation only when every domain is graded; then it is read-only for everyone in it', async () => {
    const { lead, iro, id } = await sharedReview({ ...complete(), caseRecordingGrade: '' });
    const stateVector = async () => {
      const handle = (await openRecord(lead.storeId, 'review', id, lead.user))!;
      const sv = handle.stateVector();
      handle.release();
      return sv;
    };
    const ungraded = await lead.command({ type: 'submit', record: `review/${id}`, stateVector: await stateVector() });
    expect(ungraded).toMatchObject({ status: 'rejected', message: 'The review is not ready to be submitted.', problems: [{ field: 'caseRecordingGrade', message: 'Grade case recording.' }] });
    // Only the lead reviewer submits; an observation's "complete" is not a review's "submit".
    expect((await iro.command({ type: 'submit', record: `review/${id}`, stateVector: await stateVector() })).status).toBe('rejected');
    expect((await lead.command({ type: 'complete', record: `review/${id}`, stateVector: await stateVector() })).status).toBe('rejected');

    await lead.edit(id, { caseRecordingGrade: 'good' }, 'review');
    await lead.waitUntilAllSent();
    expect(await lead.command({ type: 'submit', record: `review/${id}`, stateVector: await stateVector() })).toEqual({ status: 'applied' });
    expect(server().access.record(`review/${id}`)?.status).toBe('submitted');
    expect((await storedReview(id)).status).toBe('submitted');
    await waitFor('the IRO’s laptop to see it submitted', async () => (await iro.read(id, 'review')).meta?.status === 'submitted');

    // The IRO's edits no longer reach the server().
    await iro.edit(id, { penPicture: 'Too late.' }, 'review');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await storedReview(id)).values.penPicture).toBe('Sam is twelve.');
  });

  it('choosing the child’s social worker lets them write it with the reviewers, and their line managers read it', async () => {
    const lead = await device('tm.okafor', 'lead');
    const id = await lead.createReview({ childId: 'CCR9' });
    await lead.goOnline();
    await lead.waitUntilAllSent();
    const clarke = server().organisation.findUserByUsername('sw.clarke')!;
    expect(await lead.command({ type: 'set-subject', record: `review/${id}`, userId: clarke.id })).toEqual({ status: 'applied' });
    const listed = async (username: string) => {
      const d = await TestDevice.signIn(server().url, username, `${username}-probe`);
      const response = await fetch(`${server().url}/api/records`, { headers: { Authorization: `Bearer ${d.token}` } });
      return ((await response.json()) as { records: { name: string; access: string }[] }).records.find((r) => r.name === `review/${id}`)?.access ?? 'none';
    };
    expect(await listed('sw.clarke')).toBe('write');
    expect(await listed('tm.hughes')).toBe('read'); // Daniel Clarke's team manager
    expect(await listed('hos.patel')).toBe('read');
    expect(await listed('sw.evans')).toBe('none'); // same team, not in the review
  });

  it('family feedback gathered for the review reaches everyone in it, linked by the server', async () => {
    const { lead, iro, id } = await sharedReview();
    const { createRecord } = await import('../../src/data/docs/openRecord');
    const { enqueueCommand } = await import('../../src/data/outbox');
    const { dbFor } = await import('../../src/data/db');
    const feedbackId = await createRecord(lead.storeId, lead.user, 'feedback', { childId: 'CCR1', linkedRecord: `review/${id}`, giver: 'parent', workingWell: 'We feel listened to.' });
    await enqueueCommand(lead.storeId, { type: 'link-record', record: `feedback/${feedbackId}`, linkedTo: `review/${id}` });
    await lead.waitUntilAllSent();
    await waitFor('the link to be sent', async () => (await dbFor(lead.storeId).outbox.count()) === 0);
    expect(server().access.record(`feedback/${feedbackId}`)?.review_of).toBe(`review/${id}`);
    // On the IRO's laptop it appears, linked to the review, with the family's words.
    await waitFor('the feedback on the IRO’s laptop', async () => (await dbFor(iro.storeId).records.get(feedbackId))?.linkedRecord === `review/${id}`, 20_000);
    expect((await iro.read(feedbackId, 'feedback')).values.workingWell).toBe('We feel listened to.');
    // Someone not in the review cannot.
    const outsider = await device('sw.brown', 'outsider');
    const listing = await fetch(`${server().url}/api/records`, { headers: { Authorization: `Bearer ${outsider.token}` } });
    expect(((await listing.json()) as { records: { name: string }[] }).records.map((r) => r.name)).not.toContain(`feedback/${feedbackId}`);
  });
});
