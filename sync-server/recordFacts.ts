/**
 * The read model of finished records (table record_facts): what the QA programme's sample and coverage and
 * the reports (issue 17) need of each record, kept as records are finished and moderated, so that nothing
 * opens documents one by one to answer a list or a report. With the documents registry beside it (kind,
 * status, team, practitioner, author, when finished) it holds: the child and their level of need, a
 * review's grades as its reviewers gave them and as moderation agreed them (and the day it did), and
 * family feedback's score and consent. `grade` is the overall grade that counts (moderation's once agreed).
 * What reports count of the grades — per field, the grade that counts, how moderation moved it, whether it
 * changed any — are columns the database derives from `grades` and `agreed` whenever either is written
 * (triggers of the migration in database.ts), so this module writes the grades alone and the two cannot
 * disagree, whichever path wrote them.
 *
 * One function writes a record's row and one its moderation, whether called as a command is applied or
 * when the whole model is rebuilt from the stored documents — so rebuilt and incremental cannot disagree.
 */
import * as Y from 'yjs';
import { dateInEngland } from '../domain/actions';
import { formLayouts } from '../domain/kinds';
import { moderationIdFor } from '../domain/moderation';
import { reportGradeFields } from '../domain/reports';
import type { Access } from './access';
import type { ServerDatabase } from './database';
import type { DocumentStore } from './persistence/documentStore';
import { readValues } from '../recordModel/recordDoc';

/** A stored record's values, read from what the server stored (never from a device); {} when it is not stored. */
export function storedValuesFrom(access: Access, store: DocumentStore) {
  return async (name: string): Promise<Record<string, string>> => {
    const record = access.record(name);
    const state = await store.load(name);
    if (!record || !state) return {};
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    return readValues(doc, formLayouts[record.kind]) as Record<string, string>;
  };
}

export interface RecordFactsDeps {
  db: ServerDatabase;
  access: Access;
  /** A stored record's values (every field of its kind's layout; {} when it is not stored). */
  storedValues(name: string): Promise<Record<string, string>>;
}

/** The kinds with facts: those that are finished (a moderation's facts sit on its review's row). */
const FACT_KINDS = ['observation', 'review', 'feedback'];
/** The marker that the model has been rebuilt since it last gained columns. */
const MODEL_VERSION_KEY = 'record-facts-version';
const MODEL_VERSION = '2';

interface Read {
  name: string;
  kind: string;
  /** Its state when read: a record finished or moderated while the rebuild read others is read again. */
  status: string;
  values: Record<string, string>;
  moderation: { values: Record<string, string>; at: Date } | null;
}

const gradesOf = (values: Record<string, string>) => Object.fromEntries(reportGradeFields.flatMap((f) => (values[f] ? [[f, values[f]]] : [])));
const scoreOf = (value: string | undefined) => (value && /^(10|[0-9])$/.test(value) ? Number(value) : null);

export class RecordFacts {
  private readonly statements;
  constructor(private readonly deps: RecordFactsDeps) {
    const { db } = deps;
    this.statements = {
      record: db.prepare('SELECT kind, completed_at FROM documents WHERE name = ?'),
      upsert: db.prepare(
        `INSERT INTO record_facts (doc, child_id, child_name, level_of_need, grade, on_date, grades, agreed, moderated_on, score, consent)
         VALUES (@doc, @childId, @childName, @levelOfNeed, @grade, @onDate, @grades, NULL, NULL, @score, @consent)
         ON CONFLICT (doc) DO UPDATE SET child_id = excluded.child_id, child_name = excluded.child_name, level_of_need = excluded.level_of_need,
           grade = CASE WHEN record_facts.agreed IS NULL THEN excluded.grade ELSE record_facts.grade END,
           on_date = excluded.on_date, grades = excluded.grades, score = excluded.score, consent = excluded.consent`,
      ),
      moderated: db.prepare('UPDATE record_facts SET agreed = @agreed, moderated_on = @on, grade = CASE WHEN @overall = \'\' THEN grade ELSE @overall END WHERE doc = @doc'),
      moderatedOn: db.prepare(`SELECT received_at FROM commands WHERE type = 'moderate' AND doc = ? AND outcome = '{"status":"applied"}' ORDER BY received_at DESC LIMIT 1`),
    };
  }

