/**
 * `<data dir>/server.pid`: which process serves a data directory, so `npm run admin -- restore` can refuse
 * to replace the database under a running server (SQLite would carry on with the old file's pages, and what
 * devices send next would be written into a file about to be thrown away).
 *
 * A pid file, not a lock: Node has no portable advisory lock, and a lock file outliving a crash would need
 * the same staleness test anyway. A pid is taken as a running server only if that process is alive and, where
 * /proc exists, is a Fieldnotes server (so a pid reused after a reboot does not block a restore).
 */
import fs from 'node:fs';
import path from 'node:path';

const pidFile = (dataDir: string) => path.join(dataDir, 'server.pid');

/** Marks the data directory as served by this process; returns a function that gives it up. */
export function claimDataDir(dataDir: string): () => void {
  const file = pidFile(dataDir);
  fs.writeFileSync(file, `${process.pid}\n`, { mode: 0o600 });
  return () => {
    try {
      if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.rmSync(file);
    } catch {
      // already gone
    }
  };
}

/** The process id of a live server using this data directory, or null. */
export function runningServer(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile(dataDir), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return null; // no such process
  }
  try {
    const commandLine = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!commandLine.includes('sync-server')) return null;
  } catch {
    // No /proc (macOS, Windows): a live process with that id is taken as the server, to be safe.
  }
  return pid;
}
