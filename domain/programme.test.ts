import { describe, expect, it } from 'vitest';
import { computeCoverage, coverageStatus, defaultExpectations, describeExpectation, expectationInputSchema, type Expectation, type ProgrammeActivity, type ProgrammePerson } from './programme';
import { periodContaining } from './periods';

const person = (id: string, role: ProgrammePerson['role'], managerId = '', extra: Partial<ProgrammePerson> = {}): ProgrammePerson => ({
  id,
  displayName: id.toUpperCase(),
  role,
  teamId: role === 'practitioner' || role === 'team-manager' ? 'north' : '',
  serviceId: 'safeguarding',
  managerId,
  joinedOn: '2020-01-01',
  leftOn: null,
  ...extra,
});

const people = [
  person('hos', 'head-of-service'),
  person('tm', 'team-manager', 'hos'),
  person('sw1', 'practitioner', 'tm'),
  person('sw2', 'practitioner', 'tm'),
  person('new', 'practitioner', 'tm', { joinedOn: '2027-01-20' }),
  person('gone', 'practitioner', 'tm', { leftOn: '2026-05-01' }),
  person('ad', 'assistant-director'),
];
const teams = [{ id: 'north', managerId: 'tm' }];
const expectations: Expectation[] = defaultExpectations.map((e, i) => ({ ...e, id: `e${i}` }));
const observation = (by: string, of: string, on: string, n = 0): ProgrammeActivity => ({ record: `observation/${by}-${of}-${on}-${n}`, kind: 'observation', byId: by, subjectId: of, teamId: 'north', on });
const review = (by: string, on: string, n = 0, levelOfNeed = 'cp'): ProgrammeActivity => ({ record: `review/${by}-${on}-${n}`, kind: 'review', byId: by, subjectId: 'sw1', teamId: 'north', on, levelOfNeed });

const coverage = (asOf: string, activities: ProgrammeActivity[], scope: Set<string> | null = null, organisationWide = true) =>
  computeCoverage({ asOf, expectations, people, teams, activities, scope, organisationWide });

describe('coverage of the programme', () => {
  it('counts a line manager’s observations of each direct report this year, and names those still to be observed', () => {
    const report = coverage('2027-02-01', [observation('tm', 'sw1', '2026-06-10'), observation('tm', 'sw1', '2026-03-30')]);
    const row = report.rows.find((r) => r.personId === 'tm' && r.expectationId === 'e0')!;
    // sw1 observed this year (the March one was last year); sw2 not; the joiner not yet due; the leaver gone.
    expect(row).toMatchObject({ required: 2, done: 1, records: ['observation/tm-sw1-2026-06-10-0'] });
    expect(row.outstanding).toEqual([{ id: 'sw2', name: 'SW2' }]);
    // Ten months in, one of two is as many as the time gone by calls for; at the year's end it is behind.
    expect(row.status).toBe('on-track');
    expect(coverage('2027-03-31', [observation('tm', 'sw1', '2026-06-10')]).rows.find((r) => r.personId === 'tm' && r.expectationId === 'e0')!.status).toBe('behind');
    expect(report.notObserved.map((p) => p.id)).toEqual(['tm', 'sw2', 'new']);
  });

  it('calls a monthly review done, on track early in the month, behind once the month is over', () => {
    expect(coverage('2026-05-20', [review('tm', '2026-05-02')]).rows.find((r) => r.personId === 'tm' && r.expectationId === 'e4')).toMatchObject({ done: 1, status: 'met' });
    expect(coverage('2026-05-20', [review('tm', '2026-04-30')]).rows.find((r) => r.personId === 'tm' && r.expectationId === 'e4')).toMatchObject({ done: 0, status: 'on-track' });
    expect(coverageStatus(1, 0, periodContaining('month', '2026-05-31'), '2026-05-31')).toBe('behind');
  });

  it('counts the organisation’s reviews in the quarter by team and level of need, for the organisation-wide roles only', () => {
    const activities = [review('tm', '2026-04-02', 1), review('hos', '2026-06-30', 2, 'cin'), review('tm', '2026-07-01', 3)];
    const [org] = coverage('2026-06-15', activities).organisation;
    expect(org).toMatchObject({ required: 20, done: 2, byTeam: [{ teamId: 'north', count: 2 }] });
    expect(org!.byLevelOfNeed).toEqual([{ levelOfNeed: 'cin', count: 1 }, { levelOfNeed: 'cp', count: 1 }]);
    expect(coverage('2026-06-15', activities, null, false).organisation).toEqual([]);
  });

  it('shows only the people in the viewer’s scope', () => {
    const report = coverage('2026-06-15', [], new Set(['tm', 'sw1']), false);
    expect(new Set(report.rows.map((r) => r.personId))).toEqual(new Set(['tm']));
    expect(report.notObserved.map((p) => p.id)).toEqual(['tm', 'sw1']);
  });

  it('counts an assistant director’s observation of any practitioner in the quarter', () => {
    const rows = coverage('2026-08-01', [observation('ad', 'sw2', '2026-07-04')]).rows.filter((r) => r.personId === 'ad');
    expect(rows).toEqual([expect.objectContaining({ required: 1, done: 1, status: 'met' })]);
  });
});

describe('expectations as data', () => {
  it('refuses nonsense and describes what it accepts', () => {
    expect(expectationInputSchema.safeParse({ who: { type: 'role', role: 'wizard' }, activity: 'observation', of: 'any', count: 1, period: 'year' }).success).toBe(false);
    expect(expectationInputSchema.safeParse({ who: { type: 'organisation' }, activity: 'review', of: 'any', count: 0, period: 'quarter' }).success).toBe(false);
    expect(describeExpectation(defaultExpectations[0]!)).toBe('Team manager: 1 observation of practice of each direct report each year');
    expect(describeExpectation(defaultExpectations[6]!)).toBe('The organisation: 20 collaborative case reviews in all each quarter');
  });
});
