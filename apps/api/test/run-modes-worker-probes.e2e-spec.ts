import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { JsonLogger, loadConfig } from '@crm/platform';
import { isReady } from '../src/health-probe';
import { WorkerModule } from '../src/worker.module';
import { WorkerProbes } from '../src/worker-probes';

/**
 * A relay or projector process serves its health and metrics over HTTP, and
 * with the Kafka broker down it boots anyway, reports not ready, keeps
 * retrying, and stops promptly when asked (a container's stop grace is
 * short; nothing is in flight while the broker is unreachable).
 */
const CLOSED_BROKER = '127.0.0.1:1';
/** Booting must not wait for the broker. */
const BOOT_MS = 5000;
/** Far below kafkajs' own retry budget for one connection (about 25 s with the product's client settings). */
const PROMPT_STOP_MS = 5000;

/** Settles as `work` does, or fails after `ms`: a regression here must fail the test, not hang it. */
async function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

type ReadyReport = { status: string; checks: Record<string, { status: string; reason?: string }> };

describe('worker processes (RUN_MODE=relay, projector): health and metrics over HTTP', () => {
  let dataDir: string;
  let worker: INestApplicationContext | null = null;
  /** The worker's settings with its actual port: what the container's HEALTHCHECK sees. */
  let probeEnv: Record<string, string> = {};

  const boot = async (env: Record<string, string>): Promise<string> => {
    const full = { DATA_DIR: dataDir, LOG_LEVEL: 'error', HOST: '127.0.0.1', PORT: '0', ...env };
    // Built first and initialised apart, so that a boot that hangs can still be closed.
    const context = await Test.createTestingModule({
      imports: [WorkerModule.forConfig(loadConfig(full), full)],
    })
      .setLogger(new JsonLogger({ level: 'error', format: 'json', write: () => undefined }))
      .compile();
    worker = context;
    await within(context.init(), BOOT_MS, 'booting');
    const address = context.get(WorkerProbes).address();
    if (!address) throw new Error('the probes are not listening');
    probeEnv = { ...full, PORT: String(address.port) };
    return `http://${address.host}:${address.port}`;
  };

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'crm-worker-probes-'));
  });

  afterEach(async () => {
    await worker?.close();
    worker = null;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    ['relay', 'kafkaRelay', 'up'],
    ['projector', 'kafkaConsumer', 'down'],
  ])(
    'RUN_MODE=%s with the broker down boots, is live, reports kafka down on /health/ready, and stops promptly',
    async (mode, workerCheck, workerStatus) => {
      const base = await boot({ RUN_MODE: mode, KAFKA_BROKERS: CLOSED_BROKER });

      const live = await fetch(`${base}/health/live`);
      const ready = await fetch(`${base}/health/ready`);
      const report = (await ready.json()) as ReadyReport;

      expect(live.status).toBe(200);
      expect(ready.status).toBe(503);
      expect(report.status).toBe('down');
      expect(report.checks['kafka']?.status).toBe('down');
      expect(report.checks['eventStore']?.status).toBe('up');
      expect(report.checks['readStore']?.status).toBe('up');
      // The relay runs (retrying); the consumer has not joined its group.
      expect(report.checks[workerCheck]?.status).toBe(workerStatus);
      // The image's HEALTHCHECK calls the container unhealthy.
      await expect(isReady(probeEnv)).resolves.toBe(false);

      const stopping = worker?.close();
      worker = null;
      await expect(within(Promise.resolve(stopping), PROMPT_STOP_MS, 'stopping')).resolves.toBeUndefined();
    },
  );

  it('RUN_MODE=projector on the direct transport is ready, serves metrics, and nothing else', async () => {
    const base = await boot({ RUN_MODE: 'projector' });

    const ready = await fetch(`${base}/health/ready`);
    const report = (await ready.json()) as ReadyReport;
    const metrics = await fetch(`${base}/metrics`);
    const readRoute = await fetch(`${base}/customers/ada/journey`);
    const posted = await fetch(`${base}/health/ready`, { method: 'POST' });

    expect(ready.status).toBe(200);
    expect(Object.keys(report.checks).sort()).toEqual(['eventStore', 'projections', 'readStore']);
    await expect(isReady({ ...probeEnv, HOST: '0.0.0.0' })).resolves.toBe(true);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await metrics.text()).toContain('crm_projection_lag_events');
    // The read routes of the module graph are the API's, behind its access control: never served here.
    expect(readRoute.status).toBe(404);
    expect(await readRoute.json()).toMatchObject({ statusCode: 404, code: 'ROUTE.NOT_FOUND' });
    expect(posted.status).toBe(405);
  });
});
