/**
 * Download PDF and Print on a finished record: the PDF chunk is asked for only on the click, each copy is
 * queued as a record-copy command (for the audit log, sent when there is a connection), and the print view
 * exists only while printing.
 */
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dbFor } from '../data/db';
import { observationDocument } from '../lib/document/records';
import { freshUser } from '../test/renderApp';
import { DocumentCopies } from './DocumentCopies';

const makePdf = vi.fn<(model: unknown) => Promise<Uint8Array>>();
vi.mock('../lib/pdf/makePdf', () => ({ makePdf: (model: unknown) => makePdf(model) }));

const record = 'observation/3f2c1b7e-1d2a-4c3b-9a8e-0f1e2d3c4b5a';
const model = observationDocument(
  {
    values: { childId: 'MOS123456', practitionerName: 'Yusuf Ahmed', strengths: 'Warm and clear with the family.' },
    meta: { id: '3f2c1b7e-1d2a-4c3b-9a8e-0f1e2d3c4b5a', kind: 'observation', status: 'complete', createdAt: '2026-11-01T09:00:00Z', authorId: 'u1', authorName: 'Grace Okafor', authorTeamId: 't1' },
    teamName: 'Safeguarding Team North',
    reflection: null,
  },
  {},
  { organisation: { name: 'Anytown Council', marking: 'OFFICIAL-SENSITIVE' }, madeAt: new Date('2026-12-03T10:00:00Z') },
);

const queued = async (userId: string) => (await dbFor(userId).outbox.toArray()).map((e) => e.command);

let clicked: { href: string; download: string }[] = [];
beforeEach(() => {
  makePdf.mockReset();
  clicked = [];
  URL.createObjectURL = vi.fn(() => 'blob:pdf');
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push({ href: this.href, download: this.download });
  });
});
afterEach(() => vi.restoreAllMocks());

describe('copies of a finished record', () => {
  it('makes the PDF only when asked, downloads it under the child’s file name, and queues the copy for the audit log', async () => {
    const user = freshUser();
    makePdf.mockResolvedValue(new Uint8Array([37, 80, 68, 70]));
    render(<DocumentCopies userId={user.id} record={record} model={model} />);
    expect(screen.getByText(/marked OFFICIAL-SENSITIVE/)).toBeInTheDocument();
    expect(makePdf).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole('button', { name: 'Download PDF' }));
    expect(await screen.findByText('PDF made: MOS123456_observation-of-practice_2026-12-03.pdf')).toBeInTheDocument();
    expect(makePdf).toHaveBeenCalledTimes(1);
    expect(clicked).toEqual([{ href: 'blob:pdf', download: 'MOS123456_observation-of-practice_2026-12-03.pdf' }]);
    expect(await queued(user.id)).toEqual([
      expect.objectContaining({ type: 'record-copy', record, format: 'pdf', fileName: 'MOS123456_observation-of-practice_2026-12-03.pdf', madeAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) }),
    ]);
  });

  it('says so when the PDF cannot be made, and queues no copy', async () => {
    const user = freshUser();
    makePdf.mockRejectedValue(new Error('The PDF’s font could not be loaded (404).'));
    render(<DocumentCopies userId={user.id} record={record} model={model} />);
    await userEvent.click(screen.getByRole('button', { name: 'Download PDF' }));
    expect(await screen.findByText('The PDF could not be made: The PDF’s font could not be loaded (404).')).toBeInTheDocument();
    expect(clicked).toEqual([]);
    expect(await queued(user.id)).toEqual([]);
  });

  it('shows the print view only while printing, with the organisation and the record, and queues each print', async () => {
    const user = freshUser();
    render(<DocumentCopies userId={user.id} record={record} model={model} />);
    expect(screen.queryByRole('article', { name: /for printing/ })).toBeNull();
    act(() => void window.dispatchEvent(new Event('beforeprint')));
    const printed = screen.getByRole('article', { name: 'Observation of practice, for printing' });
    expect(printed).toHaveTextContent('Warm and clear with the family.');
    expect(screen.getByText('Anytown Council')).toBeInTheDocument();
    await waitFor(async () => expect(await queued(user.id)).toEqual([expect.objectContaining({ type: 'record-copy', format: 'print', record })]));
    act(() => void window.dispatchEvent(new Event('afterprint')));
    expect(screen.queryByRole('article', { name: /for printing/ })).toBeNull();
  });
});
