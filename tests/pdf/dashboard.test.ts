/**
 * The reports dashboard's PDF (issue 17, item 4), made in Node by the same renderer as every record and
 * read back with poppler: the organisation, the marking on every page, the period and scope, every table's words.
 */
import { expect, it } from 'vitest';
import { dashboardDocument } from '../../src/lib/document/dashboard';
import { renderPdf } from '../../src/lib/pdf/renderPdf';
import { pagesText, tempPdf, words } from './poppler';
import { nodeFonts, organisation } from './seededRecords';

it('has the organisation, the marking on every page, the period, the scope and every figure of every table', async () => {
  const grades = ['Outstanding', 'Good', 'Requires Improvement', 'Inadequate'];
  const quarters = ['Q3 2025–26', 'Q4 2025–26', 'Q1 2026–27', 'Q2 2026–27', 'Q3 2026–27'];
  const model = dashboardDocument({
    organisation,
    period: { id: '2026-27-Q3', label: 'Q3 2026–27 (October to December)' },
    previousLabel: 'Q2 2026–27 (July to September)',
    scope: 'Safeguarding',
    madeBy: 'Priya Patel',
    asOf: '2026-11-20',
    madeAt: new Date('2026-11-20T10:00:00Z'),
    tables: [
      {
        id: 'trends',
        title: 'Overall grades over the last five quarters',
        caption: 'Reviews submitted in each quarter by overall grade.',
        headers: ['Period', 'From', 'To', ...grades, 'Graded', 'Good or better', 'Good or better (%)'],
        rows: quarters.map((q, i) => [q, '1 Oct 2026', '31 Dec 2026', String(i), String(i + 10), String(i + 20), String(i + 30), String(4 * i + 60), String(2 * i + 10), String(40 + i)]),
      },
      // Enough rows to need a second page.
      { id: 'domains', title: 'Grades in each of the seven domains', caption: 'By domain.', headers: ['Domain', ...grades], rows: Array.from({ length: 70 }, (_, i) => [`Domain row ${i + 1}`, '1', '2', '3', '4']) },
    ],
  });
  const pages = pagesText(tempPdf((await renderPdf(model, nodeFonts())).bytes, 'reports.pdf'));
  expect(pages.length).toBeGreaterThan(1);
  pages.forEach((page, i) => {
    expect(page.match(/OFFICIAL-SENSITIVE/g)?.length, `page ${i + 1}`).toBe(2);
    expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
  });
  const all = words(pages.join('\n'));
  for (const text of [organisation.name, 'Quality assurance reports', 'Q3 2026–27 (October to December)', 'Q2 2026–27 (July to September)', 'Safeguarding', 'Figures as of 20 Nov 2026', 'Overall grades over the last five quarters', 'Good or better (%)', 'Domain row 70'])
    expect(all).toContain(text);
  // Each quarter's row reads across in order.
  expect(all).toMatch(/Q3 2026–27 4 14 24 34 76 18 44/);
  // Words whole: the day columns are left out (each period's label names it), so no grade breaks across lines.
  for (const grade of grades) expect(all).toContain(grade);
  expect(all).toContain('Quality assurance reports, Q3 2026–27 (October to December), Safeguarding');
  expect(all).not.toContain(', child');
});
