/**
 * Home: "My records", every record on this device for the signed-in person (issue 16: as each role needs
 * it) — reviews awaiting this person's moderation first; filters by kind, status, team, practitioner,
 * child and date; sort; grouped by team for heads of service and above; an own draft discarded in a tap.
 * Reads only the Dexie index, never the documents, so 5,000 records filter at once; the first screenful is
 * read before the rest (issue 20), and the list draws only the rows on screen (VirtualList), so a
 * thousand records open as fast as ten and a keystroke in the search box redraws a screenful, not them all.
 */
import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { recordKindLabels, recordKinds, recordStatuses, recordStatusLabels, recordDocName, type RecordSummary } from '../../../domain/records';
import { RecordRow } from '../../components/RecordRow';
import { VirtualList, type VirtualGroup, type VirtualRowProps } from '../../components/VirtualList';
import { useCachedDirectory } from '../../data/directory';
import { useFirstScreenDrawn } from '../../data/firstScreen';
import { dismissCommand, enqueueCommand, useDiscardCommands } from '../../data/outbox';
import { useMyRecords } from '../../data/records';
import { useSignedIn } from '../../data/sessionContext';
import { paths } from '../../lib/routes';
import { awaitingModeration, groupByTeam, groupsByTeam, listRecords, mayDiscard, noFilters, recordSortLabels, recordSorts, type RecordFilters, type RecordSort } from './recordLists';

