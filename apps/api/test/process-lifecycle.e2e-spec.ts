import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_PID_FILE } from '@crm/platform';

const ROOT = join(__dirname, '..', '..', '..');
const REGISTER_TS = join(ROOT, 'test', 'support', 'register-ts.js');
const MAIN = join(ROOT, 'apps', 'api', 'src', 'main.ts');

// From the sources, the process and its projection worker thread (npm start's default) each load them.
jest.setTimeout(90_000);

/** Starts the API as `npm start` would (from the sources) and resolves once it listens. */
async function startApi(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', REGISTER_TS, MAIN], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'log', SHUTDOWN_GRACE_MS: '1000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('CRM API (all) on')) resolve();
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the API exited with ${code}: ${output}`)));
  });
  return child;
}

describe('the API process', () => {
  const dirs: string[] = [];

  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('removes api.pid when stopped with %s', async (signal) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-pid-'));
    dirs.push(dataDir);
    const api = await startApi(dataDir);
    expect(existsSync(join(dataDir, API_PID_FILE))).toBe(true);

    const exited = new Promise((resolve) => api.once('exit', resolve));
    api.kill(signal);
    await exited;

    expect(existsSync(join(dataDir, API_PID_FILE))).toBe(false);
  });
});
