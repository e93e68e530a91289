/**
 * Where the server keeps records' Yjs documents. A small interface so that the embedded SQLite store,
 * the in-memory store for tests and (later) PostgreSQL are interchangeable:
 *
 *  - load:    the document's merged state, `null` if it has never been stored; throws if it cannot be
 *             read — a failed load must never be mistaken for an empty document;
 *  - append:  one update, attributed to who sent it and when; resolves only once it is durable;
 *  - appendMany: many updates (of many documents) in one durable write, all or nothing: it resolves once
 *             every one is durable, and rejects with none of them stored (the bulk path's one commit);
 *  - compact: folds what has been appended into one snapshot so loads stay fast. Attribution (who, when,
 *             how many bytes) is kept for every update;
 *  - close:   (optional) waits for every write under way and releases what the store holds (the SQLite
 *             store's commit thread), before the database is closed.
 */
export interface UpdateAttribution {
  userId: string | null;
  /** The device it came from, as the device names itself. */
  deviceId: string | null;
  receivedAt: string;
}

export interface StoredUpdateInfo extends UpdateAttribution {
  id: number;
  doc: string;
  bytes: number;
}

export interface AppendEntry {
  name: string;
  update: Uint8Array;
  attribution: UpdateAttribution;
}

export interface DocumentStore {
  load(name: string): Promise<Uint8Array | null>;
  append(name: string, update: Uint8Array, attribution: UpdateAttribution): Promise<void>;
  appendMany(entries: AppendEntry[]): Promise<void>;
  compact(name: string): Promise<void>;
  /** Who sent each stored update of a document, oldest first. */
  history(name: string): Promise<StoredUpdateInfo[]>;
  close?(): Promise<void>;
}

/** Raised when a stored document cannot be read: the server then refuses to open it. */
export class DocumentLoadError extends Error {
  constructor(name: string, cause: unknown) {
    super(`The stored document "${name}" could not be read.`, { cause });
  }
}
