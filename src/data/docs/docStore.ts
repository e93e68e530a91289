/**
 * INTERIM version of the device's document store functions, written over today's storage (y-indexeddb,
 * one IndexedDB database per record, through acquireDoc) so the bulk sync path can be built against them.
 * At merge this file is replaced by the shared-table version (one IndexedDB table for every record, one
 * transaction per call, no Y.Doc), which keeps exactly these two signatures. This version opens each
 * record's document, so it is neither one transaction nor fast; its callers must not rely on either.
 */
import * as Y from 'yjs';
import { parseRecordDocName } from '../../../domain/records';
import { acquireDoc } from './openRecord';

/** Each named record's whole state as one merged update (records not on this device are left out). */
export async function readDocStates(userId: string, docNames: string[]): Promise<Map<string, Uint8Array>> {
  const states = new Map<string, Uint8Array>();
  for (const name of docNames) {
    const parsed = parseRecordDocName(name);
    if (!parsed) continue;
    const { doc, release } = await acquireDoc(userId, parsed.kind, parsed.id);
    try {
      if (doc.store.clients.size > 0) states.set(name, Y.encodeStateAsUpdate(doc));
    } finally {
      release();
    }
  }
  return states;
}

/** Stores updates to records (also applied to a record open on screen). */
export async function storeDocUpdates(userId: string, updates: Array<{ docName: string; update: Uint8Array }>): Promise<void> {
  for (const { docName, update } of updates) {
    const parsed = parseRecordDocName(docName);
    if (!parsed) continue;
    const { doc, release } = await acquireDoc(userId, parsed.kind, parsed.id);
    try {
      Y.applyUpdate(doc, update, 'server');
    } finally {
      release();
    }
  }
}
