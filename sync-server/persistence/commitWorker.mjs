// The document store's commit thread (sqliteStore.ts). It holds a second better-sqlite3 connection to the
// same WAL database, with synchronous=FULL, and does the store's writes: a batch of appends in one
// transaction, and compaction. A commit's fsync then blocks this thread, never the server's event loop.
// Plain JavaScript so that it runs as it is under tsx, vitest and Node alike (a worker gets no loader).
//
// Messages in:  { id, type: 'append', rows: [doc, data, bytes, userId, deviceId, receivedAt][] }
//               { id, type: 'compact', name }
// Messages out: { id } when it is on disk, or { id, error } when nothing of it was written.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import * as Y from 'yjs';

const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
// FULL: a transaction is on disk when it commits, so "stored" means stored even after a power cut.
db.pragma('synchronous = FULL');
// The main connection writes other tables (people, commands, the audit log): wait for it, here, off the loop.
db.pragma('busy_timeout = 10000');

const statements = {
  append: db.prepare('INSERT INTO doc_updates (doc, data, bytes, user_id, device_id, received_at) VALUES (?, ?, ?, ?, ?, ?)'),
  snapshot: db.prepare('SELECT data, last_update_id FROM doc_snapshots WHERE doc = ?'),
  updatesAfter: db.prepare('SELECT id, data FROM doc_updates WHERE doc = ? AND id > ? AND data IS NOT NULL ORDER BY id'),
  saveSnapshot: db.prepare(
    `INSERT INTO doc_snapshots (doc, data, last_update_id) VALUES (?, ?, ?)
     ON CONFLICT(doc) DO UPDATE SET data = excluded.data, last_update_id = excluded.last_update_id`,
  ),
  dropCompacted: db.prepare('UPDATE doc_updates SET data = NULL WHERE doc = ? AND id <= ?'),
};

const appendAll = db.transaction((rows) => {
  for (const [doc, data, bytes, userId, deviceId, receivedAt] of rows) statements.append.run(doc, Buffer.from(data.buffer, data.byteOffset, data.byteLength), bytes, userId, deviceId, receivedAt);
});

const compact = db.transaction((name) => {
  const snapshot = statements.snapshot.get(name);
  const updates = statements.updatesAfter.all(name, snapshot?.last_update_id ?? 0);
  const parts = [...(snapshot ? [snapshot.data] : []), ...updates.map((u) => u.data)].map((b) => new Uint8Array(b));
  if (parts.length <= 1) return;
  const lastId = updates.at(-1)?.id ?? snapshot?.last_update_id ?? 0;
  statements.saveSnapshot.run(name, Buffer.from(Y.mergeUpdates(parts)), lastId);
  statements.dropCompacted.run(name, lastId);
});

parentPort.on('message', (message) => {
  if (message.type === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    if (message.type === 'append') appendAll(message.rows);
    else if (message.type === 'compact') compact(message.name);
    parentPort.postMessage({ id: message.id });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
});
