/**
 * Issue 17, item 2, against a real server with its clock on 20 November 2026 (Q3 of 2026–27): the overall
 * grades' trend over five quarters and activity against the programme's default expectations, for a seeded
 * set written into the server's registry and read model — every figure hand-computed below. A head of
 * service never sees another service's figures in either, whatever she asks for.
 */
import { randomUUID } from 'node:crypto';
import { expect, it, vi } from 'vitest';
import type { ProgrammeReport } from '../../domain/reportProgramme';
import type { ReportFigures } from '../../domain/reports';
import { useTestServer } from '../support/testServer';

// Starting a server with the demo organisation can take longer than the default hook time on a busy machine.
vi.setConfig({ hookTimeout: 60_000 });
const NOW = new Date('2026-11-20T12:00:00Z');
const testServer = useTestServer(() => ({ now: () => NOW, scheduleEveryMs: 0 }));
const server = () => testServer.server();
const person = (username: string) => server().organisation.findUserByUsername(username)!;

/** A finished record, as the server would hold it once completed or submitted (and moderated). */
function record(kind: 'review' | 'observation', by: string, about: string, on: string, overall = '', moderated?: { on: string; overall: string }) {
  const name = `${kind}/${randomUUID()}`;
  const subject = person(about);
  const author = person(by);
  const { db } = server();
  db.prepare('INSERT INTO documents (name, kind, author_id, team_id, subject_id, status, completed_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    name,
    kind,
    author.id,
    subject.teamId,
    subject.id,
    kind === 'observation' ? 'complete' : moderated ? 'moderated' : 'submitted',
    `${on}T12:00:00.000Z`,
    `${on}T09:00:00.000Z`,
  );
  db.prepare('INSERT INTO record_facts (doc, on_date, grades, agreed, moderated_on) VALUES (?, ?, ?, ?, ?)').run(
    name,
    on,
    JSON.stringify(overall ? { overallGrade: overall } : {}),
    moderated ? JSON.stringify({ overallGrade: moderated.overall }) : null,
    moderated?.on ?? null,
  );
  if (moderated)
    db.prepare("INSERT INTO commands (id, user_id, type, doc, received_at, outcome) VALUES (?, ?, 'moderate', ?, ?, '{\"status\":\"applied\"}')").run(randomUUID(), person('qa.green').id, name, `${moderated.on}T12:00:00.000Z`);
  return name;
}

async function get<T>(username: string, path: string): Promise<{ status: number; body: T }> {
  const d = await testServer.device(username);
  const response = await fetch(`${server().url}${path}`, { headers: { Authorization: `Bearer ${d.token}` } });
  return { status: response.status, body: (await response.json()) as T };
}

