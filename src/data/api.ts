/**
 * Calls to the Fieldnotes server's HTTP API. Calls made `signedIn` carry a fresh access token (renewed
 * through the refresh cookie when it is about to run out, and once more if the server says it has expired).
 */
import { apiErrorSchema, REFRESH_PATH, signInResponseSchema, type SignInRequest, type SignInResponse } from '../../domain/auth';
import { commandOutcomeSchema, type Command, type CommandOutcome } from '../../domain/commands';
import { directorySchema, type Directory } from '../../domain/directory';
import type { RecordListing } from '../../domain/records';
import { currentAccessToken, freshAccessToken, SignInNeeded } from './session';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The server could not be reached at all (no signal, or the server is down). */
export class UnreachableError extends Error {
  constructor() {
    super('Cannot reach the Fieldnotes server. Check the connection and try again.');
  }
}

export interface ApiInit {
  token?: string | null;
  method?: string;
  body?: unknown;
  baseUrl?: string;
  /** This device's id, for the server's audit log. */
  deviceId?: string;
  /** Another fetch (Node test devices bring one with a cookie jar; browsers keep cookies themselves). */
  fetch?: typeof fetch;
}

const answeredListeners = new Set<() => void>();

/**
 * Calls back whenever the server answers a request (any answer of its own, even a refusal): it is up, so
 * sync can connect at once instead of waiting out its backoff.
 */
export function onServerAnswered(listener: () => void): () => void {
  answeredListeners.add(listener);
  return () => answeredListeners.delete(listener);
}

export async function apiFetch(path: string, init: ApiInit = {}): Promise<unknown> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  if (init.deviceId) headers['X-Fieldnotes-Device'] = init.deviceId;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await (init.fetch ?? fetch)(`${init.baseUrl ?? ''}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: init.body === undefined ? null : JSON.stringify(init.body),
      cache: 'no-store',
    });
  } catch {
    throw new UnreachableError();
  }
  const payload: unknown = await response.json().catch(() => null);
  if (response.ok) answeredListeners.forEach((listener) => listener());
  else {
    const parsed = apiErrorSchema.safeParse(payload);
    // A 502/503/504 from a proxy means the server itself is not there.
    if (!parsed.success && response.status >= 502) throw new UnreachableError();
    answeredListeners.forEach((listener) => listener());
    throw new ApiError(response.status, parsed.success ? parsed.data.error : 'error', parsed.success ? parsed.data.message : `The server answered ${response.status}.`);
  }
  return payload;
}

/**
 * Posts binary (the bulk sync path) and returns the binary answer. Errors as apiFetch: ApiError for the
 * server's refusals (JSON), UnreachableError when it cannot be reached.
 */
export async function postBinary(path: string, body: Uint8Array, init: Omit<ApiInit, 'body' | 'method'> = {}): Promise<Uint8Array> {
  const headers: Record<string, string> = { Accept: 'application/octet-stream, application/json', 'Content-Type': 'application/octet-stream' };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  if (init.deviceId) headers['X-Fieldnotes-Device'] = init.deviceId;
  let response: Response;
  let answer: ArrayBuffer;
  try {
    response = await (init.fetch ?? fetch)(`${init.baseUrl ?? ''}${path}`, { method: 'POST', headers, body: body as BodyInit, cache: 'no-store' });
    answer = await response.arrayBuffer();
  } catch {
    throw new UnreachableError();
  }
  if (response.ok) {
    answeredListeners.forEach((listener) => listener());
    return new Uint8Array(answer);
  }
  let payload: unknown = null;
  try {
    payload = JSON.parse(new TextDecoder().decode(answer));
  } catch {
    payload = null;
  }
  const parsed = apiErrorSchema.safeParse(payload);
  if (!parsed.success && response.status >= 502) throw new UnreachableError();
  answeredListeners.forEach((listener) => listener());
  throw new ApiError(response.status, parsed.success ? parsed.data.error : 'error', parsed.success ? parsed.data.message : `The server answered ${response.status}.`);
}

export async function signIn(request: SignInRequest): Promise<SignInResponse> {
  return signInResponseSchema.parse(await apiFetch('/api/sign-in', { body: request }));
}

/**
 * Renews the sign-in: the browser sends the HttpOnly refresh cookie (same origin) and stores the new one;
 * a new access token comes back. A 401 means the person must sign in again.
 */
export async function refreshOnServer(baseUrl = '', fetchWith?: typeof fetch): Promise<SignInResponse> {
  try {
    return signInResponseSchema.parse(await apiFetch(REFRESH_PATH, { method: 'POST', baseUrl, ...(fetchWith ? { fetch: fetchWith } : {}) }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) throw new SignInNeeded();
    throw error;
  }
}

/** A valid access token for the person signed in on this device (renewed if needed). */
export async function accessToken(baseUrl = '', force = false): Promise<string> {
  return freshAccessToken(() => refreshOnServer(baseUrl), force);
}

/** An API call as the signed-in person: with a fresh token, renewed once more if the server says it expired. */
export async function signedInFetch(path: string, init: Omit<ApiInit, 'token'> = {}): Promise<unknown> {
  try {
    return await apiFetch(path, { ...init, token: await accessToken(init.baseUrl) });
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'expired') throw error;
    return apiFetch(path, { ...init, token: await accessToken(init.baseUrl, true) });
  }
}

/**
 * Ends this device's sign-in on the server: the refresh cookie's (sent by the browser) and, if this tab
 * holds one, the access token's. Works without an access token, which a reloaded tab may not have.
 */
export async function signOutOnServer(baseUrl = '', fetchWith?: typeof fetch): Promise<void> {
  await apiFetch(REFRESH_PATH, { method: 'DELETE', token: currentAccessToken(), baseUrl, ...(fetchWith ? { fetch: fetchWith } : {}) });
}

export async function fetchDirectory(token?: string): Promise<Directory> {
  return directorySchema.parse(await (token ? apiFetch('/api/directory', { token }) : signedInFetch('/api/directory')));
}

/** Every record the server lets this person read, and how. */
export async function fetchRecordListing(getToken: () => Promise<string> | string, baseUrl = ''): Promise<RecordListing[]> {
  return ((await apiFetch('/api/records', { token: await getToken(), baseUrl })) as { records: RecordListing[] }).records;
}

/** Sends one command; the answer is the same however often the same command is sent. */
export async function sendCommand(command: Command, getToken: () => Promise<string> | string, baseUrl = '', deviceId?: string): Promise<CommandOutcome> {
  return commandOutcomeSchema.parse(await apiFetch('/api/commands', { token: await getToken(), body: command, baseUrl, ...(deviceId ? { deviceId } : {}) }));
}

export async function checkHealth(): Promise<boolean> {
  return checkHealthAt('');
}

/** Asks a server whether it is up (its own origin when `baseUrl` is ''); throws when it cannot be reached. */
export async function checkHealthAt(baseUrl: string): Promise<boolean> {
  await apiFetch('/api/health', { baseUrl });
  return true;
}

export interface RecordChanges {
  changes: { name: string; seq: number }[];
  cursor: number;
  more: boolean;
  /** The id of the server's latest restore from a backup ('' if none): a new one means it may lack what this device sent. */
  restore?: string;
}

/** Records this person may read that changed on the server after `after`. */
export async function fetchRecordChanges(getToken: () => Promise<string> | string, after: number, deviceId: string, baseUrl = ''): Promise<RecordChanges> {
  return (await apiFetch(`/api/records/changes?after=${after}&device=${encodeURIComponent(deviceId)}`, { token: await getToken(), baseUrl })) as RecordChanges;
}
