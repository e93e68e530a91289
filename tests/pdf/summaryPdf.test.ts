/**
 * The quarterly summary's PDF (issue 17, item 4), made in Node from a summary drafted from a seeded set and read
 * back with poppler-utils: every word of the document model (the activity and grades tables, the three parts
 * as written, the reviews' and families' words), the marking and "Page N of M" on every page, a draft
 * watermarked and a submitted one final, and the file named from the service and quarter.
 */
import { describe, expect, it } from 'vitest';
import { parsePeriodId } from '../../domain/periods';
import type { RecordMeta } from '../../domain/records';
import { draftSummary } from '../../domain/summary';
import { documentText, paragraphsOf } from '../../src/lib/document/model';
import { summaryDocument } from '../../src/lib/document/summary';
import { renderPdf } from '../../src/lib/pdf/renderPdf';
import { pagesText, tempPdf, words } from './poppler';
import { madeAt, nodeFonts, organisation } from './seededRecords';

const fonts = nodeFonts();
const quarter = parsePeriodId('2026-27-Q2')!;

const draft = draftSummary({
  service: { id: 'sg', name: 'Safeguarding' },
  teams: [{ id: 'north', name: 'Safeguarding Team North' }],
  quarter,
  facts: [
    { doc: 'review/r1', kind: 'review', status: 'submitted', teamId: 'north', practitionerId: '', childId: 'N1', onDate: '2026-08-03', grades: { overallGrade: 'good' }, agreed: null, moderatedOn: null, score: null, consent: '' },
    { doc: 'feedback/f1', kind: 'feedback', status: 'complete', teamId: 'north', practitionerId: '', childId: 'N1', onDate: '2026-08-04', grades: {}, agreed: null, moderatedOn: null, score: 9, consent: 'yes' },
  ],
  values: new Map<string, Record<string, string>>([
    ['review/r1', { wentWell: 'Siôn’s wishes shaped the plan, and Zoë Ní Bhriain heard them.', needsToHappen: 'Plans with dates; supervision monthly.' }],
    ['feedback/f1', { consent: 'yes', giver: 'carer', score: '9', goneWell: 'Małgorzata always rings back.' }],
  ]),
  draftedAt: new Date('2026-10-01T09:00:00Z'),
});

const values = {
  workingWell: 'Children’s voices are in most plans.\n\nModeration agreed nine grades in ten.',
  worried: 'Recording is late in Safeguarding Team North.',
  actionNeeded: 'A recording audit in October; team managers report at the November meeting.',
};
const meta = (status: 'draft' | 'submitted'): RecordMeta => ({
  id: '0f3c2a1e-1111-4222-8333-944455556666',
  kind: 'summary',
  status,
  createdAt: '2026-10-01T09:00:00Z',
  authorId: 'u1',
  authorName: 'Priya Patel',
  authorTeamId: '',
  ...(status === 'submitted' ? { completedAt: '2026-10-10T15:30:00Z' } : {}),
});

function expectEveryWord(model: Parameters<typeof documentText>[0], text: string) {
  const all = words(text);
  for (const piece of documentText(model))
    for (const paragraph of paragraphsOf(piece)) for (const line of paragraph) for (const word of line.split(/\s+/).filter(Boolean)) expect(all, `"${word}" is missing`).toContain(word);
}

describe('the PDF of a quarterly summary', () => {
  it('holds every word, the tables, the marking and page numbers on every page, and is final once submitted', async () => {
    const model = summaryDocument({ draft, values, meta: meta('submitted'), submittedByName: 'Sam Green' }, { organisation, madeAt });
    expect(model.fileName).toBe('safeguarding_quarterly-summary_2026-27-Q2.pdf');
    const { bytes } = await renderPdf(model, fonts);
    const pages = pagesText(tempPdf(bytes));
    pages.forEach((page, i) => {
      expect(page.match(/OFFICIAL-SENSITIVE/g)?.length, `page ${i + 1}`).toBe(2);
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
    });
    const all = pages.join('\n');
    expectEveryWord(model, all);
    expect(words(all)).toContain('Collaborative case reviews submitted 1 0');
    expect(words(all)).toContain('Grade for Outstanding Good Requires Improvement Inadequate Overall grade 0 1 0 0');
    // The running header names the service and quarter, never a child.
    expect(pages[1]).toContain('Quarterly summary of quality assurance, Safeguarding, Q2 2026–27');
    expect(all).not.toContain(', child');
    expect(words(all)).toContain('Submitted to the leadership team: final copy');
    expect(words(all)).toContain('Submitted 10 Oct 2026');
    expect(words(all)).toContain('by Sam Green');
    expect(all).not.toContain('DRAFT');
    expect(words(all)).toContain('A carer, who scored how well things are going 9 out of 10');
  });

  it('watermarks a summary still being written as a draft, and says where a part is not yet written', async () => {
    const model = summaryDocument({ draft, values: { ...values, actionNeeded: '' }, meta: meta('draft') }, { organisation, madeAt });
    const all = pagesText(tempPdf((await renderPdf(model, fonts)).bytes)).join('\n');
    expect(all).toContain('DRAFT');
    expect(words(all)).toContain('Being written');
    expect(words(all)).toContain('What action is needed Not recorded');
  });
});
