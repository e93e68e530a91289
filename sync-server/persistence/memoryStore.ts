/**
 * An in-memory document store for tests, with the same behaviour as the SQLite one. It can be told to
 * fail loads or appends of chosen documents, to prove the server never stores over what it could not read.
 */
import * as Y from 'yjs';
import { DocumentLoadError, type AppendEntry, type DocumentStore, type StoredUpdateInfo, type UpdateAttribution } from './documentStore';

export class MemoryDocumentStore implements DocumentStore {
  private nextId = 1;
  private readonly snapshots = new Map<string, Uint8Array>();
  private readonly updates: (StoredUpdateInfo & { data: Uint8Array | null })[] = [];
  readonly failLoads = new Set<string>();
  readonly failAppends = new Set<string>();
  /** Every write made, so a test can prove that none was made. */
  readonly writes: { op: 'append' | 'compact'; doc: string }[] = [];

  async load(name: string): Promise<Uint8Array | null> {
    if (this.failLoads.has(name)) throw new DocumentLoadError(name, new Error('injected load failure'));
    const parts = [this.snapshots.get(name), ...this.updates.filter((u) => u.doc === name && u.data).map((u) => u.data)].filter(
      (p): p is Uint8Array => !!p,
    );
    return parts.length ? Y.mergeUpdates(parts) : null;
  }

  async append(name: string, update: Uint8Array, attribution: UpdateAttribution): Promise<void> {
    if (this.failAppends.has(name)) throw new Error('injected append failure');
    this.writes.push({ op: 'append', doc: name });
    this.updates.push({ id: this.nextId++, doc: name, bytes: update.byteLength, data: update.slice(), ...attribution });
  }

  /** All or nothing: one injected failure among the entries stores none of them. */
  async appendMany(entries: AppendEntry[]): Promise<void> {
    if (entries.some((e) => this.failAppends.has(e.name))) throw new Error('injected append failure');
    for (const { name, update, attribution } of entries) {
      this.writes.push({ op: 'append', doc: name });
      this.updates.push({ id: this.nextId++, doc: name, bytes: update.byteLength, data: update.slice(), ...attribution });
    }
  }

  async compact(name: string): Promise<void> {
    const state = await this.load(name);
    if (!state) return;
    this.writes.push({ op: 'compact', doc: name });
    this.snapshots.set(name, state);
    for (const u of this.updates) if (u.doc === name) u.data = null;
  }

  async history(name: string): Promise<StoredUpdateInfo[]> {
    return this.updates.filter((u) => u.doc === name).map(({ data: _data, ...info }) => info);
  }
}
