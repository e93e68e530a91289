/**
 * What a client may write into a record's document. Hocuspocus applies any well-formed Yjs update from a
 * read-write connection; this module looks inside an update BEFORE it is applied and says whether the
 * person may make it. The parts of a record that only the server writes stay the server's:
 *
 *  - the practitioner's reflection (written through a command),
 *  - the record's status and the times and people of its steps (`meta.status` after creation, `meta.completedAt`, who moderated and closed it),
 *  - the rest of `meta` once it is set (who wrote the record, when, which kind it is),
 *  - whom a document copy writes for (`writers`): a copy may note only itself, and only as the person signed in,
 *  - what the server drafted into a quarterly summary (`drafted`: its figures and quotes).
 *
 * Yjs encodes where an item goes sparingly: an item carries its parent (a root type's name, or the item of
 * the nested type it sits in) only when it has no neighbour; otherwise it goes where its neighbour (origin)
 * is. So each item's place is resolved through its neighbours — in the update itself or in the document.
 * An update that refers to an item neither holds (a "pending" dependency) is refused: once the missing
 * item arrived, it would land wherever that item is, unchecked. A legitimate device only refers to items
 * the server already has or that it sends with them.
 */
import * as Y from 'yjs';
import type { Person } from '../../domain/directory';
import { META, REFLECTION, WRITERS } from '../../recordModel/recordDoc';
import { DRAFTED } from '../../recordModel/summaryDoc';

export type WriteRefusal =
  | { reason: 'server-owned'; message: string }
  | { reason: 'malformed'; message: string }
  | { reason: 'missing-dependency'; message: string };

/** Where an item sits: the root type it belongs to, and (for an item directly in a root map) its key. */
interface Place {
  root: string;
  /** The map key, for an item directly in a root map; null in a text or array, or inside a nested type. */
  key: string | null;
}

/** An item whose place could not be decided because a neighbour was garbage collected: Yjs drops it. */
const NOWHERE = 'nowhere' as const;
/** An item that refers to something neither the update nor the document holds. */
const MISSING = 'missing' as const;
type Resolved = Place | typeof NOWHERE | typeof MISSING;

/** Meta keys a device writes once, when it makes the record. */
const META_SET_ONCE = new Set(['id', 'kind', 'createdAt', 'authorId', 'authorName', 'authorTeamId']);

type AnyStruct = Y.Item | Y.GC | { id: Y.ID; length: number; constructor: unknown };

function findInDoc(doc: Y.Doc, id: Y.ID): AnyStruct | undefined {
  const structs = doc.store.clients.get(id.client) as AnyStruct[] | undefined;
  if (!structs || structs.length === 0) return undefined;
  const last = structs[structs.length - 1]!;
  if (id.clock >= last.id.clock + last.length) return undefined;
  return structs[Y.findIndexSS(structs as Y.Item[], id.clock)];
}

/** The root type (and key) an integrated type lives under. */
function placeOfType(type: Y.AbstractType<unknown>, key: string | null): Place {
  let current = type;
  let nested = false;
  while (current._item !== null) {
    nested = true;
    current = current._item.parent as Y.AbstractType<unknown>;
  }
  return { root: Y.findRootTypeKey(current), key: nested ? null : key };
}

/**
 * Decides whether `user` may apply `update` to `doc` (the live document, which holds everything stored).
 * Returns null when they may.
 */
