/**
 * The SQLite store acknowledges an append only once the WAL holding it has been fsynced (off the event
 * loop, issue 20), and after a failed fsync acknowledges nothing more and serves no load.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { openDatabase, type ServerDatabase } from '../database';
import { GROUP_COMMIT_MS, SqliteDocumentStore } from './sqliteStore';

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

it('appends that follow a commit within the group window wait for its end and are committed together, then acknowledged', async () => {
  const { db, store } = freshStore();
  const held = holdFsyncs();
  // Only the timers are faked: the first commit runs at the end of its turn (setImmediate), the next waits.
  // (vi.waitFor would move the faked clock on: turns are waited for by hand.)
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const until = async (done: () => boolean) => {
    for (let i = 0; i < 10_000 && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
    expect(done()).toBe(true);
  };
  try {
    const rows = () => (db.prepare('SELECT COUNT(*) AS n FROM doc_updates').get() as { n: number }).n;
    const first = settled(store.append('review/a', new Uint8Array([0, 0]), attribution));
    await until(() => held.length === 1);
    held[0]!.finish(null);
    await until(() => first.done);
    // Two more, in turns of their own, inside the window: neither is written yet.
    const second = settled(store.append('review/a', new Uint8Array([0, 0]), attribution));
    await new Promise((resolve) => setImmediate(resolve));
    const third = settled(store.append('review/b', new Uint8Array([0, 0]), attribution));
    await new Promise((resolve) => setImmediate(resolve));
    expect(rows()).toBe(1);
    expect(held).toHaveLength(1);
    // The window ends: one transaction, one fsync for both, and both acknowledged only after it.
    vi.advanceTimersByTime(GROUP_COMMIT_MS);
    expect(rows()).toBe(3);
    await until(() => held.length === 2);
    expect(second.done || third.done).toBe(false);
    held[1]!.finish(null);
    await until(() => second.done && third.done);
    expect([second.error, third.error]).toEqual([null, null]);
  } finally {
    vi.useRealTimers();
  }
});
