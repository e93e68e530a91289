/**
 * Issue 17, item 3: who may do what with a quarterly summary, for every demo person (every role), against a
 * real server: start one (and for which service), open its document (read-write, read-only, or refused) while
 * it is being written and after it is submitted, see it in the list, and submit it. Each cell written by hand.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateInEngland } from '../../domain/actions';
import { periodContaining } from '../../domain/periods';
import { startServer, type RunningServer } from '../../sync-server/server';
import { openAs, sendCommandAs, signInAs, waitFor } from '../support/device';
import { makeDataDir } from '../support/serverProcess';

const USERNAMES = ['tm.okafor', 'sw.ahmed', 'hos.patel', 'hos.lewis', 'ad.wright', 'dcs.morgan', 'psw.khan', 'qa.green', 'iro.walsh', 'admin.jones'] as const;
type Username = (typeof USERNAMES)[number];

let server: RunningServer;
const tokens = new Map<string, string>();
let summary = '';
const quarter = () => periodContaining('quarter', dateInEngland(new Date())).id;
const safeguarding = () => server.organisation.findUserByUsername('hos.patel')!.serviceId;
const childrenInCare = () => server.organisation.findUserByUsername('hos.lewis')!.serviceId;
const anyVector = Buffer.from(Y.encodeStateVector(new Y.Doc())).toString('base64');

async function start(username: Username, service: string, period = quarter()) {
  const response = await fetch(`${server.url}/api/summaries`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens.get(username)}` },
    body: JSON.stringify({ service, quarter: period }),
  });
  return { status: response.status, body: (await response.json()) as { name?: string } };
}

async function opens(username: Username): Promise<string> {
  const opened = await openAs(server.url, tokens.get(username)!, summary);
  opened.close();
  return opened.opened ? opened.scope! : 'refused';
}

async function listed(username: Username): Promise<number | 'refused'> {
  const response = await fetch(`${server.url}/api/summaries`, { headers: { Authorization: `Bearer ${tokens.get(username)}` } });
  if (response.status !== 200) return 'refused';
  return ((await response.json()) as { summaries: { name: string }[] }).summaries.filter((s) => s.name === summary).length;
}

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: makeDataDir(), staticDir: null, seedDemo: true, sessionDays: 1 });
  for (const username of USERNAMES) tokens.set(username, (await signInAs(server.url, username)).token);
  const started = await start('hos.patel', safeguarding());
  expect(started.status).toBe(201);
  summary = started.body.name!;
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe('the quarterly summary of Safeguarding', () => {
  it('is started by its own head of service and the QA team only', async () => {
    const expected: Record<Username, [number, number]> = {
      // [Safeguarding, Children in Care] — 200: the existing one opens; 201: made; 403: refused.
      'tm.okafor': [403, 403],
      'sw.ahmed': [403, 403],
      'hos.patel': [200, 403],
      'hos.lewis': [403, 201],
      'ad.wright': [403, 403],
      'dcs.morgan': [403, 403],
      'psw.khan': [403, 403],
      'qa.green': [200, 200],
      'iro.walsh': [403, 403],
      'admin.jones': [403, 403],
    };
    const actual: Record<string, [number, number]> = {};
    for (const username of USERNAMES) actual[username] = [(await start(username, safeguarding())).status, (await start(username, childrenInCare())).status];
    expect(actual).toEqual(expected);
  });

  it('is written by its head of service and the QA team, read by the leadership team and the PSW, and nobody else sees it', async () => {
    const expected: Record<Username, [string, number | 'refused']> = {
      'tm.okafor': ['refused', 0],
      'sw.ahmed': ['refused', 0],
      'hos.patel': ['read-write', 1],
      'hos.lewis': ['refused', 0],
      'ad.wright': ['readonly', 1],
      'dcs.morgan': ['readonly', 1],
      'psw.khan': ['readonly', 1],
      'qa.green': ['read-write', 1],
      'iro.walsh': ['refused', 0],
      'admin.jones': ['refused', 0],
    };
    const actual: Record<string, [string, number | 'refused']> = {};
    for (const username of USERNAMES) actual[username] = [await opens(username), await listed(username)];
    expect(actual).toEqual(expected);
  });

  it('is submitted only by those who write it, and is read-only for everyone after', async () => {
    const writeIn = async (username: Username, text: string) => {
      const opened = await openAs(server.url, tokens.get(username)!, summary);
      opened.doc.transact(() => {
        for (const field of ['workingWell', 'worried', 'actionNeeded']) opened.doc.getText(field).insert(0, `${text} `);
      });
      // Stored before the socket closes: the server holds the words.
      await waitFor(`${username}'s words stored`, async () => {
        const stored = new Y.Doc();
        Y.applyUpdate(stored, (await server.store.load(summary))!);
        return stored.getText('actionNeeded').toString().includes(text);
      });
      opened.close();
    };
    await writeIn('qa.green', 'Sam.');
    await writeIn('hos.patel', 'Priya.');
    const submit = (username: Username) => sendCommandAs(server.url, tokens.get(username)!, { type: 'submit', record: summary, stateVector: anyVector });
    const refusedTo: string[] = [];
    for (const username of ['tm.okafor', 'sw.ahmed', 'hos.lewis', 'ad.wright', 'dcs.morgan', 'psw.khan', 'iro.walsh', 'admin.jones'] as const) {
      const outcome = await submit(username);
      if (outcome.status === 'rejected') refusedTo.push(username);
    }
    expect(refusedTo).toEqual(['tm.okafor', 'sw.ahmed', 'hos.lewis', 'ad.wright', 'dcs.morgan', 'psw.khan', 'iro.walsh', 'admin.jones']);
    expect(server.access.record(summary)?.status).toBe('draft');
    expect(await submit('qa.green')).toEqual({ status: 'applied' });
    const after: Record<string, string> = {};
    for (const username of USERNAMES) after[username] = await opens(username);
    expect(after).toEqual({
      'tm.okafor': 'refused',
      'sw.ahmed': 'refused',
      'hos.patel': 'readonly',
      'hos.lewis': 'refused',
      'ad.wright': 'readonly',
      'dcs.morgan': 'readonly',
      'psw.khan': 'readonly',
      'qa.green': 'readonly',
      'iro.walsh': 'refused',
      'admin.jones': 'refused',
    });
  });
});
