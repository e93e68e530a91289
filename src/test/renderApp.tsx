/** Renders screens as the app does (session, query client, router) for component tests. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, Routes } from 'react-router';
import type { Directory, Person } from '../../domain/directory';
import { cacheDirectory } from '../data/directory';
import { SessionProvider } from '../data/sessionContext';

export const testDirectory: Directory = {
  services: [{ id: 's1', name: 'Safeguarding' }],
  teams: [
    { id: 't1', name: 'Safeguarding Team North', serviceId: 's1', managerId: '' },
    { id: 't2', name: 'Safeguarding Team South', serviceId: 's1', managerId: '' },
  ],
  people: [
    { id: 'm1', username: 'tm.okafor', displayName: 'Grace Okafor', role: 'team-manager', teamId: 't1', serviceId: 's1', managerId: '' },
    { id: 'p1', username: 'sw.ahmed', displayName: 'Yusuf Ahmed', role: 'practitioner', teamId: 't1', serviceId: 's1', managerId: '' },
    { id: 'p2', username: 'sw.clarke', displayName: 'Daniel Clarke', role: 'practitioner', teamId: 't2', serviceId: 's1', managerId: '' },
  ],
};

export const manager: Person = testDirectory.people[0]!;

/** A user id no other test uses, so each test has its own device databases. */
export const freshUser = (): Person => ({ ...manager, id: `m-${crypto.randomUUID()}` });

/** `around` wraps the routes as the app does (e.g. the family mode gate). */
export async function renderAt(path: string, routes: ReactNode, user: Person = manager, around: (routes: ReactNode) => ReactNode = (r) => r) {
  await cacheDirectory(user.id, testDirectory);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, networkMode: 'always' } } });
  return render(
    <QueryClientProvider client={queryClient}>
      <SessionProvider initial={{ refreshExpiresAt: '2099-01-01T00:00:00Z', user }}>
        <MemoryRouter initialEntries={[path]}>
          {around(<Routes>{routes}</Routes>)}
        </MemoryRouter>
      </SessionProvider>
    </QueryClientProvider>,
  );
}
