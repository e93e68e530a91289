/**
 * Backups and restore (issue 19): a backup taken while devices write holds everything stored before it
 * began; after a restore, devices send again what the backup lacks; a damaged database is refused at start.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { backupTo, checkBackup, restoreFrom } from '../../sync-server/backup';
import { DatabaseRefused, openDatabase } from '../../sync-server/database';
import { SqliteDocumentStore } from '../../sync-server/persistence/sqliteStore';
import { startServer, type RunningServer } from '../../sync-server/server';
import { TestDevice, waitFor } from '../support/device';
import { makeDataDir, startServerProcess } from '../support/serverProcess';

const people = ['tm.okafor', 'tm.hughes', 'tm.begum', 'hos.patel', 'qa.green'];
const configFor = (dataDir: string, port = 0) => ({ port, host: '127.0.0.1', dataDir, staticDir: null, seedDemo: true, sessionDays: 1 });

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** These records' stored states in a database file, by name (absent: not stored). */
async function storedStates(file: string, names: string[]): Promise<Map<string, Uint8Array>> {
  const db = openDatabase(path.dirname(file));
  try {
    const store = new SqliteDocumentStore(db);
    const states = new Map<string, Uint8Array>();
    for (const name of names) {
      const state = await store.load(name);
      if (state) states.set(name, state);
    }
    return states;
  } finally {
    db.close();
  }
}

/** Whether everything in `earlier` is also in `later` (applying it changes nothing). */
function contains(later: Uint8Array, earlier: Uint8Array): boolean {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, later);
  const before = Y.encodeStateAsUpdate(doc);
  Y.applyUpdate(doc, earlier);
  return Buffer.compare(Buffer.from(before), Buffer.from(Y.encodeStateAsUpdate(doc))) === 0;
}

