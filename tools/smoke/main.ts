import { type ChildProcess, execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { devKeyHeader, freePort, startApi } from '../support/built-api';

/**
 * `npm run smoke`: starts the BUILT app (what `npm start` runs) on a free
 * port and checks what only the build has: the OpenAPI schemas the Swagger
 * compiler plugin fills in, and one write/read round trip. Then starts the
 * built relay and projector with their Kafka broker down and checks that
 * they stay up, report not ready, and stop on SIGTERM; and runs the built
 * CLI the way the docs do (`npx crm`). Exits non-zero on
 * the first failure; every process it starts is ended.
 */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  CallLoggedDto: ['direction', 'durationSeconds', 'outcome'],
  EmailLoggedDto: ['direction'],
  MessageLoggedDto: ['channel', 'direction'],
  MeetingHeldDto: ['durationMinutes'],
  PurchaseCompletedDto: ['orderId', 'amount', 'currency', 'channel'],
  PurchaseRefundedDto: ['orderId', 'amount', 'currency'],
  SurveyAnsweredDto: ['surveyType', 'score'],
  SupportCaseOpenedDto: ['caseId', 'subject'],
  SupportCaseRespondedDto: ['caseId'],
  SupportCaseResolvedDto: ['caseId', 'firstContact'],
  CampaignInteractionDto: ['campaignId', 'action'],
  RegisterCustomerDto: ['kind', 'name'],
};

type Schema = { required?: string[]; properties?: Record<string, unknown> };
type OpenApi = { components: { schemas: Record<string, Schema> } };

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`smoke: ${message}`);
  process.stderr.write(`[smoke] ok: ${message}\n`);
}

