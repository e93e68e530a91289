import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEntry, AuditPage as AuditLogPage } from '../../../domain/audit';
import type { Directory, Person } from '../../../domain/directory';
import { clearSession, saveSession } from '../../data/session';
import { formatDateTime } from '../../lib/format';
import { manager, renderAt, testDirectory } from '../../test/renderApp';
import { AuditPage } from './AuditPage';

const qaOfficer: Person = { ...manager, id: 'q1', username: 'qa.singh', displayName: 'Meera Singh', role: 'qa-officer', teamId: '', serviceId: '', managerId: '' };
const directory: Directory = { ...testDirectory, people: [...testDirectory.people, qaOfficer] };

const entry = (id: number, action: AuditEntry['action'], values: Partial<AuditEntry> = {}): AuditEntry => ({
  id,
  at: `2026-03-14T10:${String(id).padStart(2, '0')}:00Z`,
  userId: 'p1',
  userName: 'Yusuf Ahmed',
  deviceId: 'tablet-7f3a',
  action,
  record: 'observation/3f2c1b7e-1d2a-4c3b-9a8e-0f1e2d3c4b5a',
  detail: '',
  ...values,
});

const newest: AuditLogPage = {
  entries: [
    entry(12, 'change', { detail: 'strengths' }),
    entry(11, 'share', { userId: 'm1', userName: 'Grace Okafor', detail: 'with Daniel Clarke' }),
    entry(10, 'refused', { userId: '', userName: '', deviceId: '', record: '', detail: 'expired token' }),
  ],
  nextBefore: 10,
};
const older: AuditLogPage = { entries: [entry(9, 'export', { detail: 'PDF' }), entry(8, 'open')], nextBefore: null };

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** Answers /api/directory and /api/audit (a page per `before`), recording the audit log's queries. */
function fakeServer({ forbidden = false, offline = false } = {}) {
  const auditQueries: URLSearchParams[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
    const url = new URL(String(input), 'http://localhost');
    if (offline) throw new TypeError('Failed to fetch');
    if (url.pathname === '/api/directory') return json(directory);
    if (url.pathname === '/api/audit') {
      auditQueries.push(url.searchParams);
      if (forbidden) return json({ error: 'forbidden', message: 'Only the QA team and administrators can read the audit log.' }, 403);
      if (url.searchParams.get('before') === '10') return json(older);
      if (url.searchParams.has('record') || url.searchParams.has('user')) return json({ entries: [newest.entries[0]], nextBefore: null });
      return json(newest);
    }
    return json({ error: 'not-found', message: 'Not here.' }, 404);
  });
  return { auditQueries };
}

const openAudit = (path = '/audit', user: Person = qaOfficer) => renderAt(path, <Route path="/audit" element={<AuditPage />} />, user);

/** The table's rows as the text of their cells. */
const rows = () =>
  within(screen.getByRole('table'))
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('cell').map((cell) => cell.textContent));

beforeEach(() => {
  saveSession({ token: 'test-token', expiresAt: '2099-01-01T00:00:00Z', refreshExpiresAt: '2099-01-01T00:00:00Z', user: qaOfficer });
});

afterEach(() => {
  vi.restoreAllMocks();
  clearSession();
});

