/**
 * Family mode: the tablet handed to a child or parent to fill in one family feedback form. While it is on,
 * the app shows only that form (or a locked screen), whatever the URL says, in every tab: the state lives
 * in localStorage so that it survives a reload, closing and reopening the app, and reaches other tabs
 * through the `storage` event. It is read synchronously, so the first render after a reload already knows
 * the tablet is in family mode and never flashes the record list.
 *
 * Leaving needs the worker's PIN (checked on the device, so it works with no signal) or their password
 * (checked by the server). The PIN is kept only as a salted PBKDF2 hash, and after a few wrong PINs only
 * the password will do, so a family cannot simply try every PIN. The threat is someone holding the tablet;
 * a person with developer tools on an unlocked tablet is out of reach of any web page.
 */
import { useSyncExternalStore } from 'react';
import { z } from 'zod';
import type { SignInResponse } from '../../domain/auth';
import { ApiError, signedInFetch, signIn, UnreachableError } from './api';
import { loadSession, SignInNeeded } from './session';
import { fromBase64, toBase64 } from '../../domain/base64';

const KEY = 'fieldnotes.familyMode';
/** After this long with no touch or key press, family mode locks: a form left on a table shows nothing. */
export const FAMILY_IDLE_MS = 5 * 60_000;
/** Wrong PINs allowed before only the password unlocks the tablet. */
export const PIN_ATTEMPTS = 5;
const PBKDF2_ITERATIONS = 210_000;
/** Activity is written down at most this often (it is only needed to lock on reopening after a while). */
const ACTIVITY_WRITE_MS = 5_000;

const familyModeSchema = z.object({
  /** The worker who handed the tablet over: their records' store, and whose password unlocks it. */
  userId: z.string(),
  /** The family feedback the family is filling in. */
  recordId: z.string(),
  pin: z.object({ salt: z.string(), hash: z.string(), iterations: z.number().int().positive() }).nullable(),
  failedPinAttempts: z.number().int().min(0),
  locked: z.boolean(),
  /** Why it is locked: the family said they have finished, or nobody touched it for a while. */
  lockedBecause: z.enum(['finished', 'idle']).optional(),
  lastActivityAt: z.number(),
});
export type FamilyMode = z.infer<typeof familyModeSchema>;

/** PIN rules, shown to the worker when they choose one. */
export const pinPattern = /^[0-9]{4,8}$/;

// --- the store: localStorage, with listeners in this tab and the `storage` event from others ---

const listeners = new Set<() => void>();
let cachedRaw: string | null | undefined;
let cachedState: FamilyMode | null = null;

function read(): FamilyMode | null {
  const raw = localStorage.getItem(KEY);
  if (raw === cachedRaw) return cachedState;
  cachedRaw = raw;
  cachedState = raw === null ? null : parse(raw);
  return cachedState;
}

/**
 * A stored family mode that cannot be read (damaged, or from a version we do not know) fails closed: the
 * tablet stays locked, and only the worker's password opens it.
 */
function parse(raw: string): FamilyMode {
  try {
    const parsed = familyModeSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  return { userId: '', recordId: '', pin: null, failedPinAttempts: PIN_ATTEMPTS, locked: true, lastActivityAt: 0 };
}

function write(state: FamilyMode | null): void {
  if (state === null) localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, JSON.stringify(state));
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === KEY || event.key === null) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** Family mode as it is now, or `null` when the tablet is not in family mode. */
export function readFamilyMode(): FamilyMode | null {
  return read();
}

/** Family mode, live (this tab and others). */
export function useFamilyMode(): FamilyMode | null {
  return useSyncExternalStore(subscribe, read, () => null);
}

// --- starting, activity, locking ---

export async function startFamilyMode(userId: string, recordId: string, pin: string): Promise<void> {
  if (!pinPattern.test(pin)) throw new Error('A PIN is 4 to 8 numbers.');
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await hashPin(pin, salt, PBKDF2_ITERATIONS);
  write({ userId, recordId, pin: { salt: toBase64(salt), hash, iterations: PBKDF2_ITERATIONS }, failedPinAttempts: 0, locked: false, lastActivityAt: Date.now() });
}

