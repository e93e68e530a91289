/**
 * The SQLite store acknowledges an append only once the WAL holding it has been fsynced (off the event
 * loop, issue 20), and after a failed fsync acknowledges nothing more and serves no load.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { openDatabase, type ServerDatabase } from '../database';
import { SqliteDocumentStore } from './sqliteStore';

const attribution = { userId: null, deviceId: null, receivedAt: '2026-01-01T00:00:00.000Z' };
const opened: ServerDatabase[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  opened.splice(0).forEach((db) => db.close());
});

function freshStore() {
  const db = openDatabase(fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-store-')));
  opened.push(db);
  return { db, store: new SqliteDocumentStore(db) };
}

/** Holds every fsync until the test lets it finish (with an error, or not). */
function holdFsyncs() {
  const held: { fd: number; finish(error: NodeJS.ErrnoException | null): void }[] = [];
  vi.spyOn(fs, 'fsync').mockImplementation(((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
    held.push({ fd, finish: callback });
  }) as typeof fs.fsync);
  return held;
}

const settled = (promise: Promise<unknown>) => {
  const state = { done: false, error: null as unknown };
  promise.then(
    () => (state.done = true),
    (error: unknown) => {
      state.done = true;
      state.error = error;
    },
  );
  return state;
};

it('an append resolves only after the WAL file has been fsynced', async () => {
  const { db, store } = freshStore();
  const held = holdFsyncs();
  const append = settled(store.append('review/a', new Uint8Array([0, 0]), attribution));
  await vi.waitFor(() => expect(held).toHaveLength(1));
  // Written, but not acknowledged: the fsync has not finished.
  expect((db.prepare('SELECT COUNT(*) AS n FROM doc_updates').get() as { n: number }).n).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(append.done).toBe(false);
  expect(fs.readlinkSync(`/proc/self/fd/${held[0]!.fd}`)).toBe(`${db.name}-wal`);
  held[0]!.finish(null);
  await vi.waitFor(() => expect(append.done).toBe(true));
  expect(append.error).toBeNull();
});

it('after a failed fsync, the appends it covered and every later one are refused, and loads fail', async () => {
  const { store } = freshStore();
  const held = holdFsyncs();
  const first = settled(store.append('review/a', new Uint8Array([0, 0]), attribution));
  await vi.waitFor(() => expect(held).toHaveLength(1));
  held[0]!.finish(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
  await vi.waitFor(() => expect(first.done).toBe(true));
  expect(first.error).toBeInstanceOf(Error);
  await expect(store.append('review/b', new Uint8Array([0, 0]), attribution)).rejects.toThrow(/restart the server/);
  await expect(store.load('review/a')).rejects.toThrow();
});
