import { describe, expect, it } from 'vitest';
import { parsePeriodId } from './periods';
import { figureAt, figurePathSchema, goodOrBetterShare, openAndOverdue, periodFigures, trendFigures, trendQuarters, reportGradeFields, withoutRecords, type ReportFact, type ReportFigures } from './reports';

const q3 = parsePeriodId('2026-27-Q3')!; // October to December 2026
const allGood = Object.fromEntries(reportGradeFields.map((f) => [f, 'good']));

const fact = (over: Partial<ReportFact> & Pick<ReportFact, 'doc' | 'kind'>): ReportFact => ({
  status: 'complete',
  teamId: 'north',
  practitionerId: 'p1',
  childId: 'C1',
  onDate: '2026-10-10',
  grades: {},
  agreed: null,
  moderatedOn: null,
  score: null,
  consent: '',
  ...over,
});

const facts: ReportFact[] = [
  fact({ doc: 'observation/1', kind: 'observation' }),
  fact({ doc: 'observation/old', kind: 'observation', onDate: '2026-09-30' }),
  // Submitted in Q3, moderated in Q3: overall Good down to RI, planning Good up to Outstanding.
  fact({ doc: 'review/a', kind: 'review', status: 'moderated', grades: allGood, agreed: { ...allGood, overallGrade: 'requires-improvement', planningGrade: 'outstanding' }, moderatedOn: '2026-11-02' }),
  // Submitted in Q3, moderated without change.
  fact({ doc: 'review/b', kind: 'review', status: 'moderated', grades: allGood, agreed: allGood, moderatedOn: '2026-12-01' }),
  // Submitted in Q3, not yet moderated: its own grades count.
  fact({ doc: 'review/c', kind: 'review', status: 'submitted', grades: { ...allGood, overallGrade: 'inadequate' } }),
  // Submitted in Q2, moderated in Q3: counts as moderated in Q3, its grades in Q2's spread.
  fact({ doc: 'review/d', kind: 'review', status: 'moderated', onDate: '2026-09-20', grades: allGood, agreed: { ...allGood, overallGrade: 'outstanding' }, moderatedOn: '2026-10-05' }),
  fact({ doc: 'feedback/1', kind: 'feedback', score: 8, consent: 'yes' }),
  fact({ doc: 'feedback/2', kind: 'feedback', score: 5, consent: 'yes', teamId: 'south' }),
  fact({ doc: 'feedback/3', kind: 'feedback', score: null, consent: 'yes' }),
  // Without consent: neither counted nor averaged.
  fact({ doc: 'feedback/no', kind: 'feedback', score: 0, consent: 'no' }),
];

describe('the figures for a period', () => {
  const figures = periodFigures(facts, q3);

  it('counts what was finished in the period', () => {
    expect(figures.activity.observation).toEqual({ count: 1, records: ['observation/1'] });
    expect(figures.activity.review.records).toEqual(['review/a', 'review/b', 'review/c']);
    expect(figures.activity.feedback.count).toBe(3);
    expect(figures.activity.moderation.records).toEqual(['review/a', 'review/b', 'review/d']);
  });

  it('spreads the grades that count: moderation’s once agreed', () => {
    expect(figures.gradeSpread.overallGrade.good.records).toEqual(['review/b']);
    expect(figures.gradeSpread.overallGrade['requires-improvement'].records).toEqual(['review/a']);
    expect(figures.gradeSpread.overallGrade.inadequate.records).toEqual(['review/c']);
    expect(figures.gradeSpread.overallGrade.outstanding.count).toBe(0);
    expect(figures.gradeSpread.planningGrade.outstanding.records).toEqual(['review/a']);
    expect(figures.gradeSpread.planningGrade.good.count).toBe(2);
  });

  it('says how often moderation changed a grade, by field and direction', () => {
    expect(figures.moderation.moderated.count).toBe(3);
    expect(figures.moderation.changed.records).toEqual(['review/a', 'review/d']);
    expect(figures.moderation.byField.overallGrade.down.records).toEqual(['review/a']);
    expect(figures.moderation.byField.overallGrade.up.records).toEqual(['review/d']);
    expect(figures.moderation.byField.planningGrade.up.records).toEqual(['review/a']);
    expect(figures.moderation.byField.assessmentGrade).toEqual({ up: { count: 0, records: [] }, down: { count: 0, records: [] } });
  });

  it('averages consented feedback only, by team', () => {
    expect(figures.feedback.given.count).toBe(3);
    expect(figures.feedback.averageScore).toBe(6.5);
    expect(figures.feedback.byTeam).toEqual([
      { teamId: 'north', given: { count: 2, records: ['feedback/1', 'feedback/3'] }, scored: 1, averageScore: 8 },
      { teamId: 'south', given: { count: 1, records: ['feedback/2'] }, scored: 1, averageScore: 5 },
    ]);
  });

  it('puts the earlier record in the previous period', () => {
    const q2 = periodFigures(facts, parsePeriodId('2026-27-Q2')!);
    expect(q2.activity.observation.records).toEqual(['observation/old']);
    expect(q2.gradeSpread.overallGrade.outstanding.records).toEqual(['review/d']);
    expect(q2.moderation.moderated.count).toBe(0);
  });
});

