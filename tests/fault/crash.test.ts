/**
 * (c) "Sent" means stored: the server is killed with SIGKILL the moment a device reports everything
 * sent, restarted on the same data directory, and the device wiped — every edit is on the server.
 * Also: SIGTERM stores everything received before the process exits.
 */
import { afterEach, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { recordsChangedInBulk, storedObservation } from '../support/storedOnServer';
import { unsentRecordIds } from '../../src/data/records';
import { TestDevice, waitFor } from '../support/device';

let server: ServerProcess | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

async function recordsWithEdits(device: TestDevice, count: number) {
  const expected = new Map<string, { childId: string; strengths: string; reflections: string }>();
  for (let i = 0; i < count; i++) {
    const values = { childId: `LCS${i}`, strengths: `Strengths ${i}: patient, curious, clear.`, reflections: '' };
    const id = await device.createObservation(values);
    expected.set(id, values);
  }
  return expected;
}

it('(c) kill -9 right after the device reports everything sent: after a restart and a wiped device, every edit is on the server', async () => {
  server = await startServerProcess();
  const device = await TestDevice.signIn(server.url, 'tm.okafor', 'tablet');
  const expected = await recordsWithEdits(device, 40);
  await device.goOnline();
  await device.waitUntilAllSent();

  // More edits while connected, including a deletion, then crash the instant they are reported sent.
  for (const [id, values] of expected) {
    values.reflections = `Reflected on visit ${values.childId}.`;
    values.strengths = values.strengths.replace(' curious,', '');
    await device.edit(id, { reflections: values.reflections, strengths: values.strengths });
  }
  await device.waitUntilAllSent();
  await server.kill9();
  device.goOffline();

  await server.restart();
  for (const [id, values] of expected) expect((await storedObservation(server.dataDir, id)).values).toMatchObject(values);
  // The records (made offline, then edited while not on screen) went on the bulk path (issue 20), and its
  // proof held through the crash.
  const bulk = recordsChangedInBulk(server.dataDir);
  for (const id of expected.keys()) expect(bulk.has(`observation/${id}`)).toBe(true);

  // A wiped device (a new one) signing in gets every record back from the server, intact.
  const fresh = await TestDevice.signIn(server.url, 'tm.okafor', 'replacement-tablet');
  await fresh.goOnline();
  await waitFor('every record on the new device', async () => (await fresh.indexedIds()).length === expected.size, 60_000);
  for (const [id, values] of expected) expect((await fresh.read(id)).values).toMatchObject(values);
  fresh.goOffline();
}, 120_000);

it('SIGTERM stores everything the server received before it exits', async () => {
  server = await startServerProcess();
  const device = await TestDevice.signIn(server.url, 'tm.okafor', 'tablet');
  const expected = await recordsWithEdits(device, 60);
  await device.goOnline();
  // Stop the server while the device is mid-way through sending.
  while ((await device.unsentCount()) > 40) await new Promise((r) => setTimeout(r, 5));
  const unsent = new Set((await unsentRecordIds(device.storeId)).map((r) => r.id));
  await server.stop();
  device.goOffline();
  await server.restart();
  // Every record the device had already counted as sent is stored.
  const sent = [...expected.keys()].filter((id) => !unsent.has(id));
  expect(sent.length).toBeGreaterThan(0);
  for (const id of sent) expect((await storedObservation(server.dataDir, id)).values).toMatchObject(expected.get(id)!);
  // And once the device reconnects, everything arrives.
  await device.goOnline();
  await device.waitUntilAllSent();
  for (const [id, values] of expected) expect((await storedObservation(server.dataDir, id)).values).toMatchObject(values);
  device.goOffline();
}, 120_000);