it('gives the trend over five quarters and activity against the programme, hand-computed, within the reader’s services', async () => {
  // Safeguarding: North (Grace Okafor: Yusuf Ahmed, Chloe Brown) and South (Owen Hughes: Daniel Clarke, Megan Evans), under Priya Patel.
  // Children in Care: Nasima Begum's team (Rhys Davies, Isla Fraser), under Gareth Lewis.
  const r1 = record('review', 'tm.okafor', 'sw.ahmed', '2026-05-10', 'good'); // Q1
  const r2 = record('review', 'tm.okafor', 'sw.brown', '2026-08-15', 'requires-improvement', { on: '2026-10-05', overall: 'good' }); // Q2, moderated to Good
  const r3 = record('review', 'tm.hughes', 'sw.clarke', '2026-10-20', 'outstanding'); // Q3
  const r4 = record('review', 'tm.hughes', 'sw.evans', '2026-11-02', 'inadequate'); // Q3
  const r5 = record('review', 'tm.begum', 'pa.davies', '2026-10-25', 'good'); // Q3, Children in Care
  const r6 = record('review', 'tm.begum', 'sw.fraser', '2025-11-10', 'requires-improvement'); // Q3 of 2025–26, Children in Care
  record('review', 'tm.okafor', 'sw.ahmed', '2025-06-01', 'good'); // Q1 of 2025–26: before the trend
  const o1 = record('observation', 'tm.okafor', 'sw.ahmed', '2026-06-01');
  const o2 = record('observation', 'tm.hughes', 'sw.clarke', '2026-10-10');
  record('observation', 'tm.hughes', 'sw.evans', '2025-12-01'); // last financial year: not this year's
  const o4 = record('observation', 'hos.patel', 'tm.okafor', '2026-09-01');

  const q3 = '2026-27-Q3';
  const trend = (figures: ReportFigures) => figures.trends.map((t) => [t.period.id, t.graded.count, t.goodOrBetter.count, t.overall.outstanding.count, t.overall.good.count, t.overall['requires-improvement'].count, t.overall.inadequate.count]);

  // The QA team: everything. Q3 2025–26: one RI; Q1: one Good; Q2: Good as moderated; Q3: Outstanding, Inadequate, Good.
  const all = (await get<ReportFigures>('qa.green', `/api/reports?period=${q3}`)).body;
  expect(trend(all)).toEqual([
    ['2025-26-Q3', 1, 0, 0, 0, 1, 0],
    ['2025-26-Q4', 0, 0, 0, 0, 0, 0],
    ['2026-27-Q1', 1, 1, 0, 1, 0, 0],
    ['2026-27-Q2', 1, 1, 0, 1, 0, 0],
    ['2026-27-Q3', 3, 2, 1, 1, 0, 1],
  ]);
  const behind = async (username: string, figure: string, query = `period=${q3}`) =>
    (await get<{ records: string[] }>(username, `/api/reports/records?${query}&figure=${figure}`)).body.records.sort();
  expect(await behind('qa.green', 'trends.4.goodOrBetter')).toEqual([r3, r5].sort());
  expect(await behind('qa.green', 'trends.0.overall.requires-improvement')).toEqual([r6]);
  expect(await behind('qa.green', 'trends.3.overall.good')).toEqual([r2]);
  expect(await behind('qa.green', 'trends.2.graded')).toEqual([r1]);

  // Priya Patel: Safeguarding only. Q3: Outstanding and Inadequate, one of two Good or better; nothing of Children in Care.
  const hers = (await get<ReportFigures>('hos.patel', `/api/reports?period=${q3}`)).body;
  expect(trend(hers)).toEqual([
    ['2025-26-Q3', 0, 0, 0, 0, 0, 0],
    ['2025-26-Q4', 0, 0, 0, 0, 0, 0],
    ['2026-27-Q1', 1, 1, 0, 1, 0, 0],
    ['2026-27-Q2', 1, 1, 0, 1, 0, 0],
    ['2026-27-Q3', 2, 1, 1, 0, 0, 1],
  ]);
  expect(await behind('hos.patel', 'trends.4.goodOrBetter')).toEqual([r3]);
  const careService = (server().db.prepare("SELECT id FROM services WHERE name = 'Children in Care'").get() as { id: string }).id;
  const safeguarding = (server().db.prepare("SELECT id FROM services WHERE name = 'Safeguarding'").get() as { id: string }).id;
  const asked = (await get<ReportFigures>('hos.patel', `/api/reports?period=${q3}&service=${careService}`)).body;
  expect(asked.trends.every((t) => t.graded.count === 0)).toBe(true);
  expect(await behind('hos.patel', 'trends.0.overall.requires-improvement', `period=${q3}&service=${careService}`)).toEqual([]);
  expect(await behind('hos.patel', 'trends.4.graded', `period=${q3}&service=${careService}`)).toEqual([]);
  // A month's trend ends with the quarter holding it; a year's with its last quarter.
  expect((await get<ReportFigures>('qa.green', '/api/reports?period=2026-11')).body.trends.map((t) => t.period.id).at(-1)).toBe(q3);
  expect((await get<ReportFigures>('qa.green', '/api/reports?period=2026-27-FY')).body.trends.map((t) => t.period.id)).toEqual(['2025-26-Q4', '2026-27-Q1', '2026-27-Q2', '2026-27-Q3', '2026-27-Q4']);

  // Activity against the programme's defaults, Q3 to 20 November, Safeguarding.
  const row = (report: ProgrammeReport, start: string) => {
    const found = report.rows.find((r) => r.description.startsWith(start));
    return found && [found.span, found.expectedOf, found.expected, found.done, found.coverage, found.records.count];
  };
  const patel = (await get<ProgrammeReport>('hos.patel', `/api/reports/programme?period=${q3}&service=${safeguarding}`)).body;
  // Team managers observe each direct report yearly: Okafor has observed Ahmed (not Brown), Hughes Clarke (Evans was last year).
  expect(row(patel, 'Team manager: 1 observation')).toEqual(['Financial year 2026–27, to 20 Nov 2026', 2, 4, 2, 50, 2]);
  // Patel observes each of her two managers yearly: Okafor, not Hughes.
  expect(row(patel, 'Head of service: 1 observation')).toEqual(['Financial year 2026–27, to 20 Nov 2026', 1, 2, 1, 50, 1]);
  // A review a month from each team manager, October and November (December has not begun): Hughes both, Okafor neither.
  expect(row(patel, 'Team manager: 1 collaborative')).toEqual([`Each month of ${hers.current.period.label}`, 2, 4, 2, 50, 2]);
  expect(row(patel, 'Head of service: 1 collaborative')).toEqual([`Each month of ${hers.current.period.label}`, 1, 2, 0, 0, 0]);
  // Not hers to see: the assistant director's, the director's, and the organisation's (a service is chosen).
  expect(patel.rows).toHaveLength(4);
  const programmeBehind = async (username: string, index: number, query: string) =>
    (await get<{ records: string[] }>(username, `/api/reports/records?${query}&figure=programme.${index}.records`)).body.records.sort();
  const tmObservations = patel.rows.findIndex((r) => r.description.startsWith('Team manager: 1 observation'));
  expect(await programmeBehind('hos.patel', tmObservations, `period=${q3}&service=${safeguarding}`)).toEqual([o1, o2].sort());
  expect(await programmeBehind('hos.patel', patel.rows.findIndex((r) => r.description.startsWith('Head of service: 1 observation')), `period=${q3}&service=${safeguarding}`)).toEqual([o4]);
  expect(await programmeBehind('hos.patel', patel.rows.findIndex((r) => r.description.startsWith('Team manager: 1 collaborative')), `period=${q3}&service=${safeguarding}`)).toEqual([r3, r4].sort());
  // Asking for Children in Care, she gets none of its people.
  expect((await get<ProgrammeReport>('hos.patel', `/api/reports/programme?period=${q3}&service=${careService}`)).body.rows).toEqual([]);

  // The QA team, for the organisation: the organisation's 20 reviews a quarter, three done (r3, r4, r5).
  const org = (await get<ProgrammeReport>('qa.green', `/api/reports/programme?period=${q3}`)).body;
  expect(row(org, 'The organisation')).toEqual([hers.current.period.label, 1, 20, 3, 15, 3]);
  // Filtered to South: Hughes alone.
  const south = (await get<ProgrammeReport>('qa.green', `/api/reports/programme?period=${q3}&team=${person('tm.hughes').teamId}`)).body;
  expect(row(south, 'Team manager: 1 observation')).toEqual(['Financial year 2026–27, to 20 Nov 2026', 1, 2, 1, 50, 1]);
  expect(row(south, 'Team manager: 1 collaborative')).toEqual([`Each month of ${hers.current.period.label}`, 1, 2, 2, 100, 2]);
  // Only report roles, and bad input answered.
  expect((await get<{ message: string }>('sw.ahmed', `/api/reports/programme?period=${q3}`)).status).toBe(403);
  expect((await get<{ message: string }>('qa.green', '/api/reports/programme?period=nonsense')).status).toBe(400);
}, 120_000);