export function checkRecordWrite(doc: Y.Doc, update: Uint8Array, user: Person, record: { kind: string; id: string }): WriteRefusal | null {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return { reason: 'malformed', message: 'The change could not be read.' };
  }
  const inUpdate = new Map<number, Y.Item[]>();
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    const list = inUpdate.get(struct.id.client) ?? [];
    list.push(struct);
    inUpdate.set(struct.id.client, list);
  }
  const findInUpdate = (id: Y.ID): Y.Item | undefined =>
    inUpdate.get(id.client)?.find((item) => item.id.clock <= id.clock && id.clock < item.id.clock + item.length);

  const resolving = new Set<Y.Item>();
  const memo = new Map<Y.Item, Resolved>();

  /** Where an item of the update will land. */
  const placeOfUpdateItem = (item: Y.Item): Resolved => {
    const known = memo.get(item);
    if (known) return known;
    if (resolving.has(item)) return MISSING; // a cycle: no honest encoder makes one
    resolving.add(item);
    let place: Resolved;
    const parent = item.parent as unknown;
    if (typeof parent === 'string') place = { root: parent, key: item.parentSub };
    else if (parent instanceof Y.ID) {
      // Inside a nested type: it belongs to the root that type lives in.
      const owner = resolveId(parent);
      place = owner === NOWHERE || owner === MISSING ? owner : { root: owner.root, key: null };
    } else {
      const neighbour = item.origin ?? item.rightOrigin;
      place = neighbour ? resolveId(neighbour) : MISSING;
      // A map entry that replaces another has that entry as its origin: same root, same key.
    }
    resolving.delete(item);
    memo.set(item, place);
    return place;
  };

  /** Where the item with this id is (in the update or the document). */
  const resolveId = (id: Y.ID): Resolved => {
    const fromUpdate = findInUpdate(id);
    if (fromUpdate) return placeOfUpdateItem(fromUpdate);
    const fromDoc = findInDoc(doc, id);
    if (!fromDoc) return MISSING;
    if (!(fromDoc instanceof Y.Item)) return NOWHERE; // garbage collected: Yjs will drop what refers to it
    return placeOfType(fromDoc.parent as Y.AbstractType<unknown>, fromDoc.parentSub);
  };

  const meta = doc.getMap(META);
  /** The keys of `writers` this update notes for its own copies: the only entries it may replace. */
  const ownWriterKeys = new Set<string>();
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    const place = placeOfUpdateItem(struct);
    if (place === MISSING) return { reason: 'missing-dependency', message: 'The change refers to parts of the record the server does not have.' };
    if (place === NOWHERE) continue;
    const refusal = checkPlace(place, struct);
    if (refusal) return refusal;
  }

  // Deletions: a device may delete what it may write, nothing of the server's.
  for (const [client, ranges] of decoded.ds.clients) {
    for (const range of ranges) {
      const end = range.clock + range.len;
      let clock = range.clock;
      while (clock < end) {
        const id = Y.createID(client, clock);
        const fromUpdate = findInUpdate(id);
        const target = fromUpdate ?? findInDoc(doc, id);
        if (!target) return { reason: 'missing-dependency', message: 'The change deletes parts of the record the server does not have.' };
        // A deletion the server has already made changes nothing: a device's state carries every deletion it
        // knows of, the server's own among them (its overwriting a status or a summary's draft, say).
        if (target instanceof Y.Item && (fromUpdate || !target.deleted)) {
          const place = fromUpdate ? placeOfUpdateItem(fromUpdate) : placeOfType(target.parent as Y.AbstractType<unknown>, target.parentSub);
          if (place === MISSING) return { reason: 'missing-dependency', message: 'The change refers to parts of the record the server does not have.' };
          if (place !== NOWHERE && (place.root === REFLECTION || place.root === META || place.root === DRAFTED)) return serverOwned(place);
          // Replacing its own note deletes the old one; nobody else's note may be deleted.
          if (place !== NOWHERE && place.root === WRITERS && !ownWriterKeys.has(place.key ?? '')) return serverOwned(place);
        }
        clock = target.id.clock + target.length;
      }
    }
  }
  return null;

  function checkPlace(place: Place, item: Y.Item): WriteRefusal | null {
    if (place.root === REFLECTION || place.root === DRAFTED) return serverOwned(place);
    if (place.root === META) {
      if (place.key === null) return serverOwned(place);
      const value = firstValue(item);
      if (place.key === 'status' && value === 'draft' && !meta.has('status')) return null; // a new record starts as a draft
      if (!META_SET_ONCE.has(place.key) || meta.has(place.key)) return serverOwned(place);
      if (place.key === 'authorId' && value !== user.id) return serverOwned(place);
      if (place.key === 'id' && value !== record.id) return serverOwned(place);
      if (place.key === 'kind' && value !== record.kind) return serverOwned(place);
      return null;
    }
    if (place.root === WRITERS) {
      // A document copy notes whom it writes for: only itself (its own client id), only as this person.
      const value = firstValue(item) as { id?: unknown } | undefined;
      if (place.key !== String(item.id.client) || value?.id !== user.id) return serverOwned(place);
      ownWriterKeys.add(place.key);
      return null;
    }
    return null;
  }
}

function serverOwned(place: Place): WriteRefusal {
  const what = place.root === REFLECTION ? 'the practitioner’s reflection' : place.root === DRAFTED ? 'what it drafted into the summary' : place.root === META ? `the record’s ${place.key ?? 'details'}` : 'who wrote this copy of the record';
  return { reason: 'server-owned', message: `Only the server changes ${what}.` };
}

function firstValue(item: Y.Item): unknown {
  const content = item.content as { arr?: unknown[] };
  return Array.isArray(content.arr) ? content.arr[0] : undefined;
}

/** Whether an update changes nothing (no items, no deletions): what an inbox, which carries no content, accepts. */
export function isEmptyUpdate(update: Uint8Array): boolean {
  try {
    const { structs, ds } = Y.decodeUpdate(update);
    return structs.length === 0 && ds.clients.size === 0;
  } catch {
    return false;
  }
}
