/**
 * Issue 5: an immediate concern about a child's safety, against a real server(). The child's team manager,
 * the service manager, the director, the practitioner and the QA team (issue 15) are told at once, in the app; the flag stays until someone
 * resolves it with a recorded resolution.
 */
import { expect, it } from 'vitest';
import { TestDevice, waitFor } from '../support/device';
import { useTestServer } from '../support/testServer';

const testServer = useTestServer();
const { device } = testServer;
const server = () => testServer.server();

const api = async (d: TestDevice, path: string, body?: unknown) => {
  const response = await fetch(`${server().url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${d.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

it('a concern raised on a review reaches the team manager, service manager and director at once, and stays until resolved with a reason', async () => {
  // A review by the lead reviewer (North's manager) of Daniel Clarke's work (Safeguarding Team South), with the IRO in it.
  const lead = await device('tm.okafor');
  const iro = await device('iro.walsh');
  const id = await lead.createReview({ childId: 'SAFE1' });
  const name = `review/${id}`;
  await lead.goOnline();
  await lead.waitUntilAllSent();
  const clarke = server().organisation.findUserByUsername('sw.clarke')!;
  expect(await lead.command({ type: 'set-subject', record: name, userId: clarke.id })).toEqual({ status: 'applied' });
  await lead.share(id, iro.user, 'contributor', 'review');

  // The service manager's tablet is online: it hears of the notification at once.
  const hos = await device('hos.patel');
  await hos.goOnline();
  let pushed = 0;
  hos.manager!.onNotification(() => pushed++);
  await waitFor('the service manager’s tablet to be connected', () => hos.manager!.getStatus().connection === 'online');
  await new Promise((r) => setTimeout(r, 300));

  expect(await iro.command({ type: 'raise-concern', record: name, text: 'Sam said he is scared to go home tonight.' })).toEqual({ status: 'applied' });
  await waitFor('the push to the service manager’s tablet', () => pushed > 0, 5000);

  const unreadFor = async (username: string) => {
    const d = await device(username);
    const { body } = await api(d, '/api/notifications');
    return { d, body: body as { unread: number; notifications: { text: string; kind: string; record: string }[] } };
  };
  // Issue 15: the practitioner the record is about and the QA team are told as well.
  for (const username of ['tm.hughes', 'hos.patel', 'dcs.morgan', 'sw.clarke', 'qa.green']) {
    const { body } = await unreadFor(username);
    expect(body.unread, username).toBe(1);
    expect(body.notifications[0]).toMatchObject({ kind: 'concern-raised', record: name, text: expect.stringContaining('Sam said he is scared to go home tonight.') });
    expect(body.notifications[0]!.text).toContain('Fiona Walsh');
  }
  for (const username of ['hos.lewis', 'ad.wright', 'sw.evans', 'tm.begum']) expect((await unreadFor(username)).body.unread, username).toBe(0);

  // The flag stays: it cannot be closed without a resolution, nor by someone outside the line.
  const concerns = async (d: TestDevice) => (await api(d, `/api/records/concerns?record=${encodeURIComponent(name)}`)).body.concerns as { id: string; resolvedAt: string | null; resolution: string | null; resolvedByName: string | null }[];
  const [concern] = await concerns(lead);
  expect(concern).toMatchObject({ resolvedAt: null });
  expect((await iro.command({ type: 'resolve-concern', record: name, concernId: concern!.id, resolution: '' })).status).toBe('rejected');
  expect(await iro.command({ type: 'resolve-concern', record: name, concernId: concern!.id, resolution: 'Spoke to Sam.' })).toMatchObject({ status: 'rejected' });
  const { d: hughes } = await unreadFor('tm.hughes');
  expect(await hughes.command({ type: 'resolve-concern', record: name, concernId: concern!.id, resolution: 'Strategy meeting held today; Sam is staying with his aunt.' })).toEqual({ status: 'applied' });
  expect((await concerns(iro))[0]).toMatchObject({ resolvedByName: 'Owen Hughes', resolution: 'Strategy meeting held today; Sam is staying with his aunt.' });
  // The person who raised it is told; people who may not read the record cannot see its concerns.
  const { body: iroInbox } = await api(iro, '/api/notifications');
  expect(iroInbox).toMatchObject({ unread: 1, notifications: [{ kind: 'concern-resolved' }] });
  const outsider = await device('sw.evans');
  expect((await api(outsider, `/api/records/concerns?record=${encodeURIComponent(name)}`)).status).toBe(404);

  // Read, they no longer count as unread.
  expect((await api(iro, '/api/notifications/read', {})).status).toBe(200);
  expect((await api(iro, '/api/notifications')).body.unread).toBe(0);
});
