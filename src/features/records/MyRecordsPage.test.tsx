import { screen, within } from '@testing-library/react';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { createRecord } from '../../data/docs/openRecord';
import { freshUser, renderAt } from '../../test/renderApp';
import { MyRecordsPage } from './MyRecordsPage';

describe('my records', () => {
  it('says who gave family feedback and their score, not a practitioner; other records keep the practitioner', async () => {
    const user = freshUser();
    const scored = await createRecord(user.id, user, 'feedback', { childId: 'FB1', giver: 'carer', score: '7', date: '2024-05-01' });
    const unscored = await createRecord(user.id, user, 'feedback', { childId: 'FB2', date: '2024-05-02' });
    const observation = await createRecord(user.id, user, 'observation', { childId: 'OB1', practitionerName: 'Yusuf Ahmed', dateOfObservation: '2024-05-03' });
    await renderAt('/', <Route path="/" element={<MyRecordsPage />} />, user);

    const list = await screen.findByRole('list', { name: 'My records' });
    const row = (id: string) => within(list).getAllByRole('link').find((a) => a.getAttribute('href')?.endsWith(id))!;
    expect(row(scored)).toHaveTextContent('Given by A carer');
    expect(row(scored)).toHaveTextContent('Score 7 out of 10');
    expect(row(scored)).not.toHaveTextContent('Practitioner');
    expect(row(unscored)).toHaveTextContent('Given by not recorded yet');
    expect(row(unscored)).not.toHaveTextContent('Score');
    expect(row(unscored)).not.toHaveTextContent('Practitioner');
    expect(row(observation)).toHaveTextContent('Practitioner Yusuf Ahmed');
    expect(row(observation)).not.toHaveTextContent('Given by');
  });

  it('lists records by the date they are about, newest first, whatever order the tablet received them in', async () => {
    const user = freshUser();
    const march = await createRecord(user.id, user, 'observation', { childId: 'D3', dateOfObservation: '2024-03-10' });
    const may = await createRecord(user.id, user, 'observation', { childId: 'D5', dateOfObservation: '2024-05-10' });
    const january = await createRecord(user.id, user, 'feedback', { childId: 'D1', date: '2024-01-10' });
    await renderAt('/', <Route path="/" element={<MyRecordsPage />} />, user);

    const list = await screen.findByRole('list', { name: 'My records' });
    const order = within(list)
      .getAllByRole('link')
      .map((a) => a.getAttribute('href')!.split('/').pop());
    expect(order).toEqual([may, march, january]);
    expect(screen.getByLabelText('Sort by', { exact: true })).toHaveValue('date-newest');
  });
});