describe('backups', () => {
  it('a backup taken while 10 devices write is sound and holds every update stored before it began', async () => {
    const dataDir = makeDataDir();
    const server = await startServer(configFor(dataDir));
    cleanup.push(() => server.close());
    // A database of some thousands of pages (8 MiB), as after months of use, so the copy is not one page's work.
    const filler = 'Words of an older record, kept as they were written. '.repeat(60);
    for (let batch = 0; batch < 10; batch++)
      await Promise.all(
        Array.from({ length: 200 }, () => {
          const doc = new Y.Doc();
          doc.getText('strengths').insert(0, filler);
          return server.store.append(`observation/${randomUUID()}`, Y.encodeStateAsUpdate(doc), { userId: null, deviceId: null, receivedAt: new Date().toISOString() });
        }),
      );
    const devices = await Promise.all(Array.from({ length: 10 }, (_, i) => TestDevice.signIn(server.url, people[i % people.length]!, `writer-${i}`)));
    cleanup.push(() => devices.forEach((d) => d.goOffline()));
    const ids = await Promise.all(devices.map((d, i) => d.createObservation({ childId: `BK${i}`, strengths: 'Start.' })));
    await Promise.all(devices.map((d) => d.goOnline()));
    await Promise.all(devices.map((d) => d.waitUntilAllSent()));

    // Every device keeps typing until told to stop: the backup runs in the middle of it.
    let writing = true;
    let edits = 0;
    const writers = devices.map(async (d, i) => {
      for (let n = 0; writing; n++) {
        await d.edit(ids[i]!, { strengths: `Edit ${n} of device ${i}.`, reflections: `Reflection ${n}.` });
        edits++;
        await new Promise((r) => setTimeout(r, 5));
      }
    });
    await waitFor('devices to be writing', () => edits > 50);

    // What the server has stored (so any proof it sent) just before the backup begins…
    const storedBefore = new Map<string, Uint8Array>();
    for (const id of ids) storedBefore.set(`observation/${id}`, (await server.store.load(`observation/${id}`))!);
    // …then the backup, through a connection of its own, as `npm run admin -- backup` makes.
    const backupFile = path.join(makeDataDir('fieldnotes-backups-'), 'during-writes.sqlite');
    const adminConnection = openDatabase(dataDir);
    const editsBefore = edits;
    const result = await backupTo(adminConnection, backupFile, 'another-process');
    adminConnection.close();
    const editsDuring = edits - editsBefore;
    await waitFor('more edits after the backup', () => edits > editsBefore + 20);
    writing = false;
    await Promise.all(writers);

    expect(result.bytes).toBeGreaterThan(0);
    expect(() => checkBackup(backupFile)).not.toThrow();
    // Restored into a data directory of its own and served: every record holds what was stored before.
    const restoredDir = makeDataDir();
    restoreFrom(backupFile, restoredDir);
    const restored = await storedStates(path.join(restoredDir, 'fieldnotes.sqlite'), [...storedBefore.keys()]);
    for (const [name, state] of storedBefore) {
      expect(restored.has(name), name).toBe(true);
      expect(contains(restored.get(name)!, state), `${name} holds everything stored before the backup`).toBe(true);
    }
    const restoredServer = await startServer(configFor(restoredDir));
    cleanup.push(() => restoredServer.close());
    const reader = await TestDevice.signIn(restoredServer.url, 'tm.okafor', 'reader');
    expect(reader.user.username).toBe('tm.okafor');
    console.log(`backup during ${editsDuring} edits: ${result.bytes} bytes in ${result.ms} ms`);
  });

  it('after a restore, devices send again what the backup lacks, and every device converges', async () => {
    const dataDir = makeDataDir();
    let server: RunningServer = await startServer(configFor(dataDir));
    const port = server.port;
    cleanup.push(() => server.close());
    const tablet = await TestDevice.signIn(server.url, 'tm.okafor', 'tablet');
    cleanup.push(() => tablet.goOffline());
    const kept = await tablet.createObservation({ childId: 'RS1', strengths: 'Written before the backup.' });
    await tablet.goOnline();
    await tablet.waitUntilAllSent();

    const backupFile = path.join(makeDataDir('fieldnotes-backups-'), 'nightly.sqlite');
    await backupTo(server.db, backupFile);

    // After the backup: an edit to the old record and a new record, both proved stored on the server.
    await tablet.edit(kept, { reflections: 'Written after the backup.' });
    const added = await tablet.createObservation({ childId: 'RS2', strengths: 'A record the backup never saw.' });
    await tablet.waitUntilAllSent();
    expect(await tablet.unsentCount()).toBe(0);

    // The disk fails: the server is stopped and restored from the backup.
    tablet.goOffline();
    await server.close();
    const { replaced } = restoreFrom(backupFile, dataDir);
    expect(replaced && fs.existsSync(replaced)).toBeTruthy();
    server = await startServer(configFor(dataDir, port));
    const lost = await server.store.load(`observation/${added}`);
    expect(lost).toBeNull(); // the backup lacks it: only the tablet holds it now

    // The tablet comes back: its state is ahead of the server's, and it sends what is missing.
    await tablet.goOnline();
    const stored = async (id: string) => {
      const state = await server.store.load(`observation/${id}`);
      if (!state) return null;
      const doc = new Y.Doc();
      Y.applyUpdate(doc, state);
      return { strengths: doc.getText('strengths').toString(), reflections: doc.getText('reflections').toString() };
    };
    await waitFor('the edit made after the backup to be stored again', async () => (await stored(kept))?.reflections === 'Written after the backup.', 30_000);
    await waitFor('the record made after the backup to be stored again', async () => (await stored(added))?.strengths === 'A record the backup never saw.', 30_000);

    // Another device of the same person, signed in after the restore, gets both, as written.
    const second = await TestDevice.signIn(server.url, 'tm.okafor', 'second-tablet');
    cleanup.push(() => second.goOffline());
    await second.goOnline();
    await waitFor('the second tablet to have both records', async () => (await second.indexedIds()).length === 2, 30_000);
    await waitFor('the second tablet to converge', async () => (await second.read(kept))?.values.reflections === 'Written after the backup.', 30_000);
    expect((await second.read(added))?.values.strengths).toBe('A record the backup never saw.');
  });

  it('restore refuses while a server is using the data directory, and refuses a damaged backup', async () => {
    const server = await startServerProcess({ env: { FIELDNOTES_STATIC_DIR: '' } });
    cleanup.push(() => server.stop());
    const backupFile = path.join(makeDataDir('fieldnotes-backups-'), 'b.sqlite');
    const db = openDatabase(server.dataDir);
    await backupTo(db, backupFile);
    db.close();
    expect(() => restoreFrom(backupFile, server.dataDir)).toThrow(/A Fieldnotes server \(process \d+\) is using/);
    await server.stop();
    const damagedBackup = path.join(path.dirname(backupFile), 'damaged.sqlite');
    fs.writeFileSync(damagedBackup, Buffer.alloc(8192, 7));
    expect(() => restoreFrom(damagedBackup, server.dataDir)).toThrow(DatabaseRefused);
    expect(restoreFrom(backupFile, server.dataDir).replaced).toBeTruthy();
  });
});

describe('a damaged database', () => {
  it('is refused at start, with what to do', async () => {
    // A database whose pages were overwritten in the middle (a failing disk), served by the real process.
    const dataDir = makeDataDir();
    const first = await startServer(configFor(dataDir));
    await first.close();
    const file = path.join(dataDir, 'fieldnotes.sqlite');
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    // Scribble over every page after the schema's first (the tables' b-tree pages).
    for (let offset = pageSize * 2; offset < bytes.length; offset += pageSize) bytes.fill(0xa5, offset + 8, offset + pageSize);
    fs.writeFileSync(file, bytes);

    await expect(startServer(configFor(dataDir))).rejects.toThrow(/is damaged .*npm run admin -- restore <backup file>/s);
    const refused = await startServerProcess({ dataDir, env: { FIELDNOTES_STATIC_DIR: '' } }).then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/exited with 1/);
    expect(refused).toMatch(/Fieldnotes will not start on it/);
    expect(refused).not.toMatch(/listening on port/);
  });

  it('is refused when it is not a database at all', async () => {
    const dataDir = makeDataDir();
    fs.writeFileSync(path.join(dataDir, 'fieldnotes.sqlite'), Buffer.from('this is not a database, it is a text file that replaced it'.repeat(200)));
    await expect(startServer(configFor(dataDir))).rejects.toThrow(DatabaseRefused);
  });
});
