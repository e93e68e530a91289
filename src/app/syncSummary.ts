/**
 * What the status bar says, from two sources read at the same moment: the sync manager's status and the
 * device's index of unsent records. Every sentence is derived from the same list of unsent records, so
 * the bar can never say "Everything is sent" beside a record that could not be sent: a record proved
 * stored leaves the list, and every message about it goes with it.
 */
import type { SyncStatus } from '../data/sync/syncManager';

/** A record with changes the server has not confirmed; `blocked` when this person may no longer write it. */
export interface UnsentRecord {
  id: string;
  blocked: boolean;
}

export interface SyncSummary {
  /** "Everything is sent" or "3 records not yet sent" ('' while the index loads). */
  unsent: string;
  /** Progress while a pass sends records, only while connected. */
  sending: string | null;
  /** Progress while a pass fetches records made or changed elsewhere (a new tablet's first sync). */
  fetching: string | null;
  /** What went wrong and what the person can do about it, one sentence each. */
  problems: string[];
}

/** 1,000 rather than 1000, as people write it. */
const count = (n: number) => n.toLocaleString('en-GB');
const records = (n: number) => `${n} ${n === 1 ? 'record' : 'records'}`;

export function summariseSync(status: SyncStatus | null, unsent: readonly UnsentRecord[] | undefined): SyncSummary {
  const problems: string[] = [];
  if (status?.problem) problems.push(status.problem);
  const fetching = status?.connection === 'online' && status.fetching ? `Fetching your records: ${count(status.fetching.done)} of ${count(status.fetching.total)}` : null;
  if (unsent === undefined) return { unsent: '', sending: null, fetching, problems };

  const sendable = new Set(unsent.filter((r) => !r.blocked).map((r) => r.id));
  const blocked = unsent.length - sendable.size;
  // Only failures still true now: a record stored since is no longer in the list.
  const failed = (status?.failed ?? []).filter((id) => sendable.has(id)).length;
  const online = status?.connection === 'online';

  if (failed > 0) {
    problems.push(
      `${records(failed)} could not be sent yet. ${failed === 1 ? 'It is' : 'They are'} safe on this tablet and Fieldnotes keeps trying` +
        (online ? ': choose Sync now to try again straight away.' : ' once it is connected again.'),
    );
  }
  if (blocked > 0) {
    problems.push(
      `Changes to ${records(blocked)} cannot be sent: ${blocked === 1 ? 'it was' : 'they were'} completed, or your access changed. ` +
        `Your changes stay on this tablet; ask the record’s author to add them if they are needed.`,
    );
  }
  return {
    unsent: unsent.length === 0 ? 'Everything is sent' : `${records(unsent.length)} not yet sent`,
    sending: online && status?.sending ? `Sending ${status.sending.done} of ${status.sending.total}` : null,
    fetching,
    problems,
  };
}
