import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * Starts the BUILT API (what `npm start` runs) as a child process on
 * loopback and resolves once it answers; used by `npm run bench` and
 * `npm run smoke`. BENCH_API_NODE_ARGS passes node flags (e.g. --cpu-prof).
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/** The built API's entry point: dist/apps/api/src/main.js, from dist/tools/support. */
export const BUILT_API_MAIN = join(__dirname, '..', '..', 'apps', 'api', 'src', 'main.js');

/**
 * What counts as started: `readyPath` answering 2xx within `timeoutMs`; `main`
 * is the built entry point (a test running from the sources names dist's).
 */
export type StartApiOptions = {
  readonly readyPath?: string;
  readonly timeoutMs?: number;
  readonly main?: string;
};

export async function startApi(
  dataDir: string,
  port: number,
  extraEnv: Record<string, string> = {},
  { readyPath = '/docs/json', timeoutMs = 10_000, main = BUILT_API_MAIN }: StartApiOptions = {},
): Promise<ChildProcess> {
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, main], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      AUTH_DEV_KEY: 'true',
      ...extraEnv,
    },
    // Its log lines go to stderr: the bench's stdout is one JSON object.
    stdio: ['ignore', 2, 'inherit'],
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}${readyPath}`, {
        signal: AbortSignal.timeout(5000),
      });
      if (response.ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (child.exitCode !== null) throw new Error(`the API exited (code ${child.exitCode}) before it was ready`);
  child.kill();
  throw new Error(`the API did not start within ${timeoutMs / 1000} s`);
}

/**
 * The header carrying the dev key the API wrote into its fresh DATA_DIR at
 * boot (every role); read it once startApi has resolved.
 */
export function devKeyHeader(dataDir: string): Record<string, string> {
  return { authorization: `Bearer ${readFileSync(join(dataDir, 'dev-api-key'), 'utf8').trim()}` };
}
