import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NewUserRequest, UserChange } from '../../../domain/admin';
import type { Directory, Person, UserAccount } from '../../../domain/directory';
import { clearSession, saveSession } from '../../data/session';
import { manager, renderAt } from '../../test/renderApp';
import { AdminPage } from './AdminPage';

const admin: Person = { ...manager, id: 'a1', username: 'admin.patel', displayName: 'Asha Patel', role: 'admin', teamId: '', serviceId: '', managerId: '' };

const directory: Directory = {
  services: [{ id: 's1', name: 'Safeguarding' }],
  teams: [
    { id: 't1', name: 'Safeguarding Team North', serviceId: 's1', managerId: 'm1' },
    { id: 't2', name: 'Safeguarding Team South', serviceId: 's1', managerId: 'm2' },
  ],
  people: [],
};

const startingAccounts = (): UserAccount[] => [
  { ...admin, active: true },
  { id: 'm1', username: 'tm.okafor', displayName: 'Grace Okafor', role: 'team-manager', teamId: 't1', serviceId: 's1', managerId: '', active: true },
  { id: 'm2', username: 'tm.byrne', displayName: 'Sinead Byrne', role: 'team-manager', teamId: 't2', serviceId: 's1', managerId: '', active: true },
  { id: 'p1', username: 'sw.ahmed', displayName: 'Yusuf Ahmed', role: 'practitioner', teamId: 't1', serviceId: 's1', managerId: 'm1', active: true },
  { id: 'p2', username: 'sw.clarke', displayName: 'Daniel Clarke', role: 'practitioner', teamId: 't1', serviceId: 's1', managerId: 'm1', active: false },
];

interface Call {
  method: string;
  path: string;
  body: unknown;
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** A small stand-in for the server's admin API, recording every call. */
function fakeServer({ forbidden = false, offline = false, refuseChanges = '' } = {}) {
  const accounts = startingAccounts();
  const calls: Call[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = new URL(String(input), 'http://localhost');
    const method = init?.method ?? 'GET';
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ method, path: url.pathname + url.search, body });
    if (offline) throw new TypeError('Failed to fetch');
    if (url.pathname === '/api/directory') return json({ ...directory, people: accounts.filter((a) => a.active) });
    if (forbidden) return json({ error: 'forbidden', message: 'Only administrators can manage people.' }, 403);
    if (url.pathname === '/api/admin/users' && method === 'GET') return json({ users: accounts });
    if (url.pathname === '/api/admin/users' && method === 'POST') {
      const request = body as NewUserRequest;
      if (accounts.some((a) => a.username === request.username)) return json({ error: 'bad-request', message: `The username "${request.username}" is taken.` }, 400);
      const team = directory.teams.find((t) => t.id === request.teamId);
      const account: UserAccount = {
        id: `u${accounts.length + 1}`,
        username: request.username,
        displayName: request.displayName,
        role: request.role,
        teamId: request.teamId,
        serviceId: team?.serviceId ?? request.serviceId,
        managerId: request.managerId || team?.managerId || '',
        active: true,
      };
      accounts.push(account);
      return json(account, 201);
    }
    const password = /^\/api\/admin\/users\/([^/]+)\/password$/.exec(url.pathname);
    if (password && method === 'POST') return json({ ok: true });
    const user = /^\/api\/admin\/users\/([^/]+)$/.exec(url.pathname);
    if (user && method === 'PATCH') {
      if (refuseChanges) return json({ error: 'bad-request', message: refuseChanges }, 400);
      const account = accounts.find((a) => a.id === decodeURIComponent(user[1]!))!;
      const change = body as UserChange;
      if (change.teamId !== undefined && change.teamId !== account.teamId) {
        const team = directory.teams.find((t) => t.id === change.teamId);
        account.teamId = change.teamId;
        account.serviceId = team?.serviceId ?? change.serviceId ?? '';
        account.managerId = change.managerId ?? team?.managerId ?? '';
      }
      Object.assign(account, change);
      return json(account);
    }
    if (url.pathname === '/api/admin/organisation' && method === 'PUT') return json(body);
    return json({ error: 'not-found', message: `No ${method} ${url.pathname} here.` }, 404);
  });
  const sent = (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path);
  return { calls, sent };
}

