/**
 * The server's own SQLite database (better-sqlite3, WAL): the organisation, people, sign-in sessions,
 * records' registry and access, commands and the audit log. Schema changes are numbered migrations applied in order, once.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { log } from './log';

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
  // Issue 4: line management, the people added to a record, records' state, commands, the audit log, and
  // short-lived access tokens with rotating refresh tokens (old 30-day sessions end: people sign in again).
  `ALTER TABLE users ADD COLUMN manager_id TEXT REFERENCES users(id);
   ALTER TABLE teams ADD COLUMN manager_id TEXT REFERENCES users(id);
   ALTER TABLE documents ADD COLUMN subject_id TEXT REFERENCES users(id);
   ALTER TABLE documents ADD COLUMN status TEXT NOT NULL DEFAULT 'draft';
   ALTER TABLE documents ADD COLUMN completed_at TEXT;
   CREATE TABLE record_participants (
     doc TEXT NOT NULL REFERENCES documents(name),
     user_id TEXT NOT NULL REFERENCES users(id),
     role TEXT NOT NULL,
     added_by TEXT NOT NULL,
     added_at TEXT NOT NULL,
     PRIMARY KEY (doc, user_id)
   );
   CREATE INDEX participants_by_user ON record_participants(user_id);
   CREATE TABLE commands (
     id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     type TEXT NOT NULL,
     doc TEXT,
     received_at TEXT NOT NULL,
     outcome TEXT NOT NULL
   );
   CREATE TABLE audit_log (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     user_id TEXT,
     device_id TEXT,
     action TEXT NOT NULL,
     doc TEXT,
     detail TEXT
   );
   CREATE INDEX audit_by_doc ON audit_log(doc, id);
   CREATE INDEX audit_by_user ON audit_log(user_id, id);
   DROP TABLE sessions;
   CREATE TABLE session_families (
     id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL REFERENCES users(id),
     created_at TEXT NOT NULL,
     revoked_at TEXT,
     revoked_reason TEXT
   );
   CREATE INDEX families_by_user ON session_families(user_id);
   CREATE TABLE session_tokens (
     token_hash TEXT PRIMARY KEY,
     family_id TEXT NOT NULL REFERENCES session_families(id),
     kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
     expires_at TEXT NOT NULL,
     used_at TEXT
   );
   CREATE INDEX tokens_by_family ON session_tokens(family_id);`,
  // Expired tokens are pruned on each renewal: find them without reading the whole table.
  `CREATE INDEX tokens_by_expiry ON session_tokens(expires_at);`,
  // Issue 5: notifications in the app, and immediate concerns about a child's safety raised on a record.
  `CREATE TABLE notifications (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     user_id TEXT NOT NULL REFERENCES users(id),
     at TEXT NOT NULL,
     kind TEXT NOT NULL,
     doc TEXT,
     text TEXT NOT NULL,
     read_at TEXT
   );
   CREATE INDEX notifications_by_user ON notifications(user_id, id);
   CREATE TABLE concerns (
     id TEXT PRIMARY KEY,
     doc TEXT NOT NULL REFERENCES documents(name),
     raised_by TEXT NOT NULL REFERENCES users(id),
     raised_at TEXT NOT NULL,
     text TEXT NOT NULL,
     resolved_by TEXT REFERENCES users(id),
     resolved_at TEXT,
     resolution TEXT
   );
   CREATE INDEX concerns_by_doc ON concerns(doc);
   -- A moderation's review (moderation.ts: moderationIdFor), so access to it follows the review's.
   ALTER TABLE documents ADD COLUMN review_of TEXT;`,
  // Issue 15: actions as the server's own data, with every change kept (action_events); the reviews linked
  // to a follow-up (a dip sample's cases); the team manager's response to a record's findings. The
  // *_told_at columns make the scheduler tell each person once, however often it runs.
  `CREATE TABLE actions (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     doc TEXT NOT NULL REFERENCES documents(name),
     child_id TEXT NOT NULL DEFAULT '',
     what TEXT NOT NULL,
     why TEXT NOT NULL,
     finding TEXT NOT NULL,
     owner_id TEXT NOT NULL REFERENCES users(id),
     due_date TEXT NOT NULL,
     status TEXT NOT NULL,
     done_note TEXT NOT NULL DEFAULT '',
     evidence TEXT NOT NULL DEFAULT '',
     reason TEXT NOT NULL DEFAULT '',
     raised_by TEXT NOT NULL REFERENCES users(id),
     raised_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     rule TEXT NOT NULL DEFAULT '',
     practitioner_id TEXT,
     due_told_at TEXT,
     overdue_told_at TEXT,
     reminded_at TEXT
   );
   CREATE INDEX actions_by_doc ON actions(doc);
   CREATE INDEX actions_by_owner ON actions(owner_id);
   CREATE INDEX actions_by_due ON actions(status, due_date);
   CREATE TABLE action_events (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     action_id TEXT NOT NULL REFERENCES actions(id),
     at TEXT NOT NULL,
     user_id TEXT,
     event TEXT NOT NULL,
     note TEXT NOT NULL DEFAULT ''
   );
   CREATE INDEX action_events_by_action ON action_events(action_id, id);
   CREATE TABLE action_links (
     action_id TEXT NOT NULL REFERENCES actions(id),
     doc TEXT NOT NULL REFERENCES documents(name),
     linked_by TEXT NOT NULL,
     linked_at TEXT NOT NULL,
     PRIMARY KEY (action_id, doc)
   );
   CREATE TABLE finding_responses (
     doc TEXT PRIMARY KEY REFERENCES documents(name),
     user_id TEXT NOT NULL REFERENCES users(id),
     at TEXT NOT NULL,
     text TEXT NOT NULL,
     agreements TEXT NOT NULL
   );`,
  // Issue 19: each restore from a backup is recorded with an id. The changes feed names the latest, so a
  // device that sees a new one sends again every record it holds (the server may lack its newer edits).
  `CREATE TABLE restores (
     id TEXT PRIMARY KEY,
     at TEXT NOT NULL,
     from_file TEXT NOT NULL
   );`,
  // The organisation's own settings (name, protective marking): one row per setting.
  `CREATE TABLE organisation_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // Issue 15 (item 5 and 6): an immediate concern's child, due time, first response and escalation (once:
  // escalated_at is set in the same statement that claims it; escalated_to lists who was told, as JSON),
  // and people's email addresses for what cannot wait.
  `ALTER TABLE concerns ADD COLUMN child_id TEXT NOT NULL DEFAULT '';
   ALTER TABLE concerns ADD COLUMN due_at TEXT;
   ALTER TABLE concerns ADD COLUMN responded_by TEXT REFERENCES users(id);
   ALTER TABLE concerns ADD COLUMN responded_at TEXT;
   ALTER TABLE concerns ADD COLUMN response TEXT;
   ALTER TABLE concerns ADD COLUMN escalated_at TEXT;
   ALTER TABLE concerns ADD COLUMN escalated_to TEXT;
   CREATE INDEX concerns_unanswered ON concerns(due_at) WHERE responded_at IS NULL AND resolved_at IS NULL AND escalated_at IS NULL;
   ALTER TABLE users ADD COLUMN email TEXT;`,
  // Issue 16: the quality assurance programme — expectations and the quarter's schedule (the QA team's data,
  // kept as validated JSON bodies: domain/programme.ts), reviews assigned to people, the facts about
  // finished records that selection and coverage need (a projection written as commands are applied, so
  // neither opens documents one by one), and the day someone left, so coverage expects of them pro rata.
  `ALTER TABLE users ADD COLUMN left_at TEXT;
   CREATE TABLE programme_settings (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL
   );
   CREATE TABLE programme_expectations (
     id TEXT PRIMARY KEY,
     body TEXT NOT NULL,
     position INTEGER NOT NULL,
     updated_by TEXT,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE programme_schedule (
     id TEXT PRIMARY KEY,
     quarter TEXT NOT NULL,
     body TEXT NOT NULL,
     updated_by TEXT,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX schedule_by_quarter ON programme_schedule(quarter);
   CREATE TABLE assignments (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     quarter TEXT NOT NULL,
     child_id TEXT NOT NULL,
     child_name TEXT NOT NULL DEFAULT '',
     practitioner_id TEXT REFERENCES users(id),
     team_id TEXT,
     level_of_need TEXT NOT NULL DEFAULT '',
     reason TEXT NOT NULL DEFAULT '',
     assignee_id TEXT NOT NULL REFERENCES users(id),
     moderator_id TEXT REFERENCES users(id),
     due_date TEXT NOT NULL,
     status TEXT NOT NULL,
     record TEXT,
     assigned_by TEXT NOT NULL REFERENCES users(id),
     assigned_at TEXT NOT NULL,
     done_at TEXT
   );
   CREATE INDEX assignments_by_assignee ON assignments(assignee_id, status);
   CREATE INDEX assignments_by_record ON assignments(record);
   CREATE TABLE record_facts (
     doc TEXT PRIMARY KEY REFERENCES documents(name),
     child_id TEXT NOT NULL DEFAULT '',
     child_name TEXT NOT NULL DEFAULT '',
     level_of_need TEXT NOT NULL DEFAULT '',
     grade TEXT NOT NULL DEFAULT '',
     on_date TEXT NOT NULL
   );
   CREATE INDEX record_facts_by_child ON record_facts(child_id);
   -- A draft its author discarded: kept (nothing is lost, and the audit trail stands), read by nobody.
   CREATE TABLE discarded_records (
     doc TEXT PRIMARY KEY REFERENCES documents(name),
     discarded_by TEXT NOT NULL REFERENCES users(id),
     discarded_at TEXT NOT NULL
   );`,
  // Issue 17: the reports' read model extends the programme's record facts: a review's grades as its
  // reviewers gave them and as moderation agreed them (and when), family feedback's score and consent.
  // Kind, status, team, practitioner and dates are the documents registry's own columns, joined.
  `ALTER TABLE record_facts ADD COLUMN grades TEXT NOT NULL DEFAULT '{}';
   ALTER TABLE record_facts ADD COLUMN agreed TEXT;
   ALTER TABLE record_facts ADD COLUMN moderated_on TEXT;
   ALTER TABLE record_facts ADD COLUMN score INTEGER;
   ALTER TABLE record_facts ADD COLUMN consent TEXT NOT NULL DEFAULT '';
   CREATE INDEX record_facts_by_date ON record_facts(on_date);
   CREATE INDEX record_facts_by_moderation ON record_facts(moderated_on) WHERE moderated_on IS NOT NULL;`,
  // Issue 17: the heads of service's quarterly summaries (summaries.ts): one per service and quarter, which
  // says whose service it is (access.ts reads it) and who submitted it to the leadership team, and when.
  `CREATE TABLE quarterly_summaries (
     doc TEXT PRIMARY KEY REFERENCES documents(name),
     service_id TEXT NOT NULL REFERENCES services(id),
     quarter TEXT NOT NULL,
     quarter_start TEXT NOT NULL,
     started_by TEXT NOT NULL REFERENCES users(id),
     started_at TEXT NOT NULL,
     submitted_by TEXT REFERENCES users(id),
     submitted_at TEXT,
     UNIQUE (service_id, quarter)
   );`,
  // Issue 17, item 6: reports count a year's records joined to the registry under the reading rule; with
  // every column they read in one index, each row's lookup stays in the index (measured: the join of 30,000
  // rows 7× faster), which is what brings an organisation's year under 200 ms.
  `CREATE INDEX documents_for_reports ON documents(name, kind, team_id, author_id, review_of);`,
  // Issue 17, item 6: the grade that counts per field (moderation's agreed one once moderated, the reviewers'
  // before: 0 Inadequate … 3 Outstanding, NULL when not graded on the scale), how moderation moved each field
  // (-1, 0, 1) and whether it changed any, as columns of the read model, so that reports read no JSON. The
  // triggers keep them whenever grades or agreed grades are written (finish, moderation, rebuild, this
  // migration's own backfill below), so they cannot disagree with the JSON they come from. With every column
  // a report reads in one index led by the day, the rows of a period are read without touching the table.
  // `record_kind` is the registry's kind (it never changes: it is in the record's name), copied so that a count
  // can take one kind's rows before joining the registry (named apart from documents.kind: no join is ambiguous).
  // The SQL states the rule of domain/reports.ts gradeThatCounts and periodFigures' moderation figures;
  // tests/integration/reportCounts.test.ts checks they agree, reportGradeColumns.test.ts the backfill.
  `ALTER TABLE record_facts ADD COLUMN counted_assessmentGrade INTEGER;
   ALTER TABLE record_facts ADD COLUMN counted_planningGrade INTEGER;
   ALTER TABLE record_facts ADD COLUMN counted_multiAgencyReviewGrade INTEGER;
   ALTER TABLE record_facts ADD COLUMN counted_voiceOfChildGrade INTEGER;
   ALTER TABLE record_facts ADD COLUMN counted_parentCarerEngagementGrade INTEGER;
   ALTER TABLE record_facts ADD COLUMN counted_managementOversightGrade INTEGER;
   ALTER TABLE record_facts ADD COLUMN counted_caseRecordingGrade INTEGER;
   ALTER TABLE record_facts ADD COLUMN counted_overallGrade INTEGER;
   ALTER TABLE record_facts ADD COLUMN moved_assessmentGrade INTEGER;
   ALTER TABLE record_facts ADD COLUMN moved_planningGrade INTEGER;
   ALTER TABLE record_facts ADD COLUMN moved_multiAgencyReviewGrade INTEGER;
   ALTER TABLE record_facts ADD COLUMN moved_voiceOfChildGrade INTEGER;
   ALTER TABLE record_facts ADD COLUMN moved_parentCarerEngagementGrade INTEGER;
   ALTER TABLE record_facts ADD COLUMN moved_managementOversightGrade INTEGER;
   ALTER TABLE record_facts ADD COLUMN moved_caseRecordingGrade INTEGER;
   ALTER TABLE record_facts ADD COLUMN moved_overallGrade INTEGER;
   ALTER TABLE record_facts ADD COLUMN changed INTEGER;
   ALTER TABLE record_facts ADD COLUMN record_kind TEXT NOT NULL DEFAULT '';
   CREATE TRIGGER record_facts_grades AFTER UPDATE OF grades, agreed ON record_facts BEGIN
     UPDATE record_facts SET
       counted_assessmentGrade = CASE COALESCE(NULLIF(json_extract(NEW.agreed, '$.assessmentGrade'), ''), json_extract(NEW.grades, '$.assessmentGrade')) WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END,
       counted_planningGrade = CASE COALESCE(NULLIF(json_extract(NEW.agreed, '$.planningGrade'), ''), json_extract(NEW.grades, '$.planningGrade')) WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END,
       counted_multiAgencyReviewGrade = CASE COALESCE(NULLIF(json_extract(NEW.agreed, '$.multiAgencyReviewGrade'), ''), json_extract(NEW.grades, '$.multiAgencyReviewGrade')) WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END,
       counted_voiceOfChildGrade = CASE COALESCE(NULLIF(json_extract(NEW.agreed, '$.voiceOfChildGrade'), ''), json_extract(NEW.grades, '$.voiceOfChildGrade')) WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END,
       counted_parentCarerEngagementGrade = CASE COALESCE(NULLIF(json_extract(NEW.agreed, '$.parentCarerEngagementGrade'), ''), json_extract(NEW.grades, '$.parentCarerEngagementGrade')) WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END,
       counted_managementOversightGrade = CASE COALESCE(NULLIF(json_extract(NEW.agreed, '$.managementOversightGrade'), ''), json_extract(NEW.grades, '$.managementOversightGrade')) WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END,
       counted_caseRecordingGrade = CASE COALESCE(NULLIF(json_extract(NEW.agreed, '$.caseRecordingGrade'), ''), json_extract(NEW.grades, '$.caseRecordingGrade')) WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END,
       counted_overallGrade = CASE COALESCE(NULLIF(json_extract(NEW.agreed, '$.overallGrade'), ''), json_extract(NEW.grades, '$.overallGrade')) WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END,
       moved_assessmentGrade = CASE WHEN NEW.agreed IS NOT NULL THEN sign((CASE json_extract(NEW.agreed, '$.assessmentGrade') WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END) - (CASE json_extract(NEW.grades, '$.assessmentGrade') WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END)) END,
       moved_planningGrade = CASE WHEN NEW.agreed IS NOT NULL THEN sign((CASE json_extract(NEW.agreed, '$.planningGrade') WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END) - (CASE json_extract(NEW.grades, '$.planningGrade') WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END)) END,
       moved_multiAgencyReviewGrade = CASE WHEN NEW.agreed IS NOT NULL THEN sign((CASE json_extract(NEW.agreed, '$.multiAgencyReviewGrade') WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END) - (CASE json_extract(NEW.grades, '$.multiAgencyReviewGrade') WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END)) END,
       moved_voiceOfChildGrade = CASE WHEN NEW.agreed IS NOT NULL THEN sign((CASE json_extract(NEW.agreed, '$.voiceOfChildGrade') WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END) - (CASE json_extract(NEW.grades, '$.voiceOfChildGrade') WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END)) END,
       moved_parentCarerEngagementGrade = CASE WHEN NEW.agreed IS NOT NULL THEN sign((CASE json_extract(NEW.agreed, '$.parentCarerEngagementGrade') WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END) - (CASE json_extract(NEW.grades, '$.parentCarerEngagementGrade') WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END)) END,
       moved_managementOversightGrade = CASE WHEN NEW.agreed IS NOT NULL THEN sign((CASE json_extract(NEW.agreed, '$.managementOversightGrade') WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END) - (CASE json_extract(NEW.grades, '$.managementOversightGrade') WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END)) END,
       moved_caseRecordingGrade = CASE WHEN NEW.agreed IS NOT NULL THEN sign((CASE json_extract(NEW.agreed, '$.caseRecordingGrade') WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END) - (CASE json_extract(NEW.grades, '$.caseRecordingGrade') WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END)) END,
       moved_overallGrade = CASE WHEN NEW.agreed IS NOT NULL THEN sign((CASE json_extract(NEW.agreed, '$.overallGrade') WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END) - (CASE json_extract(NEW.grades, '$.overallGrade') WHEN 'inadequate' THEN 0 WHEN 'requires-improvement' THEN 1 WHEN 'good' THEN 2 WHEN 'outstanding' THEN 3 END)) END,
       changed = CASE WHEN NEW.agreed IS NOT NULL THEN (COALESCE(json_extract(NEW.agreed, '$.assessmentGrade'), '') != COALESCE(json_extract(NEW.grades, '$.assessmentGrade'), '')
         OR COALESCE(json_extract(NEW.agreed, '$.planningGrade'), '') != COALESCE(json_extract(NEW.grades, '$.planningGrade'), '')
         OR COALESCE(json_extract(NEW.agreed, '$.multiAgencyReviewGrade'), '') != COALESCE(json_extract(NEW.grades, '$.multiAgencyReviewGrade'), '')
         OR COALESCE(json_extract(NEW.agreed, '$.voiceOfChildGrade'), '') != COALESCE(json_extract(NEW.grades, '$.voiceOfChildGrade'), '')
         OR COALESCE(json_extract(NEW.agreed, '$.parentCarerEngagementGrade'), '') != COALESCE(json_extract(NEW.grades, '$.parentCarerEngagementGrade'), '')
         OR COALESCE(json_extract(NEW.agreed, '$.managementOversightGrade'), '') != COALESCE(json_extract(NEW.grades, '$.managementOversightGrade'), '')
         OR COALESCE(json_extract(NEW.agreed, '$.caseRecordingGrade'), '') != COALESCE(json_extract(NEW.grades, '$.caseRecordingGrade'), '')
         OR COALESCE(json_extract(NEW.agreed, '$.overallGrade'), '') != COALESCE(json_extract(NEW.grades, '$.overallGrade'), '')) END
     WHERE doc = NEW.doc;
   END;
   CREATE TRIGGER record_facts_grades_of_new AFTER INSERT ON record_facts BEGIN
     UPDATE record_facts SET grades = grades, record_kind = COALESCE((SELECT d.kind FROM documents d WHERE d.name = NEW.doc), '') WHERE doc = NEW.doc;
   END;
   UPDATE record_facts SET grades = grades, record_kind = COALESCE((SELECT d.kind FROM documents d WHERE d.name = record_facts.doc), '');
   CREATE INDEX record_facts_for_reports ON record_facts(on_date, record_kind, doc, moderated_on, consent, score,
     counted_assessmentGrade, counted_planningGrade, counted_multiAgencyReviewGrade, counted_voiceOfChildGrade, counted_parentCarerEngagementGrade, counted_managementOversightGrade, counted_caseRecordingGrade, counted_overallGrade, moved_assessmentGrade, moved_planningGrade, moved_multiAgencyReviewGrade, moved_voiceOfChildGrade, moved_parentCarerEngagementGrade, moved_managementOversightGrade, moved_caseRecordingGrade, moved_overallGrade, changed);`,
];

/**
 * The database holds what social workers wrote about children: only the account the server runs as may
 * read it. The directory is made 0700 and the database, its write-ahead log and shared-memory file 0600
 * (SQLite gives the -wal and -shm files the database file's mode), and both are tightened on every start
 * in case an older version or a copy left them readable by others.
 */
