import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { MAX_NARRATIVE_CHARS } from '../../../domain/limits';
import { dbFor } from '../../data/db';
import { acquireDoc, createRecord, readStoredRecord } from '../../data/docs/openRecord';
import { setStatus, writeReflection } from '../../../recordModel/recordDoc';
import { completeObservationValues } from '../../../tests/support/records';
import { markSent } from '../../data/records';
import { freshUser, renderAt } from '../../test/renderApp';
import { ObservationPage } from './ObservationPage';

/** A narrative field's text as its editor shows it, line by line (its lines are elements, not newlines). */
const shownText = (editor: HTMLElement) => [...editor.querySelectorAll('.cm-line')].map((line) => line.textContent).join('\n');
/** A narrative field's editor that cannot be typed in, and says so to assistive technology. */
const expectReadOnly = (editor: HTMLElement) => {
  expect(editor).toHaveAttribute('contenteditable', 'false');
  expect(editor).toHaveAttribute('aria-readonly', 'true');
};

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

  it('says a change is not yet sent as soon as it is made, not a moment later when its index row is written', async () => {
    const { user, id } = await openForm();
    const status = screen.getByTestId('record-status');
    await markSent(user.id, id);
    await waitFor(() => expect(status).toHaveTextContent('Sent — stored on the server.'));

    // No awaiting after the change: the index row that counts it is still being written.
    fireEvent.change(screen.getByLabelText('Child ID'), { target: { value: 'MOS7' } });
    expect(status).toHaveTextContent('Saved on this tablet — not yet sent.');

    // Once the row counts it and the server has it all, "Sent" again.
    await waitFor(async () => expect(await dbFor(user.id).records.get(id)).toMatchObject({ childId: 'MOS7', unsynced: 1 }));
    expect(status).toHaveTextContent('Saved on this tablet — not yet sent.');
    await markSent(user.id, id);
    await waitFor(() => expect(status).toHaveTextContent('Sent — stored on the server.'));
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

  it('lists the problems in page order, each a link that moves the focus to its field', async () => {
    await openForm();
    const u = userEvent.setup();
    await u.click(screen.getByRole('button', { name: 'Mark as complete' }));
    const summary = await screen.findByRole('alert');
    const links = within(summary).getAllByRole('link');
    expect(links.length).toBeGreaterThan(3);
    expect(links[0]).toHaveTextContent('Practitioner observed');
    // Each link moves the focus into its field; the fields come one after another down the page.
    const focused: Element[] = [];
    for (const link of links) {
      await u.click(link);
      expect(document.activeElement?.closest('form')).not.toBeNull();
      focused.push(document.activeElement!);
    }
    for (let i = 1; i < focused.length; i++) expect(focused[i - 1]!.compareDocumentPosition(focused[i]!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();

    const strengthsLink = links.find((link) => link.textContent?.startsWith('Identified strengths'))!;
    await u.click(strengthsLink);
    expect(screen.getByLabelText('Identified strengths')).toHaveFocus();
    await u.click(within(summary).getByRole('link', { name: /^Child ID/ }));
    expect(screen.getByLabelText('Child ID')).toHaveFocus();
  });

  it('queues a valid observation’s completion as a command, tells the practitioner by another, and locks the form meanwhile', async () => {
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

    await waitFor(() => expectReadOnly(screen.getByLabelText('Identified strengths')));
    expect(screen.getByText(/It will be completed when it reaches the server/)).toBeInTheDocument();
    // Completion carries authority: it waits in the outbox for the server, the document is not changed here.
    const outbox = await dbFor(user.id).outbox.toArray();
    expect(outbox.map((e) => e.command.type).sort()).toEqual(['complete', 'set-subject']);
    expect(outbox.find((e) => e.command.type === 'set-subject')?.command).toMatchObject({ record: `observation/${id}`, userId: 'p1' });
    expect(outbox.find((e) => e.command.type === 'complete')?.command).toMatchObject({ record: `observation/${id}`, stateVector: expect.any(String) });
    expect((await readStored(user.id, id)).meta?.status).toBe('draft');

    // Changing one's mind before it is sent: back to an editable draft.
    await u.click(screen.getByRole('button', { name: 'Keep it as a draft instead' }));
    await waitFor(() => expect(screen.getByLabelText('Identified strengths')).toHaveAttribute('contenteditable', 'true'));
    expect(screen.getByLabelText('Identified strengths')).not.toHaveAttribute('aria-readonly');
    expect((await dbFor(user.id).outbox.toArray()).map((e) => e.command.type)).toEqual(['set-subject']);
  });

  it('refuses a paste that would take a narrative field over its limit, and says so beside the field', async () => {
    const { user, id } = await openForm();
    const strengths = screen.getByLabelText('Identified strengths');
    const paste = (text: string) => {
      const event = new Event('paste', { bubbles: true, cancelable: true });
      Object.defineProperty(event, 'clipboardData', { value: { getData: (type: string) => (type === 'text/plain' ? text : '') } });
      fireEvent(strengths, event);
    };
    paste('x'.repeat(MAX_NARRATIVE_CHARS - 10));
    await waitFor(async () => expect((await readStored(user.id, id)).values.strengths).toHaveLength(MAX_NARRATIVE_CHARS - 10));

    paste('y'.repeat(11));
    const message = await screen.findByText(/Not added: this box holds up to 50,000 characters, and that would have made it 50,001/);
    expect(strengths).toHaveAttribute('aria-invalid', 'true');
    expect(strengths).toHaveAccessibleDescription(expect.stringContaining('Not added'));
    expect(message).toHaveAttribute('role', 'alert');
    expect((await readStored(user.id, id)).values.strengths).toBe('x'.repeat(MAX_NARRATIVE_CHARS - 10));

    // A paste that fits is taken, and the message goes.
    paste('y'.repeat(10));
    await waitFor(() => expect(screen.queryByText(/Not added/)).toBeNull());
    await waitFor(async () => expect((await readStored(user.id, id)).values.strengths).toHaveLength(MAX_NARRATIVE_CHARS));
  });

  it('restores a record exactly when it is opened again', async () => {
    const user = freshUser();
    const values = { dateOfObservation: '2026-01-02', childId: 'LCS1', nature: 'other', natureOther: 'Direct work', otherComments: 'Line 1\nLine 2' };
    const id = await createRecord(user.id, user, 'observation', values);
    await renderAt(`/observations/${id}`, <Route path="/observations/:id" element={<ObservationPage />} />, user);
    expect(await screen.findByLabelText('Other (please specify)')).toHaveValue('Direct work');
    expect(screen.getByLabelText('Child ID')).toHaveValue('LCS1');
    expect(screen.getByLabelText('Date of observation')).toHaveValue('2026-01-02');
    expect(shownText(screen.getByLabelText('Other comments'))).toBe('Line 1\nLine 2');
    expect(screen.getByRole('radio', { name: 'Other' })).toBeChecked();
  });

  it('says so when the record is not on this device', async () => {
    const user = freshUser();
    await renderAt('/observations/3f2c1b7e-1d2a-4c3b-9a8e-0f1e2d3c4b5a', <Route path="/observations/:id" element={<ObservationPage />} />, user);
    expect(await screen.findByRole('heading', { name: 'Record not found' })).toBeInTheDocument();
  });

  it('shows a record the server lets this person only read as read-only, with no way to edit or complete it', async () => {
    const author = freshUser();
    const reader = freshUser();
    // The record as it reaches a head of service's tablet: made by someone else, listed as read-only.
    const id = await createRecord(reader.id, author, 'observation', { childId: 'RO1', strengths: 'Calm.' });
    await dbFor(reader.id).records.update(id, { access: 'read', relationship: 'line-manager', unsynced: 0 });
    await renderAt(`/observations/${id}`, <Route path="/observations/:id" element={<ObservationPage />} />, reader);
    expect(await screen.findByText('You can read this observation but not change it.')).toBeInTheDocument();
    // The editor takes the form's read-only state in an effect, just after the form renders it.
    await waitFor(() => expectReadOnly(screen.getByLabelText('Identified strengths')));
    expect(shownText(screen.getByLabelText('Identified strengths'))).toBe('Calm.');
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Mark as complete' })).toBeNull();
  });

  it('lets the practitioner observed send their own reflection, queued as a command', async () => {
    const author = freshUser();
    const practitioner = { ...freshUser(), role: 'practitioner' as const };
    const id = await createRecord(practitioner.id, author, 'observation', { childId: 'REF1' });
    await dbFor(practitioner.id).records.update(id, { access: 'read', relationship: 'subject', unsynced: 0 });
    await renderAt(`/observations/${id}`, <Route path="/observations/:id" element={<ObservationPage />} />, practitioner);
    const u = userEvent.setup();
    await screen.findByRole('heading', { name: 'Your reflection' });
    await u.click(screen.getByRole('button', { name: 'Send your reflection' }));
    expect(await screen.findByText('Write your reflection first.')).toBeInTheDocument();
    await u.type(screen.getByLabelText('Add your reflection'), 'I will slow down next time.');
    await u.click(screen.getByRole('button', { name: 'Send your reflection' }));
    expect(await screen.findByText(/will be added when this tablet next reaches the server/)).toBeInTheDocument();
    const [entry] = await dbFor(practitioner.id).outbox.toArray();
    expect(entry?.command).toMatchObject({ type: 'add-reflection', record: `observation/${id}`, text: 'I will slow down next time.' });
  });
  it('shows the family feedback gathered for the observation inside it, with a way to record more and to see all of the child’s', async () => {
    const user = freshUser();
    const id = await createRecord(user.id, user, 'observation', { childId: 'MOS77', dateOfObservation: '2026-03-14' });
    await renderAt(`/observations/${id}`, <Route path="/observations/:id" element={<ObservationPage />} />, user);
    expect(await screen.findByText('No family feedback has been recorded for this yet.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Record family feedback' })).toHaveAttribute('href', `/feedback/new?for=${encodeURIComponent(`observation/${id}`)}&child=MOS77`);
    expect(screen.getByRole('link', { name: 'All family feedback for child MOS77' })).toHaveAttribute('href', '/children/MOS77');
    await createRecord(user.id, user, 'feedback', { childId: 'MOS77', linkedRecord: `observation/${id}`, giver: 'parent', score: '6', goneWell: 'She rang back the same day.', date: '2026-03-14' });
    const section = screen.getByRole('region', { name: 'Family feedback' });
    expect(await within(section).findByText(/She rang back the same day/)).toBeInTheDocument();
    expect(section).toHaveTextContent('A parent');
    expect(section).toHaveTextContent('How well things are going: 6 out of 10');
  });
});

describe('a completed observation reads as a document', () => {
  /** An observation as the server leaves it once completed, with the practitioner's reflection if given. */
  async function completedObservation(reader: ReturnType<typeof freshUser>, author: ReturnType<typeof freshUser>, reflection?: string) {
    const practitioner = { ...freshUser(), id: 'p1', displayName: 'Yusuf Ahmed' };
    const id = await createRecord(reader.id, author, 'observation', {
      ...completeObservationValues(practitioner),
      strengths: 'Warm with the family.\nListened to Amy first.',
      otherComments: '',
    });
    const { doc, release } = await acquireDoc(reader.id, 'observation', id);
    setStatus(doc, 'complete', new Date('2026-11-01T15:20:00Z'));
    if (reflection) writeReflection(doc, { text: reflection, byId: practitioner.id, byName: practitioner.displayName, at: '2026-11-02T09:00:00Z' });
    release();
    return id;
  }

  it('shows each field under its label as text, with line breaks kept and empty fields said plainly, and no disabled boxes', async () => {
    const user = freshUser();
    const id = await completedObservation(user, user, 'I will slow down.\nAnd summarise at the end.');
    await renderAt(`/observations/${id}`, <Route path="/observations/:id" element={<ObservationPage />} />, user);
    const doc = await screen.findByRole('article', { name: 'The observation as written' });
    expect(document.querySelectorAll('input:disabled, textarea:disabled, select:disabled, fieldset:disabled')).toHaveLength(0);
    expect(screen.queryAllByRole('textbox')).toHaveLength(0);
    expect(screen.queryByRole('button', { name: 'Mark as complete' })).toBeNull();

    expect(within(doc).getByText('Practitioner observed').nextElementSibling).toHaveTextContent('Yusuf Ahmed');
    expect(within(doc).getByText('Team').nextElementSibling).toHaveTextContent('Safeguarding Team North');
    expect(within(doc).getByText('Nature of the observed practice').nextElementSibling).toHaveTextContent('Home visit');
    expect(within(doc).getByText('Identified strengths').nextElementSibling!.querySelector('p')!.innerHTML).toBe('Warm with the family.<br>Listened to Amy first.');
    expect(within(doc).getByText('Other comments').nextElementSibling).toHaveTextContent('Not recorded');
    expect(within(doc).getByText('Marked as complete').nextElementSibling).toHaveTextContent(/1 Nov 2026 at \d\d:\d\d, by Grace Okafor/);
    // The practitioner's reflection, in their words, with who wrote it and when.
    const reflection = within(doc).getByRole('region', { name: 'The practitioner’s reflection' });
    expect(reflection.querySelector('p')!.innerHTML).toBe('I will slow down.<br>And summarise at the end.');
    expect(reflection).toHaveTextContent('Yusuf Ahmed, 2 Nov 2026');
    // Family feedback can still be gathered for it.
    expect(screen.getByRole('link', { name: 'Record family feedback' })).toBeInTheDocument();
  });

  it('the practitioner observed can still add their reflection to a completed observation', async () => {
    const author = freshUser();
    const practitioner = { ...freshUser(), role: 'practitioner' as const };
    const id = await completedObservation(practitioner, author);
    await dbFor(practitioner.id).records.update(id, { access: 'read', relationship: 'subject', unsynced: 0 });
    await renderAt(`/observations/${id}`, <Route path="/observations/:id" element={<ObservationPage />} />, practitioner);
    expect(await screen.findByText('The practitioner has not added a reflection.')).toBeInTheDocument();
    const u = userEvent.setup();
    await u.type(await screen.findByLabelText('Add your reflection'), 'Next time I will visit sooner.');
    await u.click(screen.getByRole('button', { name: 'Send your reflection' }));
    await waitFor(async () => expect((await dbFor(practitioner.id).outbox.toArray())[0]?.command).toMatchObject({ type: 'add-reflection', record: `observation/${id}` }));
  });
});

