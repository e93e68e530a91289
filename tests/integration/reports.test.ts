/**
 * Issue 17, against a real server: the reports' read model and the figures read from it, for a seeded set
 * written, finished and moderated through the same commands as on a tablet — each figure hand-computed
 * below. Moderation changes grades; feedback counts with consent; a head of service sees only their
 * service's records; the rebuilt model equals the one kept as commands were applied (and so do the figures).
 */
import path from 'node:path';
import * as Y from 'yjs';
import { expect, it } from 'vitest';
import { dateInEngland } from '../../domain/actions';
import { periodContaining } from '../../domain/periods';
import { withoutRecords, type ReportFigures } from '../../domain/reports';
import { reviewDomains, type ReviewValues } from '../../domain/review';
import { runAdminCli } from '../../sync-server/adminCli';
import type { TestDevice } from '../support/device';
import { completeObservationValues } from '../support/records';
import { useTestServer } from '../support/testServer';

const testServer = useTestServer();
const { device } = testServer;
const server = () => testServer.server();
const anyVector = Buffer.from(Y.encodeStateVector(new Y.Doc())).toString('base64');
const today = () => dateInEngland(new Date());
const quarter = () => periodContaining('quarter', today());
const person = (username: string) => server().organisation.findUserByUsername(username)!;

const allGrades = (grade: string) => Object.fromEntries(reviewDomains.map((d) => [`${d.key}Grade`, grade]));
const reviewValues = (childId: string, overall: string): Partial<ReviewValues> => ({
  childId,
  childName: `Child ${childId}`,
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
  ...Object.fromEntries(reviewDomains.map((d) => [`${d.key}Evaluation`, `On ${d.label}.`])),
  ...allGrades('good'),
  overallGrade: overall,
});

async function review(lead: TestDevice, practitioner: string, childId: string, overall: string) {
  const worker = person(practitioner);
  const id = await lead.createReview({ ...reviewValues(childId, overall), socialWorkerId: worker.id, socialWorkerName: worker.displayName });
  const name = `review/${id}`;
  await lead.goOnline();
  await lead.waitUntilAllSent();
  expect(await lead.command({ type: 'set-subject', record: name, userId: worker.id })).toEqual({ status: 'applied' });
  expect(await lead.command({ type: 'submit', record: name, stateVector: anyVector })).toEqual({ status: 'applied' });
  return { id, name };
}

async function moderate(qa: TestDevice, reviewId: string, agreed: Record<string, string>) {
  await qa.createModeration(reviewId, { wentWell: 'Some.', needsToHappen: 'More.', summary: 'Agreed.', ...agreed });
  await qa.goOnline();
  await qa.waitUntilAllSent();
  expect(await qa.command({ type: 'moderate', record: `review/${reviewId}`, stateVector: anyVector })).toEqual({ status: 'applied' });
}

async function feedback(author: TestDevice, childId: string, score: string) {
  const id = await author.createFeedback({ childId, giver: 'parent', how: 'meeting', score, consent: 'yes', workingWell: 'They listen.', date: today() });
  await author.goOnline();
  await author.waitUntilAllSent();
  expect(await author.command({ type: 'complete', record: `feedback/${id}`, stateVector: anyVector })).toEqual({ status: 'applied' });
  return `feedback/${id}`;
}

/**
 * The figures through the API (counts only), checked against the same figures built in the server's
 * process with the records behind each — which the assertions below read.
 */
async function report(d: TestDevice, query = `period=${quarter().id}`): Promise<{ status: number; body: ReportFigures }> {
  const response = await fetch(`${server().url}/api/reports?${query}`, { headers: { Authorization: `Bearer ${d.token}` } });
  const body = (await response.json()) as ReportFigures;
  if (!response.ok) return { status: response.status, body };
  const full = server().reports.figures(d.user, Object.fromEntries(new URLSearchParams(query)));
  expect(body).toEqual(withoutRecords(full));
  return { status: response.status, body: full };
}

async function behind(d: TestDevice, figure: string, query = `period=${quarter().id}`) {
  const response = await fetch(`${server().url}/api/reports/records?${query}&figure=${figure}`, { headers: { Authorization: `Bearer ${d.token}` } });
  return { status: response.status, body: (await response.json()) as { count: number; records: string[]; message?: string } };
}

