import { describe, expect, it } from 'vitest';
import { dashboardDocument, dashboardFileName } from './dashboard';
import { documentText } from './model';

const input = {
  organisation: { name: 'Cyngor Sir Ynys Môn', marking: 'OFFICIAL-SENSITIVE' },
  period: { id: '2026-27-Q3', label: 'Q3 2026–27 (October to December)' },
  previousLabel: 'Q2 2026–27 (July to September)',
  scope: 'Safeguarding',
  madeBy: 'Priya Patel',
  asOf: '2026-11-20',
  madeAt: new Date('2026-11-20T10:00:00Z'),
  tables: [
    { id: 'activity', title: 'Activity', caption: 'Records finished in each period.', headers: ['Period', 'Reviews'], rows: [['Q3 2026–27 (this period)', '4']] },
    { id: 'programme', title: 'Activity against the programme', caption: 'What the QA programme expects.', headers: ['Expectation', 'Done'], rows: [] },
  ],
};

describe('the dashboard as a document', () => {
  it('carries the organisation, marking, period, comparison, scope and each table as the screen shows it', () => {
    const model = dashboardDocument(input);
    expect(model.organisation).toEqual(input.organisation);
    expect(model.title).toBe('Quality assurance reports');
    expect(model.final).toBe(true);
    expect(model.statusLabel).toBe('Figures as of 20 Nov 2026');
    expect(model.summary).toEqual([
      { label: 'Period', value: 'Q3 2026–27 (October to December)' },
      { label: 'Compared with', value: 'Q2 2026–27 (July to September)' },
      { label: 'Scope', value: 'Safeguarding' },
      { label: 'Counted for', value: 'Priya Patel: only records they may read are counted' },
    ]);
    expect(model.sections.map((s) => s.heading)).toEqual(['Activity', 'Activity against the programme']);
    expect(model.sections[0]!.blocks).toEqual([{ kind: 'table', name: 'Activity', caption: 'Records finished in each period.', columns: ['Period', 'Reviews'], rows: [['Q3 2026–27 (this period)', '4']] }]);
    // An empty table says so rather than printing an empty grid.
    expect(model.sections[1]!.blocks).toEqual([{ kind: 'paragraph', text: 'What the QA programme expects. None in this period.', muted: true }]);
    expect(documentText(model)).toEqual(expect.arrayContaining(['Cyngor Sir Ynys Môn', 'OFFICIAL-SENSITIVE', 'Safeguarding', 'Q3 2026–27 (this period)', '4']));
  });

  it('is named from the period, the scope and the day, in letters a file system keeps', () => {
    expect(dashboardDocument(input).fileName).toBe('reports_2026-27-Q3_safeguarding_2026-11-20.pdf');
    expect(dashboardFileName('2026-27-FY', 'Children’s Services: Tîm Môn', new Date('2026-12-03T09:00:00Z'))).toBe('reports_2026-27-FY_children-s-services-tim-mon_2026-12-03.pdf');
    expect(dashboardFileName('2026-11', '', new Date('2026-12-03T09:00:00Z'))).toBe('reports_2026-11_all_2026-12-03.pdf');
  });
});
