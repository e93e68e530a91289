/**
 * The service worker must precache every JavaScript chunk of the build: a chunk left out is a screen
 * that fails to open offline. Reads the real build in dist/ (the test command builds first).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const dist = path.resolve(import.meta.dirname, '../../dist');

function precacheUrls(): string[] {
  const sw = fs.readFileSync(path.join(dist, 'sw.js'), 'utf8');
  return [...sw.matchAll(/url:\s*"([^"]+)"/g)].map((m) => m[1]!);
}

function builtFiles(dir: string, ext: string): string[] {
  return fs
    .readdirSync(path.join(dist, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(ext))
    .map((f) => path.posix.join(dir, f.split(path.sep).join('/')));
}

describe('the built precache manifest', () => {
  it('exists (run `npm run build` first)', () => {
    expect(fs.existsSync(path.join(dist, 'sw.js')), 'dist/sw.js is missing: run npm run build').toBe(true);
  });

  it('lists every JS chunk and stylesheet of the build, the shell, the manifest and the icons', () => {
    const urls = precacheUrls();
    const chunks = builtFiles('assets', '.js');
    expect(chunks.length).toBeGreaterThan(0);
    for (const file of [...chunks, ...builtFiles('assets', '.css'), 'index.html', 'manifest.webmanifest', 'icons/icon-192.png', 'icons/icon-512.png'])
      expect(urls, `${file} is not precached`).toContain(file);
  });

  it('precaches the PDF’s chunk and its fonts, so a PDF can be made offline; the first screen does not load them', () => {
    const urls = precacheUrls();
    const fonts = builtFiles('assets', '.ttf');
    expect(fonts.length, 'the PDF’s fonts are not in the build').toBe(2);
    for (const font of fonts) expect(urls, `${font} is not precached`).toContain(font);
    const pdfChunk = builtFiles('assets', '.js').find((f) => fs.readFileSync(path.join(dist, f), 'utf8').includes('registerFontkit'));
    expect(pdfChunk, 'no chunk holds pdf-lib').toBeDefined();
    expect(urls).toContain(pdfChunk);
    // Loaded on demand: the shell's own script does not pull it in.
    const shell = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
    expect(shell).not.toContain(path.basename(pdfChunk!));
  });

  it('loads no Yjs with the first screen: the list needs only the index, and sync loads after it (issue 20)', () => {
    // Every chunk the shell loads before anything is asked for: its script and what that imports statically
    // (import … from, not import()), which is also what index.html preloads.
    const shell = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
    const entry = /<script type="module"[^>]*src="\/(assets\/[^"]+\.js)"/.exec(shell)?.[1];
    expect(entry, 'index.html has no module script').toBeDefined();
    const loaded = new Set<string>();
    const queue = [entry!];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (loaded.has(file)) continue;
      loaded.add(file);
      const code = fs.readFileSync(path.join(dist, file), 'utf8');
      for (const [, imported] of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w$*{}\s,]+from\s*)?"\.\/([^"]+\.js)"/g)) queue.push(path.posix.join('assets', imported!));
    }
    expect(loaded.size, 'the entry imports nothing: the pattern no longer reads the build').toBeGreaterThan(3);
    const yjs = builtFiles('assets', '.js').filter((f) => fs.readFileSync(path.join(dist, f), 'utf8').includes('Yjs was already imported'));
    expect(yjs.length, 'no chunk holds Yjs').toBe(1);
    expect([...loaded], 'a chunk of the first screen holds Yjs').not.toContain(yjs[0]);
  });

  it('lists nothing that is not in the build', () => {
    for (const url of precacheUrls()) expect(fs.existsSync(path.join(dist, url)), `${url} is precached but not built`).toBe(true);
  });
});