export function MyRecordsPage() {
  const { user } = useSignedIn();
  const mine = useMyRecords(user.id);
  const all = mine?.records;
  const complete = mine?.complete ?? false;
  const directory = useCachedDirectory(user.id);
  const discardCommands = useDiscardCommands(user.id);
  const discards = useMemo(() => discardCommands ?? [], [discardCommands]);
  const [query, setQuery] = useState('');
  const [filters, setFilters] = useState<RecordFilters>(noFilters);
  // By the date each record is about: a list fetched onto a new tablet (a year of a team's records) was in the
  // order this tablet happened to receive them under "last changed", which says when it saw each, not when it was written.
  const [sort, setSort] = useState<RecordSort>('date-newest');
  const [grouped, setGrouped] = useState(groupsByTeam(user.role) && user.role !== 'team-manager');
  const deferredQuery = useDeferredValue(query);
  const deferredFilters = useDeferredValue(filters);

  // Drafts being discarded are gone from the list at once; one the server refused comes back, saying why.
  const hidden = useMemo(() => new Set(discards.filter((d) => d.state === 'pending').map((d) => d.record)), [discards]);
  const records = useMemo(() => all?.filter((r) => !hidden.has(recordDocName(r.kind, r.id))), [all, hidden]);
  const shown = useMemo(() => (records ? listRecords(records, deferredFilters, sort, deferredQuery) : undefined), [records, deferredFilters, sort, deferredQuery]);
  const queue = useMemo(() => (records && complete ? awaitingModeration(records, user) : []), [records, complete, user]);
  const teamName = useCallback((id: string) => directory?.teams.find((t) => t.id === id)?.name ?? 'Another team', [directory]);
  const filtering = deferredQuery.trim() !== '' || JSON.stringify(deferredFilters) !== JSON.stringify(noFilters);
  // Until every row is read, only the first screen in the default order can be shown: a filter, another
  // order or the groups wait the moment it takes to read the rest.
  const firstScreenOnly = !complete && (filtering || sort !== 'date-newest' || grouped);
  // Every record once all are read (less those being discarded); until then, the count read with the first screen.
  const total = complete ? (records?.length ?? 0) : (mine?.total ?? 0);
  const groups = useMemo((): VirtualGroup<RecordSummary>[] => {
    if (!shown) return [];
    if (!grouped) return [{ key: 'all', label: 'My records', items: shown, ...(complete ? {} : { size: total }) }];
    return groupByTeam(shown, teamName).map((group) => ({
      key: group.teamId || 'none',
      heading: { id: `team-${group.teamId || 'none'}`, text: `${group.name} (${group.records.length})` },
      label: `My records: ${group.name}`,
      items: group.records,
    }));
  }, [shown, grouped, teamName, complete, total]);
  // The first rows (or the empty state) are what the person opened the app for: sync may start after them.
  useFirstScreenDrawn(records !== undefined && shown !== undefined && !firstScreenOnly);
  const refused = useMemo(() => new Map(discards.filter((d) => d.state === 'rejected').map((d) => [d.record, d])), [discards]);
  const row = useCallback(
    (r: RecordSummary, item: VirtualRowProps) => (
      <RecordRow record={r} item={item}>
        {mayDiscard(r, user.id) && <DiscardDraft record={r} userId={user.id} refusal={refused.get(recordDocName(r.kind, r.id))} />}
      </RecordRow>
    ),
    [user.id, refused],
  );

  return (
    <main id="main" className="page">
      <div className="page-heading">
        <h1>My records</h1>
        {/* Administrators manage people, not case work: the server does not accept records from them. */}
        {user.role !== 'admin' && (
          <div className="new-record-links">
            <Link className="button button--primary" to={paths.newRecord('observation')}>
              New observation of practice
            </Link>
            <Link className="button" to={paths.newRecord('review')}>
              New collaborative case review
            </Link>
            <Link className="button" to={paths.newRecord('feedback')}>
              New family feedback
            </Link>
          </div>
        )}
      </div>

      {complete && (queue.length > 0 || user.role === 'qa-officer') && (
        <section aria-labelledby="awaiting-moderation">
          <h2 id="awaiting-moderation">Awaiting moderation ({queue.length})</h2>
          {queue.length === 0 ? (
            <p className="empty">No review is waiting for moderation.</p>
          ) : (
            <ul className="record-list" aria-label="Awaiting moderation">
              {queue.map((r) => (
                <RecordRow key={r.id} record={r} />
              ))}
            </ul>
          )}
        </section>
      )}

      <div className="field search">
        <label htmlFor="record-search">Search by child ID or practitioner</label>
        <p className="hint" id="record-search-hint">
          A child’s name finds them too, where a record has it.
        </p>
        <input id="record-search" type="search" aria-describedby="record-search-hint" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
      </div>
      {records && records.length > 0 && <Filters records={records} filters={filters} onChange={setFilters} sort={sort} onSort={setSort} teamName={teamName} grouped={grouped} onGrouped={groupsByTeam(user.role) ? setGrouped : null} />}

      {records === undefined || shown === undefined || firstScreenOnly ? (
        <p role="status">Loading your records…</p>
      ) : total === 0 ? (
        <p className="empty">You have no records on this tablet yet. Start with a new observation of practice or collaborative case review.</p>
      ) : (
        <>
          <p role="status" className="result-count">
            {filtering ? `${shown.length} of ${records.length} records match` : `${total} ${total === 1 ? 'record' : 'records'}`}
            {deferredQuery.trim() && ` “${deferredQuery.trim()}”`}
          </p>
          <VirtualList groups={groups} itemKey={recordKey} renderRow={row} />
        </>
      )}
    </main>
  );
}

const recordKey = (r: RecordSummary) => r.id;

