/**
 * The heads of service's quarterly summaries (domain/summary.ts; St Helens 2.6, 4.2, appendices 1–2).
 *
 * Starting one is the server's: it drafts the summary from the read model (record_facts with the documents
 * registry, as the reports read it: the activity table and the spread of grades for the service and quarter)
 * and, for the quarter's reviews and family feedback in that service, from their stored documents (quotes of
 * "what has gone well" and "what needs to happen", and families' words given with consent), and makes the
 * record — a Yjs document like any other, which the head of service and the QA team then write together.
 * One per service and quarter: starting one that exists answers the existing one.
 *
 * Submitting it to the leadership team is a command (commands.ts hands it here): checked like completing a
 * record, then read-only for everyone (the registry's status, which the write policy enforces), and the
 * director and assistant director are told.
 */
import * as Y from 'yjs';
import { dateInEngland } from '../domain/actions';
import type { Person } from '../domain/directory';
import { formLayouts } from '../domain/kinds';
import { parsePeriodId, previousPeriod } from '../domain/periods';
import { recordDocName } from '../domain/records';
import {
  draftSummary,
  startSummarySchema,
  summaryLayout,
  summaryRecipientRoles,
  summarySubmitSchema,
  type SummaryDraft,
  type SummaryListing,
} from '../domain/summary';
import { initRecordDoc, readMeta, readValues, setStatus } from '../recordModel/recordDoc';
import { readDrafted, writeDrafted } from '../recordModel/summaryDoc';
import type { Access, RecordRow } from './access';
import type { ServerDatabase } from './database';
import type { Notifications } from './notifications';
import { readReportFacts } from './reports';
import type { DocumentStore } from './persistence/documentStore';
import type { Collaboration } from './sync/collaboration';

export class SummaryRefused extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 = 400,
    readonly problems?: { field: string; message: string }[],
  ) {
    super(message);
  }
}

export interface SummariesDeps {
  db: ServerDatabase;
  access: Access;
  store: DocumentStore;
  collaboration: Pick<Collaboration, 'editAsServer' | 'stopWritersWhoMayNot' | 'recheckAccess' | 'notifyReaders'>;
  notifications: Notifications;
  now(): Date;
}



export class Summaries {
  /** Summaries being drafted now, by service and quarter: a second start meanwhile waits for the first. */
  private readonly starting = new Map<string, Promise<{ name: string; created: boolean }>>();

  constructor(private readonly deps: SummariesDeps) {}

  /** Starts (or finds) the summary of a service for a quarter; `input` is unchecked JSON. */
  async start(user: Person, input: unknown): Promise<{ name: string; created: boolean }> {
    const parsed = startSummarySchema.safeParse(input);
    if (!parsed.success) throw new SummaryRefused(parsed.error.issues[0]?.message ?? 'Choose a service and a quarter.');
    const { service, quarter, redraft = false } = parsed.data;
    if (!(user.role === 'qa-officer' || (user.role === 'head-of-service' && user.serviceId === service)))
      throw new SummaryRefused('The quarterly summary of a service is started by its head of service or the QA team.', 403);
    const serviceRow = this.deps.db.prepare('SELECT id, name FROM services WHERE id = ?').get(service) as { id: string; name: string } | undefined;
    if (!serviceRow) throw new SummaryRefused('There is no such service.', 404);
    const key = `${service} ${quarter}`;
    const running = this.starting.get(key);
    if (running) return running;
    const started = this.startOnce(user, serviceRow, quarter, redraft).finally(() => this.starting.delete(key));
    this.starting.set(key, started);
    return started;
  }

  private existing(service: string, quarter: string): string | null {
    return (this.deps.db.prepare('SELECT doc FROM quarterly_summaries WHERE service_id = ? AND quarter = ?').get(service, quarter) as { doc: string } | undefined)?.doc ?? null;
  }

