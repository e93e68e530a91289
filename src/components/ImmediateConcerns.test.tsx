import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Concern } from '../../domain/notifications';
import { dbFor } from '../data/db';
import { clearSession, saveSession } from '../data/session';
import { freshUser } from '../test/renderApp';
import { ImmediateConcerns } from './ImmediateConcerns';

const record = 'review/3f2c1b7e-1d2a-4c3b-9a8e-0f1e2d3c4b5a';
const open: Concern = {
  id: 'c1',
  record,
  raisedBy: 'p9',
  raisedByName: 'Fiona Walsh',
  raisedAt: '2026-11-20T09:00:00Z',
  text: 'Sam is scared to go home.',
  childId: 'MOS123',
  dueAt: '2026-11-23T09:00:00Z',
  respondedByName: null,
  respondedAt: null,
  response: null,
  escalatedAt: null,
  escalatedTo: [],
  resolvedByName: null,
  resolvedAt: null,
  resolution: null,
};

function renderConcerns(relationship: Parameters<typeof ImmediateConcerns>[0]['relationship'], concerns: Concern[], role?: Parameters<typeof ImmediateConcerns>[0]['role']) {
  const user = freshUser();
  saveSession({ token: 't', expiresAt: '2099-01-01T00:00:00Z', refreshExpiresAt: '2099-01-01T00:00:00Z', user });
  vi.spyOn(globalThis, 'fetch').mockImplementation(async () => new Response(JSON.stringify({ concerns }), { headers: { 'Content-Type': 'application/json' } }));
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, networkMode: 'always' } } });
  render(
    <QueryClientProvider client={queryClient}>
      <ImmediateConcerns record={record} userId={user.id} relationship={relationship} role={role} />
    </QueryClientProvider>,
  );
  return user;
}

beforeEach(() => vi.restoreAllMocks());
afterEach(() => clearSession());

describe('immediate concerns', () => {
  it('anyone in the record raises one, offline too: it waits in the outbox and says who will be told', async () => {
    const user = renderConcerns('contributor', []);
    await userEvent.click(await screen.findByRole('button', { name: 'Raise an immediate concern' }));
    await userEvent.click(screen.getByRole('button', { name: 'Raise the concern' }));
    expect(screen.getByText('Say what the concern is.')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('What is the concern about the child’s safety?'), 'Bruising seen on his arm.');
    await userEvent.click(screen.getByRole('button', { name: 'Raise the concern' }));
    expect(await screen.findByText(/The practitioner, team manager, service manager, director and QA team will be told as soon as it reaches the server/)).toBeInTheDocument();
    const [entry] = await dbFor(user.id).outbox.toArray();
    expect(entry?.command).toMatchObject({ type: 'raise-concern', record, text: 'Bruising seen on his arm.' });
  });

  it('an open concern stays on the record; a manager above the team resolves it only with a resolution', async () => {
    const user = renderConcerns('line-manager', [open]);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Raised by Fiona Walsh');
    expect(alert).toHaveTextContent('Sam is scared to go home.');
    expect(screen.getByRole('heading', { name: 'Immediate concern (1 open)' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Resolve the concern' }));
    expect(screen.getByText('Record how the concern was resolved.')).toBeInTheDocument();
    expect(await dbFor(user.id).outbox.count()).toBe(0);
    await userEvent.type(screen.getByLabelText('How it was resolved'), 'Strategy meeting held.');
    await userEvent.click(screen.getByRole('button', { name: 'Resolve the concern' }));
    await waitFor(async () => expect((await dbFor(user.id).outbox.toArray())[0]?.command).toMatchObject({ type: 'resolve-concern', concernId: 'c1', resolution: 'Strategy meeting held.' }));
  });

  it('the QA team sees the concern, its due time and its escalation, responds to it and may raise one, but does not resolve it', async () => {
    const user = renderConcerns('oversight', [{ ...open, escalatedAt: '2026-11-23T09:00:00Z', escalatedTo: ['Priya Patel', 'Helen Morgan'] }], 'qa-officer');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('child MOS123');
    expect(alert).toHaveTextContent('Response due by Monday 23 November 2026, 09:00');
    expect(alert).toHaveTextContent('Escalated to Priya Patel and Helen Morgan on');
    expect(screen.queryByRole('button', { name: 'Resolve the concern' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Raise an immediate concern' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Respond to the concern' }));
    expect(screen.getByText('Say what is being done about the concern.')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Your response: what is being done now'), 'Duty manager has called the family.');
    await userEvent.click(screen.getByRole('button', { name: 'Respond to the concern' }));
    await waitFor(async () => expect((await dbFor(user.id).outbox.toArray())[0]?.command).toMatchObject({ type: 'respond-to-concern', concernId: 'c1', response: 'Duty manager has called the family.' }));
  });

  it('a practitioner in the record cannot respond; a concern answered shows who responded and when', async () => {
    renderConcerns('subject', [{ ...open, respondedByName: 'Grace Okafor', respondedAt: '2026-11-20T10:00:00Z', response: 'Visited today.' }], 'practitioner');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Responded to by Grace Okafor');
    expect(alert).toHaveTextContent('Visited today.');
    expect(alert).not.toHaveTextContent('Response due by');
    expect(screen.queryByRole('button', { name: 'Respond to the concern' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Resolve the concern' })).toBeNull();
  });
});
