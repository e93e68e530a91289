/**
 * The device's outbox against a real server: commands queued offline are sent once the records they are
 * about are stored, applied once, and their effects reach the device; a record whose access is taken
 * away leaves the device once everything on it is sent.
 */
import { expect, it } from 'vitest';
import { dbFor } from '../../src/data/db';
import { enqueueCommand } from '../../src/data/outbox';
import { waitFor } from '../support/device';
import { useTestServer } from '../support/testServer';

const testServer = useTestServer();
const { device } = testServer;
const server = () => testServer.server();

it('a completion queued offline is applied by the server once the record is there, and the record turns read-only', async () => {
  const tablet = await device('tm.okafor', 'offline-tablet');
  const ahmed = server().organisation.findUserByUsername('sw.ahmed')!;
  const id = await tablet.createObservation({
    practitionerId: ahmed.id,
    practitionerName: ahmed.displayName,
    teamId: ahmed.teamId,
    dateOfObservation: '2026-11-01',
    childId: 'OUT1',
    levelOfNeed: 'child-in-need',
    nature: 'supervision',
    strengths: 'a',
    areasForDevelopment: 'b',
    reflections: 'c',
    equalityDiversityIdentity: 'd',
  });
  const name = `observation/${id}`;
  const { openRecord } = await import('../../src/data/docs/openRecord');
  const handle = (await openRecord(tablet.storeId, 'observation', id, tablet.user))!;
  await enqueueCommand(tablet.storeId, { type: 'set-subject', record: name, userId: ahmed.id });
  await enqueueCommand(tablet.storeId, { type: 'complete', record: name, stateVector: handle.stateVector() });
  handle.release();

  await tablet.goOnline();
  await waitFor('the outbox to empty', async () => (await dbFor(tablet.storeId).outbox.count()) === 0, 30_000);
  expect(server().access.record(name)).toMatchObject({ status: 'complete', subject_id: ahmed.id, team_id: ahmed.teamId });
  await waitFor('the completion to reach the tablet', async () => (await tablet.read(id)).meta?.status === 'complete');
  await waitFor('the index to say it is read-only now', async () => (await dbFor(tablet.storeId).records.get(id))?.access === 'read');
  expect(server().db.prepare("SELECT COUNT(*) AS n FROM commands WHERE type = 'complete'").get()).toEqual({ n: 1 });
});

it('a refused command stays in the outbox with the reason, and does not block the rest', async () => {
  const tablet = await device('tm.okafor', 'tablet');
  const id = await tablet.createObservation({ childId: 'BAD1' });
  await tablet.goOnline();
  await tablet.waitUntilAllSent();
  await enqueueCommand(tablet.storeId, { type: 'complete', record: `observation/${id}`, stateVector: 'AA==' });
  tablet.manager!.syncNow();
  await waitFor('the refusal', async () => (await dbFor(tablet.storeId).outbox.toArray())[0]?.state === 'rejected');
  const [entry] = await dbFor(tablet.storeId).outbox.toArray();
  expect(entry!.outcome).toMatchObject({ status: 'rejected', message: 'The record is not ready to be completed.' });
  expect(server().access.record(`observation/${id}`)?.status).toBe('draft');
});

it('a record someone loses access to leaves their device once all of it is sent; one with unsent changes stays', async () => {
  const author = await device('tm.okafor', 'author');
  const iro = await device('iro.walsh', 'iro-laptop');
  const kept = await author.createObservation({ childId: 'KEEP1' });
  const gone = await author.createObservation({ childId: 'GONE1' });
  await author.goOnline();
  await author.waitUntilAllSent();
  await author.share(kept, iro.user);
  await author.share(gone, iro.user);
  await iro.goOnline();
  await waitFor('both on the IRO’s laptop', async () => (await iro.indexedIds()).length === 2);
  await waitFor('both fetched', async () => (await iro.read(gone)).values.childId === 'GONE1' && (await iro.read(kept)).values.childId === 'KEEP1');
  iro.goOffline();
  await iro.edit(kept, { otherComments: 'Written offline.' });
  for (const id of [kept, gone]) expect(await author.command({ type: 'remove-participant', record: `observation/${id}`, userId: iro.user.id })).toEqual({ status: 'applied' });

  await iro.goOnline();
  await waitFor('the record no longer shared to leave the laptop', async () => !(await iro.indexedIds()).includes(gone), 20_000);
  await waitFor('its document to be removed from the laptop', async () => (await iro.read(gone)).meta === null);
  // Unsent work is never thrown away, even when it can no longer be sent.
  expect(await iro.indexedIds()).toContain(kept);
  expect((await iro.read(kept)).values.otherComments).toBe('Written offline.');
}, 60_000);
