/** Sync against a real server on port 0 with the app's real sync manager on Node devices. */
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { observationLayout } from '../../domain/observation';
import { readValues } from '../../recordModel/recordDoc';
import { openRecord } from '../../src/data/docs/openRecord';
import { getMeta } from '../../src/data/records';
import { startServer, type RunningServer } from '../../sync-server/server';
import { makeDataDir } from '../support/serverProcess';
import { TestDevice, waitFor } from '../support/device';

let server: RunningServer;
const devices: TestDevice[] = [];

async function device(username: string, name: string) {
  const d = await TestDevice.signIn(server.url, username, name);
  devices.push(d);
  return d;
}

/** What the server has stored for a record, read straight from its store. */
async function stored(id: string) {
  const state = await server.store.load(`observation/${id}`);
  const doc = new Y.Doc();
  if (state) Y.applyUpdate(doc, state);
  return readValues(doc, observationLayout);
}

beforeEach(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: makeDataDir(), staticDir: null, seedDemo: true, sessionDays: 1 });
});
afterEach(async () => {
  devices.splice(0).forEach((d) => d.goOffline());
  await server.close();
});

describe('sync', () => {
  it('sends a record made offline once a connection returns, and marks it sent only when stored', async () => {
    const tablet = await device('tm.okafor', 'tablet');
    const id = await tablet.createObservation({ childId: 'MOS1', strengths: 'Warm and clear.' });
    expect(await tablet.unsentCount()).toBe(1);
    await tablet.goOnline();
    await tablet.waitUntilAllSent();
    expect(await stored(id)).toMatchObject({ childId: 'MOS1', strengths: 'Warm and clear.' });
    const history = await server.store.history(`observation/${id}`);
    expect(history.length).toBeGreaterThan(0);
    expect(history.every((h) => h.userId === tablet.user.id && h.receivedAt)).toBe(true);
  });

  it('(a) two devices edit one record offline and converge with both edits', async () => {
    const a = await device('tm.okafor', 'manager-tablet');
    const b = await device('sw.ahmed', 'practitioner-laptop');
    const id = await a.createObservation({ strengths: 'Calm and clear.' });
    await a.goOnline();
    await a.waitUntilAllSent();
    await a.share(id, b.user);
    await b.goOnline();
    await waitFor('the record on device b', async () => (await b.indexedIds()).includes(id));
    await waitFor('its content on b', async () => (await b.read(id)).values.strengths === 'Calm and clear.');
    a.goOffline();
    b.goOffline();

    await a.edit(id, { strengths: 'Warm. Calm and clear.', childId: 'MOS9', levelOfNeed: 'child-protection' });
    await b.edit(id, { strengths: 'Calm and clear. Listened well.', reflections: 'We talked it through.', levelOfNeed: 'child-in-need' });
    await a.goOnline();
    await b.goOnline();
    await a.waitUntilAllSent();
    await b.waitUntilAllSent();

    const expected = { strengths: 'Warm. Calm and clear. Listened well.', childId: 'MOS9', reflections: 'We talked it through.' };
    await waitFor('a to converge', async () => (await a.read(id)).values.strengths === expected.strengths);
    await waitFor('b to converge', async () => (await b.read(id)).values.strengths === expected.strengths);
    expect((await a.read(id)).values).toMatchObject(expected);
    expect((await b.read(id)).values).toEqual((await a.read(id)).values);
    expect(await stored(id)).toEqual((await a.read(id)).values);

    // Level of need was set differently on both: one value everywhere, and the record says who chose what.
    const level = (await a.read(id)).values.levelOfNeed;
    expect(['child-protection', 'child-in-need']).toContain(level);
    for (const d of [a, b]) {
      const contested = await d.contested(id);
      expect(contested).toHaveLength(1);
      expect(contested[0]).toMatchObject({ field: 'levelOfNeed', current: level });
      expect(contested[0]!.choices.map((c) => `${c.byName}: ${c.value}`).sort()).toEqual(['Grace Okafor: child-protection', 'Yusuf Ahmed: child-in-need']);
    }
  });
});