const sorted = (items: string[]) => [...items].sort();
const factsTable = () => server().db.prepare('SELECT * FROM record_facts ORDER BY doc').all();

it('builds every figure from the read model, as moderated, consented and scoped — and a rebuild changes nothing', async () => {
  const okafor = await device('tm.okafor'); // North, Safeguarding (Priya Patel's service)
  const begum = await device('tm.begum'); // Children in Care (Hannah Lewis's service)
  const qa = await device('qa.green');

  // North: Good moderated to RI (planning raised to Outstanding, voice of the child lowered to RI); Inadequate, not yet moderated; Good moderated unchanged.
  const down = await review(okafor, 'sw.ahmed', 'N1', 'good');
  const inadequate = await review(okafor, 'sw.brown', 'N2', 'inadequate');
  const same = await review(okafor, 'sw.ahmed', 'N3', 'good');
  await moderate(qa, down.id, { ...allGrades('good'), planningGrade: 'outstanding', voiceOfChildGrade: 'requires-improvement', overallGrade: 'requires-improvement', gradeChangeReason: 'No dates in the plan.' });
  await moderate(qa, same.id, { ...allGrades('good'), overallGrade: 'good' });
  // Children in Care: one Good, not moderated.
  const care = await review(begum, 'pa.davies', 'C1', 'good');
  // An observation in North; feedback in both services (scores 8 and 6 in North, 3 in Children in Care).
  const observationId = await okafor.createObservation(completeObservationValues(person('sw.ahmed')));
  await okafor.goOnline();
  await okafor.waitUntilAllSent();
  expect(await okafor.command({ type: 'set-subject', record: `observation/${observationId}`, userId: person('sw.ahmed').id })).toEqual({ status: 'applied' });
  expect(await okafor.command({ type: 'complete', record: `observation/${observationId}`, stateVector: anyVector })).toEqual({ status: 'applied' });
  const northFeedback = [await feedback(okafor, 'N1', '8'), await feedback(okafor, 'N3', '6')];
  const careFeedback = await feedback(begum, 'C1', '3');
  // A draft is in no report.
  await okafor.createReview(reviewValues('N9', 'outstanding'));
  await okafor.waitUntilAllSent();

  // The QA team: everything.
  const all = (await report(qa)).body;
  expect(all.current.period.id).toBe(quarter().id);
  expect(sorted(all.current.activity.review.records)).toEqual([down.name, inadequate.name, same.name, care.name].sort());
  expect(all.current.activity.observation.records).toEqual([`observation/${observationId}`]);
  expect(sorted(all.current.activity.feedback.records)).toEqual([...northFeedback, careFeedback].sort());
  expect(sorted(all.current.activity.moderation.records)).toEqual([down.name, same.name].sort());
  // The overall grades that count: RI (moderated down), Inadequate, Good (moderated unchanged), Good (Children in Care).
  const overall = all.current.gradeSpread.overallGrade;
  expect([overall.outstanding.count, overall.good.count, overall['requires-improvement'].count, overall.inadequate.count]).toEqual([0, 2, 1, 1]);
  expect(overall['requires-improvement'].records).toEqual([down.name]);
  expect(all.current.gradeSpread.planningGrade.outstanding.records).toEqual([down.name]);
  expect(all.current.gradeSpread.voiceOfChildGrade['requires-improvement'].records).toEqual([down.name]);
  expect(all.current.gradeSpread.assessmentGrade.good.count).toBe(4);
  // Moderation: two moderated, one changed; overall and voice of the child down, planning up.
  expect(all.current.moderation.moderated.count).toBe(2);
  expect(all.current.moderation.changed.records).toEqual([down.name]);
  expect(all.current.moderation.byField.overallGrade).toEqual({ up: { count: 0, records: [] }, down: { count: 1, records: [down.name] } });
  expect(all.current.moderation.byField.planningGrade.up.records).toEqual([down.name]);
  expect(all.current.moderation.byField.voiceOfChildGrade.down.records).toEqual([down.name]);
  // Feedback: (8 + 6 + 3) / 3 = 5.7; by team, North 7 and Children in Care 3.
  expect(all.current.feedback.given.count).toBe(3);
  expect(all.current.feedback.averageScore).toBe(5.7);
  expect(all.current.feedback.byTeam.map((t) => [t.teamId, t.given.count, t.averageScore]).sort()).toEqual(
    [
      [person('tm.okafor').teamId, 2, 7],
      [person('tm.begum').teamId, 1, 3],
    ].sort(),
  );
  // The previous quarter holds nothing.
  expect(all.previous.activity.review.count).toBe(0);
  expect(all.previous.period.end < all.current.period.start).toBe(true);

  // Priya Patel (head of Safeguarding): only her service's records, whatever she asks for.
  const patel = await device('hos.patel');
  const hers = (await report(patel)).body;
  expect(sorted(hers.current.activity.review.records)).toEqual([down.name, inadequate.name, same.name].sort());
  expect(hers.current.feedback.averageScore).toBe(7);
  expect(hers.current.gradeSpread.overallGrade.good.records).toEqual([same.name]);
  const careService = server().db.prepare('SELECT service_id FROM teams WHERE id = ?').get(person('tm.begum').teamId) as { service_id: string };
  const asked = (await report(patel, `period=${quarter().id}&service=${careService.service_id}`)).body;
  expect(asked.current.activity.review.count).toBe(0);
  expect(asked.current.feedback.given.count).toBe(0);
  // Every open action she is shown is on a record she may read.
  const readable = new Set(server().access.readableRecords(person('hos.patel')).map((r) => r.record.name));
  expect(hers.actions.open.records.every((r) => readable.has(r))).toBe(true);
  // The records behind one figure, through the API: hers, and nobody else's.
  expect((await behind(patel, 'current.gradeSpread.overallGrade.good')).body).toMatchObject({ count: 1, records: [same.name] });
  expect((await behind(qa, 'current.gradeSpread.overallGrade.good')).body.records.sort()).toEqual([same.name, care.name].sort());
  expect((await behind(qa, 'current.feedback.byTeam.0.given')).body.count).toBeGreaterThan(0);
  for (const figure of ['current', 'current.feedback.averageScore', 'nothing.here', '__proto__', ''])
    expect((await behind(qa, figure)).status).toBe(400);
  // The QA team filtering to one team sees that team's only.
  const careTeam = (await report(qa, `period=${quarter().id}&team=${person('tm.begum').teamId}`)).body;
  expect(careTeam.current.activity.review.records).toEqual([care.name]);
  expect(careTeam.current.activity.feedback.records).toEqual([careFeedback]);

  // Rebuilt from the stored documents, by the function and by the admin command: the same model, the same figures.
  const kept = factsTable();
  expect(kept).toHaveLength(8);
  server().db.prepare("UPDATE record_facts SET grades = '{}', agreed = NULL, score = NULL").run();
  expect(await server().facts.rebuild()).toBe(8);
  expect(factsTable()).toEqual(kept);
  expect(await runAdminCli(['rebuild-reports'], path.dirname(server().db.name))).toMatch(/^Rebuilt the reports' read model from the stored documents: 8 finished records in \d+ ms\.$/);
  expect(factsTable()).toEqual(kept);
  expect((await report(qa)).body).toEqual(all);
  // At start: a row missing (a record finished before the projection) is filled in; a model from before its columns is rebuilt once.
  server().db.prepare('DELETE FROM record_facts WHERE doc = ?').run(down.name);
  expect(await server().facts.catchUp()).toBe(1);
  expect(factsTable()).toEqual(kept);
  server().db.prepare("UPDATE record_facts SET grades = '{}', agreed = NULL").run();
  server().db.prepare("DELETE FROM programme_settings WHERE key = 'record-facts-version'").run();
  expect(await server().facts.catchUp()).toBe(8);
  expect(factsTable()).toEqual(kept);
  expect(await server().facts.catchUp()).toBe(0);
}, 120_000);

it('answers bad input with a readable error', async () => {
  const qa = await device('qa.green');
  for (const query of ['', 'period=Q9', 'period=2026-27-Q5', `period=${quarter().id}&service=nowhere`, `period=${quarter().id}&team=nowhere`, `period=${'x'.repeat(50)}`]) {
    const { status, body } = await report(qa, query);
    expect(status).toBe(400);
    expect((body as unknown as { message: string }).message).toMatch(/^(Choose a period|There is no such)/);
  }
});
