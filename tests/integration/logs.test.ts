/**
 * The log holds no personal data (issue 19): a real server process, logging at debug, through a realistic
 * flow — sign-in (and a wrong password), a record written and synced with a child's ID, names and narrative,
 * shared, a concern raised, the record's deep links and the child's page opened, the API read. Its log is
 * JSON lines, and none of them carries the child's ID, a person's name or the words written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { TestDevice, waitFor } from '../support/device';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';

let server: ServerProcess | null = null;
afterEach(async () => server?.stop());

it('a realistic flow leaves no child ID, name or narrative in the log, which is JSON lines', async () => {
  // The app's shell is served from here, so deep links are answered (and would be logged) as in production.
  const staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-shell-'));
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Fieldnotes</title>');
  server = await startServerProcess({ env: { FIELDNOTES_STATIC_DIR: staticDir, FIELDNOTES_LOG_LEVEL: 'debug' } });

  const childId = 'MOS7734921';
  const narrative = 'Kerensa-Lowri drew her bedroom and her grandmother Philippa Tregothnan';
  const manager = await TestDevice.signIn(server.url, 'tm.okafor', 'manager-tablet');
  const practitioner = await TestDevice.signIn(server.url, 'sw.ahmed', 'practitioner-tablet');
  const id = await manager.createObservation({ practitionerId: practitioner.user.id, childId, strengths: narrative, reflections: `${narrative} again.` });
  await manager.goOnline();
  await manager.waitUntilAllSent();
  await manager.share(id, practitioner.user, 'reader');
  const concern = await manager.command({ type: 'raise-concern', record: `observation/${id}`, text: `${narrative}: bruising seen on ${childId}.` });
  expect(concern.status).toBe('applied');
  await practitioner.goOnline();
  await waitFor('the practitioner to have the record', async () => (await practitioner.indexedIds()).includes(id));
  await manager.edit(id, { areasForDevelopment: `Share the plan for ${childId} with school.` });
  await manager.waitUntilAllSent();

  for (const deepLink of [`/children/${childId}`, `/observations/${id}?child=${childId}`])
    expect((await fetch(`${server.url}${deepLink}`)).status).toBe(200);
  const wrongPassword = await fetch(`${server.url}/api/sign-in`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'tm.okafor', password: `${childId} Philippa` }) });
  expect(wrongPassword.status).toBe(401);
  expect((await fetch(`${server.url}/api/records`, { headers: { Authorization: `Bearer ${manager.token}` } })).status).toBe(200);
  expect((await fetch(`${server.url}/api/records/changes?after=0&device=${childId}`, { headers: { Authorization: `Bearer ${manager.token}` } })).status).toBe(200);
  manager.goOffline();
  practitioner.goOffline();
  await waitFor('the request lines', () => server!.output().includes('"route":"/api/records/changes"'));
  await server.stop();

  const lines = server.output().split('\n').filter((line) => line.trim() !== '');
  // Every line is a JSON object with a level and a message.
  for (const line of lines) expect(JSON.parse(line)).toMatchObject({ level: expect.any(Number), msg: expect.any(String) });
  const log = lines.join('\n');
  // The flow was logged: requests by route, with their status (the app's own pages at debug).
  expect(log).toContain('"route":"/api/sign-in"');
  expect(log).toContain('"route":"/api/commands"');
  expect(log).toContain('"route":"(the app)"');
  // …and nothing personal: not the child's ID, anyone's name, or a word of what was written.
  for (const secret of [childId, 'Kerensa', 'Philippa', 'Tregothnan', 'bruising', 'grandmother', 'Share the plan', 'Grace Okafor', 'Yusuf Ahmed', manager.user.displayName, practitioner.user.displayName])
    expect(log, `the log mentions "${secret}"`).not.toContain(secret);
});
