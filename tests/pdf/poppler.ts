/** Reading a PDF back with Debian's poppler-utils (pdftotext, pdftoppm), and checking its pages are not blank. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';

export function tempPdf(bytes: Uint8Array, name = 'record.pdf'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-pdf-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** Each page's text, as pdftotext reads it (pages are separated by form feeds). */
export function pagesText(file: string, layout = false): string[] {
  const text = execFileSync('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  const pages = text.split('\f');
  if (pages.at(-1)?.trim() === '') pages.pop();
  return pages;
}

/** Text with runs of white space made single spaces: words as a reader sees them, whatever the line breaks. */
export const words = (text: string) => text.replace(/\s+/g, ' ').trim();

/** How many pixels of each page (rendered at 40 dpi) are not white. */
export function inkPerPage(file: string): number[] {
  const dir = path.dirname(file);
  execFileSync('pdftoppm', ['-png', '-r', '40', file, path.join(dir, 'page')]);
  return fs
    .readdirSync(dir)
    .filter((f) => /^page-\d+\.png$/.test(f))
    .sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]))
    .map((f) => {
      const png = PNG.sync.read(fs.readFileSync(path.join(dir, f)));
      let ink = 0;
      for (let i = 0; i < png.data.length; i += 4) if (png.data[i]! < 200 || png.data[i + 1]! < 200 || png.data[i + 2]! < 200) ink++;
      return ink;
    });
}
