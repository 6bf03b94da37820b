import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Written by the API in its DATA_DIR while it runs, so offline tools (crm rebuild) can refuse to race it. */
export const API_PID_FILE = 'api.pid';

/** Records this process as the API on `dataDir`; the returned function removes the claim. */
export function claimDataDir(dataDir: string, pid: number = process.pid): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, API_PID_FILE);
  writeFileSync(file, `${pid}\n`);
  return () => {
    if (runningApiPid(dataDir) === pid) rmSync(file, { force: true });
  };
}

/**
 * The pid of a live API process claiming `dataDir`, or null. A pid file left
 * by a crashed API names a process that no longer exists and is ignored.
 */
export function runningApiPid(dataDir: string): number | null {
  let text: string;
  try {
    text = readFileSync(join(dataDir, API_PID_FILE), 'utf8');
  } catch {
    return null;
  }
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else: still running.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}
