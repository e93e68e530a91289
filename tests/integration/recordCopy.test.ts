/**
 * Issue 18: a copy of a record (its PDF downloaded, or printed) is written to the audit log — who took a
 * copy of what, and when — and only someone who may read the record can take one. The server decides who
 * sent it from the sign-in, never from anything in the command.
 */
import { expect, it } from 'vitest';
import { runAdminCli } from '../../sync-server/adminCli';
import { makeDataDir } from '../support/serverProcess';
import { useTestServer } from '../support/testServer';

const testServer = useTestServer();
const { device } = testServer;
const server = () => testServer.server();

it('records who downloaded the PDF of which record and when it was made; refuses, and logs, someone who may not read it', async () => {
  const manager = await device('tm.okafor');
  const id = await manager.createObservation({ childId: 'COPY1' });
  const record = `observation/${id}`;
  await manager.goOnline();
  await manager.waitUntilAllSent();

  const madeAt = '2026-12-03T09:15:00.000Z';
  expect(await manager.command({ type: 'record-copy', record, format: 'pdf', fileName: 'COPY1_observation-of-practice_2026-12-03.pdf', madeAt })).toEqual({ status: 'applied' });

  // Same team, not in the record: may not read it, so may not take a copy.
  const outsider = await device('sw.brown');
  const refused = await outsider.command({ type: 'record-copy', record, format: 'pdf', fileName: 'COPY1_observation-of-practice_2026-12-03.pdf', madeAt });
  expect(refused.status).toBe('rejected');

  // A file name the app never makes (a path) is refused before anything is written.
  expect((await manager.command({ type: 'record-copy', record, format: 'pdf', fileName: '../../etc/passwd', madeAt })).status).toBe('rejected');

  const entries = server().audit.page({ record }).entries;
  const copies = entries.filter((e) => e.action === 'copy');
  expect(copies).toHaveLength(1);
  expect(copies[0]).toMatchObject({ userName: 'Grace Okafor', detail: expect.stringContaining(`downloaded the PDF COPY1_observation-of-practice_2026-12-03.pdf, made on the device at ${madeAt}`) });
  const refusals = entries.filter((e) => e.action === 'refused' && e.detail.includes('downloaded the PDF'));
  expect(refusals).toHaveLength(1);
  expect(refusals[0]!.userId).toBe(server().organisation.findUserByUsername('sw.brown')!.id);
});

it('a printed copy is logged as a copy too', async () => {
  const manager = await device('tm.okafor');
  const id = await manager.createObservation({ childId: 'COPY2' });
  const record = `observation/${id}`;
  await manager.goOnline();
  await manager.waitUntilAllSent();
  expect(await manager.command({ type: 'record-copy', record, format: 'print', fileName: 'COPY2_observation-of-practice_2026-12-03.pdf', madeAt: new Date().toISOString() })).toEqual({ status: 'applied' });
  expect(server().audit.page({ record }).entries.find((e) => e.action === 'copy')?.detail).toMatch(/^printed it, made on the device at /);
});

it('the organisation’s name and marking are set by an administrator only, and reach devices with the directory', async () => {
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server().url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const admin = await device('admin.jones');
  const manager = await device('tm.okafor');
  // The demo organisation's name; the marking is OFFICIAL-SENSITIVE until set.
  expect((await call(manager.token, 'GET', '/api/directory')).body.organisation).toEqual({ name: 'Fieldnotes Demo Borough Council', marking: 'OFFICIAL-SENSITIVE' });

  expect((await call(manager.token, 'PUT', '/api/admin/organisation', { marking: 'OFFICIAL' })).status).toBe(403);
  expect((await call(admin.token, 'PUT', '/api/admin/organisation', { marking: '   ' })).status).toBe(400);
  expect((await call(admin.token, 'PUT', '/api/admin/organisation', { marking: 'x'.repeat(61) })).status).toBe(400);
  expect((await call(admin.token, 'PUT', '/api/admin/organisation', 'not an object')).status).toBe(400);
  const set = await call(admin.token, 'PUT', '/api/admin/organisation', { name: 'Cyngor Gwynedd', marking: 'OFFICIAL-SENSITIVE PERSONAL' });
  expect(set).toEqual({ status: 200, body: { name: 'Cyngor Gwynedd', marking: 'OFFICIAL-SENSITIVE PERSONAL' } });
  expect((await call(manager.token, 'GET', '/api/directory')).body.organisation).toEqual({ name: 'Cyngor Gwynedd', marking: 'OFFICIAL-SENSITIVE PERSONAL' });
  expect(server().audit.page({}).entries.some((e) => e.detail.includes('marking "OFFICIAL-SENSITIVE" → "OFFICIAL-SENSITIVE PERSONAL"'))).toBe(true);
});

it('the command line sets the organisation’s name and marking through the same checks', async () => {
  const dir = makeDataDir();
  expect(await runAdminCli(['set-organisation', '--name', 'Anytown Council', '--marking', 'OFFICIAL-SENSITIVE'], dir)).toBe('The organisation is "Anytown Council"; its records are marked OFFICIAL-SENSITIVE.');
  expect(await runAdminCli(['set-organisation', '--marking', 'OFFICIAL'], dir)).toBe('The organisation is "Anytown Council"; its records are marked OFFICIAL.');
  await expect(runAdminCli(['set-organisation', '--marking', ''], dir)).rejects.toThrow('Enter the protective marking');
  await expect(runAdminCli(['set-organisation'], dir)).rejects.toThrow('Give --name, --marking or both.');
});
