import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@crm/platform';
import { partitionOf } from '@crm/transport-kafka';
import { WorkerModule } from '../src/worker.module';
import { customerPath, expectError, recordTouchpoint, registerCustomer } from './support/api';
import { call, type JourneyBody, type KpiReportBody, type ScoresBody } from './support/read-models';
import { TestApp, type TestResponse } from './support/test-app';

jest.setTimeout(240_000);

const PARTITIONS = 4;
const READ_WAIT_MS = 4000;

type PartitionBody = { partition: number; position: number; events: number; seconds: number };
type AdminBody = { transport: { kind: string; partitions: PartitionBody[] } };

/** Asks again while the answer is 503 (the read waited READ_WAIT_MS and gave up), for up to a minute. */
async function eventually<T>(read: () => Promise<TestResponse<T>>): Promise<TestResponse<T>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await read();
    if (response.statusCode !== 503 || Date.now() > deadline) return response;
  }
}

function requiredBrokers(): string {
  const brokers = process.env['KAFKA_BROKERS'];
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run with `npm run test:integration`');
  return brokers;
}

/** Customer ids in the given partition of PARTITIONS (the relay's own partitionOf). */
function customerIn(partition: number, label: string): string {
  for (;;) {
    const id = `${label}-${randomUUID()}`;
    if (partitionOf(id, PARTITIONS) === partition) return id;
  }
}

/**
 * Read-your-writes across processes on real Kafka: two API instances, a
 * relay and two projectors (each its own Nest application, as in
 * production, sharing the event store and the read store of one DATA_DIR).
 * A write through one API is read through the other with its position as
 * `minPosition`.
 */
