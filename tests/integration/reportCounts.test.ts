/**
 * Issue 17, item 6: the dashboard counts in SQL (sync-server/reportCounts.ts) and must give exactly the
 * figures the domain's rules give (domain/reports.ts periodFigures and trendFigures, run on every row
 * fetched). Checked on a random set (a fixed seed, so a failure can be replayed) with every awkward case
 * the read model can hold: grades missing or not on the scale, moderation agreeing only some fields,
 * feedback without consent or without a score, records with no team, moderation in another period than
 * the review — for every role with reports, over months, quarters, half-years and years, scoped or not.
 */
import { expect, it, vi } from 'vitest';
import { dateInEngland } from '../../domain/actions';
import { periodContaining, previousPeriod } from '../../domain/periods';
import { figureAt, reportRoles, withoutRecords, type Figure, type ReportFigures } from '../../domain/reports';
import { seedRandomFacts } from '../support/randomFacts';
import { useTestServer } from '../support/testServer';

// Starting a server with the demo organisation can take longer than the default hook time on a busy machine.
vi.setConfig({ hookTimeout: 60_000 });
const testServer = useTestServer();
const server = () => testServer.server();

/** Every figure in the figures, by path. */
function figurePaths(value: unknown, at = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  const f = value as Partial<Figure>;
  if (typeof f.count === 'number' && Array.isArray(f.records)) return [at];
  return Object.entries(value).flatMap(([k, v]) => figurePaths(v, at ? `${at}.${k}` : k));
}

it('counts in SQL exactly what the domain counts from every row, for every reader and scope', async () => {
  const { db, organisation } = server();
  seedRandomFacts(db, { seed: 17, records: 1500, days: 800, children: 97, consents: ['yes', 'yes', 'yes', 'no', ''], actionShare: 0.3 });
  const teams = (db.prepare('SELECT id FROM teams').all() as { id: string }[]).map((t) => t.id);
  const today = dateInEngland(new Date());

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
