/**
 * Issue 17, item 5: a server started with the demo on makes a year of records through its own commands,
 * once, on the first start of an empty database — and the registry, the reports' read model, actions and
 * what each person may read all agree with the stored documents. FIELDNOTES_DEMO=off starts empty;
 * FIELDNOTES_DEMO=people (the end-to-end tests' setting) starts with the people only.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateInEngland } from '../../domain/actions';
import { formLayouts } from '../../domain/kinds';
import { moderationIdFor } from '../../domain/moderation';
import { periodContaining, previousPeriod } from '../../domain/periods';
import { reportGradeFields } from '../../domain/reports';
import { readMeta, readValues } from '../../recordModel/recordDoc';
import { configFromEnv } from '../../sync-server/config';
import { startServer, type RunningServer } from '../../sync-server/server';
import { makeDataDir } from '../support/serverProcess';

const configFor = (dataDir: string, env: Record<string, string>) => ({ ...configFromEnv({ FIELDNOTES_DATA_DIR: dataDir, FIELDNOTES_STATIC_DIR: '', ...env }), port: 0 });

let server: RunningServer;
let dataDir: string;
beforeAll(async () => {
  dataDir = makeDataDir();
  server = await startServer(configFor(dataDir, {}), { scheduleEveryMs: 0 });
}, 180_000);
afterAll(async () => {
  await server?.close();
});

const rows = <T>(sql: string, ...params: unknown[]) => server.db.prepare(sql).all(...params) as T[];
const count = (sql: string, ...params: unknown[]) => (server.db.prepare(sql).get(...params) as { n: number }).n;
const person = (username: string) => server.organisation.findActiveUser(server.organisation.findUserByUsername(username)!.id)!;
async function stored(name: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await server.store.load(name))!);
  return doc;
}
const gradesIn = (values: Record<string, string>) => Object.fromEntries(reportGradeFields.flatMap((f) => (values[f] ? [[f, values[f]]] : [])));

describe('the demo organisation’s year of records', () => {
  it('is made on the first start: every kind, across a year, as many as it says', () => {
    const made = server.demoRecords!;
    expect(made).not.toBeNull();
    const byKind = Object.fromEntries(rows<{ kind: string; n: number }>('SELECT kind, COUNT(*) AS n FROM documents GROUP BY kind').map((r) => [r.kind, r.n]));
    expect(byKind).toEqual({ observation: made.observation, review: made.review, moderation: made.moderation, feedback: made.feedback, summary: made.summaries });
    expect(made.observation).toBeGreaterThanOrEqual(40);
    expect(made.review).toBeGreaterThanOrEqual(60);
    expect(made.feedback).toBeGreaterThanOrEqual(50);
    // About six in ten reviews are moderated, and most of those that were moderated long enough ago are closed.
    const reviews = rows<{ status: string; n: number }>("SELECT status, COUNT(*) AS n FROM documents WHERE kind = 'review' GROUP BY status");
    const moderated = reviews.filter((r) => ['moderated', 'closed'].includes(r.status)).reduce((sum, r) => sum + r.n, 0);
    expect(moderated / made.review).toBeGreaterThan(0.5);
    expect(moderated / made.review).toBeLessThan(0.9);
    expect(reviews.find((r) => r.status === 'closed')?.n).toBeGreaterThan(0);
    expect(reviews.find((r) => r.status === 'draft')?.n).toBeGreaterThan(0);
    // Four quarters back and this one: every quarter has finished records.
    const today = dateInEngland(new Date());
    let quarter = periodContaining('quarter', today);
    for (let i = 0; i < 5; i++, quarter = previousPeriod(quarter))
      expect(count('SELECT COUNT(*) AS n FROM record_facts WHERE on_date BETWEEN ? AND ?', quarter.start, quarter.end), quarter.id).toBeGreaterThan(0);
    expect(count('SELECT COUNT(*) AS n FROM record_facts WHERE on_date > ?', today)).toBe(0);
  });

  it('stores each record under its author’s name, dated when it was written, with no made-up real people', async () => {
    const docs = rows<{ name: string; kind: string; author_id: string; created_at: string }>("SELECT name, kind, author_id, created_at FROM documents WHERE kind NOT IN ('moderation', 'summary')");
    for (const d of docs) {
      const doc = await stored(d.name);
      const meta = readMeta(doc)!;
      expect(meta.authorId).toBe(d.author_id);
      expect(meta.createdAt).toBe(d.created_at);
      const [first] = await server.store.history(d.name);
      expect(first).toMatchObject({ userId: d.author_id, receivedAt: d.created_at });
      const values = readValues(doc, formLayouts[d.kind as 'observation']) as Record<string, string>;
      expect(values.childId).toMatch(/^\d{7}$/);
      // Words from the phrase banks, with every placeholder filled in.
      expect(Object.values(values).join(' ')).not.toMatch(/[{}]|lorem/i);
      // Who undertook a review names each person once (a team manager leading names themselves once).
      if (d.kind === 'review') {
        const lead = server.organisation.account(d.author_id)!.displayName;
        expect((values.reviewers ?? '').split(lead).length - 1, values.reviewers).toBe(1);
      }
    }
  });

  it('keeps every review’s grades in the read model exactly as its document and its moderation say', async () => {
    const facts = rows<{ doc: string; grades: string; agreed: string | null; grade: string }>("SELECT f.doc, f.grades, f.agreed, f.grade FROM record_facts f JOIN documents d ON d.name = f.doc WHERE d.kind = 'review'");
    expect(facts.length).toBeGreaterThan(50);
    let changed = 0;
    for (const fact of facts) {
      const review = readValues(await stored(fact.doc), formLayouts.review) as Record<string, string>;
      expect(JSON.parse(fact.grades), fact.doc).toEqual(gradesIn(review));
      if (fact.agreed === null) {
        expect(fact.grade).toBe(review.overallGrade);
        continue;
      }
      const moderation = readValues(await stored(`moderation/${moderationIdFor(fact.doc.slice('review/'.length))}`), formLayouts.moderation) as Record<string, string>;
      expect(JSON.parse(fact.agreed), fact.doc).toEqual(gradesIn(moderation));
      expect(fact.grade).toBe(moderation.overallGrade);
      if (fact.agreed !== fact.grades) {
        changed++;
        expect(moderation.gradeChangeReason, fact.doc).not.toBe('');
      }
    }
    // Moderation changed some grades, and agreed with most.
    const moderated = facts.filter((f) => f.agreed !== null).length;
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThan(moderated / 2);
    // The reviewers and practitioners were told of the changes, as the moderate command does.
    expect(count("SELECT COUNT(*) AS n FROM notifications WHERE kind = 'grade-changed'")).toBeGreaterThanOrEqual(changed);
  });

  it('rebuilds the read model from the documents to the very same rows', async () => {
    const table = () => rows('SELECT * FROM record_facts ORDER BY doc');
    const kept = table();
    expect(await server.facts.rebuild()).toBe(kept.length);
    expect(table()).toEqual(kept);
  });

  it('gives actions a year’s life: most signed off, some open, a few overdue; concerns answered and resolved', () => {
    const today = dateInEngland(new Date());
    const actions = rows<{ status: string; due_date: string; kind: string }>('SELECT status, due_date, kind FROM actions');
    expect(actions.filter((a) => a.status === 'signed-off').length).toBeGreaterThan(actions.length / 2);
    expect(actions.filter((a) => a.status === 'open').length).toBeGreaterThan(0);
    expect(actions.filter((a) => a.status === 'open' && a.due_date < today).length).toBeGreaterThan(0);
    expect(actions.some((a) => a.kind === 'dip-sample')).toBe(true);
    const concerns = rows<{ responded_at: string | null; resolved_at: string | null }>('SELECT responded_at, resolved_at FROM concerns');
    expect(concerns).toHaveLength(2);
    expect(concerns.every((c) => c.responded_at && c.resolved_at)).toBe(true);
    // Most of a year's notices have been read; the last fortnight's have not.
    expect(count('SELECT COUNT(*) AS n FROM notifications WHERE read_at IS NULL')).toBeLessThan(count('SELECT COUNT(*) AS n FROM notifications') / 4);
  });

  it('fills the dashboard of a head of service for last quarter, with their service’s records only', () => {
    const patel = person('hos.patel');
    const lastQuarter = previousPeriod(periodContaining('quarter', dateInEngland(new Date())));
    // Her service chosen (unfiltered, her figures would also count the other service's reviews she moderated: she may read those).
    const figures = server.reports.figures(patel, { period: lastQuarter.id, service: patel.serviceId });
    const { activity, moderation, feedback, gradeSpread } = figures.current;
    for (const kind of ['observation', 'review', 'feedback', 'moderation'] as const) expect(activity[kind].count, kind).toBeGreaterThan(0);
    expect(moderation.moderated.count).toBeGreaterThan(0);
    expect(feedback.averageScore).not.toBeNull();
    expect(Object.values(gradeSpread.overallGrade).reduce((sum, f) => sum + f.count, 0)).toBe(activity.review.count);
    expect(figures.previous.activity.review.count).toBeGreaterThan(0);
    const safeguarding = new Set(rows<{ id: string }>("SELECT t.id FROM teams t JOIN services s ON s.id = t.service_id WHERE s.name = 'Safeguarding'").map((t) => t.id));
    const behind = [...activity.observation.records, ...activity.review.records, ...activity.feedback.records];
    for (const name of behind) expect(safeguarding.has(server.access.record(name)!.team_id ?? ''), name).toBe(true);
    // The other service's records exist in that quarter, and are not in her figures.
    const everyone = server.reports.figures(person('qa.green'), { period: lastQuarter.id }).current.activity.review.records;
    const careTeams = rows<{ id: string }>("SELECT t.id FROM teams t JOIN services s ON s.id = t.service_id WHERE s.name = 'Children in Care'").map((t) => t.id);
    expect(everyone.some((name) => careTeams.includes(server.access.record(name)!.team_id ?? ''))).toBe(true);
    expect(everyone.length).toBeGreaterThan(activity.review.records.length);
  });

  it('has last quarter’s summary of each service, written by its head of service with the QA officer and submitted', async () => {
    const lastQuarter = previousPeriod(periodContaining('quarter', dateInEngland(new Date())));
    const summaries = rows<{ doc: string; service_id: string; quarter: string; started_by: string }>('SELECT doc, service_id, quarter, started_by FROM quarterly_summaries ORDER BY service_id');
    expect(summaries.map((s) => [s.service_id, s.quarter])).toEqual([
      [person('hos.lewis').serviceId, lastQuarter.id],
      [person('hos.patel').serviceId, lastQuarter.id],
    ].sort((a, b) => a[0]!.localeCompare(b[0]!)));
    expect(server.demoRecords!.summaries).toBe(2);
    for (const summary of summaries) {
      expect(count("SELECT COUNT(*) AS n FROM documents WHERE name = ? AND status = 'submitted'", summary.doc)).toBe(1);
      const values = readValues(await stored(summary.doc), formLayouts.summary) as Record<string, string>;
      for (const field of ['workingWell', 'worried', 'actionNeeded']) expect(values[field]!.length, field).toBeGreaterThan(40);
      expect(Object.values(values).join(' ')).not.toMatch(/[{}]/);
      // Written by the head of service and the QA officer, each under their own name.
      const writers = new Set((await server.store.history(summary.doc)).map((h) => h.userId));
      expect(writers).toContain(summary.started_by);
      expect(writers).toContain(person('qa.green').id);
    }
    // The director was told of each, as submitting one does.
    expect(count("SELECT COUNT(*) AS n FROM notifications WHERE kind = 'summary-submitted' AND user_id = ?", person('dcs.morgan').id)).toBe(2);
  });

  it('shows a practitioner the records about their own work, and none of another team’s', () => {
    const ahmed = person('sw.ahmed');
    const readable = server.access.readableRecords(ahmed);
    const aboutHim = rows<{ name: string }>("SELECT name FROM documents WHERE subject_id = ? AND status != 'draft'", ahmed.id).map((r) => r.name);
    expect(aboutHim.length).toBeGreaterThan(5);
    const names = new Set(readable.map((r) => r.record.name));
    for (const name of aboutHim) expect(names.has(name), name).toBe(true);
    const south = person('sw.clarke').teamId;
    expect(readable.filter((r) => r.record.team_id === south)).toEqual([]);
    // His actions: some he owns are listed to him.
    expect(server.actions.listFor(ahmed).actions.some((a) => a.ownerId === ahmed.id)).toBe(true);
  });

  it('is not made again on the next start', async () => {
    const before = count('SELECT COUNT(*) AS n FROM documents');
    await server.close();
    server = await startServer(configFor(dataDir, {}), { scheduleEveryMs: 0 });
    expect(server.seededAccounts).toEqual([]);
    expect(server.demoRecords).toBeNull();
    expect(count('SELECT COUNT(*) AS n FROM documents')).toBe(before);
  });
});

describe('FIELDNOTES_DEMO', () => {
  it('off: starts empty; people: the demo’s people and no records', async () => {
    for (const [value, people] of [['off', 0], ['people', 17]] as const) {
      const config = configFor(makeDataDir(), { FIELDNOTES_DEMO: value });
      const other = await startServer(config, { scheduleEveryMs: 0 });
      try {
        expect(other.demoRecords).toBeNull();
        expect((other.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n).toBe(people);
        expect((other.db.prepare('SELECT COUNT(*) AS n FROM documents').get() as { n: number }).n).toBe(0);
        expect((other.db.prepare('SELECT COUNT(*) AS n FROM actions').get() as { n: number }).n).toBe(0);
      } finally {
        await other.close();
      }
    }
  });

  it('refuses a value it does not know', () => {
    expect(() => configFromEnv({ FIELDNOTES_DEMO: 'yes please' })).toThrow(/FIELDNOTES_DEMO must be on, people or off/);
  });
});
