/**
 * Issue 13: a fuzz of the sync server, run as its own process. 10,000 random and mutated frames of every
 * message type (sync, awareness, auth, stateless, broadcast, query-awareness, close, and types nobody
 * defined), from sockets in every state (never authenticated, refused, read-only, read-write, signed out).
 * After every batch: the process is alive, a legitimate device still round-trips an edit, what was stored
 * is intact, and the server's resident memory stays within the bound stated below. Then the server is
 * killed with SIGKILL while the fuzz goes on: nothing the device was told is stored is lost.
 *
 * The frames come from a seeded generator: a failure names its seed, and FUZZ_SEED=<seed> replays it.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Person } from '../../domain/directory';
import { initRecordDoc } from '../../recordModel/recordDoc';
import { TestDevice, waitFor } from '../support/device';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { storedObservation } from '../support/storedOnServer';
import { frame, frames, RawSyncClient, signInRaw, sleep } from './rawSync';
import * as encoding from 'lib0/encoding';

const TOTAL_FRAMES = 10_000;
const BATCH = 500;
/** The bound this test holds the server to: resident memory at most this much above where it started. */
const MEMORY_BOUND_BYTES = 200 * 1024 * 1024;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  return { next, int, pick, bytes };
}

let server: ServerProcess;
let device: TestDevice;
let recordId: string;
const sockets: RawSyncClient[] = [];

function residentBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

beforeAll(async () => {
  server = await startServerProcess({ env: { FIELDNOTES_STATIC_DIR: '' } });
  device = await TestDevice.signIn(server.url, 'tm.okafor', 'fuzz-witness');
  await device.goOnline();
  recordId = await device.createObservation({ childId: 'FUZZ0', strengths: 'Written before the fuzz.' });
  await device.waitUntilAllSent();
}, 60_000);

afterAll(async () => {
  sockets.splice(0).forEach((s) => s.terminate());
  device?.goOffline();
  await server?.stop();
});

