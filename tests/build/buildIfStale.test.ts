import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { buildIsCurrent, recordBuild } from '../../scripts/buildIfStale';

it('npm start rebuilds only when an input changed, not when only file times did', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-build-'));
  fs.mkdirSync(path.join(root, 'src/app'), { recursive: true });
  fs.writeFileSync(path.join(root, 'src/app/App.tsx'), 'export const a = 1;');
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  expect(buildIsCurrent(root)).toBe(false); // never built

  fs.mkdirSync(path.join(root, 'dist'));
  fs.writeFileSync(path.join(root, 'dist/index.html'), 'built');
  expect(buildIsCurrent(root)).toBe(false); // built, but not by this script: unknown inputs
  recordBuild(root);
  expect(buildIsCurrent(root)).toBe(true);

  const later = new Date(Date.now() + 60_000);
  fs.utimesSync(path.join(root, 'src/app/App.tsx'), later, later); // touched (a clone, a pull), unchanged
  expect(buildIsCurrent(root)).toBe(true);

  fs.writeFileSync(path.join(root, 'src/app/App.tsx'), 'export const a = 2;');
  expect(buildIsCurrent(root)).toBe(false);
  recordBuild(root);
  fs.writeFileSync(path.join(root, 'src/app/New.tsx'), 'export {};'); // a new file counts too
  expect(buildIsCurrent(root)).toBe(false);
  recordBuild(root);
  fs.rmSync(path.join(root, 'dist/index.html')); // the build removed
  expect(buildIsCurrent(root)).toBe(false);
});
