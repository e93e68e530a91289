/**
 * Where a quarterly summary keeps what the server drafted into it (domain/summary.ts): a root map only the
 * server writes (sync-server/sync/writePolicy.ts refuses a device's change to it), holding the draft as one
 * JSON string, so the figures and quotes a head of service submits are the ones the data gave.
 */
import * as Y from 'yjs';
import { summaryDraftSchema, type SummaryDraft } from '../domain/summary';

export const DRAFTED = 'drafted';

export function writeDrafted(doc: Y.Doc, draft: SummaryDraft): void {
  doc.getMap<string>(DRAFTED).set('draft', JSON.stringify(draft));
}

/** The draft, or null when the document has none (or not one this version understands). */
export function readDrafted(doc: Y.Doc): SummaryDraft | null {
  const raw = doc.getMap<string>(DRAFTED).get('draft');
  if (typeof raw !== 'string') return null;
  try {
    const parsed = summaryDraftSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
