/**
 * Backups and restore of the server's database.
 *
 * A backup is SQLite's online backup (better-sqlite3's `db.backup()`): a consistent copy of the database as
 * of one moment, taken page by page while the server goes on writing (WAL: readers and the backup never block
 * the writer; a page changed by another connection mid-way makes SQLite start that copy again). Each copy is
 * written beside its final name, checked with `PRAGMA integrity_check`, and only then renamed into place, so
 * a file with a backup's name is always a whole, checked backup.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { databaseFile, DatabaseRefused, integrityProblems, openDatabase, type ServerDatabase } from './database';
import type { Logger } from './log';
import { runningServer } from './serverLock';

export interface BackupResult {
  file: string;
  bytes: number;
  ms: number;
}

/**
 * Copies the open database to `file` (consistently, while it is in use), checks the copy, and returns its size.
 *
 * `from`: 'server' (the server's own connection: writes made through it meanwhile are carried into the copy,
 * so it copies in steps of 100 pages and the server keeps answering between them) or 'another-process' (the
 * admin command: a change made by the server's connection would start a stepped copy again, and a busy server
 * could keep restarting it, so it copies every page in one step, from one read snapshot; under WAL the
 * server's writes go on meanwhile).
 */
export async function backupTo(db: ServerDatabase, file: string, from: 'server' | 'another-process' = 'server'): Promise<BackupResult> {
  const started = performance.now();
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  const partial = `${target}.partial-${process.pid}`;
  try {
    fs.closeSync(fs.openSync(partial, 'w', 0o600)); // private from the first byte: it holds what the database holds
    await db.backup(partial, { progress: () => (from === 'another-process' ? 0x7fffffff : 100) });
    // The copy carries the live database's WAL mode; a backup is one self-contained file, so it is switched
    // to a rollback journal (nothing is pending in a fresh copy) before it is checked and put in place.
    const copy = new Database(partial, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    checkBackup(partial);
    fs.renameSync(partial, target);
  } finally {
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(partial + suffix, { force: true });
  }
  return { file: target, bytes: fs.statSync(target).size, ms: Math.round(performance.now() - started) };
}

/** Throws unless `file` is a sound SQLite database (integrity_check answers "ok"). */
export function checkBackup(file: string): void {
  let copy: Database.Database;
  try {
    copy = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new DatabaseRefused(`${file} cannot be opened as a database: ${(error as Error).message}`);
  }
  try {
    const problems = integrityProblems(copy);
    if (problems.length > 0) throw new DatabaseRefused(`${file} failed its integrity check: ${problems.slice(0, 3).join('; ')}`);
  } catch (error) {
    if (error instanceof DatabaseRefused) throw error;
    throw new DatabaseRefused(`${file} is not a sound database: ${(error as Error).message}`);
  } finally {
    copy.close();
  }
}

const BACKUP_NAME = /^fieldnotes-\d{8}T\d{6}Z\.sqlite$/;
const stamp = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

/**
 * Takes a backup into `dir` every `everyMinutes`, keeping the newest `keep`; each is checked and logged
 * (file, size, time taken), and a failure is logged as an error and tried again next time.
 */
export function scheduleBackups(db: ServerDatabase, options: { dir: string; everyMinutes: number; keep: number; log: Logger }): { runNow(): Promise<BackupResult | null>; stop(): void } {
  const { dir, keep, log } = options;
  let running: Promise<BackupResult | null> | null = null;
  const runNow = () =>
    (running ??= (async () => {
      try {
        const result = await backupTo(db, path.join(dir, `fieldnotes-${stamp(new Date())}.sqlite`));
        const removed = pruneBackups(dir, keep);
        log.info({ backup: result.file, bytes: result.bytes, ms: result.ms, integrity: 'ok', removed }, 'Backup taken and checked.');
        return result;
      } catch (error) {
        log.error({ err: error, dir }, 'The scheduled backup failed; it is tried again at the next interval.');
        return null;
      } finally {
        running = null;
      }
    })());
  const timer = setInterval(() => void runNow(), options.everyMinutes * 60 * 1000);
  timer.unref();
  return { runNow, stop: () => clearInterval(timer) };
}

/** Removes all but the newest `keep` scheduled backups in `dir` (only files named as they name them). */
export function pruneBackups(dir: string, keep: number): string[] {
  const backups = fs.readdirSync(dir).filter((name) => BACKUP_NAME.test(name)).sort();
  const old = backups.slice(0, Math.max(0, backups.length - keep));
  for (const name of old) fs.rmSync(path.join(dir, name));
  return old;
}

/**
 * Puts a backup in place as the database of a stopped server. Refuses while a server is using the data
 * directory, and refuses a backup that fails its integrity check. The database it replaces (and its
 * write-ahead log, which belongs to it and would corrupt the restored file) is kept beside it, renamed, never
 * deleted. The restore is recorded in the restored database, so devices learn of it and send what they hold.
 */
export function restoreFrom(backupFile: string, dataDir: string, now = new Date()): { replaced: string | null; restoreId: string } {
  const source = path.resolve(backupFile);
  if (!fs.existsSync(source)) throw new DatabaseRefused(`There is no backup at ${source}.`);
  const pid = runningServer(dataDir);
  if (pid !== null)
    throw new DatabaseRefused(
      `A Fieldnotes server (process ${pid}) is using ${dataDir}. Stop it first (e.g. "systemctl stop fieldnotes"), then restore. ` +
        `If you are sure no server is running, delete ${path.join(dataDir, 'server.pid')} and try again.`,
    );
  checkBackup(source);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = databaseFile(dataDir);
  let replaced: string | null = null;
  if (fs.existsSync(file)) {
    replaced = `${file}.before-restore-${stamp(now)}`;
    for (const suffix of ['', '-wal', '-shm']) if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, replaced + suffix);
  }
  const partial = `${file}.restoring`;
  fs.copyFileSync(source, partial);
  fs.chmodSync(partial, 0o600);
  fs.renameSync(partial, file);
  const restoreId = randomUUID();
  const db = openDatabase(dataDir); // brings an older backup's schema up to date
  try {
    db.prepare('INSERT INTO restores (id, at, from_file) VALUES (?, ?, ?)').run(restoreId, now.toISOString(), path.basename(source));
  } finally {
    db.close();
  }
  return { replaced, restoreId };
}

/** The id of the latest restore of this database, or '' if it was never restored. */
export function latestRestore(db: ServerDatabase): string {
  const row = db.prepare('SELECT id FROM restores ORDER BY at DESC, rowid DESC LIMIT 1').get() as { id: string } | undefined;
  return row?.id ?? '';
}
