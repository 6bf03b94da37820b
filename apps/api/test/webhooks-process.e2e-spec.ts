import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { WebhookReceiver } from '@crm/webhooks/testing';
import { checkDeliveries, type LogLine } from '../../../tools/system/webhook-deliveries';
import { newCustomerId, registerCustomer } from './support/api';
import { eventually } from './support/admin';
import { meeting } from './support/touchpoints';
import { TestApp } from './support/test-app';

const ROOT = join(__dirname, '..', '..', '..');
const REGISTER_TS = join(ROOT, 'test', 'support', 'register-ts.js');
const MAIN = join(ROOT, 'apps', 'api', 'src', 'main.ts');
const KILLS = 6;

jest.setTimeout(240_000);

/** RUN_MODE=webhooks from the sources, as production runs it; resolves once it has booted. */
async function startWebhooks(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', REGISTER_TS, MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      RUN_MODE: 'webhooks',
      PORT: '0',
      LOG_LEVEL: 'log',
      WEBHOOK_RETRY_BASE_MS: '5',
      WEBHOOK_RETRY_MAX_MS: '100',
      WEBHOOK_TIMEOUT_MS: '300',
      WEBHOOK_POLL_MS: '20',
      WEBHOOK_MAX_ATTEMPTS: '25',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('CRM webhooks running')) resolve();
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => reject(new Error(`webhooks exited (${code ?? signal}): ${output}`)));
  });
  return child;
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

describe('the webhooks process (RUN_MODE=webhooks)', () => {
  it(`loses nothing across ${KILLS} kill -9s at random moments mid-stream`, async () => {
    // The API administers (RUN_MODE=api delivers nothing); the webhooks process delivers.
    const app = await TestApp.start({ RUN_MODE: 'api', PROJECTIONS: 'off' });
    const receiver = new WebhookReceiver({ failRate: 0.1, seed: 42 });
    try {
      const port = await receiver.listen();
      const created = await app.post<{ id: string; secret: string }>('/admin/webhooks', {
        url: `http://127.0.0.1:${port}/hook`,
      });
      receiver.secret = created.body.secret;
      const customers = await Promise.all(
        Array.from({ length: 20 }, () => registerCustomer(app, newCustomerId('kill'))),
      );
      const items = Array.from({ length: 30 }, (_, round) =>
        customers.map((customerId) => meeting({ customerId, location: `room ${round}` })),
      ).flat();
      expect((await app.post('/touchpoints/batch', { items })).statusCode).toBe(200);
      const log = (
        await app.app.inject({
          method: 'GET',
          url: '/events',
          headers: { authorization: `Bearer ${app.apiKey}` },
        })
      ).body
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as LogLine);
      expect(log).toHaveLength(620);
      const delivered = () => new Set(receiver.accepted().map((r) => r.id)).size;

      const atKill: number[] = [];
      for (let round = 0; round < KILLS; round++) {
        const child = await startWebhooks(app.dataDir);
        const target = delivered() + 10 + Math.floor(Math.random() * 60);
        await eventually(
          () => Promise.resolve(delivered()),
          (n) => n >= Math.min(target, log.length),
          60_000,
        );
        await kill(child, 'SIGKILL');
        atKill.push(delivered());
      }
      // The kills landed mid-stream, not after everything was sent.
      expect(atKill.some((n) => n < log.length)).toBe(true);

      const last = await startWebhooks(app.dataDir);
      await eventually(
        () => Promise.resolve(delivered()),
        (n) => n === log.length,
        60_000,
      );
      await kill(last, 'SIGTERM');

      // Signed, every event delivered, per customer first deliveries in log order; repeats only of ids
      // already delivered (the kills send a page again).
      const check = checkDeliveries(receiver.requests, log);
      expect({ ...check, requests: 0, accepted: 0, duplicates: 0 }).toEqual({
        requests: 0,
        accepted: 0,
        duplicates: 0,
        delivered: log.length,
        unverified: [],
        mismatchedIds: [],
        foreign: [],
        missing: [],
        outOfOrder: [],
      });
      const state = await app.get<{ lagEvents: number; parked: number; held: number }>(
        `/admin/webhooks/${created.body.id}`,
      );
      expect(state.body).toMatchObject({ lagEvents: 0, parked: 0, held: 0 });
    } finally {
      await receiver.close();
      await app.stop();
    }
  });
});
