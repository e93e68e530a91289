/** Calls to the Fieldnotes server's HTTP API. Every call carries the sign-in token when there is one. */
import { apiErrorSchema, signInResponseSchema, type SignInRequest, type SignInResponse } from '../../domain/auth';
import { directorySchema, type Directory } from '../../domain/directory';

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

export async function apiFetch(
  path: string,
  init: { token?: string | null; method?: string; body?: unknown; baseUrl?: string } = {},
): Promise<unknown> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${init.baseUrl ?? ''}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: init.body === undefined ? null : JSON.stringify(init.body),
      cache: 'no-store',
    });
  } catch {
    throw new UnreachableError();
  }
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const parsed = apiErrorSchema.safeParse(payload);
    // A 502/503/504 from a proxy means the server itself is not there.
    if (!parsed.success && response.status >= 502) throw new UnreachableError();
    throw new ApiError(response.status, parsed.success ? parsed.data.error : 'error', parsed.success ? parsed.data.message : `The server answered ${response.status}.`);
  }
  return payload;
}

export async function signIn(request: SignInRequest): Promise<SignInResponse> {
  return signInResponseSchema.parse(await apiFetch('/api/sign-in', { body: request }));
}

export async function signOutOnServer(token: string): Promise<void> {
  await apiFetch('/api/sign-out', { token, method: 'POST', body: {} });
}

export async function fetchDirectory(token: string): Promise<Directory> {
  return directorySchema.parse(await apiFetch('/api/directory', { token }));
}

export async function checkHealth(): Promise<boolean> {
  await apiFetch('/api/health');
  return true;
}

export interface RecordChanges {
  changes: { name: string; seq: number }[];
  cursor: number;
  more: boolean;
}

/** Records this person may read that changed on the server after `after`. */
export async function fetchRecordChanges(token: string, after: number, deviceId: string, baseUrl = ''): Promise<RecordChanges> {
  return (await apiFetch(`/api/records/changes?after=${after}&device=${encodeURIComponent(deviceId)}`, { token, baseUrl })) as RecordChanges;
}