/** Someone is using the form: push the idle lock back. */
export function noteFamilyActivity(now = Date.now()): void {
  const state = read();
  if (!state || state.locked || now - state.lastActivityAt < ACTIVITY_WRITE_MS) return;
  write({ ...state, lastActivityAt: now });
}

/** Whether the form has been left alone long enough to lock (also on reopening the app after a while). */
export function isIdle(state: FamilyMode, now = Date.now()): boolean {
  return now - state.lastActivityAt >= FAMILY_IDLE_MS;
}

export function lockFamilyMode(because: 'finished' | 'idle'): void {
  const state = read();
  if (state && !state.locked) write({ ...state, locked: true, lockedBecause: because });
}

// --- leaving ---

export type UnlockResult =
  /** `signedIn`: the sign-in had run out, and the password signed the worker in again. */
  { unlocked: true; signedIn?: SignInResponse } | { unlocked: false; problem: string };

/** Whether the PIN can still unlock the tablet, or only the password now. */
export function pinUsable(state: FamilyMode): boolean {
  return state.pin !== null && state.failedPinAttempts < PIN_ATTEMPTS;
}

/**
 * Ends family mode with the worker's PIN. Each wrong PIN counts, across reloads; once they run out, only
 * the password is accepted. (A wrong PIN is never tried as a password: that would spend the worker's
 * sign-in attempts on the server's throttle.)
 */
export async function leaveFamilyModeWithPin(pin: string): Promise<UnlockResult> {
  const state = read();
  if (!state) return { unlocked: true };
  if (!state.pin || !pinUsable(state)) return { unlocked: false, problem: 'Too many wrong PINs have been tried. Unlock with your Fieldnotes password.' };
  const hash = pinPattern.test(pin) ? await hashPin(pin, fromBase64(state.pin.salt), state.pin.iterations) : '';
  if (hash === state.pin.hash) {
    write(null);
    return { unlocked: true };
  }
  const failed = state.failedPinAttempts + 1;
  write({ ...(read() ?? state), failedPinAttempts: failed });
  const left = PIN_ATTEMPTS - failed;
  return {
    unlocked: false,
    problem: left <= 0 ? 'That PIN is not right, and too many wrong PINs have been tried. Unlock with your Fieldnotes password.' : `That PIN is not right. ${left} more ${left === 1 ? 'try' : 'tries'} before only your password will unlock it.`,
  };
}

/** Ends family mode with the worker's password, checked by the server (with its sign-in limits). */
export async function leaveFamilyModeWithPassword(password: string): Promise<UnlockResult> {
  const state = read();
  if (!state) return { unlocked: true };
  return confirmPassword(state, password);
}

async function confirmPassword(state: FamilyMode, password: string): Promise<UnlockResult> {
  // Only the worker who handed the tablet over (when known) can unlock it with a password.
  const session = loadSession();
  if (!session || (state.userId && session.user.id !== state.userId)) return { unlocked: false, problem: 'Only the worker who handed over the tablet can unlock it.' };
  let signedIn: SignInResponse | undefined;
  try {
    await signedInFetch('/api/confirm-password', { body: { password } });
  } catch (error) {
    if (error instanceof SignInNeeded) {
      // Their sign-in ran out while the family had the tablet: the password signs them in again instead,
      // so the tablet is never stuck locked (and sync carries on).
      try {
        signedIn = await signIn({ username: session.user.username, password });
      } catch (signInError) {
        return { unlocked: false, problem: problemWith(signInError) };
      }
    } else return { unlocked: false, problem: problemWith(error) };
  }
  write(null);
  return signedIn ? { unlocked: true, signedIn } : { unlocked: true };
}

function problemWith(error: unknown): string {
  if (error instanceof UnreachableError) return 'Your password can only be checked with a connection. Use your PIN, or try again when there is signal.';
  if (error instanceof ApiError && error.status === 401) return 'That password is not right.';
  if (error instanceof ApiError) return error.message;
  return 'Your password could not be checked. Try again.';
}

// --- PIN hashing (WebCrypto PBKDF2) ---

async function hashPin(pin: string, salt: Uint8Array, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations }, key, 256);
  return toBase64(new Uint8Array(bits));
}

