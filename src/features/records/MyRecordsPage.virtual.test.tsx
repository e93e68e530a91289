/**
 * My records with hundreds of records (issue 20): the list draws a screenful, yet every record is reachable —
 * the count says how many, each row says its place in the whole list, Tab walks on past the last drawn row,
 * scrolling draws later rows, a focused row keeps focus when scrolled away, printing draws them all, and
 * search, filters and the team groups still cover every record, not only the drawn ones.
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RecordSummary } from '../../../domain/records';
import { dbFor } from '../../data/db';
import { summariseRecord } from '../../data/records';
import { freshUser, renderAt } from '../../test/renderApp';
import { MyRecordsPage } from './MyRecordsPage';

const N = 300;

/** Complete observations by someone else (so no row has a Discard button), newest first by index. */
function rows(n: number): RecordSummary[] {
  return Array.from({ length: n }, (_, i) => {
    const meta = { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, kind: 'observation' as const, status: 'complete' as const, createdAt: '2026-11-01T09:00:00.000Z', authorId: 'someone', authorName: 'Someone', authorTeamId: i % 2 ? 't2' : 't1' };
    const values = { childId: `MOS${1000 + i}`, practitionerId: 'p1', practitionerName: i === 250 ? 'Zadie Quinn' : 'Yusuf Ahmed', dateOfObservation: '2026-11-01' };
    return summariseRecord(meta, values, new Date(Date.UTC(2026, 10, 30) - i * 60_000).toISOString(), 0);
  });
}

async function renderMany() {
  const user = freshUser();
  await dbFor(user.id).records.bulkPut(rows(N));
  await renderAt('/', <Route path="/" element={<MyRecordsPage />} />, user);
  await screen.findByText(`${N} records`);
  // The first screenful is read first; the list is as tall as all the rows once the rest are read.
  await waitFor(() => expect(parseInt(document.querySelector<HTMLElement>('.virtual-list')!.style.height)).toBeGreaterThan(N * 100));
  return user;
}

const drawn = (list: HTMLElement) => within(list).getAllByRole('listitem');
const childOf = (li: HTMLElement) => /MOS\d+/.exec(li.textContent ?? '')?.[0];
const scrollTo = (y: number) =>
  act(() => {
    Object.defineProperty(window, 'scrollY', { value: y, configurable: true });
    fireEvent.scroll(window);
  });

// jsdom has no scrolling: the list's scroll corrections (a row measured taller above the screen) go nowhere.
beforeEach(() => {
  vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
  Object.defineProperty(window, 'scrollY', { value: 0, configurable: true });
});

// Writing and drawing 300 rows in jsdom takes seconds on a busy machine: each test has 30 s, not 5.
describe('My records with many records', { timeout: 30_000 }, () => {
  it('counts every record, draws a screenful, and gives each row its place in the whole list', async () => {
    await renderMany();
    const list = screen.getByRole('list', { name: 'My records' });
    const items = drawn(list);
    expect(items.length).toBeGreaterThan(3);
    expect(items.length).toBeLessThan(40);
    expect(items[0]).toHaveAttribute('aria-setsize', String(N));
    expect(items[0]).toHaveAttribute('aria-posinset', '1');
    expect(childOf(items[0]!)).toBe('MOS1000');
    expect(screen.queryByText('MOS1299', { exact: false })).toBeNull();
  });

  it('draws later rows when scrolled, down to the last', async () => {
    await renderMany();
    scrollTo(200 * 132);
    const list = screen.getByRole('list', { name: 'My records' });
    expect(drawn(list).map((li) => li.getAttribute('aria-posinset'))).toContain('201');
    scrollTo(N * 132);
    const last = drawn(list).at(-1)!;
    expect(last).toHaveAttribute('aria-posinset', String(N));
    expect(childOf(last)).toBe('MOS1299');
  });

  it('walks with Tab past the last drawn row, and a focused row keeps focus when scrolled away', async () => {
    await renderMany();
    const user = userEvent.setup();
    const list = screen.getByRole('list', { name: 'My records' });
    const firstDrawn = drawn(list).length;
    within(drawn(list)[0]!).getByRole('link').focus();
    for (let i = 0; i < firstDrawn + 2; i++) await user.tab();
    const focused = document.activeElement!.closest('li')!;
    expect(focused).toHaveAttribute('aria-posinset', String(firstDrawn + 3));
    expect(childOf(focused)).toBe(`MOS${1000 + firstDrawn + 2}`);
    await user.tab({ shift: true });
    expect(document.activeElement!.closest('li')).toHaveAttribute('aria-posinset', String(firstDrawn + 2));

    const link = document.activeElement!;
    scrollTo(280 * 132);
    expect(link.isConnected).toBe(true);
    expect(document.activeElement).toBe(link);
  });

  it('draws every row to print, and a screenful again after', async () => {
    await renderMany();
    act(() => {
      window.dispatchEvent(new Event('beforeprint'));
    });
    expect(drawn(screen.getByRole('list', { name: 'My records' }))).toHaveLength(N);
    act(() => {
      window.dispatchEvent(new Event('afterprint'));
    });
    expect(drawn(screen.getByRole('list', { name: 'My records' })).length).toBeLessThan(40);
  });

  it('searches every record, not only those drawn, and says how many match', async () => {
    await renderMany();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Search by child ID or practitioner'), 'zadie');
    expect(await screen.findByText('1 of 300 records match “zadie”')).toBeInTheDocument();
    const list = screen.getByRole('list', { name: 'My records' });
    expect(drawn(list)).toHaveLength(1);
    expect(drawn(list)[0]).toHaveTextContent('MOS1250');
    expect(drawn(list)[0]).toHaveAttribute('aria-setsize', '1');
  });

  it('groups every record under its team’s heading, each group a list of its own size', async () => {
    await renderMany();
    const user = userEvent.setup();
    await user.click(screen.getByText('Filter and sort'));
    await user.click(screen.getByLabelText('Group by team'));
    expect(await screen.findByRole('heading', { name: 'Safeguarding Team North (150)' })).toBeInTheDocument();
    // The second team's heading is drawn though its rows are far below the screen.
    expect(screen.getByRole('heading', { name: 'Safeguarding Team South (150)' })).toBeInTheDocument();
    const north = screen.getByRole('list', { name: 'My records: Safeguarding Team North' });
    expect(drawn(north)[0]).toHaveAttribute('aria-setsize', '150');
    expect(drawn(north).every((li) => Number(/\d+/.exec(childOf(li) ?? '')![0]) % 2 === 0)).toBe(true);

    await user.selectOptions(screen.getByLabelText('Team'), 't2');
    expect(await screen.findByText('150 of 300 records match')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: /Safeguarding Team North/ })).toBeNull();
    const south = screen.getByRole('list', { name: 'My records: Safeguarding Team South' });
    expect(childOf(drawn(south)[0]!)).toBe('MOS1001');
  });
});