const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

/** The database could not be used as it is: the message says what to do. */
export class DatabaseRefused extends Error {}

export const databaseFile = (dataDir: string) => path.join(dataDir, 'fieldnotes.sqlite');

const damaged = (file: string, detail: string) =>
  new DatabaseRefused(
    `The database ${file} is damaged (${detail}). Fieldnotes will not start on it, so that nothing is written over ` +
      'what can still be recovered. Restore the latest good backup: stop the server, run ' +
      '"npm run admin -- restore <backup file>" (it keeps the damaged file beside it), then start the server. Devices ' +
      'send again everything they hold that the backup lacks.',
  );

/** PRAGMA integrity_check's findings, or [] when the database is sound. */
export function integrityProblems(db: Database.Database): string[] {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  return rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
}

/**
 * Opens the server's database. With `checkIntegrity` (the server's start) a damaged file is refused with a
 * message saying what to do, rather than served until some page of it fails under a device's update.
 */
export function openDatabase(dataDir: string, options: { checkIntegrity?: boolean } = {}): ServerDatabase {
  const file = databaseFile(dataDir);
  try {
    return openDatabaseFile(dataDir, file, options.checkIntegrity ?? false);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw damaged(file, (error as Error).message);
    throw error;
  }
}

function openDatabaseFile(dataDir: string, file: string, checkIntegrity: boolean): ServerDatabase {
  fs.mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR });
  try {
    fs.chmodSync(dataDir, PRIVATE_DIR);
  } catch (error) {
    // A directory this account does not own (chosen by the operator): the files inside are still private.
    log.warn(`Could not make ${dataDir} private to this account (${(error as Error).message}); check who can read it.`);
  }
  // Created private before SQLite opens it, so it is never readable by others, not even for a moment.
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE));
  for (const existing of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) if (fs.existsSync(existing)) fs.chmodSync(existing, PRIVATE_FILE);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // FULL: a transaction is on disk when it commits, so "stored" means stored even after a power cut.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  if (checkIntegrity) {
    const problems = integrityProblems(db);
    if (problems.length > 0) {
      db.close();
      throw damaged(file, problems.slice(0, 3).join('; '));
    }
  }
  migrate(db);
  // Made by SQLite with the database file's mode; checked, not assumed.
  for (const sidecar of [`${file}-wal`, `${file}-shm`]) if (fs.existsSync(sidecar) && (fs.statSync(sidecar).mode & 0o077) !== 0) fs.chmodSync(sidecar, PRIVATE_FILE);
  return db;
}

/**
 * Runs a write whose commit does not fsync (synchronous=NORMAL), then puts the connection back to FULL, its
 * setting for every other write. For writes the caller makes durable itself (the store's appends, fsynced off
 * the event loop) or that a later FULL commit on the same connection makes durable with it. Inside a
 * transaction someone else opened (the demo's year of records is made in one) the level cannot change and
 * nothing commits here anyway: it is durable when that transaction commits, under FULL.
 */
export function withoutSyncAtCommit(db: ServerDatabase, write: () => void): void {
  if (db.inTransaction) {
    write();
    return;
  }
  db.pragma('synchronous = NORMAL');
  try {
    write();
  } finally {
    db.pragma('synchronous = FULL');
  }
}

/**
 * Applies, in order, the migrations a database has not had. `stopBefore` is for tests of a migration: the
 * database is left as it was before the first migration whose SQL contains that text.
 */
export function migrate(db: ServerDatabase, stopBefore?: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const stop = stopBefore === undefined ? -1 : migrations.findIndex((m) => m.includes(stopBefore));
  if (stopBefore !== undefined && stop < 0) throw new Error(`No migration contains ${stopBefore}.`);
  for (let version = current; version < (stop < 0 ? migrations.length : stop); version++) {
    db.transaction(() => {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
