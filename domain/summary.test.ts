/**
 * Drafting a quarterly summary from a seeded set (domain/summary.ts): the activity table and the grade spread
 * for the service and quarter against the quarter before, quotes only from that service's reviews of that
 * quarter, and families' words only when they gave consent. Every figure below is counted by hand.
 */
import { describe, expect, it } from 'vitest';
import { parsePeriodId } from './periods';
import type { ReportFact } from './reports';
import { draftSummary, startSummarySchema, summarySubmitSchema } from './summary';

const quarter = parsePeriodId('2026-27-Q2')!; // July to September 2026
const teams = [
  { id: 'north', name: 'Safeguarding Team North' },
  { id: 'south', name: 'Safeguarding Team South' },
];

const fact = (doc: string, kind: ReportFact['kind'], teamId: string, onDate: string, extra: Partial<ReportFact> = {}): ReportFact => ({
  doc,
  kind,
  status: kind === 'review' ? 'submitted' : 'complete',
  teamId,
  practitionerId: 'p',
  childId: 'C',
  onDate,
  grades: {},
  agreed: null,
  moderatedOn: null,
  score: null,
  consent: '',
  ...extra,
});

const facts: ReportFact[] = [
  // This quarter, in the service: two reviews (one moderated from Good to Requires Improvement), one observation, feedback with and without consent.
  fact('review/r1', 'review', 'north', '2026-07-10', { grades: { overallGrade: 'good', planningGrade: 'good' }, agreed: { overallGrade: 'requires-improvement', planningGrade: 'good' }, moderatedOn: '2026-08-01' }),
  fact('review/r2', 'review', 'south', '2026-09-30', { grades: { overallGrade: 'outstanding', planningGrade: 'inadequate' } }),
  fact('observation/o1', 'observation', 'north', '2026-08-15'),
  fact('feedback/f1', 'feedback', 'north', '2026-07-20', { consent: 'yes', score: 8 }),
  fact('feedback/f2', 'feedback', 'south', '2026-07-21', { consent: '', score: 2 }),
  // The quarter before, in the service: one review and one observation.
  fact('review/r0', 'review', 'north', '2026-06-30', { grades: { overallGrade: 'good' } }),
  fact('observation/o0', 'observation', 'south', '2026-04-02'),
  // Another service's review this quarter, and this service's review the quarter after: never in it.
  fact('review/other', 'review', 'care', '2026-08-01', { grades: { overallGrade: 'inadequate' } }),
  fact('review/later', 'review', 'north', '2026-10-01', { grades: { overallGrade: 'good' } }),
];

const values = new Map<string, Record<string, string>>([
  ['review/r1', { wentWell: 'The child’s voice was heard at every visit.', needsToHappen: 'A plan with dates.' }],
  ['review/r2', { wentWell: '  ', needsToHappen: 'Supervision every month.' }],
  ['review/r0', { wentWell: 'Last quarter’s words.', needsToHappen: 'Last quarter’s plan.' }],
  ['review/other', { wentWell: 'Another service’s words.', needsToHappen: 'Another service’s plan.' }],
  ['review/later', { wentWell: 'Next quarter’s words.', needsToHappen: 'Next quarter’s plan.' }],
  ['feedback/f1', { consent: 'yes', giver: 'parent', score: '8', goneWell: 'She listens to us.', couldBeBetter: 'Ring before visiting.' }],
  ['feedback/f2', { consent: 'no', giver: 'child', score: '2', goneWell: 'Words given without consent.' }],
]);

const draft = () => draftSummary({ service: { id: 'safeguarding', name: 'Safeguarding' }, teams, quarter, facts, values, draftedAt: new Date('2026-10-02T09:00:00Z') });

describe('drafting a quarterly summary', () => {
  it('counts the service’s activity in the quarter against the quarter before', () => {
    const d = draft();
    expect(d.quarter).toEqual({ id: '2026-27-Q2', label: quarter.label, start: '2026-07-01', end: '2026-09-30' });
    expect(d.previousLabel).toBe(parsePeriodId('2026-27-Q1')!.label);
    expect(d.activity).toEqual([
      { label: 'Observations of practice completed', count: 1, previous: 1 },
      { label: 'Collaborative case reviews submitted', count: 2, previous: 1 },
      { label: 'Reviews moderated', count: 1, previous: 0 },
      { label: 'Family feedback given with consent', count: 1, previous: 0 },
    ]);
  });

  it('spreads the grades as moderation agreed them, overall first, in the order Outstanding to Inadequate', () => {
    const d = draft();
    expect(d.grades[0]).toEqual({ label: 'Overall grade', counts: [1, 0, 1, 0] });
    expect(d.grades.find((g) => g.label === 'Planning')).toEqual({ label: 'Planning', counts: [0, 1, 0, 1] });
    expect(d.grades).toHaveLength(8);
  });

  it('quotes only the service’s reviews of the quarter, and leaves out empty words', () => {
    const d = draft();
    expect(d.wentWell.map((q) => [q.doc, q.text, q.teamName, q.onDate])).toEqual([['review/r1', 'The child’s voice was heard at every visit.', 'Safeguarding Team North', '2026-07-10']]);
    expect(d.needsToHappen.map((q) => q.text)).toEqual(['A plan with dates.', 'Supervision every month.']);
    const all = JSON.stringify(d);
    for (const never of ['Last quarter', 'Another service', 'Next quarter']) expect(all).not.toContain(never);
  });

  it('keeps families’ words given with consent only, and counts those left out', () => {
    const d = draft();
    expect(d.familyWords).toEqual([
      {
        doc: 'feedback/f1',
        text: 'She listens to us.\n\nRing before visiting.',
        teamId: 'north',
        teamName: 'Safeguarding Team North',
        onDate: '2026-07-20',
        from: 'A parent, who scored how well things are going 8 out of 10',
      },
    ]);
    expect(d.feedbackLeftOut).toBe(1);
    expect(JSON.stringify(d)).not.toContain('without consent');
  });

  it('refuses feedback the read model says was consented when its document says otherwise', () => {
    const withdrawn = new Map(values);
    withdrawn.set('feedback/f1', { ...values.get('feedback/f1')!, consent: 'no' });
    const d = draftSummary({ service: { id: 's', name: 'S' }, teams, quarter, facts, values: withdrawn, draftedAt: new Date() });
    expect(d.familyWords).toEqual([]);
  });

  it('starts only for a quarter, and is submitted only with all three parts written', () => {
    expect(startSummarySchema.safeParse({ service: 's', quarter: '2026-27-Q2' }).success).toBe(true);
    expect(startSummarySchema.safeParse({ service: 's', quarter: '2026-27-H1' }).success).toBe(false);
    expect(startSummarySchema.safeParse({ service: '', quarter: '2026-27-Q2' }).success).toBe(false);
    const checked = summarySubmitSchema.safeParse({ workingWell: 'Yes.', worried: ' ', actionNeeded: '' });
    expect(checked.success).toBe(false);
    expect(checked.error?.issues.map((i) => i.path[0])).toEqual(['worried', 'actionNeeded']);
  });
});