  private async startOnce(user: Person, service: { id: string; name: string }, quarterId: string, redraft: boolean): Promise<{ name: string; created: boolean }> {
    const found = this.existing(service.id, quarterId);
    // A submitted summary keeps the figures it was submitted with.
    if (found && redraft && this.deps.access.record(found)?.status !== 'draft')
      throw new SummaryRefused('This summary has been submitted: its figures stay as they were when it was submitted.');
    // Registered but never written (the server stopped between the two): drafted now, so it is never an empty shell.
    // Drafted again when asked: records finished since it was started (a late moderation, say) come in; what
    // people wrote is theirs and is left as it is.
    if (found && !redraft && (await this.isDrafted(found))) return { name: found, created: false };
    const { db, access, store } = this.deps;
    const quarter = parsePeriodId(quarterId)!;
    const previous = previousPeriod(quarter);
    const teams = db.prepare('SELECT id, name FROM teams WHERE service_id = ? ORDER BY name').all(service.id) as { id: string; name: string }[];
    const readable = access.readableWhere(user);
    // The read model, as the reports read it: the service's finished records of the quarter and the one before.
    const facts = readReportFacts(
      db,
      { where: `d.team_id IN (SELECT id FROM teams WHERE service_id = @service) AND ${readable.sql}`, params: { ...readable.params, service: service.id } },
      previous.start,
      quarter.end,
    );
    // Quotes need the words: the quarter's reviews and consented feedback are read from what the server stored.
    const values = new Map<string, Record<string, string>>();
    for (const fact of facts) {
      const inQuarter = fact.onDate >= quarter.start && fact.onDate <= quarter.end;
      if (!inQuarter || (fact.kind !== 'review' && !(fact.kind === 'feedback' && fact.consent === 'yes'))) continue;
      const record = access.record(fact.doc);
      const state = await store.load(fact.doc);
      if (!record || !state) continue;
      const doc = new Y.Doc();
      Y.applyUpdate(doc, state);
      values.set(fact.doc, readValues(doc, formLayouts[record.kind]) as Record<string, string>);
    }
    const at = this.deps.now();
    const draft = draftSummary({ service, teams, quarter, facts, values, draftedAt: at });

    if (found) {
      await this.writeDraft(found, user, at, draft, redraft);
      return { name: found, created: false };
    }
    // Registered in one transaction, checked again: two people starting it at once get the same summary.
    const id = crypto.randomUUID();
    const name = recordDocName('summary', id);
    const registered = db.transaction(() => {
      const again = this.existing(service.id, quarterId);
      if (again) return again;
      db.prepare("INSERT INTO documents (name, kind, author_id, team_id, created_at, status) VALUES (?, 'summary', ?, NULL, ?, 'draft')").run(name, user.id, at.toISOString());
      db.prepare('INSERT INTO quarterly_summaries (doc, service_id, quarter, quarter_start, started_by, started_at) VALUES (?, ?, ?, ?, ?, ?)').run(
        name,
        service.id,
        quarterId,
        quarter.start,
        user.id,
        at.toISOString(),
      );
      return null;
    })();
    if (registered) return { name: registered, created: false };
    await this.writeDraft(name, user, at, draft);
    return { name, created: true };
  }

  private async isDrafted(name: string): Promise<boolean> {
    const state = await this.deps.store.load(name);
    if (!state) return false;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    return readDrafted(doc) !== null;
  }

  /** Writes the record's metadata (once) and the draft into its document, as the server, and tells its readers. */
  private async writeDraft(name: string, user: Person, at: Date, draft: SummaryDraft, redraft = false) {
    const id = name.slice('summary/'.length);
    let submittedMeanwhile = false;
    await this.deps.collaboration.editAsServer(name, user, (doc) => {
      // Drafting reads documents, so it takes a moment: a summary submitted in that moment keeps its figures.
      if (redraft && this.deps.access.record(name)?.status !== 'draft') {
        submittedMeanwhile = true;
        return;
      }
      if (!readMeta(doc)) initRecordDoc(doc, { id, kind: 'summary', status: 'draft', createdAt: at.toISOString(), authorId: user.id, authorName: user.displayName, authorTeamId: '' });
      writeDrafted(doc, draft);
    });
    if (submittedMeanwhile) throw new SummaryRefused('This summary has been submitted: its figures stay as they were when it was submitted.');
    this.deps.collaboration.notifyReaders(name);
  }

