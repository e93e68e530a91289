/**
 * The server's own SQLite database (better-sqlite3, WAL): the organisation, people and sign-in
 * sessions. Schema changes are numbered migrations applied in order, once.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

export type ServerDatabase = Database.Database;

const migrations: string[] = [
  `CREATE TABLE services (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL UNIQUE
   );
   CREATE TABLE teams (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL UNIQUE,
     service_id TEXT NOT NULL REFERENCES services(id)
   );
   CREATE TABLE users (
     id TEXT PRIMARY KEY,
     username TEXT NOT NULL UNIQUE COLLATE NOCASE,
     display_name TEXT NOT NULL,
     role TEXT NOT NULL,
     team_id TEXT REFERENCES teams(id),
     service_id TEXT REFERENCES services(id),
     password_hash TEXT NOT NULL,
     active INTEGER NOT NULL DEFAULT 1,
     created_at TEXT NOT NULL
   );
   CREATE TABLE sessions (
     token_hash TEXT PRIMARY KEY,
     user_id TEXT NOT NULL REFERENCES users(id),
     created_at TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     revoked_at TEXT
   );
   CREATE INDEX sessions_by_user ON sessions(user_id);`,
  // Records' Yjs documents: every update as received (attributed), snapshots from compaction, and the
  // server's own registry of who each record belongs to — access is decided from this, never from the document.
  `CREATE TABLE doc_updates (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     doc TEXT NOT NULL,
     data BLOB,
     bytes INTEGER NOT NULL,
     user_id TEXT,
     received_at TEXT NOT NULL
   );
   CREATE INDEX doc_updates_by_doc ON doc_updates(doc, id);
   CREATE TABLE doc_snapshots (
     doc TEXT PRIMARY KEY,
     data BLOB NOT NULL,
     last_update_id INTEGER NOT NULL
   );
   CREATE TABLE documents (
     name TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     author_id TEXT NOT NULL REFERENCES users(id),
     team_id TEXT,
     created_at TEXT NOT NULL
   );
   CREATE INDEX documents_by_team ON documents(team_id);`,
  // Which device each update came from (the audit trail, and so a device is not told of its own changes).
  `ALTER TABLE doc_updates ADD COLUMN device_id TEXT;`,
];

export function openDatabase(dataDir: string): ServerDatabase {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'fieldnotes.sqlite'));
  db.pragma('journal_mode = WAL');
  // FULL: a transaction is on disk when it commits, so "stored" means stored even after a power cut.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

function migrate(db: ServerDatabase): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
