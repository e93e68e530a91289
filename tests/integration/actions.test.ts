/**
 * Issue 15: actions as the server's data, against a real server with real devices. Raised on a record by
 * command (offline too), owned by someone from the directory, done by the owner (even once the record is
 * read-only), signed off or sent back by their manager or the QA team; every change kept; overdue actions
 * tell the owner and their manager once, then once more — by a clock the test moves.
 */
import * as Y from 'yjs';
import { expect, it } from 'vitest';
import type { Action, ActionList } from '../../domain/actions';
import { addDays, dateInEngland } from '../../domain/actions';
import { enqueueCommand } from '../../src/data/outbox';
import { dbFor } from '../../src/data/db';
import { completeObservationValues } from '../support/records';
import { TestDevice, waitFor } from '../support/device';
import { useTestServer } from '../support/testServer';

let now = new Date();
const testServer = useTestServer(() => {
  now = new Date();
  return { now: () => now, scheduleEveryMs: 0 };
});
const { device } = testServer;
const server = () => testServer.server();
const today = () => dateInEngland(now);

const api = async (d: TestDevice, path: string, body?: unknown) => {
  const response = await fetch(`${server().url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${d.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as unknown };
};
const actionsOf = async (d: TestDevice) => ((await api(d, '/api/actions')).body as ActionList).actions;
const notificationsOf = async (d: TestDevice) => ((await api(d, '/api/notifications')).body as { notifications: { kind: string; text: string }[] }).notifications;

/** An observation by Grace Okafor (North's manager) of Yusuf Ahmed, completed: read-only from then on. */
async function completedObservation(author: TestDevice, subjectUsername = 'sw.ahmed') {
  const subject = server().organisation.findUserByUsername(subjectUsername)!;
  const id = await author.createObservation(completeObservationValues(subject));
  const name = `observation/${id}`;
  await author.goOnline();
  await author.waitUntilAllSent();
  expect(await author.command({ type: 'set-subject', record: name, userId: subject.id })).toEqual({ status: 'applied' });
  const stateVector = Buffer.from(Y.encodeStateVector(new Y.Doc())).toString('base64');
  expect(await author.command({ type: 'complete', record: name, stateVector })).toEqual({ status: 'applied' });
  return { id, name, subject };
}

const newAction = (ownerId: string, due = addDays(today(), 10)) => ({
  actionId: crypto.randomUUID(),
  what: 'Agree a written safety plan with Sam’s mother.',
  why: 'The plan had no dates, so nobody could tell whether it was working.',
  finding: 'areasForDevelopment',
  ownerId,
  dueDate: due,
});

it('an action is raised on a completed observation, done by its owner, sent back, done again and signed off — every change attributed and kept', async () => {
  const okafor = await device('tm.okafor');
  const { name, subject } = await completedObservation(okafor);
  const ahmed = await device('sw.ahmed');
  const brown = await device('sw.brown');
  const action = newAction(subject.id);

  // Nobody outside the record raises actions on it; the owner must be in the directory and the date ahead.
  expect((await brown.command({ type: 'raise-action', record: name, action })).status).toBe('rejected');
  expect(await okafor.command({ type: 'raise-action', record: name, action: { ...action, ownerId: 'nobody' } })).toMatchObject({ status: 'rejected', message: 'Choose an owner from the directory.' });
  expect((await okafor.command({ type: 'raise-action', record: name, action: { ...action, dueDate: addDays(today(), -1) } })).status).toBe('rejected');
  expect(await okafor.command({ type: 'raise-action', record: name, action })).toEqual({ status: 'applied' });

  // The owner is told, and reads it; a colleague in the same team, not in the record, does not.
  expect((await notificationsOf(ahmed))[0]).toMatchObject({ kind: 'action-assigned', text: expect.stringContaining('for child MAT1') });
  const [mine] = await actionsOf(ahmed);
  expect(mine).toMatchObject({ id: action.actionId, status: 'open', ownerName: 'Yusuf Ahmed', raisedByName: 'Grace Okafor', childId: 'MAT1', recordKind: 'observation', may: { complete: true, signOff: false } });
  expect(await actionsOf(brown)).toEqual([]);

  // Only the owner does it; the record being read-only (complete) does not stop them.
  const done = { type: 'complete-action' as const, record: name, actionId: action.actionId, doneNote: 'Plan agreed and dated.', evidence: 'Case note 14 March' };
  expect((await okafor.command(done)).status).toBe('rejected');
  expect(await ahmed.command({ ...done, evidence: '' })).toMatchObject({ status: 'rejected' });
  expect(await ahmed.command(done)).toEqual({ status: 'applied' });
  // His manager is asked to sign it off; he cannot sign off his own.
  expect((await notificationsOf(okafor))[0]).toMatchObject({ kind: 'action-done' });
  expect(await ahmed.command({ type: 'sign-off-action', record: name, actionId: action.actionId })).toMatchObject({ status: 'rejected' });
  expect((await brown.command({ type: 'sign-off-action', record: name, actionId: action.actionId })).status).toBe('rejected');

  // Sent back needs a reason; it is open again and the owner is told why.
  expect((await okafor.command({ type: 'send-back-action', record: name, actionId: action.actionId, reason: '' })).status).toBe('rejected');
  expect(await okafor.command({ type: 'send-back-action', record: name, actionId: action.actionId, reason: 'The plan is not signed by Sam’s mother.' })).toEqual({ status: 'applied' });
  expect((await notificationsOf(ahmed))[0]).toMatchObject({ kind: 'action-sent-back', text: expect.stringContaining('not signed by Sam’s mother') });
  expect(await ahmed.command({ ...done, doneNote: 'Plan signed by Sam’s mother.' })).toEqual({ status: 'applied' });

  // A manager further up the line signs it off.
  const patel = await device('hos.patel');
  expect(await patel.command({ type: 'sign-off-action', record: name, actionId: action.actionId })).toEqual({ status: 'applied' });
  const [final] = await actionsOf(okafor);
  expect(final).toMatchObject({ status: 'signed-off', doneNote: 'Plan signed by Sam’s mother.', evidence: 'Case note 14 March' });
  expect(final!.history.map((e) => [e.event, e.byName])).toEqual([
    ['raised', 'Grace Okafor'],
    ['done', 'Yusuf Ahmed'],
    ['sent-back', 'Grace Okafor'],
    ['done', 'Yusuf Ahmed'],
    ['signed-off', 'Priya Patel'],
  ]);
  // Settled, nothing more changes it.
  expect((await okafor.command({ type: 'cancel-action', record: name, actionId: action.actionId, reason: 'No longer needed.' })).status).toBe('rejected');
});

it('an owner from another team reads and does their action without reading the record; cancelling needs a reason', async () => {
  const okafor = await device('tm.okafor');
  const { name } = await completedObservation(okafor);
  const fraser = await device('sw.fraser'); // Children in Care: may not read the observation
  const begum = await device('tm.begum'); // her manager
  expect((await api(fraser, `/api/records/concerns?record=${encodeURIComponent(name)}`)).status).toBe(404);
  const action = newAction(fraser.user.id);
  expect(await okafor.command({ type: 'raise-action', record: name, action })).toEqual({ status: 'applied' });
  expect((await actionsOf(fraser)).map((a) => a.id)).toEqual([action.actionId]);
  // Her manager reads it as one of her team's, and may cancel it — with a reason.
  const [ofTeam] = await actionsOf(begum);
  expect(ofTeam).toMatchObject({ ofMyTeam: true, may: { cancel: true, signOff: false } });
  expect((await begum.command({ type: 'cancel-action', record: name, actionId: action.actionId, reason: ' ' })).status).toBe('rejected');
  expect(await begum.command({ type: 'cancel-action', record: name, actionId: action.actionId, reason: 'Isla has moved to another case.' })).toEqual({ status: 'applied' });
  expect((await actionsOf(fraser))[0]).toMatchObject({ status: 'cancelled', reason: 'Isla has moved to another case.' });
  // The QA team reads every action.
  const qa = await device('qa.green');
  expect((await actionsOf(qa)).map((a) => a.id)).toContain(action.actionId);
});

it('raised offline: the record and the action wait in the tablet’s outbox, go once, and a command sent twice is applied once', async () => {
  const okafor = await device('tm.okafor');
  const ahmed = server().organisation.findUserByUsername('sw.ahmed')!;
  // Offline: a new observation and an action on it, both only on the tablet.
  const id = await okafor.createObservation(completeObservationValues(ahmed));
  const name = `observation/${id}`;
  const action = newAction(ahmed.id);
  await enqueueCommand(okafor.storeId, { type: 'raise-action', record: name, action });
  expect(server().actions.find(action.actionId)).toBeNull();

  await okafor.goOnline();
  await waitFor('the outbox to empty', async () => (await dbFor(okafor.storeId).outbox.count()) === 0);
  expect(server().actions.find(action.actionId)).toMatchObject({ status: 'open', owner_id: ahmed.id, child_id: 'MAT1' });
  // The tablet keeps the actions it may read, refreshed by the pass.
  await waitFor('the action on the tablet', async () => (await dbFor(okafor.storeId).actions.get(action.actionId))?.status === 'open');

  // The same command again (an answer lost on the way): the same answer, one action, one history row.
  const command = { id: crypto.randomUUID(), type: 'complete-action', record: name, actionId: action.actionId, doneNote: 'Done.', evidence: 'Case note.' };
  const ahmedDevice = await device('sw.ahmed');
  const first = await api(ahmedDevice, '/api/commands', command);
  const second = await api(ahmedDevice, '/api/commands', command);
  expect(first.body).toEqual({ status: 'applied' });
  expect(second.body).toEqual({ status: 'applied' });
  expect((await actionsOf(ahmedDevice))[0]!.history.filter((e) => e.event === 'done')).toHaveLength(1);
  // …and the manager's tablet hears of it through the inbox and refreshes its copy.
  await waitFor('the done action on the manager’s tablet', async () => (await dbFor(okafor.storeId).actions.get(action.actionId))?.status === 'done');
});

it('an action falling due tells its owner; overdue, the owner and their manager once; a week later once more', async () => {
  const okafor = await device('tm.okafor');
  const { name, subject } = await completedObservation(okafor);
  const ahmed = await device('sw.ahmed');
  const action = newAction(subject.id, addDays(today(), 3));
  expect(await okafor.command({ type: 'raise-action', record: name, action })).toEqual({ status: 'applied' });
  const kinds = async (d: TestDevice) => (await notificationsOf(d)).map((n) => n.kind).filter((k) => k === 'action-due' || k === 'action-overdue');

  expect(server().runScheduledChecks()).toBe(0);
  now = new Date(now.getTime() + 3 * 86_400_000); // the due date
  expect(server().runScheduledChecks()).toBe(1);
  expect(server().runScheduledChecks()).toBe(0); // told once, however often the scheduler runs
  expect(await kinds(ahmed)).toEqual(['action-due']);
  expect(await kinds(okafor)).toEqual([]);

  now = new Date(now.getTime() + 86_400_000); // the day after: overdue
  expect(server().runScheduledChecks()).toBe(1);
  server().runScheduledChecks();
  expect(await kinds(ahmed)).toEqual(['action-overdue', 'action-due']);
  expect(await kinds(okafor)).toEqual(['action-overdue']);
  // The unread badge counts it.
  expect(((await api(ahmed, '/api/notifications')).body as { unread: number }).unread).toBeGreaterThanOrEqual(2);

  now = new Date(now.getTime() + 6 * 86_400_000);
  expect(server().runScheduledChecks()).toBe(0);
  now = new Date(now.getTime() + 86_400_000); // a week after the first notice
  expect(server().runScheduledChecks()).toBe(1);
  now = new Date(now.getTime() + 30 * 86_400_000);
  expect(server().runScheduledChecks()).toBe(0); // and then no more: the list and the manager carry it
  expect(await kinds(okafor)).toEqual(['action-overdue', 'action-overdue']);
  const [overdue] = await actionsOf(okafor);
  expect(overdue!.history.map((e: Action['history'][number]) => e.event)).toEqual(['raised', 'due-told', 'overdue-told', 'overdue-reminded']);

  // Done, it is no longer chased.
  expect(await ahmed.command({ type: 'complete-action', record: name, actionId: action.actionId, doneNote: 'Done late.', evidence: 'Case note.' })).toEqual({ status: 'applied' });
  now = new Date(now.getTime() + 30 * 86_400_000);
  expect(server().runScheduledChecks()).toBe(0);
});
