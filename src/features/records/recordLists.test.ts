import { describe, expect, it } from 'vitest';
import type { RecordSummary } from '../../../domain/records';
import { awaitingModeration, groupByTeam, listRecords, mayDiscard, noFilters } from './recordLists';

const row = (id: string, extra: Partial<RecordSummary> = {}): RecordSummary => ({
  id,
  kind: 'observation',
  status: 'complete',
  childId: '',
  practitionerId: 'p1',
  practitionerName: 'Yusuf Ahmed',
  teamId: 'north',
  date: '2026-11-01',
  createdAt: '2026-11-01T09:00:00Z',
  updatedAt: '2026-11-01T09:00:00Z',
  authorId: 'me',
  unsynced: 0,
  ...extra,
});

const records = [
  row('a', { childId: 'MOS1', date: '2026-10-05', updatedAt: '2026-12-01T10:00:00Z' }),
  row('b', { kind: 'review', status: 'submitted', childId: 'MOS2', childName: 'Amy Jones', teamId: 'south', practitionerId: 'p2', practitionerName: 'Daniel Clarke', date: '2026-11-20', updatedAt: '2026-11-21T10:00:00Z' }),
  row('c', { status: 'draft', childId: '', date: '', updatedAt: '2026-12-02T10:00:00Z' }),
  row('d', { kind: 'review', status: 'submitted', childId: 'MOS10', teamId: 'south', participants: [{ userId: 'hos', role: 'moderator' }], updatedAt: '2026-11-01T10:00:00Z' }),
];
const ids = (list: RecordSummary[]) => list.map((r) => r.id);

describe('My records: filters, sort and groups', () => {
  it('filters by kind, status, team, practitioner, child (ID or name) and date', () => {
    expect(ids(listRecords(records, { ...noFilters, kind: 'review' }, 'updated'))).toEqual(['b', 'd']);
    expect(ids(listRecords(records, { ...noFilters, status: 'draft' }, 'updated'))).toEqual(['c']);
    expect(ids(listRecords(records, { ...noFilters, teamId: 'north' }, 'updated'))).toEqual(['c', 'a']);
    expect(ids(listRecords(records, { ...noFilters, practitionerId: 'p2' }, 'updated'))).toEqual(['b']);
    expect(ids(listRecords(records, { ...noFilters, child: 'amy' }, 'updated'))).toEqual(['b']);
    expect(ids(listRecords(records, { ...noFilters, child: 'mos1' }, 'updated'))).toEqual(['a', 'd']);
    // A record with no date yet is not in any date range.
    expect(ids(listRecords(records, { ...noFilters, from: '2026-11-01', to: '2026-11-30' }, 'updated'))).toEqual(['b', 'd']);
    expect(ids(listRecords(records, noFilters, 'updated', 'clarke'))).toEqual(['b']);
  });

  it('sorts by last change, by the record’s date either way, and by child ID in number order', () => {
    expect(ids(listRecords(records, noFilters, 'updated'))).toEqual(['c', 'a', 'b', 'd']);
    expect(ids(listRecords(records, noFilters, 'date-oldest'))).toEqual(['a', 'd', 'c', 'b']);
    // A draft with no date yet sorts by the day it was made.
    expect(ids(listRecords(records, noFilters, 'date-newest'))).toEqual(['b', 'c', 'd', 'a']);
    expect(ids(listRecords(records, noFilters, 'child'))).toEqual(['a', 'b', 'd', 'c']);
  });

  it('groups by team, named, with records without a team last', () => {
    const groups = groupByTeam([...records, row('e', { teamId: '' })], (id) => ({ north: 'Safeguarding Team North', south: 'Safeguarding Team South' })[id] ?? '');
    expect(groups.map((g) => [g.name, ids(g.records)])).toEqual([
      ['Safeguarding Team North', ['a', 'c']],
      ['Safeguarding Team South', ['b', 'd']],
      ['No team', ['e']],
    ]);
  });

  it('queues the reviews a person may moderate, oldest first', () => {
    expect(ids(awaitingModeration(records, { id: 'qa', role: 'qa-officer' }))).toEqual(['d', 'b']);
    expect(ids(awaitingModeration(records, { id: 'hos', role: 'head-of-service' }))).toEqual(['d']);
    expect(ids(awaitingModeration(records, { id: 'tm', role: 'team-manager' }))).toEqual([]);
  });

  it('lets an author discard only their own draft', () => {
    expect(mayDiscard(records[2]!, 'me')).toBe(true);
    expect(mayDiscard(records[2]!, 'someone-else')).toBe(false);
    expect(mayDiscard(records[0]!, 'me')).toBe(false);
  });
});
