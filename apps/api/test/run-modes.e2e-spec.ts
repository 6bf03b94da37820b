import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@crm/platform';
import { WorkerModule } from '../src/worker.module';
import { expectError, newCustomerId, recordTouchpoint } from './support/api';
import { bearer } from './support/api-keys';
import { journeyOf, purchase, registerRecorded } from './support/read-models';
import { nextEvent, openFeed } from './support/sse';
import { TestApp } from './support/test-app';

/**
 * RUN_MODE=api and RUN_MODE=projector as two applications on one DATA_DIR:
 * the API writes and serves reads but runs no projection; the projector
 * (no HTTP) projects; the API's reads with minPosition follow the
 * projector's checkpoints.
 */
describe('run modes: api and projector as separate applications', () => {
  let dataDir: string;
  let api: TestApp;
  let projector: INestApplicationContext | null = null;

  const startProjector = async (): Promise<INestApplicationContext> => {
    // PORT=0: its health and metrics listen on a free port.
    const config = loadConfig({ DATA_DIR: dataDir, RUN_MODE: 'projector', LOG_LEVEL: 'error', PORT: '0' });
    const worker = await NestFactory.createApplicationContext(WorkerModule.forConfig(config, {}), {
      logger: false,
    });
    await worker.init();
    return worker;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'crm-run-modes-'));
    api = await TestApp.start({ DATA_DIR: dataDir, RUN_MODE: 'api', READ_WAIT_MS: '300' });
  });

  afterAll(async () => {
    await projector?.close();
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an api process alone accepts writes but its read models do not move (503 for a position)', async () => {
    const customerId = newCustomerId('split');
    const registered = await registerRecorded(api, { customerId, occurredAt: '2025-01-01T00:00:00Z' });

    const response = await api.get(
      `/customers/${customerId}/journey?minPosition=${registered.globalPosition}`,
    );

    expectError(response, 503, 'PROJECTION.NOT_CAUGHT_UP');
  });

  it('with a projector beside it, reads with minPosition see every write', async () => {
    projector = await startProjector();
    const customerId = newCustomerId('split');
    await registerRecorded(api, { customerId, occurredAt: '2025-01-01T00:00:00Z' });
    const bought = await recordTouchpoint(api, customerId, purchase('o-1', 5000, '2025-02-01T00:00:00Z'));

    const journey = await journeyOf(api, customerId, { minPosition: bought.globalPosition });

    expect(journey.stage).toBe('conversion');
    expect(journey.meta.position).toBeGreaterThanOrEqual(bought.globalPosition);
  });

  it("an api process's change feed announces a write once the projector applied it", async () => {
    await api.app.listen(0, '127.0.0.1');
    const port = (api.app.getHttpServer().address() as AddressInfo).port;
    const customerId = newCustomerId('split-feed');
    const feed = await openFeed(
      port,
      `/customers/changes/stream?customerId=${customerId}`,
      bearer(api.apiKey),
    );
    try {
      await registerRecorded(api, { customerId, occurredAt: '2025-01-01T00:00:00Z' });
      const bought = await recordTouchpoint(api, customerId, purchase('o-2', 700, '2025-02-01T00:00:00Z'));
      const registered = JSON.parse((await nextEvent(feed)).data ?? '{}') as { eventType: string };
      const change = JSON.parse((await nextEvent(feed)).data ?? '{}') as {
        position: number;
        eventType: string;
      };
      expect([registered.eventType, change.eventType]).toEqual(['CustomerRegistered', 'PurchaseCompleted']);
      expect(change.position).toBe(bought.globalPosition);
      // Read without minPosition right after: the projector's commit is already there.
      const journey = await journeyOf(api, customerId);
      expect(journey.stage).toBe('conversion');
    } finally {
      feed.close();
    }
  });
});
