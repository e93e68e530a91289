/**
 * Fetching records made or changed elsewhere on the bulk path, a page at a time: a new tablet with a
 * thousand records to read gets them in pages of many documents each, each page stored in one write and
 * indexed in one bulkPut, so "My records" lists the first page while the rest arrives — and the status bar
 * says how far it has got ("Fetching your records: 400 of 1,000").
 */
import type { RecordKind } from '../../../domain/records';
import { BULK_BATCH_SIZE, exchangeBatch, type BatchItem } from './bulkPath';
import type { SyncShared } from './types';

/** The first page is smaller, so the list has something to show sooner. */
const FIRST_PAGE = 50;
/** A record the server keeps deferring (its answer always full) is left for the live path after this many tries. */
const MAX_DEFERRALS = 3;

export interface FetchResult {
  /** Records no answer settled (the pass is then incomplete and asks again). */
  failed: string[];
  /** Records to fetch on the live path instead. */
  live: BatchItem[];
  received: number;
}

export async function fetchInBulk(shared: SyncShared, records: { kind: RecordKind; id: string }[]): Promise<FetchResult> {
  const result: FetchResult = { failed: [], live: [], received: 0 };
  if (records.length === 0) return result;
  const pageSize = shared.options.bulkBatchSize ?? BULK_BATCH_SIZE;
  const queue: BatchItem[] = records.map((r) => ({ ...r, send: false }));
  const deferrals = new Map<string, number>();
  const total = records.length;
  let done = 0;
  let first = true;
  shared.update({ fetching: { done, total } });
  try {
    while (queue.length > 0) {
      if (shared.destroyed || shared.getStatus().connection !== 'online') {
        result.failed.push(...queue.map((i) => i.id));
        break;
      }
      const page = queue.splice(0, first ? Math.min(FIRST_PAGE, pageSize) : pageSize);
      first = false;
      const outcome = await exchangeBatch(shared, page);
      result.failed.push(...outcome.failed);
      result.live.push(...outcome.live);
      result.received += outcome.received;
      for (const item of outcome.deferred) {
        const tries = (deferrals.get(item.id) ?? 0) + 1;
        deferrals.set(item.id, tries);
        if (tries >= MAX_DEFERRALS) result.live.push(item);
        else queue.push(item);
      }
      done += page.length - outcome.deferred.length;
      shared.update({ fetching: { done: Math.min(done, total), total } });
    }
  } finally {
    shared.update({ fetching: null });
  }
  return result;
}