describe('open and overdue', () => {
  it('counts open actions past their due date, and concerns unanswered past their due time', () => {
    const now = new Date('2026-11-10T12:00:00Z');
    const result = openAndOverdue(
      [
        { id: '1', doc: 'review/a', status: 'open', dueDate: '2026-11-09' },
        { id: '2', doc: 'review/b', status: 'open', dueDate: '2026-11-10' },
      ],
      [
        { id: 'c1', doc: 'review/a', dueAt: '2026-11-10T09:00:00Z', answered: false, resolved: false },
        { id: 'c2', doc: 'review/b', dueAt: '2026-11-10T09:00:00Z', answered: true, resolved: false },
        { id: 'c3', doc: 'review/c', dueAt: '2026-11-11T09:00:00Z', answered: false, resolved: false },
      ],
      '2026-11-10',
      now,
    );
    expect(result.actions).toEqual({ open: { count: 2, records: ['review/a', 'review/b'] }, overdue: { count: 1, records: ['review/a'] } });
    expect(result.concerns.open.count).toBe(3);
    expect(result.concerns.overdue.records).toEqual(['review/a']);
  });
});

describe('a figure by its path, and the figures without their records', () => {
  const figures: ReportFigures = {
    scope: { serviceId: '', teamId: '' },
    today: '2026-11-20',
    current: periodFigures(facts, q3),
    previous: periodFigures(facts, parsePeriodId('2026-27-Q2')!),
    trends: trendFigures(facts, trendQuarters(q3)),
    ...openAndOverdue([], [], '2026-11-20', new Date('2026-11-20T12:00:00Z')),
  };

  it('finds a figure, and nothing that is not one', () => {
    expect(figureAt(figures, 'current.gradeSpread.planningGrade.outstanding')).toEqual({ count: 1, records: ['review/a'] });
    expect(figureAt(figures, 'current.feedback.byTeam.1.given')).toEqual({ count: 1, records: ['feedback/2'] });
    expect(figureAt(figures, 'actions.open')).toEqual({ count: 0, records: [] });
    for (const path of ['current', 'current.feedback.averageScore', 'current.gradeSpread.nothing.good', 'constructor', 'current.gradeSpread.toString', 'current.feedback.byTeam.9.given'])
      expect(figureAt(figures, path)).toBeNull();
    expect(figurePathSchema.safeParse('__proto__.x').success).toBe(false);
  });

  it('keeps every count and empties every list', () => {
    const light = withoutRecords(figures);
    expect(light.current.activity.review).toEqual({ count: 3, records: [] });
    expect(light.current.feedback.byTeam[0]!.given).toEqual({ count: 2, records: [] });
    expect(light.current.feedback.averageScore).toBe(6.5);
    expect(JSON.stringify(light)).not.toContain('review/a');
    expect(figures.current.activity.review.count).toBe(3);
  });
});

describe('the trend over quarters', () => {
  it('ends with the quarter the chosen period ends in, five quarters, oldest first', () => {
    expect(trendQuarters(parsePeriodId('2026-27-Q3')!).map((q) => q.id)).toEqual(['2025-26-Q3', '2025-26-Q4', '2026-27-Q1', '2026-27-Q2', '2026-27-Q3']);
    expect(trendQuarters(parsePeriodId('2026-11')!).at(-1)!.id).toBe('2026-27-Q3');
    expect(trendQuarters(parsePeriodId('2026-27-FY')!).map((q) => q.id)).toEqual(['2025-26-Q4', '2026-27-Q1', '2026-27-Q2', '2026-27-Q3', '2026-27-Q4']);
  });

  it('counts overall grades as moderated, and the share Good or better', () => {
    const [trend] = trendFigures(facts, [q3]);
    const spread = periodFigures(facts, q3).gradeSpread.overallGrade;
    expect(trend!.overall).toEqual(spread);
    const graded = Object.values(spread).reduce((n, f) => n + f.count, 0);
    expect(trend!.graded.count).toBe(graded);
    expect(trend!.goodOrBetter.count).toBe(spread.outstanding.count + spread.good.count);
    expect(goodOrBetterShare(trend!)).toBe(graded === 0 ? null : Math.round(((spread.outstanding.count + spread.good.count) / graded) * 100));
    expect(goodOrBetterShare({ ...trend!, graded: { count: 3, records: [] }, goodOrBetter: { count: 2, records: [] } })).toBe(67);
    expect(goodOrBetterShare({ ...trend!, graded: { count: 0, records: [] } })).toBeNull();
  });
});
