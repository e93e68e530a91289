/** The presence check on its own: who may speak for, and remove, which presence. */
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import type { Person } from '../../domain/directory';
import { checkPresence, STALE_PRESENCE_MS, type KnownPresence } from './presencePolicy';

const okafor = { id: 'u-okafor', displayName: 'Grace Okafor' } as Person;
const patel = { id: 'u-patel', displayName: 'Ravi Patel' } as Person;
const NOW = 1_000_000;

/** An awareness update as y-protocols encodes it. */
function update(...entries: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(e, clientId);
    encoding.writeVarUint(e, clock);
    encoding.writeVarString(e, JSON.stringify(state));
  }
  return encoding.toUint8Array(e);
}

/** Okafor's presence 7, as the server holds it: clock 3, last heard `ago` ms before now. */
const okaforsPresence = (ago: number, present = true) => {
  const owners = new Map([[7, okafor.id]]);
  const known = (clientId: number): KnownPresence | undefined => (clientId === 7 ? { clock: 3, lastUpdated: NOW - ago, present } : undefined);
  return { owners, known };
};

describe('removing a presence', () => {
  it('someone else may not remove one that is still speaking', () => {
    const { owners, known } = okaforsPresence(1_000);
    expect(checkPresence(update({ clientId: 7, clock: 4, state: null }), patel, owners, known, NOW)).toBe('that presence belongs to someone else');
  });

  it('a device may relay the removal of one the server has not heard from for nearly the timeout, or has already removed', () => {
    const stale = okaforsPresence(STALE_PRESENCE_MS + 1);
    expect(checkPresence(update({ clientId: 7, clock: 4, state: null }), patel, stale.owners, stale.known, NOW)).toBeNull();
    const gone = okaforsPresence(1_000, false);
    expect(checkPresence(update({ clientId: 7, clock: 4, state: null }), patel, gone.owners, gone.known, NOW)).toBeNull();
  });

  it('a relay that changes nothing (an old clock) passes, and its owner may always remove their own', () => {
    const { owners, known } = okaforsPresence(1_000);
    expect(checkPresence(update({ clientId: 7, clock: 3, state: null }), patel, owners, known, NOW)).toBeNull();
    expect(checkPresence(update({ clientId: 7, clock: 4, state: null }), okafor, owners, known, NOW)).toBeNull();
  });
});

describe('speaking', () => {
  it('a presence names the person signed in, and a claimed id stays theirs', () => {
    const owners = new Map<number, string>();
    const none = () => undefined;
    expect(checkPresence(update({ clientId: 9, clock: 1, state: { userId: patel.id, name: patel.displayName } }), okafor, owners, none, NOW)).toBe('presence must name the person signed in');
    expect(checkPresence(update({ clientId: 9, clock: 1, state: { userId: okafor.id, name: okafor.displayName } }), okafor, owners, none, NOW)).toBeNull();
    expect(owners.get(9)).toBe(okafor.id);
    expect(checkPresence(update({ clientId: 9, clock: 2, state: { userId: patel.id, name: patel.displayName } }), patel, owners, none, NOW)).toBe('that presence belongs to someone else');
  });
});
