import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { devKeyHeader, freePort, startApi } from '../support/built-api';

/**
 * `npm run fuzz`: schemathesis against the BUILT app (what `npm start`
 * runs) on a fresh DATA_DIR, loopback and a free port, with the dev key.
 * Every check runs, plus hooks.py's: a rejected request commits nothing.
 * Fails on any failure, and when fewer than FUZZ_MIN_CASES cases ran.
 * Schemathesis comes from PyPI into .fuzz/venv (pinned), made on first use.
 * Extra arguments go to `schemathesis run` (e.g. `-- --seed 1`).
 */
const SCHEMATHESIS = 'schemathesis==4.32.5';
const ROOT = resolve(__dirname, '..', '..', '..');
const HERE = join(ROOT, 'tools', 'fuzz');
const VENV = join(ROOT, '.fuzz', 'venv');
const MIN_CASES = Number(process.env.FUZZ_MIN_CASES ?? 5000);
const MAX_EXAMPLES = process.env.FUZZ_MAX_EXAMPLES ?? '200';

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const result = spawnSync(command, args, { stdio: 'inherit', env, cwd: join(ROOT, '.fuzz') });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function installSchemathesis(): string {
  const binary = join(VENV, 'bin', 'schemathesis');
  const version = SCHEMATHESIS.split('==')[1] ?? '';
  const installed = existsSync(binary)
    ? spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.includes(version)
    : false;
  if (installed) return binary;
  process.stderr.write(`[fuzz] installing ${SCHEMATHESIS} into ${VENV}\n`);
  mkdirSync(join(ROOT, '.fuzz'), { recursive: true });
  if (run('python3', ['-m', 'venv', '--clear', VENV]) !== 0) throw new Error('fuzz: python3 -m venv failed');
  const pip = join(VENV, 'bin', 'pip');
  if (run(pip, ['install', '--quiet', '--disable-pip-version-check', SCHEMATHESIS]) !== 0)
    throw new Error(`fuzz: pip install ${SCHEMATHESIS} failed`);
  return binary;
}

/** One customer with a purchase, so the read routes have something to answer 200 with. */
async function seed(base: string, auth: Record<string, string>): Promise<void> {
  const post = async (path: string, body: unknown): Promise<void> => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`fuzz: seeding ${path} answered ${response.status}`);
  };
  await post('/customers', { customerId: 'fuzz-1', kind: 'person', name: 'Fuzz One' });
  await post('/customers/fuzz-1/touchpoints', {
    type: 'PurchaseCompleted',
    orderId: 'o-1',
    amount: 1999,
    currency: 'EUR',
    channel: 'web',
  });
}

type ReportLine = { ScenarioFinished?: { recorder?: { cases?: Record<string, unknown> } } };

/** Test cases schemathesis generated and sent, summed over its scenarios. */
function casesRun(ndjson: string): number {
  return readFileSync(ndjson, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"ScenarioFinished"'))
    .map((line) => JSON.parse(line) as ReportLine)
    .reduce((sum, line) => sum + Object.keys(line.ScenarioFinished?.recorder?.cases ?? {}).length, 0);
}

async function main(): Promise<void> {
  const schemathesis = installSchemathesis();
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-fuzz-'));
  const reportDir = join(ROOT, '.fuzz', 'report');
  rmSync(reportDir, { recursive: true, force: true });
  mkdirSync(reportDir, { recursive: true });
  const port = await freePort();
  const api = await startApi(dataDir, port, { LOG_LEVEL: 'error' });
  const started = Date.now();
  try {
    const base = `http://127.0.0.1:${port}`;
    const auth = devKeyHeader(dataDir);
    await seed(base, auth);
    const args = [
      '--config-file',
      join(HERE, 'schemathesis.toml'),
      'run',
      `${base}/docs/json`,
      '--checks',
      'all',
      '--max-examples',
      MAX_EXAMPLES,
      '--header',
      `Authorization: ${auth.authorization ?? ''}`,
      '--report',
      'junit,ndjson',
      '--report-dir',
      reportDir,
      '--report-ndjson-path',
      join(reportDir, 'run.ndjson'),
      ...process.argv.slice(2).filter((arg) => arg !== '--'),
    ];
    const status = run(schemathesis, args, {
      ...process.env,
      SCHEMATHESIS_HOOKS: 'hooks',
      PYTHONPATH: HERE,
      FUZZ_DATA_DIR: dataDir,
      FUZZ_STATS_FILE: join(reportDir, 'write-check.json'),
    });
    const cases = casesRun(join(reportDir, 'run.ndjson'));
    const writes = readFileSync(join(reportDir, 'write-check.json'), 'utf8').trim();
    const seconds = Math.round((Date.now() - started) / 1000);
    process.stderr.write(`[fuzz] ${cases} cases in ${seconds} s; write check ${writes}\n`);
    if (status !== 0) throw new Error(`fuzz: schemathesis reported failures (exit ${status})`);
    if (cases < MIN_CASES) throw new Error(`fuzz: ${cases} cases ran, fewer than ${MIN_CASES}`);
  } finally {
    api.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
