/**
 * Lays a document model out on A4 pages: line breaking, tables and pagination, for the PDF (pdf-lib draws
 * what this decides; it has no layout of its own). Pure: text is measured by the function it is given, so
 * the same layout runs in the browser, in Node and in tests.
 *
 * The one rule that matters for a document on a child's file: a line of text is never cut across pages.
 * Lines are placed whole; a heading is kept with what follows it, a label with the first line of its value,
 * and a table row moves to the next page whole unless it is taller than a page (then it breaks between
 * lines, its header repeated).
 */
import { NOT_RECORDED, paragraphsOf, type DocBlock, type DocumentModel } from '../document/model';

export type FontStyle = 'regular' | 'bold';
export type Measure = (text: string, style: FontStyle, size: number) => number;

export interface TextOp {
  kind: 'text';
  x: number;
  /** Baseline, in PDF points from the bottom of the page. */
  y: number;
  text: string;
  style: FontStyle;
  size: number;
  grey?: boolean;
}
export interface RuleOp {
  kind: 'rule';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** Light rule between rows, or a heavier one under a heading or table head. */
  weight: number;
}
export interface BoxOp {
  kind: 'box';
  x: number;
  y: number;
  width: number;
  height: number;
}
export type DrawOp = TextOp | RuleOp | BoxOp;

export const PAGE = { width: 595.28, height: 841.89 } as const;
export const MARGIN = { left: 56, right: 56, top: 78, bottom: 72 } as const;
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const TOP = PAGE.height - MARGIN.top;

const SIZE = { body: 10.5, label: 9.5, h1: 18, h2: 13.5, h3: 11.5, org: 12, table: 9.5 } as const;
const LEADING = 1.38;
const lineHeight = (size: number) => size * LEADING;

