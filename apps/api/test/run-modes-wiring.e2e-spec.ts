import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamicModule, Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { EVENT_STORE, RAW_EVENT_STORE } from '@crm/event-store';
import {
  APP_CONFIG,
  ConfigError,
  loadConfig,
  Metrics,
  ReadinessChecks,
  RUN_MODES,
  type RunMode,
} from '@crm/platform';
import { ProjectionRuntime } from '@crm/projections/runtime';
import { READ_STORE } from '@crm/read-store';
import { KafkaProjectorService, KafkaRelayService } from '@crm/transport-kafka';
import { WebhookAdmin, WebhookDelivery } from '@crm/webhooks';
import { AutomationsAdmin, AutomationsSupervisor } from '@crm/automations';
import { AppModule } from '../src/app.module';
import { isWorkerMode, WorkerModule } from '../src/worker.module';
import { WorkerProbes } from '../src/worker-probes';

/**
 * Every RUN_MODE × transport × read store builds its real module graph, and
 * every provider in it resolves, with no Kafka broker and no MongoDB server:
 * both point at a closed port. Construction must never need a server (the
 * engines connect on first use; the Kafka workers start in the background),
 * so a provider missing from a mode's imports fails here rather than when
 * the process boots in production.
 */
const CLOSED = '127.0.0.1:1';
const TRANSPORTS = { direct: {}, kafka: { KAFKA_BROKERS: CLOSED } } as const;
const READ_STORES = { sqlite: {}, mongodb: { MONGODB_URL: `mongodb://${CLOSED}/` } } as const;

type Transport = keyof typeof TRANSPORTS;
type Part = Type<unknown>;

/** The module main.ts boots for the mode: the HTTP app for `all` and `api`, the worker otherwise. */
function rootModule(env: Record<string, string>): DynamicModule {
  const config = loadConfig(env);
  return isWorkerMode(config) ? WorkerModule.forConfig(config, env) : AppModule.forConfig(config, env);
}

/** What each mode must run besides the engines (and what it must not). */
function partsOf(mode: RunMode, transport: Transport): { runs: Part[]; lacks: Part[] } {
  const all: Part[] = [
    KafkaRelayService,
    KafkaProjectorService,
    ProjectionRuntime,
    WorkerProbes,
    WebhookDelivery,
    WebhookAdmin,
    AutomationsAdmin,
    AutomationsSupervisor,
  ];
  const probes = mode === 'all' || mode === 'api' ? [] : [WorkerProbes];
  // Webhooks are administered by the API and delivered by `all` and `webhooks`, whatever the transport.
  const webhooks: Record<RunMode, Part[]> = {
    all: [WebhookAdmin, WebhookDelivery],
    api: [WebhookAdmin],
    relay: [],
    projector: [],
    webhooks: [WebhookAdmin, WebhookDelivery],
    automations: [],
  };
  // The automations are administered by the API and run by `all` and `automations`, whatever the transport.
  const automations: Record<RunMode, Part[]> = {
    all: [AutomationsAdmin, AutomationsSupervisor],
    api: [AutomationsAdmin],
    relay: [],
    projector: [],
    webhooks: [],
    automations: [AutomationsAdmin, AutomationsSupervisor],
  };
  const direct: Record<RunMode, Part[]> = {
    all: [ProjectionRuntime],
    api: [ProjectionRuntime],
    relay: [],
    projector: [ProjectionRuntime],
    webhooks: [],
    automations: [],
  };
  // With Kafka the API process still has the runtime (its reads follow the read store), and so
  // has the projector (the consumers feed its projections); the relay projects nothing.
  const kafka: Record<RunMode, Part[]> = {
    all: [KafkaRelayService, KafkaProjectorService, ProjectionRuntime],
    api: [ProjectionRuntime],
    relay: [KafkaRelayService],
    projector: [KafkaProjectorService, ProjectionRuntime],
    webhooks: [],
    automations: [],
  };
  const runs = [
    ...(transport === 'direct' ? direct : kafka)[mode],
    ...webhooks[mode],
    ...automations[mode],
    ...probes,
  ];
  return { runs, lacks: all.filter((part) => !runs.includes(part)) };
}

describe('run modes: every module graph resolves without a broker or a database server', () => {
  let dataDir: string;
  let built: TestingModule | null = null;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'crm-wiring-'));
  });

  afterEach(async () => {
    await built?.close();
    built = null;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const cases = RUN_MODES.flatMap((mode) =>
    (Object.keys(TRANSPORTS) as Transport[]).flatMap((transport) =>
      (Object.keys(READ_STORES) as (keyof typeof READ_STORES)[]).map((readStore) => ({
        mode,
        transport,
        readStore,
      })),
    ),
  );

  it.each(cases.filter((c) => !(c.mode === 'relay' && c.transport === 'direct')))(
    'RUN_MODE=$mode, $transport transport, $readStore read store: every provider resolves',
    async ({ mode, transport, readStore }) => {
      const env = {
        DATA_DIR: dataDir,
        RUN_MODE: mode,
        LOG_LEVEL: 'error',
        ...TRANSPORTS[transport],
        ...READ_STORES[readStore],
      };

      built = await Test.createTestingModule({ imports: [rootModule(env)] }).compile();

      for (const token of [APP_CONFIG, EVENT_STORE, RAW_EVENT_STORE, READ_STORE, Metrics, ReadinessChecks]) {
        expect(built.get(token, { strict: false })).toBeDefined();
      }
      const { runs, lacks } = partsOf(mode, transport);
      for (const part of runs) expect(built.get(part, { strict: false })).toBeInstanceOf(part);
      for (const part of lacks) {
        expect(() => {
          built?.get(part, { strict: false });
        }).toThrow();
      }
    },
  );

  it.each(Object.keys(READ_STORES) as (keyof typeof READ_STORES)[])(
    'RUN_MODE=relay without Kafka is refused at boot as a configuration error (%s read store)',
    (readStore) => {
      const env = { DATA_DIR: dataDir, RUN_MODE: 'relay', ...READ_STORES[readStore] };

      expect(() => loadConfig(env)).toThrow(ConfigError);
    },
  );
});
