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
  resolvedByName: null,
  resolvedAt: null,
  resolution: null,
};

function renderConcerns(relationship: Parameters<typeof ImmediateConcerns>[0]['relationship'], concerns: Concern[]) {
  const user = freshUser();
  saveSession({ token: 't', expiresAt: '2099-01-01T00:00:00Z', refreshExpiresAt: '2099-01-01T00:00:00Z', user });
  vi.spyOn(globalThis, 'fetch').mockImplementation(async () => new Response(JSON.stringify({ concerns }), { headers: { 'Content-Type': 'application/json' } }));
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, networkMode: 'always' } } });
  render(
    <QueryClientProvider client={queryClient}>
      <ImmediateConcerns record={record} userId={user.id} relationship={relationship} />
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
    expect(await screen.findByText(/The team manager, service manager and director will be told as soon as it reaches the server/)).toBeInTheDocument();
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

  it('people who only oversee the record see the concern but cannot resolve or raise one', async () => {
    renderConcerns('oversight', [open]);
    expect(await screen.findByText(/Sam is scared to go home/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Resolve the concern' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Raise an immediate concern' })).toBeNull();
  });
});
