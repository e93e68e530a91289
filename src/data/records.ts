/**
 * The searchable index of records ("My records"): one Dexie row per record, derived from its document
 * so that lists and search never open documents.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { summaryFields } from '../../domain/kinds';
import { parseRecordDocName, type RecordKind, type RecordListing, type RecordMeta, type RecordSummary } from '../../domain/records';
import { dbFor } from './db';
import { reportStorageError, reportStorageRecovered } from './storageHealth';

/** The index row of a record from its metadata and field values. */
export function summariseRecord(meta: RecordMeta, values: Record<string, string>, updatedAt: string, unsynced: 0 | 1): RecordSummary {
  // Each kind names the date its form is about, and the practitioner it is about.
  const fields = summaryFields[meta.kind];
  return {
    id: meta.id,
    kind: meta.kind,
    status: meta.status,
    childId: values.childId ?? '',
    // Left out when empty, as most rows are (issue 20: a smaller row is a faster list of thousands).
    ...(values.childName ? { childName: values.childName } : {}),
    practitionerId: values[fields.practitionerId] ?? '',
    practitionerName: values[fields.practitionerName] ?? '',
    teamId: values.teamId || meta.authorTeamId,
    date: values[fields.date] ?? '',
    ...(values.linkedRecord ? { linkedRecord: values.linkedRecord } : {}),
    // Family feedback's score and giver, for the child's page chart; other kinds have neither.
    ...(meta.kind === 'feedback' ? { score: values.score ?? '', givenBy: values.giver ?? '', consent: values.consent ?? '' } : {}),
    createdAt: meta.createdAt,
    updatedAt,
    authorId: meta.authorId,
    unsynced,
  };
}

/** Rewrites a record's row from its document, keeping what the server said about access. */
export async function writeSummary(userId: string, summary: RecordSummary): Promise<void> {
  await rewriteSummary(userId, summary, false);
}

/** Rewrites a record's row after a change from elsewhere: whether it is sent does not change. */
export async function writeSummaryKeepingSentState(userId: string, summary: RecordSummary): Promise<void> {
  await rewriteSummary(userId, summary, true);
}

async function rewriteSummary(userId: string, summary: RecordSummary, keepSentState: boolean): Promise<void> {
  const db = dbFor(userId);
  try {
    await db.transaction('rw', db.records, async () => {
      const existing = await db.records.get(summary.id);
      await db.records.put({
        ...summary,
        ...(keepSentState ? { unsynced: existing?.unsynced ?? 0 } : {}),
        ...(existing?.access ? { access: existing.access } : {}),
        ...(existing?.relationship ? { relationship: existing.relationship } : {}),
        ...(existing?.participants ? { participants: existing.participants } : {}),
      });
    });
    reportStorageRecovered();
  } catch (error) {
    reportStorageError(error);
  }
}

/**
 * Brings the index in line with what the server lets this person read: each listed record gets its
 * access and status; a record no longer listed whose changes are all sent is one the person has lost
 * access to, and is returned so that it can be removed from the device. (A record with unsent changes is
 * kept: it may be new, and nothing unsent is ever thrown away.)
 */
export async function applyRecordListing(userId: string, listing: RecordListing[]): Promise<{ kind: RecordKind; id: string }[]> {
  const db = dbFor(userId);
  const byId = new Map(listing.map((l) => [parseRecordDocName(l.name)?.id ?? '', l]));
  return db.transaction('rw', db.records, async () => {
    const lost: { kind: RecordKind; id: string }[] = [];
    const changed: RecordSummary[] = [];
    for (const row of await db.records.toArray()) {
      const listed = byId.get(row.id);
      if (listed) {
        const next = { access: listed.access, relationship: listed.relationship, status: listed.status, participants: listed.participants };
        if (JSON.stringify([row.access, row.relationship, row.status, row.participants]) !== JSON.stringify(Object.values(next))) changed.push({ ...row, ...next });
      } else if (row.unsynced === 0) {
        lost.push({ kind: row.kind, id: row.id });
      }
    }
    // In bulk: after a first sync of thousands of records, each one's row changes.
    await db.records.bulkPut(changed);
    await db.records.bulkDelete(lost.map((r) => r.id));
    return lost;
  });
}

/** Marks a record as sent: the server has proved it stores everything this device has. */
export async function markSent(userId: string, id: string): Promise<void> {
  await dbFor(userId).records.update(id, { unsynced: 0 });
}

/** Ids of the records with changes the server has not confirmed. */
export async function unsentRecordIds(userId: string): Promise<{ kind: RecordSummary['kind']; id: string }[]> {
  return (await unsentRecords(userId)).map((r) => ({ kind: r.kind, id: r.id }));
}

