/**
 * PDFs made in Node from seeded records, read back with poppler-utils: every field's words, the marking
 * and "Page N of M" on every page, pages that are not blank, and a 30-page review that never cuts a line.
 */
import { describe, expect, it } from 'vitest';
import { documentText, paragraphsOf } from '../../src/lib/document/model';
import { MARGIN } from '../../src/lib/pdf/layout';
import { renderPdf } from '../../src/lib/pdf/renderPdf';
import { inkPerPage, pagesText, tempPdf, words } from './poppler';
import { closedReview, completedObservation, feedbackWithoutConsent, longReview, nodeFonts, submittedReview } from './seededRecords';

const fonts = nodeFonts();

/** Every string of the model, its line breaks and runs of spaces made single spaces, as pdftotext gives words. */
function expectEveryWord(model: Parameters<typeof documentText>[0], text: string) {
  const all = words(text);
  for (const piece of documentText(model))
    for (const paragraph of paragraphsOf(piece))
      for (const line of paragraph) {
        // A line the layout wrapped reads back with a line break where it wrapped: compare word by word.
        for (const word of line.split(/\s+/).filter(Boolean)) expect(all, `"${word}" (from "${line}") is missing`).toContain(word);
      }
}

describe('the PDF of a closed review', () => {
  it('has every field’s words, the organisation, the marking and page numbers on every page, and no blank page', async () => {
    const model = closedReview();
    const { bytes } = await renderPdf(model, fonts);
    const file = tempPdf(bytes);
    const pages = pagesText(file);
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, i) => {
      // Top and bottom of every page.
      expect(page.match(/OFFICIAL-SENSITIVE/g)?.length, `page ${i + 1}`).toBe(2);
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(page).toContain('Made 3 Dec 2026');
    });
    const all = pages.join('\n');
    expectEveryWord(model, all);
    // The names as written, accents and all (Welsh ŵ ŷ ô, Polish ł ą ę ś ź ż, Irish í).
    for (const name of ['Siôn Llŷr Ŵyn-Łukasz', 'Zoë Ní Bhriain', 'Małgorzata Wąsik-Źdźbło', 'Ężyk']) expect(words(all)).toContain(name);
    // Grades as a table, moderation's agreed grade beside the review's.
    expect(words(all)).toMatch(/3\. Multi-agency review Requires Improvement Good \(changed from Requires Improvement\)/);
    expect(all).toContain('Cyngor Sir Ynys Môn');
    expect(all).toContain('final copy');
    // Consented family feedback in their words; unconsented left out and said so.
    expect(words(all)).toContain('Zoë listens to us and comes when she says.');
    expect(all).not.toContain('PRIVATE WORDS WITHOUT CONSENT');
    expect(words(all)).toContain('One piece of family feedback given without consent to its use is left out of this copy.');
    for (const ink of inkPerPage(file)) expect(ink, "a page with only its header and footer").toBeGreaterThan(2000);
  });

  it('keeps a narrative’s line breaks: each line of the words as written starts a new line', async () => {
    const { bytes } = await renderPdf(closedReview(), fonts);
    const lines = pagesText(tempPdf(bytes)).join('\n').split('\n').map((l) => l.trim());
    expect(lines).toContain('Grace Okafor (lead reviewer)');
    expect(lines).toContain('Fiona Walsh, IRO');
  });
});

describe('drafts, observations and family feedback', () => {
  it('watermarks a review that is not closed as a draft', async () => {
    const { bytes } = await renderPdf(submittedReview(), fonts);
    const text = pagesText(tempPdf(bytes)).join('\n');
    expect(text).toContain('DRAFT');
    expect(text).toContain('DRAFT: not final');
  });

  it('makes a completed observation, final, with the child ID in the file name', async () => {
    const model = completedObservation();
    expect(model.fileName).toBe('MAT1_observation-of-practice_2026-12-03.pdf');
    const { bytes } = await renderPdf(model, fonts);
    const file = tempPdf(bytes);
    const text = pagesText(file).join('\n');
    expectEveryWord(model, text);
    expect(words(text)).toContain('“Shwmae, ŵyr bach”');
    expect(text).not.toMatch(/DRAFT/);
    expect(inkPerPage(file).every((ink) => ink > 2000)).toBe(true);
  });

  it('marks feedback given without consent as such on its own PDF', async () => {
    const { bytes } = await renderPdf(feedbackWithoutConsent(), fonts);
    const text = words(pagesText(tempPdf(bytes)).join('\n'));
    expect(text).toContain('WITHOUT CONSENT to its use');
    expect(text).toContain('PRIVATE WORDS WITHOUT CONSENT');
  });

  it('says when the record holds characters the font cannot show (Arabic script is not shaped)', async () => {
    const model = completedObservation();
    const withArabic = { ...model, summary: [...model.summary, { label: 'Language', value: 'العربية' }] };
    const { bytes } = await renderPdf(withArabic, fonts);
    expect(words(pagesText(tempPdf(bytes)).join('\n'))).toContain('cannot show some characters of this record');
  });
});

describe('a 30-page review', () => {
  it('paginates without cutting a line: every line placed is read back whole, on its own page', async () => {
    const { model, sentences } = longReview();
    const { bytes, pages: laidOut } = await renderPdf(model, fonts);
    expect(laidOut.length).toBeGreaterThanOrEqual(28);
    const file = tempPdf(bytes);
    const pages = pagesText(file, true);
    expect(pages.length).toBe(laidOut.length);
    laidOut.forEach((laid, i) => {
      // Every line drawn inside the page's text area: nothing runs into the footer or off the page.
      for (const op of laid.ops) if (op.kind === 'text') expect(op.y, `page ${i + 1}: "${op.text}"`).toBeGreaterThanOrEqual(MARGIN.bottom);
      const read = pages[i]!.split('\n').map((l) => words(l));
      // Each line the layout placed on page i is a whole line of page i's text: nothing of it spilled over.
      for (const line of laid.lines) if (line.trim()) expect(read.some((r) => r.includes(words(line))), `page ${i + 1}: "${line}"`).toBe(true);
      expect(pages[i]).toContain(`Page ${i + 1} of ${pages.length}`);
    });
    // A narrative running onto the next page is headed there by its label again.
    expect(pages.filter((p) => /^\s*\S.* \(continued\)$/m.test(p)).length).toBeGreaterThan(5);
    const all = words(pages.join(' '));
    for (let n = 1; n <= sentences; n++) expect(all).toContain(`Sentence ${n} records`);
  }, 60_000);
});