/** A run of text already broken into lines that fit `width`. */
export function wrap(text: string, width: number, style: FontStyle, size: number, measure: Measure): string[] {
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    const words = raw.replace(/\t/g, '    ').split(/ +/);
    let line = '';
    for (const word of words) {
      const candidate = line ? `${line} ${word}` : word;
      if (measure(candidate, style, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      // A word longer than the line (a long reference or address): broken between characters.
      let rest = word;
      while (measure(rest, style, size) > width && rest.length > 1) {
        let cut = rest.length - 1;
        while (cut > 1 && measure(rest.slice(0, cut), style, size) > width) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

interface Line {
  text: string;
  style: FontStyle;
  size: number;
  x: number;
  grey?: boolean;
}

/** Something placed whole: one line, or a table row (a slice of one). */
interface Unit {
  height: number;
  /** Space before it, dropped at the top of a page. */
  before: number;
  /** Keep on the same page as the next unit (a heading, a label). */
  keepWithNext?: boolean;
  draw: (top: number) => DrawOp[];
  /** Drawn first on a page this unit starts, when it continues something (a table's header). */
  repeatHeader?: Unit;
}

export interface LaidOutPage {
  ops: DrawOp[];
  /** Every line of text on the page, top to bottom, as placed: what a test compares with pdftotext. */
  lines: string[];
}

function lineUnit(line: Line, before = 0, keepWithNext = false): Unit {
  const height = lineHeight(line.size);
  return {
    height,
    before,
    keepWithNext,
    draw: (top) => [{ kind: 'text', x: line.x, y: top - line.size, text: line.text, style: line.style, size: line.size, ...(line.grey ? { grey: true } : {}) }],
  };
}

function textUnits(text: string, opts: { x?: number; width?: number; style?: FontStyle; size?: number; grey?: boolean; before?: number; keepFirst?: boolean }, measure: Measure): Unit[] {
  const x = opts.x ?? MARGIN.left;
  const width = opts.width ?? CONTENT_WIDTH;
  const style = opts.style ?? 'regular';
  const size = opts.size ?? SIZE.body;
  const units: Unit[] = [];
  const paragraphs = paragraphsOf(text);
  paragraphs.forEach((paragraph, p) => {
    const lines = wrap(paragraph.join('\n'), width, style, size, measure);
    lines.forEach((t, i) => {
      const before = i === 0 ? (p === 0 ? (opts.before ?? 0) : size * 0.6) : 0;
      units.push(lineUnit({ text: t, style, size, x, grey: opts.grey }, before, Boolean(opts.keepFirst && p === 0 && i === 0 && lines.length > 1)));
    });
  });
  return units;
}

function fieldUnits(label: string, value: string, long: boolean | undefined, measure: Measure): Unit[] {
  const units: Unit[] = textUnits(label, { style: 'bold', size: SIZE.label, before: 7, keepFirst: false }, measure);
  units.forEach((u) => (u.keepWithNext = true));
  const empty = !value.trim();
  const body = empty ? textUnits(NOT_RECORDED, { grey: true, before: 1 }, measure) : long ? textUnits(value, { before: 1 }, measure) : textUnits(value.replace(/\n+/g, ' '), { before: 1 }, measure);
  // A long answer that runs onto the next page is headed there by its label again, so it is never read as another field's.
  const continued = textUnits(`${label} (continued)`, { style: 'bold', size: SIZE.label, grey: true }, measure)[0];
  if (continued) for (const unit of body) unit.repeatHeader = { ...continued, before: 0, keepWithNext: false };
  return [...units, ...body];
}

function tableUnits(block: Extract<DocBlock, { kind: 'table' }>, measure: Measure): Unit[] {
  const size = SIZE.table;
  const pad = 4;
  const columns = block.columns.length;
  // Wider columns for longer words, within reason: each column gets at least a share of the width.
  const natural = block.columns.map((c, i) => Math.max(measure(c, 'bold', size), ...block.rows.map((r) => Math.min(measure(r[i] ?? '', 'regular', size), 220))));
  const floor = CONTENT_WIDTH / columns / 2;
  // A cell's padding counts too, or a heading word exactly as wide as its column is broken ("Outstandin g").
  const weights = natural.map((w) => Math.max(w + pad * 2, floor));
  const total = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => (w / total) * CONTENT_WIDTH);
  const xs = widths.map((_, i) => MARGIN.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
  const lh = lineHeight(size);

  const rowUnits = (cells: string[], style: FontStyle, isHead: boolean): Unit[] => {
    const wrapped = cells.map((cell, i) => {
      const text = cell.trim() ? cell : NOT_RECORDED;
      return { lines: wrap(text, widths[i]! - pad * 2, i === 0 || isHead ? 'bold' : style, size, measure), grey: !cell.trim(), bold: i === 0 || isHead };
    });
    const count = Math.max(...wrapped.map((w) => w.lines.length));
    // A row taller than a page is sliced between lines; otherwise it is one unit.
    const maxLines = Math.floor((TOP - MARGIN.bottom - 3 * lh) / lh);
    const units: Unit[] = [];
    for (let start = 0; start < count; start += maxLines) {
      const end = Math.min(count, start + maxLines);
      const height = (end - start) * lh + pad * 2;
      units.push({
        height,
        before: 0,
        keepWithNext: isHead,
        draw: (top) => {
          const ops: DrawOp[] = [];
          wrapped.forEach((cell, i) => {
            cell.lines.slice(start, end).forEach((text, l) => {
              ops.push({ kind: 'text', x: xs[i]! + pad, y: top - pad - l * lh - size, text, style: cell.bold ? 'bold' : 'regular', size, ...(cell.grey ? { grey: true } : {}) });
            });
          });
          ops.push({ kind: 'rule', x1: MARGIN.left, y1: top - height, x2: MARGIN.left + CONTENT_WIDTH, y2: top - height, weight: isHead ? 1 : 0.4 });
          return ops;
        },
      });
    }
    return units;
  };

  const head = rowUnits(block.columns, 'bold', true);
  const rows = block.rows.flatMap((row) => rowUnits(row, 'regular', false));
  // Rows on a new page come under the table's header again.
  for (const row of rows) row.repeatHeader = { ...head[0]!, keepWithNext: false };
  if (rows[0]) rows[0].before = 0;
  head[0]!.before = 6;
  return [...head, ...rows];
}

function blockUnits(block: DocBlock, measure: Measure): Unit[] {
  switch (block.kind) {
    case 'fields':
      return block.fields.flatMap((f) => fieldUnits(f.label, f.value, f.long, measure));
    case 'subheading':
      return textUnits(block.text, { style: 'bold', size: SIZE.h3, before: 12 }, measure).map((u) => ({ ...u, keepWithNext: true }));
    case 'paragraph':
      return textUnits(block.text, { grey: block.muted, before: 5 }, measure);
    case 'quote':
      return [
        ...textUnits(block.text, { x: MARGIN.left + 14, width: CONTENT_WIDTH - 14, before: 5 }, measure),
        ...textUnits(`— ${block.attribution}`, { x: MARGIN.left + 14, width: CONTENT_WIDTH - 14, size: SIZE.label, grey: true, before: 3 }, measure),
      ];
    case 'table':
      return tableUnits(block, measure);
  }
}

/** The document's units in reading order: its opening, then every section. */
function documentUnits(model: DocumentModel, measure: Measure): Unit[] {
  const units: Unit[] = [];
  if (model.organisation.name.trim()) units.push(...textUnits(model.organisation.name, { style: 'bold', size: SIZE.org }, measure));
  units.push(...textUnits(model.title, { style: 'bold', size: SIZE.h1, before: 4 }, measure));
  units.push(...textUnits(model.final ? `${model.statusLabel}: final copy` : `${model.statusLabel}: DRAFT, not final`, { size: SIZE.label, grey: true, before: 2 }, measure));
  // The summary: label and value side by side.
  const labelWidth = 110;
  for (const field of model.summary) {
    const lines = wrap(field.value.trim() || NOT_RECORDED, CONTENT_WIDTH - labelWidth, 'regular', SIZE.body, measure);
    lines.forEach((text, i) => {
      const size = SIZE.body;
      units.push({
        height: lineHeight(size),
        before: i === 0 ? 4 : 0,
        keepWithNext: i < lines.length - 1,
        draw: (top) => [
          ...(i === 0 ? [{ kind: 'text', x: MARGIN.left, y: top - size, text: field.label, style: 'bold', size: SIZE.label } as TextOp] : []),
          { kind: 'text', x: MARGIN.left + labelWidth, y: top - size, text, style: 'regular', size, ...(field.value.trim() ? {} : { grey: true }) },
        ],
      });
    });
  }
  if (model.notice) {
    const lines = wrap(model.notice, CONTENT_WIDTH - 16, 'bold', SIZE.body, measure);
    const height = lines.length * lineHeight(SIZE.body) + 12;
    units.push({
      height,
      before: 10,
      draw: (top) => [
        { kind: 'box', x: MARGIN.left, y: top - height, width: CONTENT_WIDTH, height },
        ...lines.map((text, i): TextOp => ({ kind: 'text', x: MARGIN.left + 8, y: top - 6 - i * lineHeight(SIZE.body) - SIZE.body, text, style: 'bold', size: SIZE.body })),
      ],
    });
  }
  for (const section of model.sections) {
    const heading = textUnits(section.heading, { style: 'bold', size: SIZE.h2, before: 18 }, measure).map((u) => ({ ...u, keepWithNext: true }));
    const last = heading[heading.length - 1]!;
    const drawHeading = last.draw;
    last.draw = (top) => [...drawHeading(top), { kind: 'rule', x1: MARGIN.left, y1: top - last.height - 1, x2: MARGIN.left + CONTENT_WIDTH, y2: top - last.height - 1, weight: 0.8 }];
    last.height += 4;
    units.push(...heading);
    for (const block of section.blocks) units.push(...blockUnits(block, measure));
  }
  return units;
}

/** Every page's drawing, without the header and footer (they need the page count: see renderPdf). */
export function layoutDocument(model: DocumentModel, measure: Measure): LaidOutPage[] {
  const units = documentUnits(model, measure);
  const pages: LaidOutPage[] = [];
  let page: LaidOutPage = { ops: [], lines: [] };
  let y = TOP;
  const place = (unit: Unit, atTop: boolean) => {
    const top = y - (atTop ? 0 : unit.before);
    const ops = unit.draw(top);
    page.ops.push(...ops);
    for (const op of ops) if (op.kind === 'text') page.lines.push(op.text);
    y = top - unit.height;
  };
  const newPage = () => {
    pages.push(page);
    page = { ops: [], lines: [] };
    y = TOP;
  };
  for (let i = 0; i < units.length; i++) {
    const unit = units[i]!;
    const atTop = y === TOP;
    // The unit and those it must stay with have to fit; a chain never longer than a third of a page.
    let needed = (atTop ? 0 : unit.before) + unit.height;
    for (let j = i; units[j]?.keepWithNext && units[j + 1] && needed < (TOP - MARGIN.bottom) / 3; j++) needed += units[j + 1]!.before + units[j + 1]!.height;
    if (!atTop && y - needed < MARGIN.bottom) newPage();
    if (y === TOP && unit.repeatHeader && i > 0 && units[i - 1]!.repeatHeader) place(unit.repeatHeader, true);
    place(unit, y === TOP);
  }
  pages.push(page);
  return pages;
}
