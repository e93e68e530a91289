/**
 * Reports at scale (issue 17): a server holding a year of 10,000 collaborative case reviews (three in five
 * moderated, with their moderation documents and commands) and 20,000 other records (12,000 observations,
 * 8,000 family feedback), and 2,000 open actions. Timed: rebuilding the read model from every stored document,
 * then the dashboard's figures as the server builds them (in the process, and through the HTTP API) for a
 * head of service's service over a quarter, and for the QA team and the director across the organisation
 * over the financial year.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { dateInEngland } from '../../domain/actions';
import { formLayouts } from '../../domain/kinds';
import { moderationIdFor } from '../../domain/moderation';
import { periodContaining } from '../../domain/periods';
import { withoutRecords } from '../../domain/reports';
import { reviewDomains } from '../../domain/review';
import { initRecordDoc, setField } from '../../recordModel/recordDoc';
import { startServer, type RunningServer } from '../../sync-server/server';
import { signInAs } from '../support/device';
import { median } from './stats';

export interface ReportsBench {
  reviews: number;
  others: number;
  moderated: number;
  fillMs: number;
  rebuildMs: number[];
  rows: number;
  cases: { label: string; medianMs: number; maxMs: number; baselineMedianMs: number; httpMedianMs: number; reviewsCounted: number }[];
}

const GRADES = ['outstanding', 'good', 'good', 'requires-improvement', 'inadequate'];
const words = 'the child spoke about school and her friends and what makes a good day at home with her family'.split(' ');
const prose = (n: number, seed: number) => Array.from({ length: n }, (_, i) => words[(i * 7 + seed) % words.length]).join(' ') + '.';

/** Fills a running server's database with a year of records (see above); returns how many reviews were moderated. */
export async function fillReportsDatabase(server: RunningServer, reviews: number, others: number): Promise<number> {
  const person = (u: string) => server.organisation.findUserByUsername(u)!;
  const leads = ['tm.okafor', 'tm.hughes', 'tm.begum'].map(person);
  const practitioners = ['sw.ahmed', 'sw.brown', 'sw.clarke', 'sw.evans', 'pa.davies', 'sw.fraser'].map(person);
  const qa = person('qa.green');
  const register = server.db.prepare('INSERT INTO documents (name, kind, author_id, team_id, subject_id, status, completed_at, created_at, review_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const command = server.db.prepare("INSERT INTO commands (id, user_id, type, doc, received_at, outcome) VALUES (?, ?, 'moderate', ?, ?, '{\"status\":\"applied\"}')");
  const action = server.db.prepare(
    "INSERT INTO actions (id, kind, doc, child_id, what, why, finding, owner_id, due_date, status, raised_by, raised_at, updated_at) VALUES (?, 'action', ?, ?, 'Update the plan', 'Found in review', 'needs-to-happen', ?, ?, 'open', ?, ?, ?)",
  );
  const now = Date.now();
  let moderated = 0;

  const total = reviews + others;
  for (let batch = 0; batch < total; batch += 500) {
    const appends: Promise<void>[] = [];
    server.db.transaction(() => {
      for (let i = batch; i < Math.min(total, batch + 500); i++) {
        const kind = i < reviews ? 'review' : (i - reviews) % 5 < 3 ? 'observation' : 'feedback';
        const id = randomUUID();
        const name = `${kind}/${id}`;
        const practitioner = practitioners[i % practitioners.length]!;
        const lead = leads.find((l) => l.teamId === practitioner.teamId) ?? leads[0]!;
        const at = new Date(now - ((i * 7919) % 365) * 86_400_000 - (i % 86_400) * 1000).toISOString();
        const isModerated = kind === 'review' && i % 5 < 3;
        register.run(name, kind, lead.id, practitioner.teamId, kind === 'feedback' ? null : practitioner.id, kind === 'review' ? (isModerated ? 'moderated' : 'submitted') : 'complete', at, at, null);
        const doc = new Y.Doc();
        const layout = formLayouts[kind];
        initRecordDoc(doc, { id, kind, status: 'draft', createdAt: at, authorId: lead.id, authorName: lead.displayName, authorTeamId: lead.teamId });
        const set = (field: string, value: string) => setField(doc, layout, field, value);
        set('childId', `MOS${String(100000 + (i % 40000))}`);
        if (kind === 'review') {
          set('levelOfNeed', 'child-in-need');
          set('penPicture', prose(40, i));
          reviewDomains.forEach((d, k) => {
            set(`${d.key}Grade`, GRADES[(i + k) % GRADES.length]!);
            set(`${d.key}Evaluation`, prose(30, i + k));
          });
          set('overallGrade', GRADES[i % GRADES.length]!);
        } else if (kind === 'observation') {
          set('practitionerId', practitioner.id);
          set('strengths', prose(60, i));
        } else {
          set('score', String(i % 11));
          set('consent', 'yes');
          set('giver', 'parent');
          set('workingWell', prose(20, i));
        }
        appends.push(server.store.append(name, Y.encodeStateAsUpdate(doc), { userId: lead.id, deviceId: 'bench', receivedAt: at }));
        if (isModerated) {
          moderated++;
          const moderationName = `moderation/${moderationIdFor(id)}`;
          register.run(moderationName, 'moderation', qa.id, practitioner.teamId, null, 'complete', null, at, name);
          const m = new Y.Doc();
          initRecordDoc(m, { id: moderationIdFor(id), kind: 'moderation', status: 'draft', createdAt: at, authorId: qa.id, authorName: qa.displayName, authorTeamId: '' });
          // One in four moderations changes the overall grade (one step towards Good).
          reviewDomains.forEach((d, k) => setField(m, formLayouts.moderation, `${d.key}Grade`, GRADES[(i + k) % GRADES.length]!));
          setField(m, formLayouts.moderation, 'overallGrade', i % 4 === 0 ? 'good' : GRADES[i % GRADES.length]!);
          setField(m, formLayouts.moderation, 'summary', prose(20, i));
          appends.push(server.store.append(moderationName, Y.encodeStateAsUpdate(m), { userId: qa.id, deviceId: 'bench', receivedAt: at }));
          command.run(randomUUID(), qa.id, name, at);
        }
        if (kind === 'review' && i % 5 === 0) action.run(randomUUID(), name, `MOS${i}`, lead.id, dateInEngland(new Date(now + ((i % 60) - 30) * 86_400_000)), qa.id, at, at);
      }
    })();
    await Promise.all(appends);
  }
  return moderated;
}

export async function runReportsBench(reviews = 10_000, others = 20_000, runs = 15): Promise<ReportsBench> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-bench-reports-'));
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, staticDir: null, seedDemo: true, sessionDays: 1 });
  const person = (u: string) => server.organisation.findUserByUsername(u)!;
  const started = performance.now();
  const moderated = await fillReportsDatabase(server, reviews, others);
  const fillMs = performance.now() - started;

  const rebuildMs: number[] = [];
  let rows = 0;
  for (let run = 0; run < 2; run++) {
    const start = performance.now();
    rows = await server.facts.rebuild();
    rebuildMs.push(performance.now() - start);
  }

  const today = dateInEngland(new Date());
  const quarter = periodContaining('quarter', today).id;
  const financialYear = periodContaining('year', today).id;
  const safeguarding = (server.db.prepare("SELECT id FROM services WHERE name = 'Safeguarding'").get() as { id: string }).id;
  const cases: { label: string; username: string; query: Record<string, string> }[] = [
    { label: 'head of service, their service, this quarter', username: 'hos.patel', query: { period: quarter, service: safeguarding } },
    { label: 'QA team, the organisation, this financial year', username: 'qa.green', query: { period: financialYear } },
    { label: 'director (by line management), the organisation, this financial year', username: 'dcs.morgan', query: { period: financialYear } },
  ];
  const results: ReportsBench['cases'] = [];
  for (const c of cases) {
    const user = person(c.username);
    const times: number[] = [];
    const baseline: number[] = [];
    let reviewsCounted = 0;
    // Alternating: the SQL counts (what the API answers) and the baseline, every row fetched and counted in JavaScript.
    for (let run = 0; run < runs; run++) {
      let start = performance.now();
      const figures = server.reports.summary(user, c.query);
      times.push(performance.now() - start);
      reviewsCounted = figures.current.activity.review.count;
      start = performance.now();
      const reference = withoutRecords(server.reports.figures(user, c.query));
      baseline.push(performance.now() - start);
      if (reference.current.activity.review.count !== reviewsCounted) throw new Error('The SQL counts and the reference disagree.');
    }
    // The loop above held the event loop for longer than the server's keep-alive: let closed sockets be seen before asking again.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { token } = await signInAs(server.url, c.username);
    const http: number[] = [];
    for (let run = 0; run < Math.min(runs, 7); run++) {
      const start = performance.now();
      const response = await fetch(`${server.url}/api/reports?${new URLSearchParams(c.query).toString()}`, { headers: { Authorization: `Bearer ${token}` } });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`The reports API answered ${response.status}.`);
      http.push(performance.now() - start);
    }
    results.push({ label: c.label, medianMs: median(times), maxMs: Math.max(...times), baselineMedianMs: median(baseline), httpMedianMs: median(http), reviewsCounted });
  }
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { reviews, others, moderated, fillMs, rebuildMs, rows, cases: results };
}

export const describeReportsBench = (b: ReportsBench) =>
  [
    `Database: ${b.reviews} reviews (${b.moderated} moderated) and ${b.others} other records over a year (filled in ${(b.fillMs / 1000).toFixed(1)} s)`,
    `Rebuilding the read model from every stored document (${b.rows} rows): ${b.rebuildMs.map((m) => `${(m / 1000).toFixed(1)} s`).join(', ')}`,
    '| report | server time, median (counted in SQL) | slowest | baseline: rows fetched and counted in JS, median | ratio | over HTTP, median | reviews counted |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...b.cases.map(
      (c) =>
        `| ${c.label} | ${c.medianMs.toFixed(0)} ms | ${c.maxMs.toFixed(0)} ms | ${c.baselineMedianMs.toFixed(0)} ms | ${(c.baselineMedianMs / c.medianMs).toFixed(1)}× | ${c.httpMedianMs.toFixed(0)} ms | ${c.reviewsCounted} |`,
    ),
  ].join('\n');
