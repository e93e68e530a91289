/** What the sync manager's parts share: its options, its status, and the few calls they make on each other. */
export type ConnectionState = 'connecting' | 'online' | 'offline' | 'signed-out';

export interface SyncStatus {
  connection: ConnectionState;
  /** While a pass sends records: how many of how many are confirmed stored. */
  sending: { done: number; total: number } | null;
  /** While a pass fetches records made or changed elsewhere (a new tablet's first sync): how many are in. */
  fetching?: { done: number; total: number } | null;
  /** When the last complete pass finished (ISO time). */
  lastSyncAt: string | null;
  /** Something the person should know that the index cannot tell: the sign-in is no longer accepted. */
  problem: string | null;
  /**
   * Records a pass tried and failed to get stored (no proof of storage in time, or the server closed
   * them). An id leaves the list the moment the record is proved stored. The status bar shows only those
   * still unsent in the index, so it never reports a failure that has since been put right.
   */
  failed: readonly string[];
}

/**
 * Who has a record open right now, and where they are in it (Yjs awareness, only for records on screen).
 * The server accepts a state only when `userId` and `name` are the signed-in person's, so those two stay
 * at the top level; the caret and colour ride in fields of their own (a state stays far under 4 KiB).
 */
export interface PresenceState {
  userId: string;
  name: string;
  /** The field they are in, or '' when none has the focus. */
  field: string;
  /** The colour their caret and selection are drawn in on other screens (#rrggbb). */
  colour?: string;
  /** Their caret and selection in a narrative field, as Yjs relative positions (JSON), or null. */
  cursor?: PresenceCursor | null;
}

export interface PresenceCursor {
  field: string;
  anchor: unknown;
  head: unknown;
}

export interface SyncManagerOptions {
  /** Whose device stores to use (the signed-in person's id in the app). */
  storeId: string;
  userId: string;
  /** A valid access token (the app renews it with the refresh token when it is about to run out). */
  getToken(): string | Promise<string>;
  /**
   * Called when the server refuses the sign-in: try to renew it (refresh token). Resolves true when a new
   * token is ready, false when the person must sign in again. Without it, a refusal stops sync at once.
   */
  renewSignIn?(): Promise<boolean>;
  /** The server's origin, e.g. http://127.0.0.1:8080; '' for the page's own origin. */
  serverUrl: string;
  /** Whether to keep the QA programme (assignments, schedule, coverage) on the device; not for administrators. */
  fetchProgramme?: boolean;
  /** For Node, where there is no global WebSocket (tests, benchmarks). */
  WebSocketPolyfill?: unknown;
  /** Documents attached at once on the live path. */
  batchSize?: number;
  /** Documents per request on the bulk path (sending), and per page when fetching. */
  bulkBatchSize?: number;
  /** Send every record on the live path, as before the bulk path (the benchmark's comparison; tests of the live path). */
  liveOnly?: boolean;
  /** How long to wait for one record to be confirmed stored before leaving it for the next pass. */
  recordTimeoutMs?: number;
  /** Backoff between reconnection attempts (with jitter). */
  reconnect?: { delay: number; maxDelay: number };
}

/** The sync manager as its parts see it. */
export interface SyncShared {
  readonly options: SyncManagerOptions;
  deviceId: string;
  readonly destroyed: boolean;
  getStatus(): SyncStatus;
  update(patch: Partial<SyncStatus>): void;
  /** Runs a pass after `delayMs` (coalesced). */
  requestPass(delayMs: number): void;
  /** The server refused the sign-in (or a record): renew it, or stop and ask the person to sign in. */
  onAuthFailure(reason: string): void;
  /** The server has proved it stores everything this device has of a record (live path): mark it sent. */
  recordStored(id: string): Promise<void>;
  /** Records already marked sent (bulk path): they leave the list of failures. */
  forgetFailures(ids: string[]): void;
}

export function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
