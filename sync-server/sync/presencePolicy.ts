/**
 * Presence (Yjs awareness) is relayed to everyone with a record open, so it must say who is really there:
 * each state a connection sends names the person signed in on it (`userId` and `name`, and `user.name` where
 * an editor binding shows carets by it), is small, and
 * speaks only for presence client ids that person introduced — nobody can pose as, or remove, another
 * (a device that reconnects keeps its client id, and its person).
 */
import * as decoding from 'lib0/decoding';
import type { Person } from '../../domain/directory';

/** A presence state larger than this is not presence. */
export const MAX_PRESENCE_STATE_BYTES = 4096;

/**
 * Why an awareness update is refused, or null when it may be applied. `currentClock` is the clock the
 * server's copy holds for a presence id (undefined if none).
 *
 * Devices relay what they hear: a provider sends every presence that changed on it, others' included, and
 * removes others' presences that have gone quiet. So an entry for someone else's presence is let through
 * when it changes nothing (its clock is not newer than the server's, which Yjs then ignores) or removes it
 * (a null state: the worst a forged one does is hide a caret until its owner's next update). Removals cannot
 * be told apart from a legitimate device's: HocuspocusProvider removes every other presence when its socket
 * closes and queues those removals, sending them once it reconnects, while the others are still there.
 */
export function checkPresence(update: Uint8Array, user: Person, owners: Map<number, string>, currentClock: (clientId: number) => number | undefined): string | null {
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
      const known = currentClock(clientId);
      const changesNothing = known !== undefined && clock <= known;
      if (state === null || (owner !== undefined && owner !== user.id && changesNothing)) continue;
      if (owner !== undefined && owner !== user.id) return 'that presence belongs to someone else';
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