it(`survives ${TOTAL_FRAMES.toLocaleString('en-GB')} random and mutated frames in every connection state, and a kill -9 during them loses nothing stored`, async () => {
  console.log(`Fuzz seed: ${SEED} (FUZZ_SEED=${SEED} replays this run)`);
  const random = generator(SEED);
  const record = `observation/${recordId}`;
  const okafor = await signInRaw(server.url, 'tm.okafor');
  const patel = await signInRaw(server.url, 'hos.patel');
  const brown = await signInRaw(server.url, 'sw.brown');
  const leaver = await signInRaw(server.url, 'sw.ahmed');
  const ownDoc = `observation/${crypto.randomUUID()}`;

  /** Sockets in each state, reopened whenever the server closes one (as it should, for much of this). */
  type State = 'unauthenticated' | 'refused' | 'read-only' | 'read-write' | 'signed-out';
  const states: State[] = ['unauthenticated', 'refused', 'read-only', 'read-write', 'signed-out'];
  const open = new Map<State, RawSyncClient>();
  async function socketFor(state: State): Promise<RawSyncClient> {
    const existing = open.get(state);
    if (existing && !existing.closedWith) return existing;
    const client = await RawSyncClient.connect(server.url, `fuzz-${state}`);
    sockets.push(client);
    if (state === 'refused') client.send(frames.auth(record, brown.token));
    if (state === 'read-only') client.send(frames.auth(record, patel.token));
    if (state === 'read-write') {
      client.send(frames.auth(record, okafor.token));
      client.send(frames.auth(ownDoc, okafor.token));
    }
    if (state === 'signed-out') client.send(frames.auth(record, leaver.token));
    open.set(state, client);
    return client;
  }
  // The leaver signs out straight away: their socket is "after sign-out" from here on.
  await socketFor('signed-out');
  await fetch(`${server.url}/api/sign-out`, { method: 'POST', headers: { Authorization: `Bearer ${leaver.token}` } });

  // Valid material to mutate: real updates, awareness, requests.
  const base = new Y.Doc();
  initRecordDoc(base, { id: crypto.randomUUID(), kind: 'observation', status: 'draft', createdAt: new Date().toISOString(), authorId: okafor.user.id, authorName: okafor.user.displayName, authorTeamId: (okafor.user as Person).teamId });
  const validUpdates: Uint8Array[] = [];
  for (let i = 0; i < 20; i++) {
    const before = Y.encodeStateVector(base);
    if (i % 3 === 0) base.getText('strengths').insert(0, `fuzz ${i} `);
    else if (i % 3 === 1) base.getMap('fields').set('childId', `F${i}`);
    else base.getMap('reflection').set('text', 'forged');
    validUpdates.push(Y.encodeStateAsUpdate(base, before));
  }
  const docs = [record, ownDoc, `inbox/${okafor.user.id}`, `inbox/${brown.user.id}`, 'observation/not-a-uuid', '', 'x'.repeat(300), `review/${crypto.randomUUID()}`];
  const tokens = [okafor.token, patel.token, brown.token, leaver.token, '', 'not-a-token', 'x'.repeat(5000)];

  function validFrame(): Uint8Array {
    const doc = random.pick(docs);
    switch (random.int(10)) {
      case 0:
        return frames.step1(doc, random.int(2) ? Y.encodeStateVector(base) : random.bytes(random.int(20)));
      case 1:
        return frames.step2(doc, random.pick(validUpdates));
      case 2:
        return frames.update(doc, random.pick(validUpdates));
      case 3:
        return frames.awareness(doc, [{ clientId: random.int(1e6), clock: random.int(10), state: random.pick([null, {}, { userId: okafor.user.id, name: okafor.user.displayName, field: 'x' }, { userId: 'forged', name: 'Forged' }, 'text', [1, 2]]) }]);
      case 4:
        return frames.auth(doc, random.pick(tokens));
      case 5:
        return frames.stateless(doc, random.pick(['null', '{"type":"stored?"}', '{"type":null}', '[]', '{', JSON.stringify({ type: 'stored?', x: 'y'.repeat(1000) })]));
      case 6:
        return frames.broadcast(doc, JSON.stringify({ type: 'stored', sv: 'AAAA', ds: 'AAA=' }));
      case 7:
        return frames.queryAwareness(doc);
      case 8:
        return frames.close(doc);
      default:
        // A message type nobody defined, with random bytes after it.
        return frame(doc, (e) => {
          encoding.writeVarUint(e, 9 + random.int(200));
          encoding.writeUint8Array(e, random.bytes(random.int(64)));
        });
    }
  }

  function mutate(bytes: Uint8Array): Uint8Array {
    const copy = Uint8Array.from(bytes);
    switch (random.int(5)) {
      case 0: // flip bits
        for (let i = 0; i < 1 + random.int(4) && copy.length > 0; i++) copy[random.int(copy.length)]! ^= 1 << random.int(8);
        return copy;
      case 1: // truncate
        return copy.slice(0, random.int(copy.length + 1));
      case 2: // extend with noise
        return Uint8Array.from([...copy, ...random.bytes(1 + random.int(64))]);
      case 3: // splice in a large varint
        return Uint8Array.from([...copy.slice(0, random.int(copy.length + 1)), 0xff, 0xff, 0xff, 0xff, 0x0f, ...copy.slice(random.int(copy.length + 1))]);
      default: // pure noise
        return random.bytes(random.int(200));
    }
  }

  const startMemory = residentBytes(server.pid());
  let peakMemory = startMemory;
  let sent = 0;
  let killed = false;
  let edits = 0;
  const expectedStored = { childId: 'FUZZ0' };

  while (sent < TOTAL_FRAMES) {
    for (let i = 0; i < BATCH; i++, sent++) {
      const client = await socketFor(random.pick(states));
      const bytes = random.int(3) === 0 ? validFrame() : mutate(validFrame());
      client.send(bytes);
      if (i % 50 === 0) await sleep(1); // let the server read
    }
    // After every batch: alive, a legitimate edit round-trips, what is stored is intact, memory bounded.
    const health = await fetch(`${server.url}/api/health`);
    expect(health.ok, `the server answers after ${sent} frames (seed ${SEED})`).toBe(true);
    edits++;
    await device.edit(recordId, { childId: `FUZZ${edits}` });
    await device.waitUntilAllSent(30_000);
    expectedStored.childId = `FUZZ${edits}`;
    const stored = await storedObservation(server.dataDir, recordId);
    expect(stored.values, `the record is intact after ${sent} frames (seed ${SEED})`).toMatchObject({ childId: expectedStored.childId, strengths: 'Written before the fuzz.' });
    expect(stored.meta?.status).toBe('draft');
    const memory = residentBytes(server.pid());
    peakMemory = Math.max(peakMemory, memory);
    expect(memory - startMemory, `resident memory after ${sent} frames (seed ${SEED})`).toBeLessThan(MEMORY_BOUND_BYTES);

    if (!killed && sent >= TOTAL_FRAMES / 2) {
      // Crash it mid-fuzz, the instant the device has been told its last edit is stored.
      killed = true;
      for (let i = 0; i < 100; i++) (await socketFor(random.pick(states))).send(mutate(validFrame()));
      await server.kill9();
      sockets.splice(0).forEach((s) => s.terminate());
      open.clear();
      device.goOffline();
      await server.restart();
      const afterCrash = await storedObservation(server.dataDir, recordId);
      expect(afterCrash.values, 'everything the device was told is stored survives kill -9').toMatchObject(expectedStored);
      await device.goOnline();
      await waitFor('the device to reconnect', () => device.manager!.getStatus().connection === 'online', 30_000);
    }
  }
  console.log(
    `Fuzzed ${sent} frames (seed ${SEED}); resident memory ${(startMemory / 2 ** 20).toFixed(0)} MiB at start, peak ${(peakMemory / 2 ** 20).toFixed(0)} MiB (bound: +${MEMORY_BOUND_BYTES / 2 ** 20} MiB); ${edits} legitimate edits round-tripped.`,
  );
  expect(killed).toBe(true);
}, 600_000);
