import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Person } from '../../../domain/directory';
import { parsePeriodId } from '../../../domain/periods';
import { figureAt, openAndOverdue, periodFigures, trendFigures, trendQuarters, withoutRecords, reportGradeFields, type ReportFact, type ReportFigures } from '../../../domain/reports';
import type { ProgrammeReport } from '../../../domain/reportProgramme';
import { signedInFetch } from '../../data/api';
import { downloadCsv } from '../../lib/csv';
import { renderAt } from '../../test/renderApp';
import { ReportsPage } from './ReportsPage';

vi.mock('../../data/api', async (original) => ({ ...(await original<typeof import('../../data/api')>()), signedInFetch: vi.fn() }));
vi.mock('../../lib/csv', async (original) => ({ ...(await original<typeof import('../../lib/csv')>()), downloadCsv: vi.fn() }));

const REVIEW = 'review/3f2c0000-0000-4000-8000-000000000001';
const good = Object.fromEntries(reportGradeFields.map((f) => [f, 'good']));
const facts: ReportFact[] = [
  { doc: REVIEW, kind: 'review', status: 'moderated', teamId: 't1', practitionerId: 'p1', childId: 'C1', onDate: '2026-10-10', grades: good, agreed: { ...good, overallGrade: 'requires-improvement' }, moderatedOn: '2026-10-20', score: null, consent: '' },
  { doc: 'feedback/3f2c0000-0000-4000-8000-000000000002', kind: 'feedback', status: 'complete', teamId: 't1', practitionerId: '', childId: 'C1', onDate: '2026-10-11', grades: {}, agreed: null, moderatedOn: null, score: 9, consent: 'yes' },
];
const figures: ReportFigures = {
  scope: { serviceId: 's1', teamId: '' },
  today: '2026-11-20',
  current: periodFigures(facts, parsePeriodId('2026-27-Q3')!),
  previous: periodFigures(facts, parsePeriodId('2026-27-Q2')!),
  trends: trendFigures(facts, trendQuarters(parsePeriodId('2026-27-Q3')!)),
  ...openAndOverdue([], [], '2026-11-20', new Date('2026-11-20T12:00:00Z')),
};
const OBSERVATION = 'observation/3f2c0000-0000-4000-8000-000000000003';
const programme: ProgrammeReport = {
  period: { id: '2026-27-Q3', label: 'Q3 2026–27 (October to December)' },
  rows: [
    { expectationId: 'e1', description: 'Team manager: 1 observation of practice of each direct report each year', span: 'Financial year 2026–27, to 20 Nov 2026', expectedOf: 2, expected: 8, done: 3, coverage: 38, records: { count: 1, records: [OBSERVATION] } },
  ],
};
const head: Person = { id: `hos-${crypto.randomUUID()}`, username: 'hos.patel', displayName: 'Priya Patel', role: 'head-of-service', teamId: '', serviceId: 's1', managerId: '' };

beforeEach(() => {
  // The server's answers: the figures without their records, and the records behind one figure when asked.
  vi.mocked(signedInFetch)
    .mockReset()
    .mockImplementation(async (path: string) => {
      const url = new URL(path, 'http://app');
      if (url.pathname === '/api/reports') return withoutRecords(figures);
      if (url.pathname === '/api/reports/programme') return withoutRecords(programme);
      if (url.searchParams.get('figure')?.startsWith('programme.')) return { figure: url.searchParams.get('figure'), ...figureAt({ programme: programme.rows } as unknown as ReportFigures, url.searchParams.get('figure')!) };
      const figure = figureAt(figures, url.searchParams.get('figure') ?? '');
      return { figure: url.searchParams.get('figure'), ...figure };
    });
  vi.mocked(downloadCsv).mockReset();
});

