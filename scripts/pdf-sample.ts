/**
 * Makes docs/pdf-review-page-1.png, the first page of a seeded closed review's PDF shown in the README:
 * `npx tsx scripts/pdf-sample.ts` (needs poppler-utils' pdftoppm).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderPdf } from '../src/lib/pdf/renderPdf';
import { closedReview, nodeFonts } from '../tests/pdf/seededRecords';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-sample-'));
const pdf = path.join(dir, 'review.pdf');
fs.writeFileSync(pdf, (await renderPdf(closedReview(), nodeFonts())).bytes);
execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdf, path.join(dir, 'page')]);
const out = path.resolve(import.meta.dirname, '../docs/pdf-review-page-1.png');
fs.copyFileSync(path.join(dir, 'page.png'), out);
console.log(`Wrote ${out}`);
