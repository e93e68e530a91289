/**
 * The PDF of a record for the child's file: draws the pages that layout.ts decided with pdf-lib, the
 * protective marking at the top and bottom of every page, "Page 2 of 5", the date it was made, and a
 * DRAFT watermark on a draft. Runs in the browser (loaded only when someone asks for a PDF: its own chunk)
 * and in Node (tests, benchmarks). The fonts are passed in, so each side loads them its own way.
 */
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, degrees, rgb, type PDFFont } from 'pdf-lib';
import { documentText, type DocumentModel } from '../document/model';
import { formatDateAndTime } from '../format';
import { layoutDocument, MARGIN, PAGE, type FontStyle, type LaidOutPage } from './layout';

/** TrueType fonts (Noto Sans regular and bold): pdf-lib embeds only the glyphs used. */
export interface PdfFonts {
  regular: Uint8Array | ArrayBuffer;
  bold: Uint8Array | ArrayBuffer;
}

const INK = rgb(0.1, 0.1, 0.12);
const GREY = rgb(0.38, 0.38, 0.42);
const LIGHT = rgb(0.72, 0.72, 0.75);

/** Characters the font cannot show (Arabic script, for one), so the document can say so. */
function missingCharacters(model: DocumentModel, font: PDFFont): string[] {
  const supported = new Set(font.getCharacterSet());
  const missing = new Set<string>();
  for (const s of documentText(model)) for (const ch of s) if (!supported.has(ch.codePointAt(0)!) && !/\s/.test(ch)) missing.add(ch);
  return [...missing];
}

/**
 * Noto Sans covers Latin (with Latin Extended: Welsh, Polish, Irish, French…), Greek and Cyrillic. Other
 * scripts would come out as empty boxes, and pdf-lib does not shape Arabic or lay text right to left: the
 * copy says so at the top rather than look complete.
 */
function withMissingNotice(model: DocumentModel, missing: string[]): DocumentModel {
  if (missing.length === 0) return model;
  const arabic = missing.some((ch) => /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/.test(ch));
  const note = `This PDF cannot show some characters of this record${arabic ? ' (Arabic script)' : ''}: they appear as empty boxes. Read those words in Fieldnotes.`;
  return { ...model, notice: [model.notice, note].filter(Boolean).join(' ') };
}

const NO_SHAPING = Object.fromEntries(['ccmp', 'locl', 'rlig', 'mark', 'mkmk', 'calt', 'clig', 'liga', 'rclt', 'curs', 'kern'].map((f) => [f, false]));

/** Every string in composed form (NFC): "w" + combining circumflex becomes "ŵ", one glyph of the font. */
function normalised(model: DocumentModel): DocumentModel {
  return JSON.parse(JSON.stringify(model), (_key, value: unknown) => (typeof value === 'string' ? value.normalize('NFC') : value)) as DocumentModel;
}

export interface RenderedPdf {
  bytes: Uint8Array;
  pages: LaidOutPage[];
}

export async function renderPdf(input: DocumentModel, fonts: PdfFonts): Promise<RenderedPdf> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  let model = input;
  // Whole fonts: pdf-lib's subsetting lost most glyphs of Noto Sans (blank text in every viewer we tried).
  // No OpenType shaping features: for Latin, Greek and Cyrillic in composed form (normalised below) the
  // glyph of each character is right without them, and shaping made each line cost ~10 ms to lay out.
  const embed = (bytes: PdfFonts['regular']) => pdf.embedFont(bytes, { subset: false, features: NO_SHAPING });
  const [regular, bold] = await Promise.all([embed(fonts.regular), embed(fonts.bold)]);
  const fontOf = (style: FontStyle) => (style === 'bold' ? bold : regular);
  // Each character's advance, measured once: a line's width is their sum (pdf-lib ignores kerning too).
  const advances = { regular: new Map<string, number>(), bold: new Map<string, number>() };
  const measure = (text: string, style: FontStyle, size: number) => {
    const known = advances[style];
    let width = 0;
    for (const ch of text) {
      let advance = known.get(ch);
      if (advance === undefined) known.set(ch, (advance = fontOf(style).widthOfTextAtSize(ch, 1000)));
      width += advance;
    }
    return (width * size) / 1000;
  };
  model = normalised(model);

  const title = model.runningTitle ?? `${model.title}${model.summary[0]?.value ? `, child ${model.summary[0].value}` : ''}`;
  pdf.setTitle(title);
  pdf.setSubject(`${model.organisation.marking}. ${model.final ? 'Final' : 'Draft'}.`);
  if (model.organisation.name) pdf.setAuthor(model.organisation.name);
  pdf.setCreator('Fieldnotes');
  pdf.setProducer('Fieldnotes (pdf-lib)');
  pdf.setCreationDate(new Date(model.madeAt));
  pdf.setLanguage('en-GB');

  model = withMissingNotice(model, [...new Set([...missingCharacters(model, regular), ...missingCharacters(model, bold)])]);
  const pages = layoutDocument(model, measure);
  const made = `Made ${formatDateAndTime(model.madeAt)}. ${model.final ? 'Final' : 'DRAFT: not final'}.`;
  const marking = model.organisation.marking.trim();
  pages.forEach((laid, index) => {
    const page = pdf.addPage([PAGE.width, PAGE.height]);
    if (!model.final) {
      // Behind the text: light enough to read through, impossible to miss.
      const size = 110;
      const width = bold.widthOfTextAtSize('DRAFT', size);
      page.drawText('DRAFT', { x: PAGE.width / 2 - (width / 2) * Math.cos(Math.PI / 4) + 20, y: PAGE.height / 2 - (width / 2) * Math.sin(Math.PI / 4), size, font: bold, color: rgb(0.88, 0.88, 0.9), rotate: degrees(45) });
    }
    for (const op of laid.ops) {
      if (op.kind === 'text') page.drawText(op.text, { x: op.x, y: op.y, size: op.size, font: fontOf(op.style), color: op.grey ? GREY : INK });
      else if (op.kind === 'rule') page.drawLine({ start: { x: op.x1, y: op.y1 }, end: { x: op.x2, y: op.y2 }, thickness: op.weight, color: op.weight >= 0.8 ? INK : LIGHT });
      else page.drawRectangle({ x: op.x, y: op.y, width: op.width, height: op.height, borderColor: INK, borderWidth: 1.2 });
    }
    // The marking, top and bottom, centred; the record and the page number in the footer.
    if (marking) {
      const w = bold.widthOfTextAtSize(marking, 11);
      page.drawText(marking, { x: (PAGE.width - w) / 2, y: PAGE.height - 36, size: 11, font: bold, color: INK });
      page.drawText(marking, { x: (PAGE.width - w) / 2, y: 26, size: 11, font: bold, color: INK });
    }
    const header = [model.organisation.name, title].filter(Boolean).join(' · ');
    page.drawText(header, { x: MARGIN.left, y: PAGE.height - 54, size: 8, font: regular, color: GREY, maxWidth: PAGE.width - MARGIN.left - MARGIN.right });
    const pageOf = `Page ${index + 1} of ${pages.length}`;
    page.drawText(made, { x: MARGIN.left, y: 44, size: 8, font: regular, color: GREY });
    page.drawText(pageOf, { x: PAGE.width - MARGIN.right - regular.widthOfTextAtSize(pageOf, 8), y: 44, size: 8, font: regular, color: GREY });
  });
  return { bytes: await pdf.save(), pages };
}
