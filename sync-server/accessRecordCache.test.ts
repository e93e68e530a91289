/**
 * Access keeps records' registry rows in memory (issue 20: the live write check reads one per update). What
 * it hands out must always be the committed row: a change made by any statement on the server's connection
 * shows at once, and a change rolled back never shows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Access } from './access';
import { openDatabase, type ServerDatabase } from './database';

const opened: ServerDatabase[] = [];
afterEach(() => opened.splice(0).forEach((db) => db.close()));

function freshAccess() {
  const db = openDatabase(fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-access-')));
  opened.push(db);
  db.pragma('foreign_keys = OFF'); // no people needed: only the registry's rows matter here
  const author = { id: 'tm.okafor', teamId: 'team-1' };
  const name = 'review/5d0c9b1e-0000-4000-8000-000000000001';
  db.prepare("INSERT INTO documents (name, kind, author_id, team_id, created_at) VALUES (?, 'review', ?, ?, ?)").run(name, author.id, author.teamId, new Date().toISOString());
  return { db, access: new Access(db), name };
}

it('a status changed by any statement on the connection is seen at once, by every Access on it', () => {
  const { db, access, name } = freshAccess();
  const other = new Access(db);
  expect(access.record(name)?.status).toBe('draft');
  expect(other.record(name)?.status).toBe('draft');
  // As commands.ts completes a record: its own SQL, not through Access.
  db.prepare("UPDATE documents SET status = 'submitted', completed_at = ? WHERE name = ?").run(new Date().toISOString(), name);
  expect(access.record(name)?.status).toBe('submitted');
  expect(other.record(name)?.status).toBe('submitted');
});

it('a change rolled back is never handed out, even if read inside its transaction', () => {
  const { db, access, name } = freshAccess();
  expect(access.record(name)?.status).toBe('draft');
  expect(() =>
    db.transaction(() => {
      db.prepare("UPDATE documents SET status = 'submitted' WHERE name = ?").run(name);
      expect(access.record(name)?.status).toBe('submitted');
      throw new Error('the command failed');
    })(),
  ).toThrow('the command failed');
  expect(access.record(name)?.status).toBe('draft');
});

it('a record registered after it was asked for (and not found) is found', () => {
  const { db, access } = freshAccess();
  const name = 'review/5d0c9b1e-0000-4000-8000-000000000002';
  expect(access.record(name)).toBeNull();
  const author = { id: 'tm.okafor' };
  db.prepare("INSERT INTO documents (name, kind, author_id, team_id, created_at) VALUES (?, 'review', ?, NULL, ?)").run(name, author.id, new Date().toISOString());
  expect(access.record(name)?.status).toBe('draft');
});
