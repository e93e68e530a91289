/**
 * A random set of finished records straight into a server database's registry and read model (issue 17's
 * report tests), with every awkward case the read model can hold: grades missing or not on the scale,
 * moderation agreeing only some fields or none, feedback without consent or a score, records with no team,
 * moderation in another period than the review. Seeded, so a failure can be replayed.
 */
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { dateInEngland } from '../../domain/actions';
import { addDaysTo } from '../../domain/periods';
import { reportGradeFields } from '../../domain/reports';

/** mulberry32: a small seeded generator, so the set is the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomFacts {
  seed: number;
  records: number;
  /** Records are dated up to this many days back from today. */
  days: number;
  /** How many different children (C0, C1, …). */
  children: number;
  /** Feedback's consent is picked from these. */
  consents: readonly string[];
  /** The share of reviews that get an action (open, open or done), due within a month either side of today. */
  actionShare?: number;
}

/** Writes the records in one transaction. */
export function seedRandomFacts(db: Database.Database, o: RandomFacts): void {
  const random = seeded(o.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const users = db.prepare("SELECT id FROM users WHERE role != 'admin'").all() as { id: string }[];
  const teams = (db.prepare('SELECT id FROM teams').all() as { id: string }[]).map((t) => t.id);
  const today = dateInEngland(new Date());
  const gradeValues = ['outstanding', 'good', 'requires-improvement', 'inadequate', 'banana'];
  const someGrades = () => Object.fromEntries(reportGradeFields.flatMap((f) => (random() < 0.85 ? [[f, pick(gradeValues)]] : [])));
  const register = db.prepare('INSERT INTO documents (name, kind, author_id, team_id, subject_id, status, completed_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const fact = db.prepare(
    'INSERT INTO record_facts (doc, child_id, on_date, grades, agreed, moderated_on, score, consent) VALUES (@doc, @child, @on, @grades, @agreed, @moderatedOn, @score, @consent)',
  );
  const action = db.prepare(
    "INSERT INTO actions (id, kind, doc, what, why, finding, owner_id, due_date, status, raised_by, raised_at, updated_at) VALUES (?, 'action', ?, 'Do it', 'Found', 'needs-to-happen', ?, ?, ?, ?, ?, ?)",
  );
  db.transaction(() => {
    for (let i = 0; i < o.records; i++) {
      const kind = pick(['review', 'review', 'observation', 'feedback'] as const);
      const name = `${kind}/${randomUUID()}`;
      const author = pick(users);
      const on = addDaysTo(today, -Math.floor(random() * o.days));
      const team = random() < 0.05 ? null : pick(teams);
      const moderatedOn = kind === 'review' && random() < 0.5 ? addDaysTo(on, Math.floor(random() * 120)) : null;
      register.run(name, kind, author.id, team, kind === 'feedback' ? null : pick(users).id, kind === 'review' ? (moderatedOn ? 'moderated' : 'submitted') : 'complete', `${on}T12:00:00.000Z`, `${on}T09:00:00.000Z`);
      fact.run({
        doc: name,
        child: `C${i % o.children}`,
        on,
        grades: JSON.stringify(kind === 'review' ? someGrades() : {}),
        agreed: moderatedOn ? JSON.stringify(random() < 0.1 ? {} : someGrades()) : null,
        moderatedOn,
        score: kind === 'feedback' && random() < 0.8 ? Math.floor(random() * 11) : null,
        consent: kind === 'feedback' ? pick(o.consents) : '',
      });
      if (o.actionShare && kind === 'review' && random() < o.actionShare)
        action.run(randomUUID(), name, author.id, addDaysTo(today, Math.floor(random() * 60) - 30), pick(['open', 'open', 'done']), author.id, `${on}T12:00:00.000Z`, `${on}T12:00:00.000Z`);
    }
  })();
}
