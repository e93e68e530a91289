/**
 * Issue 15, item 5: immediate concerns, complete — against a real server with a clock the test moves.
 * Raised from any record (observation, review, family feedback); the practitioner, the child's team
 * manager, the service manager, the director and the QA team are told, with the child ID; a response is
 * due within the organisation's response time in working days (Friday afternoon → Monday); unanswered by
 * then it escalates, once, to the next manager up from the team manager and to the director — and not at
 * all once answered. Commands sent twice apply once; hostile input is refused.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Concern, NotificationList } from '../../domain/notifications';
import { TestDevice } from '../support/device';
import { useTestServer } from '../support/testServer';

// Friday 4 December 2026, 15:00 in England (GMT in winter).
const FRIDAY_AFTERNOON = new Date('2026-12-04T15:00:00Z');
let now = FRIDAY_AFTERNOON;
const testServer = useTestServer(() => {
  now = FRIDAY_AFTERNOON;
  return { now: () => now, scheduleEveryMs: 0 };
});
const { device } = testServer;
const server = () => testServer.server();
const at = (iso: string) => (now = new Date(iso));

const api = async (d: TestDevice, path: string, body?: unknown) => {
  const response = await fetch(`${server().url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${d.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as unknown };
};
const inbox = async (d: TestDevice) => (await api(d, '/api/notifications')).body as NotificationList;
const concernsOn = async (d: TestDevice, record: string) =>
  ((await api(d, `/api/records/concerns?record=${encodeURIComponent(record)}`)).body as { concerns: Concern[] }).concerns;

/** An observation by Grace Okafor (North's manager) of Yusuf Ahmed, about child MOS777, stored on the server. */
async function observationOfAhmed() {
  const observer = await device('tm.okafor');
  const id = await observer.createObservation({ childId: 'MOS777' });
  await observer.goOnline();
  await observer.waitUntilAllSent();
  const ahmed = server().organisation.findUserByUsername('sw.ahmed')!;
  expect(await observer.command({ type: 'set-subject', record: `observation/${id}`, userId: ahmed.id })).toEqual({ status: 'applied' });
  return { observer, record: `observation/${id}` };
}

it('a concern raised from an observation tells the practitioner, team manager, service manager, director and QA team, names the child ID, and is due on Monday when raised on Friday afternoon', async () => {
  const { record } = await observationOfAhmed();
  // The practitioner observed raises it (anyone who may read the record may).
  const ahmed = await device('sw.ahmed');
  const text = 'Amy said her stepfather hit her last night.';
  expect(await ahmed.command({ type: 'raise-concern', record, text })).toEqual({ status: 'applied' });

  // The team manager (the observer here) is the one who raised nothing: told; the practitioner raised it: not told of their own.
  for (const username of ['tm.okafor', 'hos.patel', 'dcs.morgan', 'qa.green']) {
    const list = await inbox(await device(username));
    expect(list.unread, username).toBe(1);
    expect(list.urgent, username).toBe(1);
    expect(list.notifications[0]).toMatchObject({ kind: 'concern-raised', record });
    expect(list.notifications[0]!.text).toContain('child MOS777');
    expect(list.notifications[0]!.text).toContain('raised by Yusuf Ahmed on an observation of practice');
    expect(list.notifications[0]!.text).toContain('Monday 7 December 2026, 15:00');
    expect(list.notifications[0]!.at).toBe(FRIDAY_AFTERNOON.toISOString());
  }
  // Nobody outside the record's line hears of it.
  for (const username of ['hos.lewis', 'ad.wright', 'tm.hughes', 'sw.brown', 'sw.ahmed']) expect((await inbox(await device(username))).unread, username).toBe(0);

  const [concern] = await concernsOn(ahmed, record);
  expect(concern).toMatchObject({ childId: 'MOS777', text, raisedByName: 'Yusuf Ahmed', dueAt: '2026-12-07T15:00:00.000Z', escalatedAt: null, respondedAt: null });
});

