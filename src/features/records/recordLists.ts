/**
 * "My records" as each role needs it (issue 16): filters (kind, status, team, practitioner, child, date),
 * sort, grouping by team for managers, and the moderator's queue — pure functions over the index rows, so
 * 5,000 records on a tablet filter at once (measured in `npm run bench`, BENCH_ONLY=lists).
 */
import type { Person } from '../../../domain/directory';
import type { RecordKind, RecordStatus, RecordSummary } from '../../../domain/records';
import { listDate } from '../../data/records';

export interface RecordFilters {
  kind: RecordKind | '';
  status: RecordStatus | '';
  teamId: string;
  practitionerId: string;
  /** Part of a child's ID or name. */
  child: string;
  /** The date the form is about, from and to (inclusive), `YYYY-MM-DD` or ''. */
  from: string;
  to: string;
}
export const noFilters: RecordFilters = { kind: '', status: '', teamId: '', practitionerId: '', child: '', from: '', to: '' };

export const recordSorts = ['updated', 'date-newest', 'date-oldest', 'child'] as const;
export type RecordSort = (typeof recordSorts)[number];
export const recordSortLabels: Record<RecordSort, string> = {
  updated: 'Last changed, newest first',
  'date-newest': 'Date of the record, newest first',
  'date-oldest': 'Date of the record, oldest first',
  child: 'Child ID',
};

/**
 * What the search box looks in, lower-cased once per row (rows are replaced, never changed, when a record
 * changes): a keystroke then costs one `includes` per row, not three `toLowerCase`s.
 */
const searchTexts = new WeakMap<RecordSummary, { child: string; all: string }>();
function searchText(record: RecordSummary) {
  let text = searchTexts.get(record);
  if (!text) {
    const child = `${record.childId}\u0000${record.childName ?? ''}`.toLowerCase();
    text = { child, all: `${child}\u0000${record.practitionerName.toLowerCase()}` };
    searchTexts.set(record, text);
  }
  return text;
}

/** Whether a record passes the filters and the search box (child ID or name, or practitioner). */
export function matches(record: RecordSummary, f: RecordFilters, search = ''): boolean {
  if (f.kind && record.kind !== f.kind) return false;
  if (f.status && record.status !== f.status) return false;
  if (f.teamId && record.teamId !== f.teamId) return false;
  if (f.practitionerId && record.practitionerId !== f.practitionerId) return false;
  if (f.from && (!record.date || record.date < f.from)) return false;
  if (f.to && (!record.date || record.date > f.to)) return false;
  const child = f.child.trim().toLowerCase();
  if (child && !searchText(record).child.includes(child)) return false;
  const q = search.trim().toLowerCase();
  if (q && !searchText(record).all.includes(q)) return false;
  return true;
}

/**
 * A child ID's sort key, in number order (MOS999 before MOS123456): numbers padded, case folded, made once per
 * row — comparing these is plain string comparison, where a collator per pair was the slowest part of the list.
 */
const childKey = (id: string) => (id ? id.toLowerCase().replace(/\d+/g, (n) => n.padStart(20, '0')) : '\uffff');
const nameCollator = new Intl.Collator('en-GB');

const byDate = (a: RecordSummary, b: RecordSummary) => listDate(a).localeCompare(listDate(b));

export function sortRecords(records: RecordSummary[], sort: RecordSort): RecordSummary[] {
  const sorted = [...records];
  switch (sort) {
    case 'updated':
      return sorted.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    case 'date-newest':
      return sorted.sort((a, b) => byDate(b, a) || b.updatedAt.localeCompare(a.updatedAt));
    case 'date-oldest':
      return sorted.sort((a, b) => byDate(a, b) || a.updatedAt.localeCompare(b.updatedAt));
    case 'child': {
      const keys = new Map(sorted.map((r) => [r, childKey(r.childId)]));
      return sorted.sort((a, b) => {
        const [ka, kb] = [keys.get(a)!, keys.get(b)!];
        return ka < kb ? -1 : ka > kb ? 1 : b.updatedAt < a.updatedAt ? -1 : b.updatedAt > a.updatedAt ? 1 : 0;
      });
    }
  }
}

/** Filters then sorts: what the list shows. */
export function listRecords(records: RecordSummary[], filters: RecordFilters, sort: RecordSort, search = ''): RecordSummary[] {
  return sortRecords(
    records.filter((r) => matches(r, filters, search)),
    sort,
  );
}

/** Records grouped by team, in the order given (teams by name; records without a team last). */
export function groupByTeam(records: RecordSummary[], teamName: (id: string) => string): { teamId: string; name: string; records: RecordSummary[] }[] {
  const groups = new Map<string, RecordSummary[]>();
  for (const r of records) {
    const list = groups.get(r.teamId);
    if (list) list.push(r);
    else groups.set(r.teamId, [r]);
  }
  return [...groups.entries()]
    .map(([teamId, list]) => ({ teamId, name: teamId ? teamName(teamId) : 'No team', records: list }))
    .sort((a, b) => (a.teamId ? 0 : 1) - (b.teamId ? 0 : 1) || nameCollator.compare(a.name, b.name));
}

/** Roles who see records grouped by team, not one long list. */
export const groupsByTeam = (role: Person['role']) => role !== 'practitioner' && role !== 'iro';

/**
 * The moderator's queue: reviews submitted for moderation that this person may moderate — the QA team
 * (independent auditors) any, a service manager those the QA team named them moderator of (sync-server's
 * access.isModerator) — oldest first, as they wait longest.
 */
export function awaitingModeration(records: RecordSummary[], user: Pick<Person, 'id' | 'role'>): RecordSummary[] {
  return records
    .filter((r) => r.kind === 'review' && r.status === 'submitted')
    .filter((r) => user.role === 'qa-officer' || r.relationship === 'moderator' || (r.participants ?? []).some((p) => p.userId === user.id && p.role === 'moderator'))
    .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
}

/** A draft its author may discard (the server refuses it if anyone else has written in it). */
export const mayDiscard = (record: RecordSummary, userId: string) => record.status === 'draft' && record.authorId === userId && record.kind !== 'moderation';
