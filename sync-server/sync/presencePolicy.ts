/**
 * Presence (Yjs awareness) is relayed to everyone with a record open, so it must say who is really there:
 * each state a connection sends names the person signed in on it (`userId` and `name`, and `user.name` where
 * an editor binding shows carets by it), is small, and
 * speaks only for presence client ids that person introduced — nobody can pose as, or remove, another
 * (a device that reconnects keeps its client id, and its person).
 */
import * as decoding from 'lib0/decoding';
import type { Awareness } from 'y-protocols/awareness';
import type { Person } from '../../domain/directory';

/** A presence state larger than this is not presence. */
export const MAX_PRESENCE_STATE_BYTES = 4096;

/**
 * Someone else's presence may be removed by a relay once the server has heard nothing from it for this
 * long: Yjs times presence out after 30 s (y-protocols' outdatedTimeout) and checks every 3 s, so a
 * device's removal can only come after the server's own copy is this old.
 */
export const STALE_PRESENCE_MS = 25_000;

/** What the server's copy of the presence holds for a client id. */
export interface KnownPresence {
  clock: number;
  /** When the server last heard from it (ms since the epoch). */
  lastUpdated: number;
  /** Whether it still has a state (not removed). */
  present: boolean;
}

/** What the server's copy of a document's presence holds for a client id, if anything. */
export function knownPresence(awareness: Awareness, clientId: number): KnownPresence | undefined {
  const meta = awareness.meta.get(clientId);
  return meta && { clock: meta.clock, lastUpdated: meta.lastUpdated, present: awareness.states.has(clientId) };
}

/**
 * Why an awareness update is refused, or null when it may be applied. `currentClock` is the clock the
 * server's copy holds for a presence id (undefined if none).
 *
 * Devices relay what they hear: a provider sends every presence that changed on it, others' included, and
 * removes others' presences that have gone quiet. So an entry for someone else's presence is let through
 * when it changes nothing (its clock is not newer than the server's, which Yjs then ignores), or when it
 * removes a presence the server too has heard nothing from for nearly Yjs' 30-second timeout (a device
 * relays a removal only once its own copy timed out, and it heard the presence after the server did).
 * A removal of a presence that is still speaking is forged: it would hide that person's caret.
 */
export function checkPresence(update: Uint8Array, user: Person, owners: Map<number, string>, known: (clientId: number) => KnownPresence | undefined, now = Date.now()): string | null {
  const claims: number[] = [];
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const json = decoding.readVarString(decoder);
      if (json.length > MAX_PRESENCE_STATE_BYTES) return 'a presence state is too large';
      const state = JSON.parse(json) as unknown;
      const owner = owners.get(clientId);
      const current = known(clientId);
      const changesNothing = current !== undefined && clock <= current.clock;
      const someoneElses = owner !== undefined && owner !== user.id;
      if (state === null) {
        const stillSpeaking = current !== undefined && current.present && now - current.lastUpdated < STALE_PRESENCE_MS;
        if (someoneElses && stillSpeaking && !changesNothing) return 'that presence belongs to someone else';
        continue;
      }
      if (someoneElses && changesNothing) continue;
      if (someoneElses) return 'that presence belongs to someone else';
      if (typeof state !== 'object' || Array.isArray(state)) return 'a presence state is not an object';
      // `{}` is a presence that says nothing yet (Yjs' initial state); anything more names its person.
      if (Object.keys(state).length > 0) {
        const { userId, name, user: editorUser } = state as { userId?: unknown; name?: unknown; user?: { name?: unknown } };
        if (userId !== user.id || name !== user.displayName) {
          // Someone else's presence relayed without change (its owner not yet known here): harmless.
          if (changesNothing) continue;
          return 'presence must name the person signed in';
        }
        // Editor bindings show carets under `user.name`: that must be the same person.
        if (editorUser !== undefined && (typeof editorUser !== 'object' || editorUser === null || editorUser.name !== user.displayName))
          return 'presence must name the person signed in';
      }
      claims.push(clientId);
    }
    if (decoding.hasContent(decoder)) return 'unreadable presence';
  } catch {
    return 'unreadable presence';
  }
  for (const clientId of claims) owners.set(clientId, user.id);
  return null;
}