describe('audit log', () => {
  it('lists entries newest first with readable actions, and loads older entries', async () => {
    const server = fakeServer();
    await openAudit();
    expect(screen.getByRole('heading', { level: 1, name: 'Audit log' })).toBeInTheDocument();
    await screen.findByRole('table');
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['When', 'Who', 'Device', 'What', 'Record', 'Detail']);
    expect(rows()).toEqual([
      [formatDateTime('2026-03-14T10:12:00Z'), 'Yusuf Ahmed', 'tablet-7f3a', 'Changed', 'observation/3f2c1b7e-1d2a-4c3b-9a8e-0f1e2d3c4b5a', 'strengths'],
      [formatDateTime('2026-03-14T10:11:00Z'), 'Grace Okafor', 'tablet-7f3a', 'Shared', 'observation/3f2c1b7e-1d2a-4c3b-9a8e-0f1e2d3c4b5a', 'with Daniel Clarke'],
      [formatDateTime('2026-03-14T10:10:00Z'), 'Not known', 'Not known', 'Refused', 'None', 'expired token'],
    ]);
    expect(server.auditQueries[0]?.toString()).toBe('');
    expect(screen.getByRole('status')).toHaveTextContent('3 entries, newest first. There are older entries.');

    const u = userEvent.setup();
    await u.click(screen.getByRole('button', { name: 'Show older entries' }));
    expect(await screen.findByRole('cell', { name: 'Exported' })).toBeInTheDocument();
    expect(server.auditQueries.at(-1)?.get('before')).toBe('10');
    expect(rows().map((cells) => cells[3])).toEqual(['Changed', 'Shared', 'Refused', 'Exported', 'Opened']);
    // That was the oldest page.
    expect(screen.queryByRole('button', { name: 'Show older entries' })).toBeNull();
    expect(screen.getByRole('status')).toHaveTextContent('5 entries, newest first.');
  });

  it('makes a change that gave someone case access stand out, in words', async () => {
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
      const url = new URL(String(input), 'http://localhost');
      if (url.pathname === '/api/directory') return json(directory);
      return json({
        entries: [
          entry(21, 'case-access', { userName: 'Alex Jones', record: '', detail: 'Tom Brown (sw.brown): Practitioner → QA officer (reads every case record)' }),
          entry(20, 'command', { userName: 'Alex Jones', record: '', detail: 'changed user sw.brown' }),
        ],
        nextBefore: null,
      });
    });
    await openAudit();
    await screen.findByRole('table');
    expect(screen.getByText(/^1 entry here gave someone access to case records/)).toHaveTextContent('Check that each was intended.');
    const [granted, ordinary] = within(screen.getByRole('table')).getAllByRole('row').slice(1);
    expect(within(granted!).getByText('Case access granted').tagName).toBe('STRONG');
    expect(granted).toHaveClass('audit-row--prominent');
    expect(ordinary).not.toHaveClass('audit-row--prominent');
  });

  it('sends the record and person filters', async () => {
    const server = fakeServer();
    await openAudit();
    await screen.findByRole('table');
    const u = userEvent.setup();
    await u.type(screen.getByLabelText('Record'), ' observation/abc ');
    await u.selectOptions(screen.getByLabelText('Person'), 'Yusuf Ahmed');
    await u.click(screen.getByRole('button', { name: 'Show' }));

    expect(await screen.findByText('1 entry that matches, newest first.')).toBeInTheDocument();
    const query = server.auditQueries.at(-1)!;
    expect(query.get('record')).toBe('observation/abc');
    expect(query.get('user')).toBe('p1');
    expect(query.has('before')).toBe(false);
  });

  it('starts from the record named in the address', async () => {
    const server = fakeServer();
    await openAudit('/audit?record=observation%2Fabc');
    await screen.findByRole('table');
    expect(screen.getByLabelText('Record')).toHaveValue('observation/abc');
    expect(server.auditQueries.map((q) => q.get('record'))).toEqual(['observation/abc']);
  });

  it('tells anyone but the QA team and administrators that they cannot read it', async () => {
    fakeServer({ forbidden: true });
    await openAudit('/audit', { ...manager, id: 'm1-audit' });
    expect(await screen.findByText('Only the QA team and administrators can read the audit log.')).toBeInTheDocument();
    expect(screen.queryByLabelText('Record')).toBeNull();
  });

  it('says a connection is needed when the server cannot be reached', async () => {
    fakeServer({ offline: true });
    await openAudit();
    expect(await screen.findByText('The audit log needs a connection. Try again when you are online.')).toBeInTheDocument();
  });
});
