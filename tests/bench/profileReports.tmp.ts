import fs from 'node:fs';
import { startServer } from '../../sync-server/server';
import { fillReportsDatabase } from './reports';
const dataDir = '/tmp/dash-profile-db';
const fresh = !fs.existsSync(dataDir);
if (fresh) fs.mkdirSync(dataDir);
const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, staticDir: null, seedDemo: fresh, sessionDays: 1 });
if (fresh) { await fillReportsDatabase(server, 10_000, 20_000); await server.facts.rebuild(); }
const user = server.organisation.findUserByUsername(process.argv[2] ?? 'qa.green')!;
const query = { period: process.argv[3] ?? '2026-27-FY' };
const time = (label: string, f: () => unknown) => { const t: number[] = []; for (let i = 0; i < 5; i++) { const s = performance.now(); f(); t.push(performance.now() - s); } t.sort((a, b) => a - b); console.log(label, t.map((x) => x.toFixed(0)).join(' ')); };
time('summary', () => server.reports.summary(user, query));
time('figures', () => server.reports.figures(user, query));
const { db, access } = server;
const r = access.readableWhere(user);
for (const [label, sql] of [
  ['count facts', `SELECT COUNT(*) FROM record_facts f JOIN documents d ON d.name = f.doc WHERE f.on_date BETWEEN '2025-04-01' AND '2027-03-31' AND ${r.sql}`],
  ['count facts no rule', `SELECT COUNT(*) FROM record_facts f JOIN documents d ON d.name = f.doc WHERE f.on_date BETWEEN '2025-04-01' AND '2027-03-31'`],
  ['json patch each', `SELECT COUNT(*) FROM record_facts f, json_each(json_patch(f.grades, COALESCE(f.agreed,'{}'))) j`],
  ['json extract', `SELECT COUNT(*) FROM record_facts f WHERE COALESCE(json_extract(f.agreed,'$.overallGrade'), json_extract(f.grades,'$.overallGrade')) = 'good'`],
] as const) time(label, () => db.prepare(sql).all(r.params));
await server.close();