  /** The summaries this person may read, newest quarter first (then by service). */
  list(user: Person): SummaryListing[] {
    const readable = this.deps.access.readableWhere(user);
    const rows = this.deps.db
      .prepare(
        `SELECT s.doc, s.service_id, sv.name AS service_name, s.quarter, s.started_at, st.display_name AS started_by_name,
                s.submitted_at, sb.display_name AS submitted_by_name, d.status
         FROM quarterly_summaries s JOIN documents d ON d.name = s.doc JOIN services sv ON sv.id = s.service_id
         JOIN users st ON st.id = s.started_by LEFT JOIN users sb ON sb.id = s.submitted_by
         WHERE ${readable.sql}
         ORDER BY s.quarter_start DESC, sv.name`,
      )
      .all(readable.params) as {
      doc: string;
      service_id: string;
      service_name: string;
      quarter: string;
      started_at: string;
      started_by_name: string;
      submitted_at: string | null;
      submitted_by_name: string | null;
      status: string;
    }[];
    return rows.map((r) => ({
      name: r.doc,
      serviceId: r.service_id,
      serviceName: r.service_name,
      quarter: r.quarter,
      quarterLabel: parsePeriodId(r.quarter)?.label ?? r.quarter,
      status: r.status === 'draft' ? 'draft' : 'submitted',
      startedAt: r.started_at,
      startedByName: r.started_by_name,
      submittedAt: r.submitted_at,
      submittedByName: r.submitted_by_name,
    }));
  }

  /**
   * The submit command (commands.ts checked the person's access and that the server holds what they saw):
   * the head of service of its service or the QA team submit it, once all three parts are written.
   */
  async submit(user: Person, record: RecordRow, stored: Y.Doc): Promise<void> {
    const { db, access, collaboration } = this.deps;
    if (access.accessTo(user, record).level !== 'write') {
      throw new SummaryRefused(
        record.status === 'draft' ? 'The head of service of its service or the QA team submit a quarterly summary.' : 'This summary has already been submitted.',
        403,
      );
    }
    const values = readValues(stored, summaryLayout);
    const checked = summarySubmitSchema.safeParse(values);
    if (!checked.success)
      throw new SummaryRefused(
        'The summary is not ready to be submitted.',
        400,
        checked.error.issues.map((issue) => ({ field: String(issue.path[0] ?? ''), message: issue.message })),
      );
    const at = this.deps.now();
    const changed = db.transaction(() => {
      const result = db.prepare("UPDATE documents SET status = 'submitted', completed_at = ? WHERE name = ? AND status = 'draft'").run(at.toISOString(), record.name);
      if (result.changes === 0) return false;
      db.prepare('UPDATE quarterly_summaries SET submitted_by = ?, submitted_at = ? WHERE doc = ?').run(user.id, at.toISOString(), record.name);
      return true;
    })();
    if (!changed) throw new SummaryRefused('This summary has already been submitted.');
    // From this instant nobody's connection writes to it, not even what is already on its way.
    collaboration.stopWritersWhoMayNot(record.name);
    await collaboration.editAsServer(record.name, user, (doc) => setStatus(doc, 'submitted', at));
    const about = db
      .prepare('SELECT sv.name AS service, s.quarter FROM quarterly_summaries s JOIN services sv ON sv.id = s.service_id WHERE s.doc = ?')
      .get(record.name) as { service: string; quarter: string };
    const leaders = db
      .prepare(`SELECT id FROM users WHERE active = 1 AND role IN (${summaryRecipientRoles.map(() => '?').join(', ')})`)
      .all(...summaryRecipientRoles) as { id: string }[];
    this.deps.notifications.notify(
      leaders.map((l) => l.id),
      'summary-submitted',
      record.name,
      `${user.displayName} submitted the quarterly summary of ${about.service} for ${parsePeriodId(about.quarter)?.label ?? about.quarter} to the leadership team (${dateInEngland(at)}).`,
    );
  }
}
