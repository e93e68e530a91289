import { screen, within } from '@testing-library/react';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { addDays, type Action } from '../../../domain/actions';
import type { Assignment } from '../../../domain/assignments';
import { periodContaining } from '../../../domain/periods';
import { todayInEngland } from '../../data/actions';
import { dbFor } from '../../data/db';
import { freshUser, renderAt } from '../../test/renderApp';
import { TodoPage } from './TodoPage';

const today = todayInEngland();
const assignment = (over: Partial<Assignment>): Assignment => ({
  id: crypto.randomUUID(),
  kind: 'review',
  quarter: periodContaining('quarter', today).id,
  childId: 'LCS1',
  childName: '',
  practitionerId: 'p1',
  practitionerName: 'Yusuf Ahmed',
  teamId: 't1',
  levelOfNeed: 'child-protection',
  reason: 'Earlier review graded Inadequate',
  assigneeId: 'me',
  assigneeName: 'Grace Okafor',
  moderatorId: '',
  moderatorName: '',
  dueDate: addDays(today, 20),
  status: 'open',
  record: '',
  assignedById: 'qa',
  assignedByName: 'Sam Green',
  ...over,
});

describe('To do, from the tablet’s copy', () => {
  it('lists what is assigned with due dates (overdue marked), follow-ups, the schedule naming this person, and what is done', async () => {
    const user = freshUser();
    const db = dbFor(user.id);
    await db.assignments.bulkPut([
      assignment({ childId: 'LATE1', dueDate: addDays(today, -3) }),
      assignment({ childId: 'SOON2', childName: 'Amy', record: 'review/3f2c0000-0000-4000-8000-000000000009' }),
      assignment({ childId: 'DONE3', status: 'done' }),
    ]);
    const followUp = { id: 'f1', kind: 'dip-sample', status: 'open', ownerId: user.id, what: 'Audit three more of Daniel Clarke’s cases', dueDate: addDays(today, 30) } as Partial<Action>;
    await db.actions.bulkPut([followUp as Action, { ...followUp, id: 'f2', kind: 'action', what: 'An ordinary action' } as Action]);
    const quarter = periodContaining('quarter', today);
    const entry = (activity: string, roles: string[]) => ({ id: activity, quarter: quarter.id, month: quarter.start.slice(0, 7), activity, kind: '', roles, people: [], weekBeginning: '', theme: 'Voice of the child' });
    await db.meta.put({
      key: 'programme',
      value: JSON.stringify({ quarter: quarter.id, schedule: [entry('Thematic audit', ['team-manager']), entry('Director’s observations', ['director'])], expectations: [], given: [], fetchedAt: new Date().toISOString() }),
    });
    await renderAt('/todo', <Route path="/todo" element={<TodoPage />} />, user);

    const assigned = await screen.findByRole('region', { name: 'Assigned to you' });
    const items = within(assigned).getAllByRole('listitem');
    expect(items.map((i) => i.querySelector('.record-title')?.textContent)).toEqual(['Collaborative case review of child LATE1', 'Collaborative case review of child SOON2 (Amy)']);
    expect(items[0]).toHaveTextContent('Overdue');
    expect(items[0]).toHaveTextContent('Child Protection');
    expect(within(items[0]!).getByRole('link', { name: 'Start the collaborative case review of child LATE1' })).toHaveAttribute('href', expect.stringMatching(/^\/todo\/.+\/start$/));
    // One already started (linked on the server) is continued, not started again.
    expect(within(items[1]!).getByRole('link', { name: 'Continue the collaborative case review of child SOON2' })).toBeInTheDocument();
    expect(items[1]).not.toHaveTextContent('Overdue');

    const followUps = screen.getByRole('region', { name: 'Follow-ups' });
    expect(followUps).toHaveTextContent('Audit three more of Daniel Clarke’s cases');
    expect(followUps).not.toHaveTextContent('An ordinary action');
    const schedule = screen.getByRole('region', { name: 'This quarter’s schedule for you' });
    expect(schedule).toHaveTextContent('Thematic audit — Voice of the child');
    expect(schedule).not.toHaveTextContent('Director’s observations');
    expect(screen.getByRole('region', { name: 'Done' })).toHaveTextContent('Collaborative case review of child DONE3, done');
  });
});
