/**
 * Lists at scale (issue 16): 5,000 records in a tablet's index, filtered and sorted as "My records" does
 * (src/features/records/recordLists.ts) — each filter a person can set, and the moderator's queue. The
 * figure is what the screen spends between a change to a filter and the list it draws (the page then draws
 * only the rows on screen: BENCH_ONLY=liststartup measures that in Chromium). Reading the rows from IndexedDB is measured too, through fake-indexeddb in Node:
 * slower than a browser's IndexedDB, so an upper bound.
 */
import 'fake-indexeddb/auto';
import type { RecordSummary } from '../../domain/records';
import { awaitingModeration, groupByTeam, listRecords, noFilters, type RecordFilters, type RecordSort } from '../../src/features/records/recordLists';
import { dbFor } from '../../src/data/db';
import { median } from './stats';

const N = 5000;

function makeRecords(n: number): RecordSummary[] {
  const kinds = ['observation', 'review', 'feedback'] as const;
  const statuses = ['draft', 'complete', 'submitted', 'moderated', 'closed'] as const;
  const records: RecordSummary[] = [];
  for (let i = 0; i < n; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const month = String(1 + (i % 12)).padStart(2, '0');
    records.push({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      kind: kinds[i % 3]!,
      status: statuses[i % 5]!,
      childId: `MOS${100000 + ((i * 7919) % 40000)}`,
      childName: i % 4 === 0 ? `Child ${i}` : '',
      practitionerId: `p${i % 60}`,
      practitionerName: `Practitioner ${i % 60}`,
      teamId: `team-${i % 12}`,
      date: `2026-${month}-${day}`,
      createdAt: `2026-${month}-${day}T09:00:00.000Z`,
      updatedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
      authorId: `a${i % 30}`,
      unsynced: 0,
      // Every fifteenth from the seventh is a review submitted for moderation; this moderator was named on one in two.
      participants: i % 30 === 7 ? [{ userId: 'moderator', role: 'moderator' }] : [],
    });
  }
  return records;
}

export interface ListsBench {
  n: number;
  cases: { label: string; medianMs: number; maxMs: number; shown: number }[];
  dexieReadMedianMs: number;
}

export async function runListsBench(runs = 15): Promise<ListsBench> {
  const records = makeRecords(N);
  const cases: { label: string; filters: RecordFilters; sort: RecordSort; search?: string; queue?: boolean; group?: boolean }[] = [
    { label: 'no filter, newest first', filters: noFilters, sort: 'updated' },
    { label: 'kind + status', filters: { ...noFilters, kind: 'review', status: 'submitted' }, sort: 'updated' },
    { label: 'team, grouped by team', filters: { ...noFilters, teamId: 'team-3' }, sort: 'date-newest', group: true },
    { label: 'practitioner + date range', filters: { ...noFilters, practitionerId: 'p7', from: '2026-03-01', to: '2026-09-30' }, sort: 'date-oldest' },
    { label: 'child (part of an ID), sorted by child', filters: { ...noFilters, child: 'mos12' }, sort: 'child' },
    { label: 'search box (practitioner name)', filters: noFilters, sort: 'updated', search: 'practitioner 42' },
    { label: 'everything, grouped by team', filters: noFilters, sort: 'child', group: true },
    { label: 'awaiting moderation queue', filters: noFilters, sort: 'updated', queue: true },
  ];
  const results: ListsBench['cases'] = [];
  for (const c of cases) {
    const times: number[] = [];
    let shown = 0;
    for (let run = 0; run < runs; run++) {
      const start = performance.now();
      const list = c.queue ? awaitingModeration(records, { id: 'moderator', role: 'head-of-service' }) : listRecords(records, c.filters, c.sort, c.search);
      if (c.group) groupByTeam(list, (id) => id);
      times.push(performance.now() - start);
      shown = list.length;
    }
    results.push({ label: c.label, medianMs: median(times), maxMs: Math.max(...times), shown });
  }
  const db = dbFor('bench-lists');
  await db.records.clear();
  await db.records.bulkPut(records);
  const reads: number[] = [];
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    await db.records.orderBy('updatedAt').reverse().filter((r) => r.kind !== 'moderation').toArray();
    reads.push(performance.now() - start);
  }
  db.close();
  return { n: N, cases: results, dexieReadMedianMs: median(reads) };
}