async function openAdmin() {
  await renderAt('/admin', <Route path="/admin" element={<AdminPage />} />, admin);
  expect(screen.getByRole('heading', { level: 1, name: 'People and access' })).toBeInTheDocument();
  await screen.findByRole('list', { name: 'Everyone' });
}

/** One person's entry in the list. */
const personCard = (name: string) => screen.getByRole('heading', { level: 3, name }).closest('li')!;

const addForm = () => screen.getByRole('form', { name: 'Add a person' });

async function openEditor(name: string) {
  const u = userEvent.setup();
  await u.click(within(personCard(name)).getByRole('button', { name: `Edit ${name}` }));
  return { u, editor: screen.getByRole('group', { name: `Edit ${name}` }) };
}

beforeEach(() => {
  // signedInFetch reads the session from storage: a token good until 2099, so it never refreshes.
  saveSession({ token: 'test-token', expiresAt: '2099-01-01T00:00:00Z', refreshExpiresAt: '2099-01-01T00:00:00Z', user: admin });
});

afterEach(() => {
  vi.restoreAllMocks();
  clearSession();
});

describe('people and access', () => {
  it('lists everyone with their role, team and line manager, and marks people who are deactivated', async () => {
    fakeServer();
    await openAdmin();
    const list = screen.getByRole('list', { name: 'Everyone' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(5);

    const yusuf = within(personCard('Yusuf Ahmed'));
    expect(yusuf.getByText('sw.ahmed')).toBeInTheDocument();
    expect(yusuf.getByText('Practitioner')).toBeInTheDocument();
    expect(yusuf.getByText('Safeguarding Team North')).toBeInTheDocument();
    expect(yusuf.getByText('Grace Okafor')).toBeInTheDocument();
    expect(yusuf.getByText('Active')).toBeInTheDocument();

    expect(within(personCard('Daniel Clarke')).getByText('Deactivated')).toBeInTheDocument();
    expect(personCard('Daniel Clarke')).toHaveClass('person-card--deactivated');
    expect(within(personCard('Asha Patel')).getByText('Administrator')).toBeInTheDocument();
    expect(within(personCard('Asha Patel')).getByText('No team')).toBeInTheDocument();
    expect(screen.getByText('5 people, 1 of them deactivated')).toBeInTheDocument();
  });

  it('adds a person, says so and empties the form', async () => {
    const server = fakeServer();
    await openAdmin();
    const u = userEvent.setup();
    const form = within(addForm());
    await u.type(form.getByLabelText('Name'), 'Priya Shah');
    await u.type(form.getByLabelText('Username'), 'sw.shah');
    await u.selectOptions(form.getByLabelText('Role'), 'Practitioner');
    await u.selectOptions(form.getByLabelText('Team'), 'Safeguarding Team South');
    expect(form.queryByLabelText('Service')).toBeNull();
    expect(form.getByLabelText('Line manager')).toHaveDisplayValue('The team’s manager (Sinead Byrne)');
    await u.type(form.getByLabelText('Email (optional)'), 'priya.shah@council.example');
    await u.type(form.getByLabelText('Password', { exact: true }), 'correct-horse');
    await u.click(form.getByRole('button', { name: 'Add person' }));

    expect(await screen.findByText('Added Priya Shah.')).toBeInTheDocument();
    expect(server.sent('POST', '/api/admin/users').map((c) => c.body)).toEqual([
      { displayName: 'Priya Shah', username: 'sw.shah', role: 'practitioner', teamId: 't2', serviceId: '', managerId: '', password: 'correct-horse', email: 'priya.shah@council.example' },
    ]);
    expect(form.getByLabelText('Name')).toHaveValue('');
    expect(form.getByLabelText('Username')).toHaveValue('');
    expect(form.getByLabelText('Password', { exact: true })).toHaveValue('');
    // The list is fetched again and shows them.
    expect(await screen.findByRole('heading', { level: 3, name: 'Priya Shah' })).toBeInTheDocument();
  });

  it('adds someone above teams with their service and a chosen line manager', async () => {
    const server = fakeServer();
    await openAdmin();
    const u = userEvent.setup();
    const form = within(addForm());
    await u.type(form.getByLabelText('Name'), 'Tom Reid');
    await u.type(form.getByLabelText('Username'), 'hos.reid');
    await u.selectOptions(form.getByLabelText('Role'), 'Head of service');
    expect(form.getByLabelText('Team')).toHaveDisplayValue('No team');
    await u.selectOptions(form.getByLabelText('Service'), 'Safeguarding');
    await u.selectOptions(form.getByLabelText('Line manager'), 'a1');
    await u.type(form.getByLabelText('Password', { exact: true }), 'long-enough');
    await u.click(form.getByRole('button', { name: 'Add person' }));

    expect(await screen.findByText('Added Tom Reid.')).toBeInTheDocument();
    expect(server.sent('POST', '/api/admin/users')[0]?.body).toEqual({
      displayName: 'Tom Reid',
      username: 'hos.reid',
      role: 'head-of-service',
      teamId: '',
      serviceId: 's1',
      managerId: 'a1',
      password: 'long-enough',
      email: '',
    });
  });

  it('shows each problem beside its field and sends nothing', async () => {
    const server = fakeServer();
    await openAdmin();
    const u = userEvent.setup();
    const form = within(addForm());
    await u.type(form.getByLabelText('Name'), 'Priya Shah');
    await u.type(form.getByLabelText('Username'), 'priya shah!');
    await u.type(form.getByLabelText('Password', { exact: true }), 'short');
    await u.click(form.getByRole('button', { name: 'Add person' }));

    const username = form.getByLabelText('Username');
    await waitFor(() => expect(username).toHaveAttribute('aria-invalid', 'true'));
    expect(username).toHaveAccessibleDescription(expect.stringContaining('A username may use only letters, numbers, dots, dashes and underscores.'));
    expect(form.getByLabelText('Password', { exact: true })).toHaveAccessibleDescription(expect.stringContaining('A password needs at least 8 characters.'));
    expect(form.getByLabelText('Name')).not.toHaveAttribute('aria-invalid');
    expect(server.sent('POST', '/api/admin/users')).toHaveLength(0);
  });

  it('shows the server’s reason in an alert when it refuses', async () => {
    fakeServer();
    await openAdmin();
    const u = userEvent.setup();
    const form = within(addForm());
    await u.type(form.getByLabelText('Name'), 'Grace Okafor');
    await u.type(form.getByLabelText('Username'), 'tm.okafor');
    await u.type(form.getByLabelText('Password', { exact: true }), 'correct-horse');
    await u.click(form.getByRole('button', { name: 'Add person' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('The username "tm.okafor" is taken.');
    // What they typed stays, to put right.
    expect(form.getByLabelText('Username')).toHaveValue('tm.okafor');
  });

  it('deactivates someone only after they confirm, then offers to reactivate', async () => {
    const server = fakeServer();
    await openAdmin();
    const { u, editor } = await openEditor('Yusuf Ahmed');
    const panel = within(editor);

    await u.click(panel.getByRole('button', { name: 'Deactivate' }));
    const question = panel.getByRole('group', { name: 'Deactivate Yusuf Ahmed?' });
    expect(question).toHaveTextContent('They will be signed out on every device at once and lose access to every record.');
    expect(question).toHaveFocus();
    await u.click(panel.getByRole('button', { name: 'Cancel' }));
    expect(server.calls.filter((c) => c.method === 'PATCH')).toHaveLength(0);
    expect(panel.getByRole('button', { name: 'Deactivate' })).toHaveFocus();

    await u.click(panel.getByRole('button', { name: 'Deactivate' }));
    await u.click(panel.getByRole('button', { name: 'Yes, deactivate Yusuf Ahmed' }));
    expect(await panel.findByText('Yusuf Ahmed is deactivated and has been signed out on every device.')).toBeInTheDocument();
    expect(server.sent('PATCH', '/api/admin/users/p1').map((c) => c.body)).toEqual([{ active: false }]);
    await waitFor(() => expect(within(personCard('Yusuf Ahmed')).getByText('Deactivated')).toBeInTheDocument());
    expect(panel.getByRole('button', { name: 'Reactivate' })).toBeInTheDocument();
  });

  it('reactivates someone', async () => {
    const server = fakeServer();
    await openAdmin();
    const { u, editor } = await openEditor('Daniel Clarke');
    await u.click(within(editor).getByRole('button', { name: 'Reactivate' }));
    expect(await within(editor).findByText('Daniel Clarke is active again and can sign in.')).toBeInTheDocument();
    expect(server.sent('PATCH', '/api/admin/users/p2').map((c) => c.body)).toEqual([{ active: true }]);
  });

  it('does not offer to deactivate your own account', async () => {
    fakeServer();
    await openAdmin();
    const { u, editor } = await openEditor('Asha Patel');
    expect(within(editor).queryByRole('button', { name: 'Deactivate' })).toBeNull();
    expect(within(editor).getByText('You cannot deactivate your own account.')).toBeInTheDocument();
    // Nor change your own role (an administrator who could would give themselves case records).
    expect(within(editor).queryByRole('button', { name: 'Change role' })).toBeNull();
    expect(within(editor).getByText('You cannot change your own role. Another administrator must do it.')).toBeInTheDocument();
    const toggle = screen.getByRole('button', { name: 'Edit Asha Patel' });
    expect(toggle).toHaveAttribute('aria-expanded', 'true');

    // "Done" closes the panel and takes the focus back to where it was opened.
    await u.click(within(editor).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('group', { name: 'Edit Asha Patel' })).toBeNull();
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(toggle).toHaveFocus();
  });

  it('moves someone to another team, and they get that team’s manager', async () => {
    const server = fakeServer();
    await openAdmin();
    const { u, editor } = await openEditor('Yusuf Ahmed');
    const panel = within(editor);
    await u.selectOptions(panel.getByLabelText('Team'), 'Safeguarding Team South');
    await u.click(panel.getByRole('button', { name: 'Move to another team' }));

    expect(
      await panel.findByText('Yusuf Ahmed is now in Safeguarding Team South. Yusuf Ahmed’s line manager is now Sinead Byrne.'),
    ).toBeInTheDocument();
    expect(server.sent('PATCH', '/api/admin/users/p1').map((c) => c.body)).toEqual([{ teamId: 't2' }]);
    await waitFor(() => expect(within(personCard('Yusuf Ahmed')).getByText('Sinead Byrne')).toBeInTheDocument());
  });

  it('changes someone’s line manager and role', async () => {
    const server = fakeServer();
    await openAdmin();
    const { u, editor } = await openEditor('Yusuf Ahmed');
    const panel = within(editor);
    expect(panel.getByLabelText('Line manager')).toHaveValue('m1');
    await u.selectOptions(panel.getByLabelText('Line manager'), 'm2');
    await u.click(panel.getByRole('button', { name: 'Change line manager' }));
    expect(await panel.findByText('Yusuf Ahmed’s line manager is now Sinead Byrne.')).toBeInTheDocument();

    await u.selectOptions(panel.getByLabelText('Role'), 'Team manager');
    await u.click(panel.getByRole('button', { name: 'Change role' }));
    expect(await panel.findByText('Yusuf Ahmed’s role is now Team manager.')).toBeInTheDocument();
    expect(server.sent('PATCH', '/api/admin/users/p1').map((c) => c.body)).toEqual([{ managerId: 'm2' }, { role: 'team-manager' }]);
  });

  it('sets someone’s email for urgent notices, refusing one that is not an address', async () => {
    const server = fakeServer();
    await openAdmin();
    const { u, editor } = await openEditor('Yusuf Ahmed');
    const panel = within(editor);
    await u.type(panel.getByLabelText('Email'), 'not an address');
    await u.click(panel.getByRole('button', { name: 'Change email' }));
    expect(await panel.findByText(/Enter an email address like/)).toBeInTheDocument();
    expect(server.calls.filter((c) => c.method === 'PATCH')).toHaveLength(0);
    await u.clear(panel.getByLabelText('Email'));
    await u.type(panel.getByLabelText('Email'), 'yusuf.ahmed@council.example');
    await u.click(panel.getByRole('button', { name: 'Change email' }));
    expect(await panel.findByText('Urgent notices for Yusuf Ahmed are now also emailed to yusuf.ahmed@council.example.')).toBeInTheDocument();
    expect(server.sent('PATCH', '/api/admin/users/p1').map((c) => c.body)).toEqual([{ email: 'yusuf.ahmed@council.example' }]);
    expect(within(personCard('Yusuf Ahmed')).getByText('yusuf.ahmed@council.example', { selector: 'dd' })).toBeInTheDocument();
  });

  it('shows beside the control why the server refused a change', async () => {
    fakeServer({ refuseChanges: 'There is no team with id t9.' });
    await openAdmin();
    const { u, editor } = await openEditor('Yusuf Ahmed');
    await u.selectOptions(within(editor).getByLabelText('Team'), 'Safeguarding Team South');
    await u.click(within(editor).getByRole('button', { name: 'Move to another team' }));
    expect(await within(editor).findByRole('alert')).toHaveTextContent('There is no team with id t9.');
    expect(within(personCard('Yusuf Ahmed')).getByText('Safeguarding Team North', { selector: 'dd' })).toBeInTheDocument();
  });

  it('resets a password of 8 characters or more', async () => {
    const server = fakeServer();
    await openAdmin();
    const { u, editor } = await openEditor('Yusuf Ahmed');
    const panel = within(editor);
    const field = panel.getByLabelText('New password');

    await u.type(field, 'short');
    await u.click(panel.getByRole('button', { name: 'Reset password' }));
    await waitFor(() => expect(field).toHaveAccessibleDescription(expect.stringContaining('A password needs at least 8 characters.')));
    expect(server.sent('POST', '/api/admin/users/p1/password')).toHaveLength(0);

    await u.type(field, '-but-now-long');
    await u.click(panel.getByRole('button', { name: 'Reset password' }));
    expect(await panel.findByText('Password reset. Yusuf Ahmed is signed out everywhere and must sign in with the new password.')).toBeInTheDocument();
    expect(server.sent('POST', '/api/admin/users/p1/password').map((c) => c.body)).toEqual([{ password: 'short-but-now-long' }]);
    expect(field).toHaveValue('');
  });

  it('tells someone who is not an administrator that they cannot manage people', async () => {
    fakeServer({ forbidden: true });
    await renderAt('/admin', <Route path="/admin" element={<AdminPage />} />, admin);
    expect(await screen.findByText('Only administrators can manage people.')).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Add a person' })).toBeNull();
  });

  it('says a connection is needed when the server cannot be reached', async () => {
    fakeServer({ offline: true });
    await renderAt('/admin', <Route path="/admin" element={<AdminPage />} />, admin);
    expect(await screen.findByText('Managing people needs a connection. Try again when you are online.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});

describe('the organisation on copies of records', () => {
  it('shows OFFICIAL-SENSITIVE until the organisation sets a marking, refuses an empty one beside the field, and saves name and marking', async () => {
    const server = fakeServer();
    await openAdmin();
    const u = userEvent.setup();
    const marking = screen.getByLabelText('Protective marking');
    expect(marking).toHaveValue('OFFICIAL-SENSITIVE');
    await u.clear(marking);
    await u.click(screen.getByRole('button', { name: 'Save the organisation’s settings' }));
    expect(marking).toHaveAccessibleDescription(/Enter the protective marking/);
    expect(server.sent('PUT', '/api/admin/organisation')).toHaveLength(0);

    await u.type(screen.getByLabelText('Organisation’s name'), 'Cyngor Gwynedd');
    await u.type(marking, 'OFFICIAL-SENSITIVE PERSONAL');
    await u.click(screen.getByRole('button', { name: 'Save the organisation’s settings' }));
    expect(await screen.findByText(/Saved: “OFFICIAL-SENSITIVE PERSONAL” on every copy/)).toBeInTheDocument();
    expect(server.sent('PUT', '/api/admin/organisation').map((c) => c.body)).toEqual([{ name: 'Cyngor Gwynedd', marking: 'OFFICIAL-SENSITIVE PERSONAL' }]);
  });
});