describe('read-your-writes with the Kafka transport, across API instances', () => {
  const unique = randomUUID().slice(0, 8);
  let dataDir: string;
  let env: Record<string, string>;
  let writer: TestApp;
  let reader: TestApp;
  let relay: INestApplicationContext;
  let projectors: INestApplicationContext[] = [];

  async function worker(mode: 'relay' | 'projector'): Promise<INestApplicationContext> {
    const workerEnv = { ...env, RUN_MODE: mode, PORT: '0' };
    const context = await NestFactory.createApplicationContext(
      WorkerModule.forConfig(loadConfig(workerEnv), workerEnv),
      { logger: false, abortOnError: false },
    );
    await context.init();
    return context;
  }

  async function stopProjectors(): Promise<void> {
    await Promise.all(projectors.map((projector) => projector.close()));
    projectors = [];
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'crm-ryw-kafka-'));
    env = {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      READ_WAIT_MS: String(READ_WAIT_MS),
      KAFKA_BROKERS: requiredBrokers(),
      KAFKA_TOPIC: `ryw.${unique}.events`,
      KAFKA_DLQ_TOPIC: `ryw.${unique}.dlq`,
      KAFKA_GROUP_ID: `ryw-${unique}`,
      KAFKA_PARTITIONS: String(PARTITIONS),
    };
    writer = await TestApp.start({ ...env, RUN_MODE: 'api' });
    reader = await TestApp.start({ ...env, RUN_MODE: 'api' });
    relay = await worker('relay');
    projectors = [await worker('projector'), await worker('projector')];
  });

  afterAll(async () => {
    await stopProjectors();
    await relay?.close();
    await reader?.stop();
    await writer?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads every write through the other API with its position as minPosition', async () => {
    for (let i = 0; i < 12; i++) {
      const customerId = customerIn(i % PARTITIONS, 'ryw');
      await registerCustomer(writer, customerId, { occurredAt: '2025-01-01T00:00:00Z' });
      const written = await recordTouchpoint(writer, customerId, call('inbound', '2025-01-02T00:00:00Z'));

      const journey = await reader.get<JourneyBody>(
        customerPath(customerId, `/journey?minPosition=${written.globalPosition}`),
      );
      expect(journey.statusCode).toBe(200);
      expect(journey.body.touchpoints).toBe(1);
      expect(journey.body.meta.position).toBeGreaterThanOrEqual(written.globalPosition);

      const scores = await reader.get<ScoresBody>(
        customerPath(customerId, `/scores?minPosition=${written.globalPosition}`),
      );
      expect(scores.statusCode).toBe(200);
    }
    const lastCustomer = customerIn(1, 'kpi');
    await registerCustomer(writer, lastCustomer, { occurredAt: '2025-01-01T00:00:00Z' });
    const last = await recordTouchpoint(writer, lastCustomer, call('inbound', '2025-01-02T00:00:00Z'));
    const kpis = await reader.get<KpiReportBody>(
      `/kpis?from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z&minPosition=${last.globalPosition}`,
    );
    expect(kpis.statusCode).toBe(200);
    expect(kpis.body.meta.position).toBeGreaterThanOrEqual(last.globalPosition);
  });

  it('waits for one partition only on a customer read, for every partition on a population read', async () => {
    const [stalled, flowing] = [customerIn(2, 'stalled'), customerIn(3, 'flowing')];
    await registerCustomer(writer, stalled, { occurredAt: '2025-01-01T00:00:00Z' });
    await registerCustomer(writer, flowing, { occurredAt: '2025-01-01T00:00:00Z' });
    const flowingWrite = await recordTouchpoint(writer, flowing, call('inbound', '2025-01-02T00:00:00Z'));
    // Every partition has applied everything so far.
    const settled = await reader.get(`/customers?minPosition=${flowingWrite.globalPosition}`);
    expect(settled.statusCode).toBe(200);

    // No projector runs: the write to `stalled` is published to partition 2 and applied nowhere.
    await stopProjectors();
    const written = await recordTouchpoint(writer, stalled, call('inbound', '2025-01-02T00:00:00Z'));

    expectError(
      await reader.get(customerPath(stalled, `/journey?minPosition=${written.globalPosition}`)),
      503,
      'PROJECTION.NOT_CAUGHT_UP',
    );
    // Partition 3 has every event of its own up to that position applied: its customers' reads answer.
    const other = await reader.get<JourneyBody>(
      customerPath(flowing, `/journey?minPosition=${written.globalPosition}`),
    );
    expect(other.statusCode).toBe(200);
    expect(other.body.meta.position).toBeGreaterThanOrEqual(written.globalPosition);
    // A population read needs partition 2 as well.
    expectError(
      await reader.get(`/customers?minPosition=${written.globalPosition}`),
      503,
      'PROJECTION.NOT_CAUGHT_UP',
    );
    const admin = await reader.get<AdminBody>('/admin/projections');
    expect(admin.body.transport.kind).toBe('kafka');
    expect(admin.body.transport.partitions).toHaveLength(PARTITIONS);
    expect(admin.body.transport.partitions[2]).toMatchObject({ partition: 2, events: 1 });
    expect(admin.body.transport.partitions[2]?.seconds).toBeGreaterThanOrEqual(0);
    expect(admin.body.transport.partitions[3]).toMatchObject({ partition: 3, events: 0, seconds: 0 });
    const metrics = await reader.get<string>('/metrics');
    expect(metrics.body).toMatch(/crm_projection_partition_lag_events\{partition="2"\} 1/);

    // A projector joins the group again and takes every partition (joining takes the group a few
    // seconds, longer than READ_WAIT_MS): the write is applied, and reads of it answer.
    projectors = [await worker('projector')];
    const caughtUp = await eventually(() =>
      reader.get<JourneyBody>(customerPath(stalled, `/journey?minPosition=${written.globalPosition}`)),
    );
    expect(caughtUp.statusCode).toBe(200);
    expect(caughtUp.body.touchpoints).toBe(1);
    const everyone = await reader.get(`/customers?minPosition=${written.globalPosition}`);
    expect(everyone.statusCode).toBe(200);
  });
});