describe('the changes feed', () => {
  it('tells a device of records others changed, not of its own', async () => {
    const tablet = await device('tm.okafor', 'tablet');
    const ids = [await tablet.createObservation({ childId: 'A1' }), await tablet.createObservation({ childId: 'A2' })];
    await tablet.goOnline();
    await tablet.waitUntilAllSent();
    const ownId = await getMeta(tablet.storeId, 'deviceId');
    const feed = async (device: string) =>
      (await (await fetch(`${server.url}/api/records/changes?after=0&device=${device}`, { headers: { Authorization: `Bearer ${tablet.token}` } })).json()) as {
        changes: { name: string }[];
        cursor: number;
      };
    expect((await feed(ownId!)).changes).toEqual([]);
    expect((await feed(ownId!)).cursor).toBeGreaterThan(0);
    expect((await feed('another-device')).changes.map((c) => c.name).sort()).toEqual(ids.map((id) => `observation/${id}`).sort());
  });
});

describe('closing the server', () => {
  it('right after devices write, leaves nothing behind that touches the closed database', async () => {
    const tablet = await device('tm.okafor', 'tablet');
    for (let i = 0; i < 20; i++) await tablet.createObservation({ childId: `C${i}` });
    await tablet.goOnline();
    await tablet.waitUntilAllSent();
    tablet.goOffline();
    await server.close();
    // Timers (acknowledgements, notifications, compaction) that outlive close() would throw here.
    await new Promise((r) => setTimeout(r, 600));
  });
});

describe('a record open on screen', () => {
  it('keeps syncing live after the server closes its document, and after the connection drops', async () => {
    const a = await device('tm.okafor', 'a');
    const b = await device('sw.ahmed', 'b');
    const id = await a.createObservation({ childId: 'LIVE1' });
    await a.goOnline();
    await b.goOnline();
    await a.waitUntilAllSent();
    await a.share(id, b.user);
    await waitFor('b to have it', () => b.manager!.fetchRecord('observation', id));
    const releaseA = a.manager!.keepLive('observation', id);
    const releaseB = b.manager!.keepLive('observation', id);
    const onA = (await openRecord(a.storeId, 'observation', id, a.user))!;
    const onB = (await openRecord(b.storeId, 'observation', id, b.user))!;
    try {
      onB.setField('strengths', 'first');
      await waitFor('first edit on a', () => onA.values().strengths === 'first');

      // The server closes the document alone (as after a failed store), the websocket stays up.
      server.collaboration.hocuspocus.closeConnections(`observation/${id}`);
      await new Promise((r) => setTimeout(r, 100));
      onB.setField('strengths', 'second');
      await waitFor('second edit on a', () => onA.values().strengths === 'second', 10_000);

      // The websocket drops and comes back: edits still flow, and are still proved sent.
      a.manager!.reconnect();
      onA.setField('reflections', 'after the drop');
      await waitFor('the edit on b', () => onB.values().reflections === 'after the drop', 10_000);
      await a.waitUntilAllSent(10_000);
      expect(a.manager!.getStatus().problem).toBeNull();
    } finally {
      onA.release();
      onB.release();
      releaseA();
      releaseB();
    }
  });
});

describe('a sign-in the server no longer accepts', () => {
  it('stops sync with a clear message and keeps every unsent change on the device', async () => {
    const tablet = await device('tm.okafor', 'tablet');
    const id = await tablet.createObservation({ strengths: 'Written before the sign-in expired.' });
    await fetch(`${server.url}/api/sign-out`, { method: 'POST', headers: { Authorization: `Bearer ${tablet.token}`, 'Content-Type': 'application/json' }, body: '{}' });
    await tablet.goOnline();
    await waitFor('sync to stop', () => tablet.manager!.getStatus().connection === 'signed-out');
    expect(tablet.manager!.getStatus().problem).toMatch(/Sign in again/);
    expect(await tablet.unsentCount()).toBe(1);
    expect((await tablet.read(id)).values.strengths).toBe('Written before the sign-in expired.');
    expect(await server.store.load(`observation/${id}`)).toBeNull();
  });
});
