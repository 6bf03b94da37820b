import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `npm run smoke`: starts the BUILT app (what `npm start` runs) on a free
 * port and checks what only the build has: the OpenAPI schemas the Swagger
 * compiler plugin fills in, and one write/read round trip. Exits non-zero on
 * the first failure.
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

async function waitForApi(base: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(`${base}/docs/json`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('smoke: the API did not start within 10 s');
}

async function post(base: string, path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

async function run(base: string): Promise<void> {
  const openApi = (await (await fetch(`${base}/docs/json`)).json()) as OpenApi;
  for (const [name, fields] of Object.entries(REQUIRED)) {
    const required = openApi.components.schemas[name]?.required ?? [];
    check(
      fields.every((field) => required.includes(field)),
      `OpenAPI ${name} requires ${fields.join(', ')}`,
    );
  }
  const registered = await post(base, '/customers', {
    customerId: 'smoke',
    kind: 'person',
    name: 'Smoke Test',
  });
  check(registered.status === 201, 'POST /customers → 201');
  const recorded = await post(base, '/customers/smoke/touchpoints', {
    type: 'SurveyAnswered',
    surveyType: 'nps',
    score: 9,
  });
  check(recorded.status === 201, 'POST /customers/smoke/touchpoints → 201');
  const stream = (await (await fetch(`${base}/customers/smoke/events`)).json()) as {
    events: { type: string }[];
  };
  check(
    stream.events.map((event) => event.type).join() === 'CustomerRegistered,SurveyAnswered',
    'the stream reads back',
  );
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-smoke-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const api: ChildProcess = spawn(
    process.execPath,
    [join(__dirname, '..', '..', 'apps', 'api', 'src', 'main.js')],
    {
      env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForApi(base);
    await run(base);
  } finally {
    api.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