/**
 * The records with changes the server has not confirmed, split into those that can be sent and those
 * this person may only read now, or not open at all (completed, or their access changed). One read of the
 * index, partitioned here: a filtered cursor over thousands of rows costs seconds in IndexedDB.
 */
export async function unsentRecords(userId: string): Promise<RecordSummary[]> {
  return dbFor(userId).records.where('unsynced').equals(1).toArray();
}

export const cannotBeSent = (record: RecordSummary) => record.access === 'read' || record.access === 'none';

/** Every record on the device this person may still write: after a server restore, each is offered again. */
export async function writableRecords(userId: string): Promise<{ kind: RecordSummary['kind']; id: string }[]> {
  return (await dbFor(userId).records.toArray()).filter((r) => !cannotBeSent(r)).map(({ kind, id }) => ({ kind, id }));
}

/** Ids of every record in this person's index on the device. */
export async function indexedRecordIds(userId: string): Promise<string[]> {
  return (await dbFor(userId).records.toCollection().primaryKeys()) as string[];
}

/** Notes how the server now lets this person use a record (a refusal to open it: 'none'). */
export async function markAccess(userId: string, id: string, access: NonNullable<RecordSummary['access']>): Promise<void> {
  await dbFor(userId).records.update(id, { access });
}

export async function getMeta(userId: string, key: string): Promise<string | null> {
  return (await dbFor(userId).meta.get(key))?.value ?? null;
}

export async function setMeta(userId: string, key: string, value: string): Promise<void> {
  await dbFor(userId).meta.put({ key, value });
}

/** How many rows "My records" reads first on opening: a screenful on the tallest tablet, with some to spare. */
export const FIRST_SCREEN_ROWS = 30;

/** "My records" as read so far: the newest rows first, then all of them; `total` counts them all from the start. */
export interface MyRecords {
  records: RecordSummary[];
  total: number;
  /** false while only the first screen has been read. */
  complete: boolean;
}

/** A moderation is shown inside its review and a quarterly summary under Reports: neither is listed here. */
const listedInMyRecords = (r: RecordSummary) => r.kind !== 'moderation' && r.kind !== 'summary';

/** The day a record is listed under: the date its form is about, or the day it was made while it has none. */
export const listDate = (r: RecordSummary): string => r.date || r.createdAt.slice(0, 10);

/**
 * The top of My records in its default order (by the date each record is about, newest first) — at least
 * FIRST_SCREEN_ROWS rows when there are that many, and never a row out of place — and the count of them all.
 */
export async function readFirstScreen(userId: string): Promise<{ records: RecordSummary[]; total: number }> {
  const db = dbFor(userId);
  return db.transaction('r', db.records, async () => {
    const [dated, undated, all, unlisted] = await Promise.all([
      db.records.where('date').above('').reverse().filter(listedInMyRecords).limit(FIRST_SCREEN_ROWS).toArray(),
      // Drafts with no date yet are listed by the day they were made: few, so all of them.
      db.records.where('date').equals('').filter(listedInMyRecords).toArray(),
      db.records.count(),
      db.records.where('kind').anyOf('moderation', 'summary').count(),
    ]);
    // Past the last date read, rows not read may come first: keep only what is surely the top of the list,
    // with every row on that last date (ties are ordered by when they changed, which the page sorts).
    const last = dated.length === FIRST_SCREEN_ROWS ? dated.at(-1)!.date : '';
    const onLastDay = last ? await db.records.where('date').equals(last).filter(listedInMyRecords).toArray() : [];
    const byId = new Map([...dated, ...onLastDay, ...undated].map((r) => [r.id, r]));
    const records = [...byId.values()].filter((r) => listDate(r) >= last);
    return { records, total: all - unlisted };
  });
}

/**
 * Every record on this device for this person; `undefined` while loading. A moderation is shown inside its
 * review, not as a record of its own. The first screenful in the list's default order (by the date each record
 * is about, newest first) and the count come from the index in one short read; all the rows follow in a
 * second, so the list is on screen before thousands of rows have been read.
 */
export function useMyRecords(userId: string): MyRecords | undefined {
  const head = useLiveQuery(() => readFirstScreen(userId), [userId]);
  const started = head !== undefined;
  const all = useLiveQuery<RecordSummary[] | undefined>(
    // Read forwards in one getAll and reversed here: a reversed or filtered Dexie collection walks a cursor,
    // one row at a time, which is what costs time at thousands of rows.
    async () => (started ? (await dbFor(userId).records.orderBy('updatedAt').toArray()).reverse().filter(listedInMyRecords) : undefined),
    [userId, started],
  );
  if (all) return { records: all, total: all.length, complete: true };
  if (head) return { ...head, complete: head.records.length >= head.total };
  return undefined;
}

