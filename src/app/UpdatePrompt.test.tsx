import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const updateServiceWorker = vi.fn();
vi.mock('virtual:pwa-register/react', () => ({
  useRegisterSW: () => ({ needRefresh: [true, vi.fn()], offlineReady: [false, vi.fn()], updateServiceWorker }),
}));

const { UpdatePrompt } = await import('./UpdatePrompt');

describe('a new version of Fieldnotes', () => {
  beforeEach(() => updateServiceWorker.mockClear());

  it('is offered, and applied only when the person chooses, away from any form', async () => {
    render(
      <MemoryRouter initialEntries={['/']}>
        <UpdatePrompt />
      </MemoryRouter>,
    );
    expect(screen.getByText('A new version of Fieldnotes is ready.')).toBeInTheDocument();
    expect(updateServiceWorker).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Update now' }));
    expect(updateServiceWorker).toHaveBeenCalledWith(true);
  });

  it('never reloads the page while a form is open: it waits', () => {
    render(
      <MemoryRouter initialEntries={['/observations/3f2c1b7e-1d2a-4c3b-9a8e-0f1e2d3c4b5a']}>
        <UpdatePrompt />
      </MemoryRouter>,
    );
    expect(screen.getByText(/It will be offered when you leave this record/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Update now' })).toBeNull();
    expect(updateServiceWorker).not.toHaveBeenCalled();
  });
});
