/**
 * Issue 16: the access matrix of the QA programme, against a real server. Every demo person (every role) ×
 * reading the programme, setting an expectation, setting how assigned reviews are moderated, setting the schedule, drawing a sample, assigning a case of
 * the North team and of the Children in Care team, reading organisation-wide coverage — each cell written
 * out by hand, and zero unexpected allows. Then whose coverage each person sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Person } from '../../domain/directory';
import { periodContaining } from '../../domain/periods';
import type { CoverageReport } from '../../domain/programme';
import { startServer, type RunningServer } from '../../sync-server/server';
import { signInAs } from '../support/device';
import { makeDataDir } from '../support/serverProcess';

let server: RunningServer;
const tokens = new Map<string, string>();
const people = new Map<string, Person>();

const USERNAMES = [
  'tm.okafor', 'sw.ahmed', 'tm.hughes', 'tm.begum', 'hos.patel', 'hos.lewis', 'ad.wright', 'dcs.morgan', 'psw.khan', 'qa.green', 'iro.walsh', 'admin.jones',
] as const;
type Username = (typeof USERNAMES)[number];

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: makeDataDir(), staticDir: null, seedDemo: true, sessionDays: 1 });
  for (const username of USERNAMES) {
    const session = await signInAs(server.url, username);
    tokens.set(username, session.token);
    people.set(username, session.user);
  }
}, 60_000);
afterAll(async () => server?.close());

async function api(username: Username, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${tokens.get(username)}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const quarter = () => periodContaining('quarter', server.programme.today()).id;
const due = () => periodContaining('quarter', server.programme.today()).end;
const assignment = (childId: string, practitioner: Username) => ({
  quarter: quarter(),
  assignments: [{ childId, practitionerId: people.get(practitioner)!.id, assigneeId: people.get('tm.hughes')!.id, dueDate: due() }],
});
// sw.ahmed is North (Safeguarding); for Children in Care the practitioner is the team's manager's report.
const careAssignment = () => ({ quarter: quarter(), assignments: [{ childId: 'C9', teamId: people.get('tm.begum')!.teamId, assigneeId: people.get('tm.hughes')!.id, dueDate: due() }] });

type Op = 'read' | 'expect' | 'settings' | 'schedule' | 'sample' | 'assign-north' | 'assign-care' | 'org-coverage';
const Y = true;
const N = false;
// prettier-ignore
const EXPECTED: Record<Username, Record<Op, boolean>> = {
  'tm.okafor':   { read: Y, expect: N, settings: N, schedule: N, sample: N, 'assign-north': N, 'assign-care': N, 'org-coverage': N },
  'sw.ahmed':    { read: Y, expect: N, settings: N, schedule: N, sample: N, 'assign-north': N, 'assign-care': N, 'org-coverage': N },
  'tm.hughes':   { read: Y, expect: N, settings: N, schedule: N, sample: N, 'assign-north': N, 'assign-care': N, 'org-coverage': N },
  'tm.begum':    { read: Y, expect: N, settings: N, schedule: N, sample: N, 'assign-north': N, 'assign-care': N, 'org-coverage': N },
  'hos.patel':   { read: Y, expect: N, settings: N, schedule: N, sample: Y, 'assign-north': Y, 'assign-care': N, 'org-coverage': N },
  'hos.lewis':   { read: Y, expect: N, settings: N, schedule: N, sample: Y, 'assign-north': N, 'assign-care': Y, 'org-coverage': N },
  'ad.wright':   { read: Y, expect: N, settings: N, schedule: N, sample: N, 'assign-north': N, 'assign-care': N, 'org-coverage': N },
  'dcs.morgan':  { read: Y, expect: N, settings: N, schedule: N, sample: N, 'assign-north': N, 'assign-care': N, 'org-coverage': Y },
  'psw.khan':    { read: Y, expect: Y, settings: Y, schedule: Y, sample: Y, 'assign-north': Y, 'assign-care': Y, 'org-coverage': Y },
  'qa.green':    { read: Y, expect: Y, settings: Y, schedule: Y, sample: Y, 'assign-north': Y, 'assign-care': Y, 'org-coverage': Y },
  'iro.walsh':   { read: Y, expect: N, settings: N, schedule: N, sample: N, 'assign-north': N, 'assign-care': N, 'org-coverage': N },
  'admin.jones': { read: N, expect: N, settings: N, schedule: N, sample: N, 'assign-north': N, 'assign-care': N, 'org-coverage': N },
};

async function attempt(username: Username, op: Op): Promise<boolean> {
  const ok = (s: number) => s >= 200 && s < 300;
  switch (op) {
    case 'read':
      return ok((await api(username, 'GET', '/api/programme')).status);
    case 'expect':
      return ok((await api(username, 'POST', '/api/programme/expectations', { who: { type: 'role', role: 'iro' }, activity: 'review', of: 'any', count: 1, period: 'quarter', note: '' })).status);
    case 'settings':
      return ok((await api(username, 'PUT', '/api/programme/settings', { moderationPanelShare: 10 })).status);
    case 'schedule':
      return ok((await api(username, 'POST', `/api/programme/schedule?quarter=${quarter()}`, { month: periodContaining('quarter', server.programme.today()).start.slice(0, 7), activity: 'Thematic audit', roles: ['team-manager'] })).status);
    case 'sample':
      return ok((await api(username, 'GET', `/api/programme/sample?quarter=${quarter()}&size=5`)).status);
    case 'assign-north':
      return ok((await api(username, 'POST', '/api/programme/assignments', assignment('N1', 'sw.ahmed'))).status);
    case 'assign-care':
      return ok((await api(username, 'POST', '/api/programme/assignments', careAssignment())).status);
    case 'org-coverage': {
      const { status, body } = await api(username, 'GET', '/api/programme/coverage');
      return ok(status) && (body as unknown as CoverageReport).organisation.length > 0;
    }
  }
}

describe('who may set, assign and see the programme', () => {
  it('allows exactly what the matrix says, and nothing else', async () => {
    const unexpected: string[] = [];
    for (const username of USERNAMES)
      for (const op of Object.keys(EXPECTED[username]) as Op[]) {
        const allowed = await attempt(username, op);
        if (allowed !== EXPECTED[username][op]) unexpected.push(`${username} ${op}: ${allowed ? 'allowed' : 'denied'}`);
      }
    expect(unexpected).toEqual([]);
  });

  it('shows each person the coverage of their own line only', async () => {
    const coverageOf = async (u: Username) => (await api(u, 'GET', '/api/programme/coverage')).body as unknown as CoverageReport;
    const ids = (u: Username[]) => new Set(u.map((x) => people.get(x)!.id));
    const okafor = await coverageOf('tm.okafor');
    expect(new Set(okafor.rows.map((r) => r.personId))).toEqual(ids(['tm.okafor']));
    // Not observed this year: his team only (himself and his two practitioners).
    expect(okafor.notObserved.map((p) => p.name).sort()).toEqual(['Chloe Brown', 'Grace Okafor', 'Yusuf Ahmed']);
    const patel = await coverageOf('hos.patel');
    expect(new Set(patel.rows.map((r) => r.personId))).toEqual(ids(['hos.patel', 'tm.okafor', 'tm.hughes']));
    expect(patel.notObserved.some((p) => p.name === 'Isla Fraser')).toBe(false);
    const ahmed = await coverageOf('sw.ahmed');
    expect(ahmed.rows).toEqual([]);
    expect(ahmed.notObserved.map((p) => p.name)).toEqual(['Yusuf Ahmed']);
    const qa = await coverageOf('qa.green');
    expect(qa.rows.some((r) => r.personId === people.get('tm.begum')!.id)).toBe(true);
    expect(qa.organisation[0]).toMatchObject({ required: 20 });
  });

  it('shows the schedule to the people it names, and all of it to the QA team', async () => {
    const entries = async (u: Username) => ((await api(u, 'GET', '/api/programme')).body.schedule as { activity: string; roles: string[] }[]).map((e) => e.activity);
    const all = await entries('qa.green');
    expect(all.length).toBeGreaterThanOrEqual(6);
    const tm = await entries('tm.okafor');
    expect(tm).toContain('Dip sampling');
    expect(tm).not.toContain('Observations of practice');
    expect(await entries('iro.walsh')).toEqual([]);
    expect(await entries('dcs.morgan')).toEqual(['Observations of practice']);
  });

  it('answers bad input with a readable error, not a crash', async () => {
    for (const body of [null, 'x', { who: { type: 'person', userId: 'nobody' }, activity: 'review', of: 'any', count: 1, period: 'year' }, { who: { type: 'role', role: 'admin' }, activity: 'review', of: 'any', count: 1, period: 'year' }])
      expect((await api('qa.green', 'POST', '/api/programme/expectations', body)).status).toBe(400);
    expect((await api('qa.green', 'POST', '/api/programme/assignments', { quarter: 'Q9', assignments: [] })).status).toBe(400);
    expect((await api('qa.green', 'POST', '/api/programme/assignments', { quarter: quarter(), assignments: [{ childId: 'N1', practitionerId: people.get('sw.ahmed')!.id, assigneeId: people.get('sw.ahmed')!.id, dueDate: due() }] })).status).toBe(400);
    expect((await api('qa.green', 'GET', '/api/programme/coverage?asOf=yesterday')).status).toBe(400);
    expect((await api('qa.green', 'DELETE', '/api/programme/expectations/nothing')).status).toBe(404);
    expect((await api('qa.green', 'GET', '/api/health')).status).toBe(200);
  });
});