/** Family feedback gathered for a record, live, oldest first: shown inside that record. */
export function useLinkedFeedback(userId: string, record: string): RecordSummary[] | undefined {
  return useLiveQuery(
    async () => (await dbFor(userId).records.where('kind').equals('feedback').filter((r) => r.linkedRecord === record).toArray()).sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    [userId, record],
  );
}

/**
 * Every record on this device for one child, live, newest first by the date the form is about (or when
 * it was made, while it has no date). A moderation is shown inside its review, so it is left out.
 */
export function useChildRecords(userId: string, childId: string): RecordSummary[] | undefined {
  return useLiveQuery(
    async () =>
      (await dbFor(userId).records.where('childId').equals(childId).filter((r) => r.kind !== 'moderation').toArray()).sort(
        (a, b) => (b.date || b.createdAt).localeCompare(a.date || a.createdAt) || b.createdAt.localeCompare(a.createdAt),
      ),
    [userId, childId],
  );
}

/** One record's row of the index, live; `undefined` while loading, `null` if it is not indexed. */
export function useRecordSummary(userId: string, id: string): RecordSummary | null | undefined {
  return useLiveQuery(async () => (await dbFor(userId).records.get(id)) ?? null, [userId, id]);
}

/**
 * The records with changes the server has not yet confirmed, live, each marked `blocked` when this person
 * may no longer write it (so those changes cannot be sent). The status bar derives every sentence from this.
 */
export function useUnsentRecords(userId: string): { id: string; blocked: boolean }[] | undefined {
  return useLiveQuery(async () => (await unsentRecords(userId)).map((r) => ({ id: r.id, blocked: cannotBeSent(r) })), [userId]);
}

/** How many records have changes the server has not yet confirmed. */
export function useUnsentCount(userId: string): number | undefined {
  return useLiveQuery(() => dbFor(userId).records.where('unsynced').equals(1).count(), [userId]);
}


/** Each record's `updatedAt` in the index now (a bulk send compares it again before marking sent). */
export async function indexedVersions(userId: string, ids: string[]): Promise<Map<string, string>> {
  const rows = await dbFor(userId).records.bulkGet(ids);
  return new Map(rows.filter((r): r is RecordSummary => !!r).map((r) => [r.id, r.updatedAt]));
}

export interface BatchOutcome {
  /** Records the server proved it stores as they were sent, with their index row's `updatedAt` when read for sending. */
  proved: Map<string, string>;
  /** Index rows made from records' documents after what arrived from the server was stored. */
  received: RecordSummary[];
  /** What the server now lets this person do with records it refused. */
  access: Map<string, 'read' | 'none'>;
}

/**
 * Writes one bulk batch's outcome to the index in one transaction (bulkGet + bulkPut): proved records are
 * marked sent — only if their row is unchanged since they were read for sending (a change made meanwhile
 * is not in what was proved); rows of received records are rewritten, keeping whether they are sent and
 * what the server said about access; refused records get their access.
 */
export async function applyBatchOutcome(userId: string, outcome: BatchOutcome): Promise<Set<string>> {
  const db = dbFor(userId);
  const received = new Map(outcome.received.map((r) => [r.id, r]));
  const ids = [...new Set([...outcome.proved.keys(), ...received.keys(), ...outcome.access.keys()])];
  const marked = new Set<string>();
  await db.transaction('rw', db.records, async () => {
    const rows = await db.records.bulkGet(ids);
    const next: RecordSummary[] = [];
    ids.forEach((id, i) => {
      const existing = rows[i];
      const fresh = received.get(id);
      let row: RecordSummary | undefined = fresh
        ? {
            ...fresh,
            unsynced: existing?.unsynced ?? 0,
            ...(existing?.access ? { access: existing.access } : {}),
            ...(existing?.relationship ? { relationship: existing.relationship } : {}),
            ...(existing?.participants ? { participants: existing.participants } : {}),
          }
        : existing;
      if (!row) return;
      const sentVersion = outcome.proved.get(id);
      if (sentVersion !== undefined && existing?.updatedAt === sentVersion) {
        row = { ...row, unsynced: 0 };
        marked.add(id);
      }
      const access = outcome.access.get(id);
      if (access) row = { ...row, access };
      next.push(row);
    });
    await db.records.bulkPut(next);
  });
  return marked;
}
