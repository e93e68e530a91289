/**
 * Limits that keep every write a legitimate device makes far inside what the server accepts (it refuses
 * a document over 8 MiB and a message over 2 MiB). Shared by the app, which enforces them as people type,
 * and anything else that needs to know them.
 */

/**
 * The most characters one narrative field may hold: about 8,000 words, several times the longest
 * evaluation the frameworks ask for. Fifteen narrative fields at this size, even as UTF-8 with Yjs'
 * bookkeeping, stay well under the server's 8 MiB per document.
 */
export const MAX_NARRATIVE_CHARS = 50_000;
