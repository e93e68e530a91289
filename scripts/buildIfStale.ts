/**
 * `npm start` builds the app only when what it is built from changed since the last build: a SHA-256 of
 * every input file (path and content) is kept beside the build, in dist/, and compared. Content, not file
 * times: a fresh clone, a `git pull` or a copied directory all give files new times without changing them.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** What the build reads: the app's and the shared code, its page, assets and build settings, and the locked dependencies. */
export const BUILD_INPUTS = ['src', 'domain', 'public', 'index.html', 'manifest.webmanifest', 'vite.config.ts', 'tsconfig.json', 'package.json', 'package-lock.json'];
const STAMP = '.fieldnotes-build-hash';

function filesUnder(root: string, entry: string): string[] {
  const full = path.join(root, entry);
  if (!fs.existsSync(full)) return [];
  if (!fs.statSync(full).isDirectory()) return [entry];
  return fs.readdirSync(full).flatMap((name) => filesUnder(root, path.join(entry, name)));
}

export function inputsHash(root: string, inputs = BUILD_INPUTS): string {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap((entry) => filesUnder(root, entry)).sort()) {
    hash.update(file.split(path.sep).join('/')).update('\0').update(fs.readFileSync(path.join(root, file))).update('\0');
  }
  return hash.digest('hex');
}

/** Whether dist/ holds a build of exactly these inputs. */
export function buildIsCurrent(root: string, distDir = path.join(root, 'dist'), inputs = BUILD_INPUTS): boolean {
  try {
    return fs.existsSync(path.join(distDir, 'index.html')) && fs.readFileSync(path.join(distDir, STAMP), 'utf8').trim() === inputsHash(root, inputs);
  } catch {
    return false;
  }
}

export function recordBuild(root: string, distDir = path.join(root, 'dist'), inputs = BUILD_INPUTS): void {
  fs.writeFileSync(path.join(distDir, STAMP), `${inputsHash(root, inputs)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = path.resolve(import.meta.dirname, '..');
  if (buildIsCurrent(root)) {
    console.log('The built app is up to date (dist/); not rebuilding.');
  } else {
    console.log('Building the app (its sources changed since the last build, or there is none)…');
    const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
    if (result.status !== 0) process.exit(result.status ?? 1);
    recordBuild(root);
  }
}
