import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { addDays, type Action } from '../../../domain/actions';
import type { Person } from '../../../domain/directory';
import { todayInEngland } from '../../data/actions';
import { dbFor } from '../../data/db';
import { freshUser, renderAt } from '../../test/renderApp';
import { ActionsPage } from './ActionsPage';

const today = todayInEngland();
let n = 0;
const action = (over: Partial<Action>): Action => ({
  id: `a${++n}`,
  kind: 'action',
  record: 'review/3f2c0000-0000-4000-8000-000000000001',
  recordKind: 'review',
  childId: 'LCS77',
  teamId: 't1',
  what: `Action ${n}`,
  why: 'Because.',
  finding: 'planning',
  ownerId: 'p1',
  ownerName: 'Yusuf Ahmed',
  dueDate: addDays(today, 20),
  status: 'open',
  doneNote: '',
  evidence: '',
  reason: '',
  raisedById: 'm1',
  raisedByName: 'Grace Okafor',
  raisedAt: '2026-11-01T10:00:00Z',
  updatedAt: '2026-11-01T10:00:00Z',
  rule: '',
  practitionerId: 'p1',
  linkedRecords: [],
  history: [{ at: '2026-11-01T10:00:00Z', byId: 'm1', byName: 'Grace Okafor', event: 'raised', note: '' }],
  ofMyTeam: false,
  may: { complete: false, signOff: false, cancel: false },
  ...over,
});

async function show(user: Person, actions: Action[]) {
  await dbFor(user.id).actions.bulkPut(actions);
  await renderAt('/actions', <Route path="/actions" element={<ActionsPage />} />, user);
  await screen.findByRole('heading', { name: 'Actions', level: 1 });
}

describe('actions page', () => {
  it('shows my actions overdue, due soon and open, and lets the owner record what was done with no signal (queued)', async () => {
    const user = { ...freshUser(), role: 'practitioner' as const };
    const mine = { ownerId: user.id, ownerName: user.displayName, may: { complete: true, signOff: false, cancel: false } };
    await show(user, [
      action({ ...mine, what: 'Late one', dueDate: addDays(today, -2) }),
      action({ ...mine, what: 'Soon one', dueDate: addDays(today, 3) }),
      action({ ...mine, what: 'Later one', dueDate: addDays(today, 30) }),
      action({ ...mine, what: 'Finished one', status: 'signed-off' }),
      action({ what: 'Someone else’s' }),
    ]);
    const section = screen.getByRole('region', { name: 'My actions' });
    const headings = within(section).getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(headings).toEqual(['Overdue (1)', 'Late one', 'Due soon (1)', 'Soon one', 'Open (1)', 'Later one', 'Finished one']);
    expect(within(section).getByRole('article', { name: 'Late one' })).toHaveTextContent('Overdue');
    expect(screen.queryByText('Someone else’s')).toBeNull();
    expect(screen.queryByRole('region', { name: 'My team’s actions' })).toBeNull();

    const u = userEvent.setup();
    const late = within(section).getByRole('article', { name: 'Late one' });
    await u.click(within(late).getByRole('button', { name: 'Record what was done' }));
    await u.type(within(late).getByLabelText('What was done'), 'Plan shared with school.');
    await u.type(within(late).getByLabelText('Evidence', { exact: false }), 'Case note 3 Dec.');
    await u.click(within(late).getByRole('button', { name: 'Mark as done' }));
    expect(await within(late).findByText(/Marked as done on this tablet/)).toBeInTheDocument();
    const [entry] = await dbFor(user.id).outbox.toArray();
    expect(entry?.command).toMatchObject({ type: 'complete-action', actionId: expect.any(String), doneNote: 'Plan shared with school.', evidence: 'Case note 3 Dec.' });
  });

  it('shows a manager their team’s actions, those waiting for their sign-off first; sending back needs a reason', async () => {
    const user = freshUser();
    await show(user, [
      action({ what: 'Done by Yusuf', status: 'done', ofMyTeam: true, doneNote: 'Did it.', evidence: 'Note.', may: { complete: false, signOff: true, cancel: true } }),
      action({ what: 'Open for Yusuf', ofMyTeam: true, dueDate: addDays(today, -1) }),
    ]);
    const team = screen.getByRole('region', { name: 'My team’s actions' });
    expect(within(team).getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual(['Waiting for your sign-off (1)', 'Done by Yusuf', 'Overdue (1)', 'Open for Yusuf']);
    const done = within(team).getByRole('article', { name: 'Done by Yusuf' });
    const u = userEvent.setup();
    await u.click(within(done).getByRole('button', { name: 'Send back' }));
    await u.click(within(done).getByRole('button', { name: 'Send back' }));
    expect(within(done).getByLabelText('Why it is sent back')).toHaveAccessibleDescription(/Give a reason/);
    expect(await dbFor(user.id).outbox.count()).toBe(0);
    await u.click(within(done).getByRole('button', { name: 'Sign off' }));
    expect(await within(done).findByText(/Signed off on this tablet/)).toBeInTheDocument();
  });

  it('gives the QA team every open action with filters by team, owner, due, record kind and domain', async () => {
    const user = { ...freshUser(), role: 'qa-officer' as const };
    await show(user, [
      action({ what: 'North planning review', teamId: 't1', finding: 'planning' }),
      action({ what: 'South voice observation', teamId: 't2', ownerId: 'p2', ownerName: 'Daniel Clarke', recordKind: 'observation', finding: 'areasForDevelopment', dueDate: addDays(today, -5) }),
      action({ what: 'Closed one', status: 'cancelled' }),
    ]);
    const every = screen.getByRole('region', { name: 'Every open action' });
    expect(within(every).getByRole('status')).toHaveTextContent('2 of 2 open actions, 1 overdue.');
    const u = userEvent.setup();
    await within(every).findByRole('option', { name: 'Safeguarding Team South' }); // the tablet's directory
    await u.selectOptions(within(every).getByLabelText('Team'), 't2');
    expect(within(every).getByRole('status')).toHaveTextContent('1 of 2 open actions, 1 overdue.');
    expect(within(every).getByRole('article', { name: 'South voice observation' })).toBeInTheDocument();
    await u.selectOptions(within(every).getByLabelText('Team'), '');
    await u.selectOptions(within(every).getByLabelText('Domain or finding'), 'planning');
    expect(within(every).getAllByRole('article').map((a) => a.querySelector('h3')?.textContent)).toEqual(['North planning review']);
    await u.selectOptions(within(every).getByLabelText('Domain or finding'), '');
    await u.selectOptions(within(every).getByLabelText('Record'), 'observation');
    await u.selectOptions(within(every).getByLabelText('Owner'), 'p2');
    await u.selectOptions(within(every).getByLabelText('Due'), 'overdue');
    expect(within(every).getAllByRole('article')).toHaveLength(1);
    await u.selectOptions(within(every).getByLabelText('Due'), 'due-soon');
    expect(within(every).queryAllByRole('article')).toHaveLength(0);
  });
});
