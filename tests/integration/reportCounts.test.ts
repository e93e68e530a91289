/**
 * Issue 17, item 6: the dashboard counts in SQL (sync-server/reportCounts.ts) and must give exactly the
 * figures the domain's rules give (domain/reports.ts periodFigures and trendFigures, run on every row
 * fetched). Checked on a random set (a fixed seed, so a failure can be replayed) with every awkward case
 * the read model can hold: grades missing or not on the scale, moderation agreeing only some fields,
 * feedback without consent or without a score, records with no team, moderation in another period than
 * the review — for every role with reports, over months, quarters, half-years and years, scoped or not.
 */
import { randomUUID } from 'node:crypto';
import { expect, it, vi } from 'vitest';
import { dateInEngland } from '../../domain/actions';
import { addDaysTo, periodContaining, previousPeriod } from '../../domain/periods';
import { figureAt, reportGradeFields, reportRoles, withoutRecords, type Figure, type ReportFigures } from '../../domain/reports';
import { useTestServer } from '../support/testServer';

// Starting a server with the demo organisation can take longer than the default hook time on a busy machine.
vi.setConfig({ hookTimeout: 60_000 });
const testServer = useTestServer();
const server = () => testServer.server();

/** mulberry32: a small seeded generator, so the set is the same on every run. */
function seeded(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every figure in the figures, by path. */
function figurePaths(value: unknown, at = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  const f = value as Partial<Figure>;
  if (typeof f.count === 'number' && Array.isArray(f.records)) return [at];
  return Object.entries(value).flatMap(([k, v]) => figurePaths(v, at ? `${at}.${k}` : k));
}

it('counts in SQL exactly what the domain counts from every row, for every reader and scope', async () => {
  const random = seeded(17);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const { db, organisation } = server();
  const users = db.prepare("SELECT id, team_id FROM users WHERE role != 'admin'").all() as { id: string; team_id: string | null }[];
  const teams = (db.prepare('SELECT id FROM teams').all() as { id: string }[]).map((t) => t.id);
  const today = dateInEngland(new Date());
  const gradeValues = ['outstanding', 'good', 'requires-improvement', 'inadequate', 'banana'];
  const someGrades = () => Object.fromEntries(reportGradeFields.flatMap((f) => (random() < 0.85 ? [[f, pick(gradeValues)]] : [])));

  const register = db.prepare('INSERT INTO documents (name, kind, author_id, team_id, subject_id, status, completed_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const fact = db.prepare(
    'INSERT INTO record_facts (doc, child_id, on_date, grades, agreed, moderated_on, score, consent) VALUES (@doc, @child, @on, @grades, @agreed, @moderatedOn, @score, @consent)',
  );
  const action = db.prepare(
    "INSERT INTO actions (id, kind, doc, what, why, finding, owner_id, due_date, status, raised_by, raised_at, updated_at) VALUES (?, 'action', ?, 'Do it', 'Found', 'needs-to-happen', ?, ?, ?, ?, ?, ?)",
  );
  db.transaction(() => {
    for (let i = 0; i < 1500; i++) {
      const kind = pick(['review', 'review', 'observation', 'feedback'] as const);
      const name = `${kind}/${randomUUID()}`;
      const author = pick(users);
      const on = addDaysTo(today, -Math.floor(random() * 800));
      const team = random() < 0.05 ? null : pick(teams);
      const moderatedOn = kind === 'review' && random() < 0.5 ? addDaysTo(on, Math.floor(random() * 120)) : null;
      register.run(name, kind, author.id, team, kind === 'feedback' ? null : pick(users).id, kind === 'review' ? (moderatedOn ? 'moderated' : 'submitted') : 'complete', `${on}T12:00:00.000Z`, `${on}T09:00:00.000Z`);
      fact.run({
        doc: name,
        child: `C${i % 97}`,
        on,
        grades: JSON.stringify(kind === 'review' ? someGrades() : {}),
        agreed: moderatedOn ? JSON.stringify(random() < 0.1 ? {} : someGrades()) : null,
        moderatedOn,
        score: kind === 'feedback' && random() < 0.8 ? Math.floor(random() * 11) : null,
        consent: kind === 'feedback' ? pick(['yes', 'yes', 'yes', 'no', '']) : '',
      });
      if (kind === 'review' && random() < 0.3) action.run(randomUUID(), name, author.id, addDaysTo(today, Math.floor(random() * 60) - 30), pick(['open', 'open', 'done']), author.id, `${on}T12:00:00.000Z`, `${on}T12:00:00.000Z`);
    }
  })();

  const services = (db.prepare('SELECT id FROM services').all() as { id: string }[]).map((s) => s.id);
  const periods = [
    periodContaining('month', today),
    periodContaining('quarter', today),
    previousPeriod(periodContaining('quarter', today)),
    periodContaining('half-year', today),
    periodContaining('year', today),
    previousPeriod(periodContaining('year', today)),
  ];
  const readers = (db.prepare('SELECT username, role FROM users').all() as { username: string; role: string }[]).filter((u) => (reportRoles as readonly string[]).includes(u.role));
  expect(readers.length).toBeGreaterThanOrEqual(5);
  let compared = 0;
  let nonZero = 0;
  for (const reader of readers) {
    const user = organisation.findUserByUsername(reader.username)!;
    for (const period of periods) {
      for (const scope of [{}, { service: services[0]! }, { team: teams[1]! }]) {
        const query = { period: period.id, ...scope };
        const reference: ReportFigures = server().reports.figures(user, query);
        expect(server().reports.summary(user, query)).toEqual(withoutRecords(reference));
        compared++;
        if (reference.current.activity.review.count > 0) nonZero++;
      }
    }
    // The records behind each figure, fetched for that figure alone, are the reference's.
    const query = { period: periods[4]!.id };
    const reference = server().reports.figures(user, query);
    for (const path of figurePaths(reference)) {
      const expected = figureAt(reference, path)!;
      const answer = server().reports.recordsBehind(user, { ...query, figure: path });
      expect({ path, records: [...answer.records].sort() }).toEqual({ path, records: [...expected.records].sort() });
    }
  }
  expect(compared).toBe(readers.length * periods.length * 3);
  // The set is not trivially empty for most readers.
  expect(nonZero).toBeGreaterThan(compared / 3);
}, 120_000);
