import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { dbFor } from '../../data/db';
import { createRecord, readStoredRecord } from '../../data/docs/openRecord';
import { freshUser, renderAt } from '../../test/renderApp';
import { ObservationPage } from './ObservationPage';

/** Reads a record straight from IndexedDB with a new document, as a reload would. */
const readStored = (userId: string, id: string) => readStoredRecord(userId, 'observation', id);

async function openForm() {
  const user = freshUser();
  const id = await createRecord(user.id, user, 'observation', { dateOfObservation: '2026-03-14' });
  await renderAt(`/observations/${id}`, <Route path="/observations/:id" element={<ObservationPage />} />, user);
  await screen.findByRole('heading', { name: 'Observation of practice' });
  return { user, id };
}

describe('observation form', () => {
  it('labels every field of form 1 in DOMAIN.md’s words', async () => {
    await openForm();
    for (const label of [
      'Practitioner observed',
      'Date of observation',
      'Child ID',
      'Identified strengths',
      'Areas for development',
      'Reflections with the practitioner',
      'Other comments',
      "Practitioner's own feedback / response",
      'Equality, diversity and identity',
    ])
      expect(screen.getByLabelText(label, { exact: false })).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Level of need' })).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Nature of the observed practice' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /save/i })).toBeNull();
  });

  it('writes every change to IndexedDB as it happens, and to the index', async () => {
    const { user, id } = await openForm();
    const u = userEvent.setup();
    await u.selectOptions(screen.getByLabelText('Practitioner observed'), 'Daniel Clarke');
    expect(screen.getByText('Safeguarding Team South')).toBeInTheDocument();
    await u.type(screen.getByLabelText('Child ID'), 'MOS42');
    await u.click(screen.getByRole('radio', { name: 'Child in Care' }));
    await u.click(screen.getByRole('radio', { name: 'Meeting' }));
    await u.selectOptions(await screen.findByLabelText('Type of meeting'), 'CLA review');
    await u.type(screen.getByLabelText('Identified strengths'), 'Listened to Jo.');

    await waitFor(async () => {
      const stored = await readStored(user.id, id);
      expect(stored.values).toMatchObject({
        practitionerId: 'p2',
        practitionerName: 'Daniel Clarke',
        teamId: 't2',
        childId: 'MOS42',
        levelOfNeed: 'child-in-care',
        nature: 'meeting',
        meetingType: 'cla-review',
        strengths: 'Listened to Jo.',
        dateOfObservation: '2026-03-14',
      });
    });
    await waitFor(async () =>
      expect(await dbFor(user.id).records.get(id)).toMatchObject({ childId: 'MOS42', practitionerName: 'Daniel Clarke', status: 'draft', unsynced: 1 }),
    );
  });

  it('"Mark as complete" shows each problem beside its field and keeps the record a draft', async () => {
    const { user, id } = await openForm();
    const u = userEvent.setup();
    await u.click(screen.getByRole('button', { name: 'Mark as complete' }));

    const summary = await screen.findByRole('alert');
    expect(within(summary).getByText(/cannot be marked as complete yet/)).toBeInTheDocument();
    const strengths = screen.getByLabelText('Identified strengths');
    expect(strengths).toHaveAttribute('aria-invalid', 'true');
    expect(strengths).toHaveAccessibleDescription(expect.stringContaining('Record the identified strengths.'));
    expect(screen.getByLabelText('Child ID')).toHaveAccessibleDescription(expect.stringContaining('Enter the child ID.'));
    expect(screen.getByLabelText('Date of observation')).not.toHaveAttribute('aria-invalid');
    expect((await readStored(user.id, id)).meta?.status).toBe('draft');

    // Putting a field right clears its problem straight away.
    await u.type(strengths, 'Warm');
    await waitFor(() => expect(strengths).not.toHaveAttribute('aria-invalid'));
  });

  it('completes a valid observation and shows it read-only', async () => {
    const { user, id } = await openForm();
    const u = userEvent.setup();
    await u.selectOptions(screen.getByLabelText('Practitioner observed'), 'Yusuf Ahmed');
    await u.type(screen.getByLabelText('Child ID'), 'MOS42');
    await u.click(screen.getByRole('radio', { name: 'Early Help' }));
    await u.click(screen.getByRole('radio', { name: 'Home visit' }));
    await u.type(screen.getByLabelText('Identified strengths'), 'a');
    await u.type(screen.getByLabelText('Areas for development'), 'b');
    await u.type(screen.getByLabelText('Reflections with the practitioner'), 'c');
    await u.type(screen.getByLabelText('Equality, diversity and identity'), 'd');
    await u.click(screen.getByRole('button', { name: 'Mark as complete' }));

    await waitFor(() => expect(screen.getByLabelText('Identified strengths')).toBeDisabled());
    expect(screen.getByRole('button', { name: 'Reopen as a draft' })).toBeInTheDocument();
    await waitFor(async () => expect((await readStored(user.id, id)).meta?.status).toBe('complete'));
    await waitFor(async () => expect((await dbFor(user.id).records.get(id))?.status).toBe('complete'));
  });

  it('restores a record exactly when it is opened again', async () => {
    const user = freshUser();
    const values = { dateOfObservation: '2026-01-02', childId: 'LCS1', nature: 'other', natureOther: 'Direct work', otherComments: 'Line 1\nLine 2' };
    const id = await createRecord(user.id, user, 'observation', values);
    await renderAt(`/observations/${id}`, <Route path="/observations/:id" element={<ObservationPage />} />, user);
    expect(await screen.findByLabelText('Other (please specify)')).toHaveValue('Direct work');
    expect(screen.getByLabelText('Child ID')).toHaveValue('LCS1');
    expect(screen.getByLabelText('Date of observation')).toHaveValue('2026-01-02');
    expect(screen.getByLabelText('Other comments')).toHaveValue('Line 1\nLine 2');
    expect(screen.getByRole('radio', { name: 'Other' })).toBeChecked();
  });

  it('says so when the record is not on this device', async () => {
    const user = freshUser();
    await renderAt('/observations/3f2c1b7e-1d2a-4c3b-9a8e-0f1e2d3c4b5a', <Route path="/observations/:id" element={<ObservationPage />} />, user);
    expect(await screen.findByRole('heading', { name: 'Record not found' })).toBeInTheDocument();
  });
});
