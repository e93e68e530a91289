/**
 * Backup of a large database (issue 19): 20,000 observations (each written in three updates, as a device
 * sends a record: created, then two rounds of typing), then `backupTo` — SQLite's online backup plus the
 * integrity check of the copy — timed over a few runs; and the integrity check the server runs at start.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { formLayouts } from '../../domain/kinds';
import { initRecordDoc, setField } from '../../recordModel/recordDoc';
import { backupTo } from '../../sync-server/backup';
import { integrityProblems, openDatabase } from '../../sync-server/database';
import { startServer } from '../../sync-server/server';
import { median } from './stats';

export interface BackupBench {
  records: number;
  updates: number;
  databaseBytes: number;
  backupBytes: number;
  backupMs: number[];
  integrityCheckMs: number;
  fillMs: number;
}

const words = 'the child spoke about school and her friends and what makes a good day at home with her family and the plan we made together'.split(' ');
const prose = (n: number, seed: number) => Array.from({ length: n }, (_, i) => words[(i * 7 + seed) % words.length]).join(' ') + '.';

export async function runBackupBench(records = 20_000, runs = 3): Promise<BackupBench> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-bench-backup-'));
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, staticDir: null, seedDemo: true, sessionDays: 1 });
  const author = server.organisation.findUserByUsername('tm.okafor')!;
  const layout = formLayouts.observation;
  const register = server.db.prepare('INSERT INTO documents (name, kind, author_id, team_id, created_at) VALUES (?, ?, ?, ?, ?)');
  const started = performance.now();
  let updates = 0;
  for (let batch = 0; batch < records; batch += 500) {
    const appends: Promise<void>[] = [];
    server.db.transaction(() => {
      for (let i = batch; i < Math.min(records, batch + 500); i++) {
        const id = randomUUID();
        const name = `observation/${id}`;
        register.run(name, 'observation', author.id, author.teamId ?? null, new Date().toISOString());
        const doc = new Y.Doc();
        const attribution = { userId: author.id, deviceId: 'bench', receivedAt: new Date().toISOString() };
        const edits: (() => void)[] = [
          () => {
            initRecordDoc(doc, { id, kind: 'observation', status: 'draft', createdAt: new Date().toISOString(), authorId: author.id, authorName: 'Bench', authorTeamId: author.teamId ?? '' });
            setField(doc, layout, 'childId', `MOS${String(i).padStart(6, '0')}`);
            setField(doc, layout, 'strengths', prose(60, i));
          },
          () => setField(doc, layout, 'areasForDevelopment', prose(50, i + 1)),
          () => setField(doc, layout, 'reflections', prose(70, i + 2)),
        ];
        for (const edit of edits) {
          const before = Y.encodeStateVector(doc);
          edit();
          appends.push(server.store.append(name, Y.encodeStateAsUpdate(doc, before), attribution));
          updates++;
        }
      }
    })();
    await Promise.all(appends);
  }
  const fillMs = performance.now() - started;
  await server.close();
  const databaseBytes = fs.statSync(path.join(dataDir, 'fieldnotes.sqlite')).size;

  const db = openDatabase(dataDir);
  const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-bench-backups-'));
  const backupMs: number[] = [];
  let backupBytes = 0;
  for (let run = 0; run < runs; run++) {
    const result = await backupTo(db, path.join(backupDir, `run-${run}.sqlite`));
    backupMs.push(result.ms);
    backupBytes = result.bytes;
  }
  const checkStarted = performance.now();
  if (integrityProblems(db).length > 0) throw new Error('The bench database failed its integrity check.');
  const integrityCheckMs = performance.now() - checkStarted;
  db.close();
  fs.rmSync(backupDir, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { records, updates, databaseBytes, backupBytes, backupMs, integrityCheckMs, fillMs };
}

export const describeBackupBench = (b: BackupBench) => {
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return [
    `Database: ${b.records} observations, ${b.updates} stored updates: ${mib(b.databaseBytes)} (filled in ${(b.fillMs / 1000).toFixed(1)} s)`,
    `Backup (online backup + integrity check of the copy): median ${median(b.backupMs).toFixed(0)} ms over ${b.backupMs.length} runs (${b.backupMs.join(', ')} ms); backup file ${mib(b.backupBytes)}`,
    `Integrity check at start (PRAGMA integrity_check on the live database): ${b.integrityCheckMs.toFixed(0)} ms`,
  ].join('\n');
};