it('the practitioner is told of a concern raised by someone else, on a review and on family feedback gathered for it', async () => {
  const lead = await device('tm.okafor');
  const id = await lead.createReview({ childId: 'LCS42' });
  const review = `review/${id}`;
  await lead.goOnline();
  await lead.waitUntilAllSent();
  const brown = server().organisation.findUserByUsername('sw.brown')!;
  expect(await lead.command({ type: 'set-subject', record: review, userId: brown.id })).toEqual({ status: 'applied' });
  const feedbackId = await lead.createFeedback({ childId: '' });
  await lead.waitUntilAllSent();
  const feedback = `feedback/${feedbackId}`;
  expect(await lead.command({ type: 'link-record', record: feedback, linkedTo: review })).toEqual({ status: 'applied' });

  expect(await lead.command({ type: 'raise-concern', record: review, text: 'Bruises seen at the review.' })).toEqual({ status: 'applied' });
  // Feedback with no child ID of its own takes the review's.
  expect(await lead.command({ type: 'raise-concern', record: feedback, text: 'Mum said she cannot keep him safe.' })).toEqual({ status: 'applied' });
  const chloe = await inbox(await device('sw.brown'));
  expect(chloe.notifications.map((n) => [n.kind, n.record])).toEqual([
    ['concern-raised', feedback],
    ['concern-raised', review],
  ]);
  expect(chloe.notifications.every((n) => n.text.includes('child LCS42'))).toBe(true);
  // A moderation is not where a concern is raised: the review is.
  expect((await concernsOn(lead, feedback))[0]).toMatchObject({ childId: 'LCS42' });
});

it('an unanswered concern escalates once, after its due time, to the next manager up and the director — and shows who was told and when', async () => {
  const { record } = await observationOfAhmed();
  const raiser = await device('sw.ahmed');
  expect(await raiser.command({ type: 'raise-concern', record, text: 'Amy is frightened to go home.' })).toEqual({ status: 'applied' });

  // Saturday, Sunday and Monday morning: not yet due.
  for (const when of ['2026-12-05T15:00:00Z', '2026-12-06T23:00:00Z', '2026-12-07T14:59:00Z']) {
    at(when);
    expect(server().runScheduledChecks(), when).toBe(0);
  }
  at('2026-12-07T15:00:00Z');
  expect(server().runScheduledChecks()).toBe(1);
  // Run again (the timer, a restart): nobody is told twice.
  at('2026-12-07T15:10:00Z');
  expect(server().runScheduledChecks()).toBe(0);
  at('2026-12-09T09:00:00Z');
  expect(server().runScheduledChecks()).toBe(0);

  // The next manager up from the team manager (Grace Okafor → Priya Patel) and the director.
  for (const username of ['hos.patel', 'dcs.morgan']) {
    const list = await inbox(await device(username));
    const escalations = list.notifications.filter((n) => n.kind === 'concern-escalated');
    expect(escalations, username).toHaveLength(1);
    expect(escalations[0]!.text).toContain('child MOS777');
    expect(escalations[0]!.at).toBe('2026-12-07T15:00:00.000Z');
  }
  for (const username of ['ad.wright', 'qa.green', 'tm.okafor']) expect((await inbox(await device(username))).notifications.filter((n) => n.kind === 'concern-escalated'), username).toHaveLength(0);

  const [concern] = await concernsOn(raiser, record);
  expect(concern).toMatchObject({ escalatedAt: '2026-12-07T15:00:00.000Z', escalatedTo: ['Priya Patel', 'Helen Morgan'] });
});