describe('the reports dashboard', () => {
  it('asks for the head of service’s own service, shows the figures as tables, opens the records behind a figure, filters to a team and exports CSV', async () => {
    await renderAt('/reports?period=2026-27-Q3', <Route path="/reports" element={<ReportsPage />} />, head);
    expect(signedInFetch).toHaveBeenCalledWith('/api/reports?period=2026-27-Q3&service=s1&team=');

    const activity = await screen.findByRole('table', { name: /Records finished in each period/ });
    const thisPeriod = within(activity).getAllByRole('row')[1]!;
    expect(within(thisPeriod).getAllByRole('cell').map((c) => c.textContent)).toEqual(['1 Oct 2026', '31 Dec 2026', '0', '1', '1', '1']);
    expect(within(thisPeriod).getByRole('button', { name: /^1: list the records behind Collaborative case reviews/ })).toBeVisible();
    const overall = screen.getByRole('table', { name: /^Reviews submitted in each period by overall grade/ });
    expect(within(within(overall).getAllByRole('row')[1]!).getAllByRole('cell').map((c) => c.textContent)).toEqual(['1 Oct 2026', '31 Dec 2026', '0', '0', '1', '0']);

    await userEvent.click(within(thisPeriod).getByRole('button', { name: /Collaborative case reviews/ }));
    expect(signedInFetch).toHaveBeenLastCalledWith('/api/reports/records?period=2026-27-Q3&service=s1&team=&figure=current.activity.review');
    const behind = screen.getByRole('region', { name: /Records behind: Collaborative case reviews/ });
    expect(await within(behind).findByRole('link', { name: 'Collaborative case review 3f2c0000' })).toHaveAttribute('href', `/reviews/${REVIEW.slice('review/'.length)}`);

    // The trend: five quarters up to the chosen one, the last holding the review (moderated to Requires Improvement).
    const trend = screen.getByRole('table', { name: /in each quarter up to the chosen period/ });
    const quarters = within(trend).getAllByRole('row').slice(1);
    expect(quarters.map((r) => within(r).getByRole('rowheader').textContent)).toEqual([
      'Q3 2025–26 (October to December)',
      'Q4 2025–26 (January to March)',
      'Q1 2026–27 (April to June)',
      'Q2 2026–27 (July to September)',
      'Q3 2026–27 (October to December)',
    ]);
    expect(within(quarters[4]!).getAllByRole('cell').map((c) => c.textContent)).toEqual(['1 Oct 2026', '31 Dec 2026', '0', '0', '1', '0', '1', '0', '0']);
    await userEvent.click(within(quarters[4]!).getByRole('button', { name: /Requires Improvement overall, Q3 2026–27/ }));
    expect(signedInFetch).toHaveBeenLastCalledWith('/api/reports/records?period=2026-27-Q3&service=s1&team=&figure=trends.4.overall.requires-improvement');
    expect(await within(screen.getByRole('region', { name: /Records behind: Requires Improvement overall/ })).findByRole('link', { name: 'Collaborative case review 3f2c0000' })).toBeVisible();

    // Activity against the programme: done against expected, and the records counted.
    const against = await screen.findByRole('table', { name: /What the QA programme expects/ });
    const row = within(against).getAllByRole('row')[1]!;
    expect(within(row).getAllByRole('cell').map((c) => c.textContent)).toEqual(['Financial year 2026–27, to 20 Nov 2026', '2', '8', '3', '38', '1']);
    await userEvent.click(within(row).getByRole('button', { name: /^1: list the records behind Team manager/ }));
    expect(await within(screen.getByRole('region', { name: /Records behind: Team manager/ })).findByRole('link', { name: /Observation of practice 3f2c0000/ })).toBeVisible();

    fireEvent.change(screen.getByLabelText('Team'), { target: { value: 't2' } });
    expect(signedInFetch).toHaveBeenCalledWith('/api/reports?period=2026-27-Q3&service=s1&team=t2');
    expect(signedInFetch).toHaveBeenCalledWith('/api/reports/programme?period=2026-27-Q3&service=s1&team=t2');

    await userEvent.click(await screen.findByRole('button', { name: 'Download as CSV: Activity' }));
    const [fileName, csv] = vi.mocked(downloadCsv).mock.calls[0]!;
    expect(fileName).toBe('activity-2026-27-Q3.csv');
    expect(csv.startsWith('\uFEFFPeriod,From,To,Observations of practice')).toBe(true);
    expect(csv).toContain(',2026-10-01,2026-12-31,0,1,1,1\r\n');
    // Many steps through a whole dashboard: longer than one screen's default on a busy machine.
  }, 60_000);

  it('says why when the server refuses', async () => {
    const { ApiError } = await import('../../data/api');
    vi.mocked(signedInFetch).mockReset().mockRejectedValue(new ApiError(403, 'forbidden', 'Reports are for heads of service.'));
    await renderAt('/reports', <Route path="/reports" element={<ReportsPage />} />, head);
    expect((await screen.findAllByRole('alert'))[0]).toHaveTextContent('Reports are for heads of service.');
  });
});
