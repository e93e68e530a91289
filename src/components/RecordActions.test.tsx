import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { addDays, type Action } from '../../domain/actions';
import { followUpRules } from '../../domain/followUp';
import { todayInEngland } from '../data/actions';
import { dbFor } from '../data/db';
import { FollowUpRulesPage } from '../features/actions/FollowUpRulesPage';
import { freshUser, renderAt, testDirectory } from '../test/renderApp';
import { RecordActions } from './RecordActions';

const record = 'observation/3f2c0000-0000-4000-8000-000000000002';
const action = (over: Partial<Action>): Action => ({
  id: crypto.randomUUID(),
  kind: 'action',
  record,
  recordKind: 'observation',
  childId: 'LCS77',
  teamId: 't1',
  what: 'Summarise the plan at the end of visits',
  why: 'The family were unsure.',
  finding: 'areasForDevelopment',
  ownerId: 'p1',
  ownerName: 'Yusuf Ahmed',
  dueDate: addDays(todayInEngland(), 20),
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
  history: [],
  ofMyTeam: true,
  may: { complete: false, signOff: false, cancel: false },
  ...over,
});

async function show(props: { userId: string; status: string; teamManager: boolean; kind?: 'observation' | 'review'; name?: string }, actions: Action[]) {
  const user = { ...freshUser(), id: props.userId };
  await dbFor(user.id).actions.bulkPut(actions);
  const directory = { ...testDirectory, teams: testDirectory.teams.map((t) => (t.id === 't1' ? { ...t, managerId: props.teamManager ? user.id : 'someone' } : t)) };
  await renderAt(
    '/r',
    <Route
      path="/r"
      element={<RecordActions record={props.name ?? record} kind={props.kind ?? 'observation'} userId={user.id} directory={directory} canRaise status={props.status} teamId="t1" practitionerId="p1" />}
    />,
    user,
  );
  await screen.findByRole('heading', { name: 'Actions' });
  return user;
}

describe('record actions', () => {
  it('asks the team manager of a finished record for a response, agreed or not with each action, queued as a command', async () => {
    const user = await show({ userId: `tm-${crypto.randomUUID()}`, status: 'complete', teamManager: true }, [action({})]);
    const u = userEvent.setup();
    await u.click(await screen.findByRole('button', { name: 'Respond to the findings' }));
    const form = screen.getByRole('form', { name: 'Respond to the findings' });
    await u.click(within(form).getByRole('button', { name: 'Record the response' }));
    expect(within(form).getByText('Write your response to the findings.')).toBeInTheDocument();
    expect(within(form).getByText('Say whether you agree.')).toBeInTheDocument();
    expect(await dbFor(user.id).outbox.count()).toBe(0);
    await u.type(within(form).getByLabelText('Your response'), 'Agreed with the observer.');
    await u.click(within(within(form).getByRole('group', { name: /Do you agree with this action/ })).getByRole('radio', { name: 'Not agreed' }));
    await u.click(within(form).getByRole('button', { name: 'Record the response' }));
    expect(await screen.findByText('Response recorded on this tablet; it will be sent when there is a connection.')).toBeInTheDocument();
    const [entry] = await dbFor(user.id).outbox.toArray();
    expect(entry?.command).toMatchObject({ type: 'respond-to-findings', record, response: { text: 'Agreed with the observer.', agreements: [{ agreed: false }] } });
  });

  it('does not offer the response to anyone but the team manager, nor on a draft', async () => {
    await show({ userId: `x-${crypto.randomUUID()}`, status: 'complete', teamManager: false }, [action({})]);
    expect(screen.queryByRole('button', { name: 'Respond to the findings' })).toBeNull();
    expect(screen.getByRole('heading', { name: 'Team manager’s response to the findings' })).toBeInTheDocument();
  });

  it('lets a team manager count a new review of the practitioner as one of a dip sample’s cases', async () => {
    const id = `tm-${crypto.randomUUID()}`;
    const name = 'review/3f2c0000-0000-4000-8000-000000000003';
    const user = await show({ userId: id, status: 'draft', teamManager: true, kind: 'review', name }, [
      action({ kind: 'dip-sample', ownerId: id, what: 'Audit three more of Yusuf Ahmed’s cases', record: 'review/3f2c0000-0000-4000-8000-000000000009', rule: 'dip-sample' }),
    ]);
    await userEvent.click(await screen.findByRole('button', { name: 'Count this review as one of the cases' }));
    expect(await screen.findByText(/Counted as one of the cases/)).toBeInTheDocument();
    const [entry] = await dbFor(user.id).outbox.toArray();
    expect(entry?.command).toMatchObject({ type: 'link-follow-up', record: name });
  });

  it('shows the QA team every follow-up rule as the server applies it', async () => {
    await renderAt('/rules', <Route path="/rules" element={<FollowUpRulesPage />} />, freshUser());
    const rows = screen.getAllByRole('row');
    expect(rows).toHaveLength(followUpRules.length + 2); // the header, each rule, and the overdue rule
    expect(screen.getByRole('table')).toHaveTextContent('audit three more of this practitioner’s cases');
    expect(screen.getByRole('table')).toHaveTextContent('The service manager');
  });
});