  /** A record left the draft state (its completion is already in the registry): its row, from its values. */
  finished(name: string, values: Record<string, string>): void {
    const record = this.statements.record.get(name) as { kind: string; completed_at: string | null } | undefined;
    if (!record || !FACT_KINDS.includes(record.kind)) return;
    this.statements.upsert.run({
      doc: name,
      childId: values.childId ?? '',
      childName: values.childName ?? '',
      levelOfNeed: values.levelOfNeed ?? '',
      grade: values.overallGrade ?? '',
      onDate: dateInEngland(record.completed_at ? new Date(record.completed_at) : new Date()),
      grades: JSON.stringify(record.kind === 'review' ? gradesOf(values) : {}),
      score: record.kind === 'feedback' ? scoreOf(values.score) : null,
      consent: record.kind === 'feedback' ? (values.consent ?? '') : '',
    });
  }

  /** A review's moderation was recorded on `at`: its agreed grades are the ones that count. */
  moderated(reviewName: string, moderation: Record<string, string>, at: Date): void {
    this.statements.moderated.run({ doc: reviewName, agreed: JSON.stringify(gradesOf(moderation)), on: dateInEngland(at), overall: moderation.overallGrade ?? '' });
  }

  /** Every finished record's facts, from the stored documents (the server's, never a device's). */
  private async readAll(only?: Set<string>): Promise<Read[]> {
    const rows = this.deps.db
      .prepare(`SELECT name, kind, status FROM documents WHERE status != 'draft' AND kind IN (${FACT_KINDS.map(() => '?').join(', ')}) ORDER BY name`)
      .all(...FACT_KINDS) as { name: string; kind: string; status: string }[];
    const out: Read[] = [];
    for (const row of rows) {
      if (only && !only.has(row.name)) continue;
      const values = await this.deps.storedValues(row.name);
      let moderation = null;
      if (row.kind === 'review' && (row.status === 'moderated' || row.status === 'closed')) {
        const command = this.statements.moderatedOn.get(row.name) as { received_at: string } | undefined;
        const moderationValues = await this.deps.storedValues(`moderation/${moderationIdFor(row.name.slice('review/'.length))}`);
        if (command) moderation = { values: moderationValues, at: new Date(command.received_at) };
      }
      out.push({ name: row.name, kind: row.kind, status: row.status, values, moderation });
    }
    return out;
  }

  /**
   * Rebuilds the whole model from the stored documents: every document is read first, then the table is
   * replaced in one transaction, so a report never sees it half built. Returns how many records it holds.
   */
  async rebuild(): Promise<number> {
    let all = await this.readAll();
    const { db } = this.deps;
    db.transaction(() => {
      db.prepare('DELETE FROM record_facts').run();
      this.write(all);
      db.prepare('INSERT INTO programme_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(MODEL_VERSION_KEY, MODEL_VERSION);
    })();
    // Commands applied while documents were being read wrote rows the rebuild has just replaced: read those again.
    for (let round = 0; round < 5; round++) {
      const changed = this.changedSince(all);
      if (changed.size === 0) break;
      all = await this.readAll(changed);
      db.transaction(() => this.write(all))();
    }
    return (db.prepare('SELECT COUNT(*) AS n FROM record_facts').get() as { n: number }).n;
  }

  private write(reads: Read[]) {
    for (const r of reads) {
      this.finished(r.name, r.values);
      if (r.moderation) this.moderated(r.name, r.moderation.values, r.moderation.at);
    }
  }

  /** Records whose state is not the one they were read in (or that were not read at all). */
  private changedSince(reads: Read[]): Set<string> {
    const seen = new Map(reads.map((r) => [r.name, r.status]));
    const now = this.deps.db
      .prepare(`SELECT name, status FROM documents WHERE status != 'draft' AND kind IN (${FACT_KINDS.map(() => '?').join(', ')})`)
      .all(...FACT_KINDS) as { name: string; status: string }[];
    return new Set(now.filter((r) => seen.get(r.name) !== r.status).map((r) => r.name));
  }

  /**
   * At start: a model older than its columns is rebuilt once; otherwise finished records stored without
   * facts (before the projection existed) are filled in. Returns how many records it read.
   */
  async catchUp(): Promise<number> {
    const { db } = this.deps;
    const version = db.prepare('SELECT value FROM programme_settings WHERE key = ?').get(MODEL_VERSION_KEY) as { value: string } | undefined;
    if (version?.value !== MODEL_VERSION) return this.rebuild();
    const missing = db
      .prepare(`SELECT d.name FROM documents d LEFT JOIN record_facts f ON f.doc = d.name WHERE f.doc IS NULL AND d.status != 'draft' AND d.kind IN (${FACT_KINDS.map(() => '?').join(', ')})`)
      .all(...FACT_KINDS) as { name: string }[];
    if (missing.length === 0) return 0;
    const found = await this.readAll(new Set(missing.map((m) => m.name)));
    db.transaction(() => this.write(found))();
    return found.length;
  }
}
