/** Names and limits of the sync protocol, shared by the device and the server. */

/** The websocket path on the server's one port. */
export const SYNC_PATH = '/sync';

/**
 * Each device sends an id of its own (made once, kept on the device) with its sync connection and its
 * requests for changes: updates are attributed to it, and a device is not told of its own changes.
 */
export const DEVICE_PARAM = 'device';

/** Each person's channel document: the server tells their devices through it that records have changed. */
export const inboxDocName = (userId: string) => `inbox/${userId}`;
export const parseInboxDocName = (name: string): string | null => (name.startsWith('inbox/') && name.length > 6 ? name.slice(6) : null);

/** A message on the websocket may not be larger than this. */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
/** A record's document may not grow past this: a form is text, not files. */
export const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;
/**
 * How many documents one device attaches to its websocket at once while sending. The server holds
 * every document waiting for authentication in memory, so a device with thousands of records sends them
 * in batches rather than all at once.
 */
export const SYNC_BATCH_SIZE = 50;

/** Messages the device sends on a record's document. */
export type SyncRequest = { type: 'stored?' };
/** Messages the server sends on a person's inbox. */
/** What a person's inbox tells their devices: records changed elsewhere, or a new notification. */
export type InboxMessage = { type: 'changed'; docs: string[] } | { type: 'notification' } | { type: 'actions' };

/**
 * The server's answer, on a record's document, when it refuses a change a device sent (sent only by the
 * server: clients cannot broadcast to each other). The device shows `message` and stops resending.
 */
export type SyncRefusal = { type: 'refused'; reason: string; message: string };
