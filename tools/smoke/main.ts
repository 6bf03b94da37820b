import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devKeyHeader, freePort, startApi } from '../support/built-api';

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

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-smoke-'));
  const port = await freePort();
  const api = await startApi(dataDir, port);
  try {
    await run(`http://127.0.0.1:${port}`, devKeyHeader(dataDir));
  } finally {
    api.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
