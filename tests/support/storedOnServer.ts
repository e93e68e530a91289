/** Reads what a server (run as a child process) has stored, straight from its SQLite database. */
import Database from 'better-sqlite3';
import path from 'node:path';
import * as Y from 'yjs';
import { formLayouts } from '../../domain/kinds';
import type { RecordKind } from '../../domain/records';
import { readMeta, readValues } from '../../recordModel/recordDoc';
import { SqliteDocumentStore } from '../../sync-server/persistence/sqliteStore';

export async function storedRecord(dataDir: string, kind: RecordKind, id: string) {
  const db = new Database(path.join(dataDir, 'fieldnotes.sqlite'), { readonly: true });
  try {
    const state = await new SqliteDocumentStore(db).load(`${kind}/${id}`);
    const doc = new Y.Doc();
    if (state) Y.applyUpdate(doc, state);
    return { stored: state !== null, meta: readMeta(doc), values: readValues(doc, formLayouts[kind]) };
  } finally {
    db.close();
  }
}

export const storedObservation = (dataDir: string, id: string) => storedRecord(dataDir, 'observation', id);

/** The records a server (run as a child process) stored from the bulk path (issue 20), from its audit log. */
export function recordsChangedInBulk(dataDir: string): Set<string> {
  const db = new Database(path.join(dataDir, 'fieldnotes.sqlite'), { readonly: true });
  try {
    return new Set((db.prepare("SELECT DISTINCT doc FROM audit_log WHERE action = 'change' AND detail = 'bulk'").all() as { doc: string }[]).map((r) => r.doc));
  } finally {
    db.close();
  }
}