function Filters({
  records,
  filters,
  onChange,
  sort,
  onSort,
  teamName,
  grouped,
  onGrouped,
}: {
  records: RecordSummary[];
  filters: RecordFilters;
  onChange: (f: RecordFilters) => void;
  sort: RecordSort;
  onSort: (s: RecordSort) => void;
  teamName: (id: string) => string;
  grouped: boolean;
  onGrouped: ((g: boolean) => void) | null;
}) {
  // The choices are those the tablet's records have: no team or practitioner that would match nothing.
  const teams = useMemo(() => [...new Set(records.map((r) => r.teamId).filter(Boolean))].sort((a, b) => teamName(a).localeCompare(teamName(b), 'en-GB')), [records, teamName]);
  const practitioners = useMemo(() => {
    const byId = new Map(records.filter((r) => r.practitionerId).map((r) => [r.practitionerId, r.practitionerName]));
    return [...byId.entries()].sort((a, b) => a[1].localeCompare(b[1], 'en-GB'));
  }, [records]);
  const set = (patch: Partial<RecordFilters>) => onChange({ ...filters, ...patch });
  return (
    <details className="record-filters">
      <summary>Filter and sort</summary>
      <div className="filter-form">
        <div className="field">
          <label htmlFor="filter-kind">Kind</label>
          <select id="filter-kind" value={filters.kind} onChange={(e) => set({ kind: e.target.value as RecordFilters['kind'] })}>
            <option value="">Any kind</option>
            {recordKinds
              .filter((k) => k !== 'moderation' && k !== 'summary')
              .map((k) => (
                <option key={k} value={k}>
                  {recordKindLabels[k]}
                </option>
              ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-status">Status</label>
          <select id="filter-status" value={filters.status} onChange={(e) => set({ status: e.target.value as RecordFilters['status'] })}>
            <option value="">Any status</option>
            {recordStatuses.map((s) => (
              <option key={s} value={s}>
                {recordStatusLabels[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-team">Team</label>
          <select id="filter-team" value={filters.teamId} onChange={(e) => set({ teamId: e.target.value })}>
            <option value="">Any team</option>
            {teams.map((t) => (
              <option key={t} value={t}>
                {teamName(t)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-practitioner">Practitioner</label>
          <select id="filter-practitioner" value={filters.practitionerId} onChange={(e) => set({ practitionerId: e.target.value })}>
            <option value="">Anyone</option>
            {practitioners.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-child">Child (ID or name)</label>
          <input id="filter-child" value={filters.child} onChange={(e) => set({ child: e.target.value })} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="filter-from">Dated from</label>
          <input id="filter-from" type="date" value={filters.from} onChange={(e) => set({ from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="filter-to">Dated to</label>
          <input id="filter-to" type="date" value={filters.to} onChange={(e) => set({ to: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="filter-sort">Sort by</label>
          <select id="filter-sort" value={sort} onChange={(e) => onSort(e.target.value as RecordSort)}>
            {recordSorts.map((s) => (
              <option key={s} value={s}>
                {recordSortLabels[s]}
              </option>
            ))}
          </select>
        </div>
        {onGrouped && (
          <label className="radio-option">
            <input type="checkbox" checked={grouped} onChange={(e) => onGrouped(e.target.checked)} />
            Group by team
          </label>
        )}
        <button type="button" className="button" onClick={() => onChange(noFilters)}>
          Clear the filters
        </button>
      </div>
    </details>
  );
}

/** Discarding an own draft: asked once, then a command (it works offline; the server refuses it if anyone else wrote in it). */
function DiscardDraft({ record, userId, refusal }: { record: RecordSummary; userId: string; refusal: { id: string; outcome?: { status: string; message?: string } } | undefined }) {
  const [asking, setAsking] = useState(false);
  const name = recordDocName(record.kind, record.id);
  const what = `${recordKindLabels[record.kind].toLowerCase()} draft${record.childId ? ` for child ${record.childId}` : ''}`;
  if (refusal)
    return (
      <p className="alert alert--warning">
        This draft could not be discarded: {refusal.outcome?.message ?? 'the server refused it.'}{' '}
        <button type="button" className="button button--quiet-inline" onClick={() => void dismissCommand(userId, refusal.id)}>
          Keep it
        </button>
      </p>
    );
  if (!asking)
    return (
      <button type="button" className="button button--quiet-inline" onClick={() => setAsking(true)} aria-label={`Discard this ${what}`}>
        Discard this draft
      </button>
    );
  return (
    <p className="confirm" role="group" aria-label={`Discard this ${what}?`}>
      Discard this draft? It goes from your records on every device.{' '}
      <button type="button" className="button button--danger" onClick={() => void enqueueCommand(userId, { type: 'discard-draft', record: name })}>
        Discard it
      </button>{' '}
      <button type="button" className="button" onClick={() => setAsking(false)}>
        Keep it
      </button>
    </p>
  );
}