it('a concern answered in time never escalates, and a response is only a manager’s or the QA team’s to give', async () => {
  const { record } = await observationOfAhmed();
  const raiser = await device('sw.ahmed');
  expect(await raiser.command({ type: 'raise-concern', record, text: 'Amy is frightened to go home.' })).toEqual({ status: 'applied' });
  const [concern] = await concernsOn(raiser, record);

  // The practitioner and a colleague outside the line may not answer it; the team manager may.
  expect(await raiser.command({ type: 'respond-to-concern', record, concernId: concern!.id, response: 'I will visit.' })).toMatchObject({ status: 'rejected' });
  expect(await (await device('sw.brown')).command({ type: 'respond-to-concern', record, concernId: concern!.id, response: 'Noted.' })).toMatchObject({ status: 'rejected' });
  at('2026-12-07T10:00:00Z');
  const manager = await device('tm.okafor');
  const response = { id: randomUUID(), type: 'respond-to-concern', record, concernId: concern!.id, response: 'Strategy discussion held; Amy stays with her grandmother tonight.' };
  const send = (body: unknown) => api(manager, '/api/commands', body);
  // Sent twice (a lost answer): applied once, the same answer both times.
  expect((await send(response)).body).toEqual({ status: 'applied' });
  expect((await send(response)).body).toEqual({ status: 'applied' });
  // A second, different response is refused: the first is the record.
  expect((await send({ ...response, id: randomUUID(), response: 'Again.' })).body).toMatchObject({ status: 'rejected' });

  at('2026-12-08T09:00:00Z');
  expect(server().runScheduledChecks()).toBe(0);
  const [answered] = await concernsOn(raiser, record);
  expect(answered).toMatchObject({ respondedByName: 'Grace Okafor', respondedAt: '2026-12-07T10:00:00.000Z', response: response.response, escalatedAt: null, resolvedAt: null });
  expect((await inbox(raiser)).notifications[0]).toMatchObject({ kind: 'concern-responded' });

  // Resolution is recorded with who and when; a concern resolved before any response never escalates either.
  expect(await manager.command({ type: 'resolve-concern', record, concernId: concern!.id, resolution: 'Child protection plan in place.' })).toEqual({ status: 'applied' });
  expect((await concernsOn(raiser, record))[0]).toMatchObject({ resolvedByName: 'Grace Okafor', resolvedAt: '2026-12-08T09:00:00.000Z' });

  expect(await raiser.command({ type: 'raise-concern', record, text: 'A second worry.' })).toEqual({ status: 'applied' });
  const second = (await concernsOn(raiser, record)).find((c) => c.text === 'A second worry.')!;
  expect(await manager.command({ type: 'resolve-concern', record, concernId: second.id, resolution: 'Seen the same day.' })).toEqual({ status: 'applied' });
  at('2026-12-20T09:00:00Z');
  expect(server().runScheduledChecks()).toBe(0);
});

it('a concern raised twice with the same command id is raised once, and hostile input is refused', async () => {
  const { record } = await observationOfAhmed();
  const raiser = await device('sw.ahmed');
  const raise = { id: randomUUID(), type: 'raise-concern', record, text: 'Amy is frightened.' };
  expect((await api(raiser, '/api/commands', raise)).body).toEqual({ status: 'applied' });
  expect((await api(raiser, '/api/commands', raise)).body).toEqual({ status: 'applied' });
  expect(await concernsOn(raiser, record)).toHaveLength(1);
  expect((await inbox(await device('dcs.morgan'))).unread).toBe(1);
  // Someone else reusing that id gets nothing of it.
  const other = await device('tm.okafor');
  expect((await api(other, '/api/commands', raise)).body).toMatchObject({ status: 'rejected' });

  const hostile: unknown[] = [
    { id: randomUUID(), type: 'raise-concern', record, text: '' },
    { id: randomUUID(), type: 'raise-concern', record, text: 'x'.repeat(5001) },
    { id: randomUUID(), type: 'raise-concern', record, text: { $gt: '' } },
    { id: 'not-a-uuid', type: 'raise-concern', record, text: 'Hello' },
    { id: randomUUID(), type: 'respond-to-concern', record, concernId: 'x'.repeat(101), response: 'Hi' },
    { id: randomUUID(), type: 'respond-to-concern', record, concernId: "' OR 1=1 --", response: 'Hi' },
    { id: randomUUID(), type: 'respond-to-concern', record, concernId: 'c', response: '   ' },
    { id: randomUUID(), type: 'raise-concern', record: 'observation/../../etc', text: 'Hello' },
  ];
  for (const body of hostile) {
    const { status, body: outcome } = await api(other, '/api/commands', body);
    expect(status, JSON.stringify(body).slice(0, 80)).toBeLessThan(500);
    expect((outcome as { status: string }).status, JSON.stringify(body).slice(0, 80)).not.toBe('applied');
  }
  // Someone who may not read the record cannot raise a concern on it, nor read its concerns.
  const outsider = await device('sw.evans');
  expect(await outsider.command({ type: 'raise-concern', record, text: 'Hello' })).toMatchObject({ status: 'rejected' });
  expect((await api(outsider, `/api/records/concerns?record=${encodeURIComponent(record)}`)).status).toBe(404);
  expect(await concernsOn(raiser, record)).toHaveLength(1);
  expect((await api(other, '/api/health')).status).toBe(200);
});
