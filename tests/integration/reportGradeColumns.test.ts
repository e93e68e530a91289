/**
 * Issue 17, item 6: the dashboard counts grade columns of the read model (the grade that counts per field,
 * moderation's moves, whether moderation changed any), which a migration added. A deployment upgraded from
 * before that migration holds record facts without those columns: the migration must fill them from the
 * grades already stored, so the first dashboard after the upgrade shows the same figures as the domain's
 * rules give from every row (Reports.figures, which reads the grades themselves). Checked on a database
 * made by the migrations before it, with awkward grades (missing, not on the scale, moderation agreeing
 * only some fields or none), then opened as the server opens it.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { dateInEngland } from '../../domain/actions';
import { periodContaining, previousPeriod } from '../../domain/periods';
import { reportRoles, withoutRecords } from '../../domain/reports';
import { Access } from '../../sync-server/access';
import { databaseFile, migrate, openDatabase } from '../../sync-server/database';
import { seedDemoOrganisation } from '../../sync-server/demo';
import { Organisation } from '../../sync-server/organisation';
import { Reports } from '../../sync-server/reports';
import { seedRandomFacts } from '../support/randomFacts';
import { makeDataDir } from '../support/serverProcess';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

const columnsOf = (db: Database.Database) => (db.prepare('PRAGMA table_info(record_facts)').all() as { name: string }[]).map((c) => c.name);

it('a database made before the grade columns, once migrated, gives the figures of the grades it holds', async () => {
  const dataDir = makeDataDir();
  dirs.push(dataDir);
  const before = new Database(databaseFile(dataDir));
  migrate(before, 'record_facts_for_reports');
  expect(columnsOf(before)).toContain('grades');
  expect(columnsOf(before)).not.toContain('counted_overallGrade');
  await seedDemoOrganisation(new Organisation(before));

  const today = dateInEngland(new Date());
  seedRandomFacts(before, { seed: 6, records: 800, days: 700, children: 53, consents: ['yes', 'yes', 'no', ''] });
  before.close();

  // Opened as the server opens it: the migrations it has not had are applied.
  const db = openDatabase(dataDir);
  try {
    expect(columnsOf(db)).toContain('counted_overallGrade');
    const graded = db.prepare('SELECT COUNT(*) AS n FROM record_facts WHERE counted_overallGrade IS NOT NULL').get() as { n: number };
    expect(graded.n).toBeGreaterThan(100);
    const organisation = new Organisation(db);
    const reports = new Reports({
      db,
      access: new Access(db),
      now: () => new Date(),
      // The programme's coverage is not part of these figures.
      programme: {
        coverageInputs: () => {
          throw new Error('Not asked for.');
        },
      },
    });
    const readers = (db.prepare('SELECT username, role FROM users').all() as { username: string; role: string }[]).filter((u) => (reportRoles as readonly string[]).includes(u.role));
    expect(readers.length).toBeGreaterThanOrEqual(5);
    const periods = [periodContaining('quarter', today), periodContaining('year', today), previousPeriod(periodContaining('year', today))];
    let moderated = 0;
    for (const reader of readers) {
      const user = organisation.findUserByUsername(reader.username)!;
      for (const period of periods) {
        const query = { period: period.id };
        const reference = withoutRecords(reports.figures(user, query));
        expect(reports.summary(user, query)).toEqual(reference);
        moderated += reference.current.moderation.changed.count;
      }
    }
    // The set exercises moderation's changes, not only grades as given.
    expect(moderated).toBeGreaterThan(0);
  } finally {
    db.close();
  }
}, 60_000);