async function post(
  base: string,
  path: string,
  body: unknown,
  auth: Record<string, string>,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

async function run(base: string, auth: Record<string, string>): Promise<void> {
  const openApi = (await (await fetch(`${base}/docs/json`)).json()) as OpenApi;
  for (const [name, fields] of Object.entries(REQUIRED)) {
    const required = openApi.components.schemas[name]?.required ?? [];
    check(
      fields.every((field) => required.includes(field)),
      `OpenAPI ${name} requires ${fields.join(', ')}`,
    );
  }
  const ready = await fetch(`${base}/health/ready`);
  check(ready.status === 200, 'GET /health/ready → 200');
  const anonymous = await post(base, '/customers', { kind: 'person', name: 'Nobody' }, {});
  check(anonymous.status === 401, 'POST /customers without a key → 401');
  const registered = await post(
    base,
    '/customers',
    { customerId: 'smoke', kind: 'person', name: 'Smoke Test' },
    auth,
  );
  check(registered.status === 201, 'POST /customers → 201');
  const recorded = await post(
    base,
    '/customers/smoke/touchpoints',
    { type: 'SurveyAnswered', surveyType: 'nps', score: 9 },
    auth,
  );
  check(recorded.status === 201, 'POST /customers/smoke/touchpoints → 201');
  const stream = (await (await fetch(`${base}/customers/smoke/events`, { headers: auth })).json()) as {
    events: { type: string }[];
  };
  check(
    stream.events.map((event) => event.type).join() === 'CustomerRegistered,SurveyAnswered',
    'the stream reads back',
  );
}

/** The console the build wrote into dist/console, served under /console with its policy and its script. */
async function builtConsole(base: string): Promise<void> {
  const page = await fetch(`${base}/console/kpis`);
  const html = await page.text();
  check(
    page.status === 200 && (page.headers.get('content-type') ?? '').startsWith('text/html'),
    'GET /console/kpis → 200 text/html (the console, for a deep link)',
  );
  check(
    (page.headers.get('content-security-policy') ?? '').startsWith("default-src 'self'"),
    "the console is served under Content-Security-Policy default-src 'self'",
  );
  const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  const asset = script === undefined ? null : await fetch(`${base}${script}`);
  check(asset?.status === 200, `its script ${script ?? '(none in index.html)'} → 200`);
}

/**
 * The package bin on the build, as `KEY=$(npx crm keys create …)` runs it:
 * stdout is the key and nothing else (no npm banner, no log line), and the
 * running API accepts that key.
 */
async function builtCli(base: string, dataDir: string): Promise<void> {
  const npx = (...args: string[]) =>
    promisify(execFile)('npx', ['--no-install', 'crm', ...args], {
      env: { ...process.env, DATA_DIR: dataDir },
      // The checkout (dist/tools/smoke/ → ../../..): npx finds the bin in its package.json.
      cwd: join(__dirname, '..', '..', '..'),
      encoding: 'utf8',
    });
  const help = await npx('--help');
  check(help.stdout.startsWith('usage: crm <command>'), 'npx crm --help prints the usage');
  const created = await npx('keys', 'create', '--name', 'smoke-reader', '--roles', 'read');
  check(/^crm_\S+\n$/.test(created.stdout), 'npx crm keys create prints the key alone on stdout');
  const read = await fetch(`${base}/customers/smoke/events`, {
    headers: { authorization: `Bearer ${created.stdout.trim()}` },
  });
  check(read.status === 200, 'the API accepts the key the CLI created → 200');
}

/** How long a worker must stay up, live and not ready while its broker is down. */
const WORKER_WATCH_MS = 5000;
/** SIGTERM must end a worker well within a container's stop grace (10 s by default). */
const WORKER_STOP_MS = 8000;

type Ready = { status: string; checks: Record<string, { status: string } | undefined> };

/** Resolves with how the process ended, or null if it is still running after `ms`. */
async function exitWithin(child: ChildProcess, ms: number): Promise<string | null> {
  if (child.exitCode !== null || child.signalCode !== null) return String(child.signalCode ?? child.exitCode);
  const exited = once(child, 'exit').then(([code, signal]) => String(signal ?? code));
  return Promise.race([exited, sleep(ms).then(() => null)]);
}

/**
 * RUN_MODE=relay or projector with KAFKA_BROKERS pointing at a closed port:
 * the process boots, answers /health/live, reports /health/ready as 503
 * with the kafka check down while it retries, and ends on SIGTERM.
 */
async function workerWithoutBroker(mode: 'relay' | 'projector'): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), `crm-smoke-${mode}-`));
  const port = await freePort();
  const closedBroker = await freePort();
  const env = { RUN_MODE: mode, KAFKA_BROKERS: `127.0.0.1:${closedBroker}`, LOG_LEVEL: 'error' };
  const worker = await startApi(dataDir, port, env, { readyPath: '/health/live' });
  try {
    check(true, `RUN_MODE=${mode} with the broker down boots and answers /health/live`);
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + WORKER_WATCH_MS;
    let probes = 0;
    while (Date.now() < deadline) {
      const ready = await fetch(`${base}/health/ready`);
      const report = (await ready.json()) as Ready;
      if (ready.status !== 503 || report.checks['kafka']?.status !== 'down') {
        throw new Error(`smoke: ${mode} /health/ready answered ${ready.status} ${JSON.stringify(report)}`);
      }
      probes += 1;
      await sleep(500);
    }
    check(
      (await exitWithin(worker, 0)) === null && probes > 1,
      `RUN_MODE=${mode} stays up for ${WORKER_WATCH_MS / 1000} s, /health/ready 503 with kafka down`,
    );
    worker.kill('SIGTERM');
    const ended = await exitWithin(worker, WORKER_STOP_MS);
    check(ended !== null, `RUN_MODE=${mode} ends on SIGTERM within ${WORKER_STOP_MS / 1000} s (${ended})`);
  } finally {
    if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * RUN_MODE=webhooks and automations: the built process boots on the embedded
 * stores, answers /health/ready 200 (it needs no broker) and /metrics, and
 * ends on SIGTERM.
 */
async function logWorker(mode: 'webhooks' | 'automations'): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), `crm-smoke-${mode}-`));
  const port = await freePort();
  const worker = await startApi(
    dataDir,
    port,
    { RUN_MODE: mode, LOG_LEVEL: 'error' },
    { readyPath: '/health/ready' },
  );
  try {
    const base = `http://127.0.0.1:${port}`;
    const ready = await fetch(`${base}/health/ready`);
    check(ready.status === 200, `RUN_MODE=${mode} boots and answers /health/ready 200 (${ready.status})`);
    const metrics = await fetch(`${base}/metrics`);
    check(
      metrics.status === 200 && (await metrics.text()).includes('process_cpu_seconds_total'),
      `RUN_MODE=${mode} serves /metrics`,
    );
    worker.kill('SIGTERM');
    const ended = await exitWithin(worker, WORKER_STOP_MS);
    check(ended !== null, `RUN_MODE=${mode} ends on SIGTERM within ${WORKER_STOP_MS / 1000} s (${ended})`);
  } finally {
    if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-smoke-'));
  const port = await freePort();
  const api = await startApi(dataDir, port);
  try {
    await run(`http://127.0.0.1:${port}`, devKeyHeader(dataDir));
    await builtCli(`http://127.0.0.1:${port}`, dataDir);
    await builtConsole(`http://127.0.0.1:${port}`);
  } finally {
    api.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
  await workerWithoutBroker('relay');
  await workerWithoutBroker('projector');
  await logWorker('webhooks');
  await logWorker('automations');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
