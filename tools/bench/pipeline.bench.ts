import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { devKeyHeader } from '../support/built-api';
import { CrmClient } from '../system/crm-client';
import { ingestTouchpoints, registerCustomers } from '../system/ingest-load';
import { PipelineProbe } from '../system/pipeline-probe';
import { ProductionCluster, type ReadStoreChoice, type Shape } from '../system/production-cluster';
import { touchpointBody } from '../system/touchpoint-mix';
import { benchHttpIngest } from './http-ingest.bench';
import { createKafkaClient } from '@crm/transport-kafka';
import { offerAtRate, TopicArrivals, VisibilityWatch } from './pipeline-freshness';
import { round, summarise, type LatencySummary } from './stats';

export type PipelineSettings = {
  readonly kafkaBrokers: string;
  /** FerretDB (or MongoDB); null: the FerretDB runs are skipped. */
  readonly mongodbUrl: string | null;
  /** Touchpoints of a throughput run on the SQLite read store. */
  readonly events: number;
  /** Touchpoints of a throughput run on FerretDB (about 10 to 25 events/s). */
  readonly ferretdbEvents: number;
  readonly customers: number;
  readonly concurrency: number;
  readonly partitions: number;
  /** The offered rate of the freshness run, and for how long it is offered. */
  readonly rate: number;
  readonly seconds: number;
  readonly ferretdbSeconds: number;
  /** Every how many-th write of the freshness run is timed. */
  readonly sampleEvery: number;
  /** How long after the offered load a sampled write may take to show before it counts as not visible. */
  readonly visibleTimeoutMs: number;
  /** Fixed ports from here (unset: free ports). */
  readonly portBase?: number;
  /** KAFKA_CONSUMER_CONCURRENCY of the projectors (unset: the product's default). */
  readonly consumerConcurrency?: number;
};

export type ThroughputResult = {
  readonly projectors: number;
  readonly events: number;
  /** Touchpoints acknowledged per second by the API (the write path alone). */
  readonly ingestEventsPerSecond: number;
  /** From the first write sent to every write in the read models (relay checkpoint at the head, no group lag). */
  readonly endToEndEventsPerSecond: number;
  /** How long the read models took to catch up once the last write was acknowledged. */
  readonly drainAfterIngestMs: number;
  readonly refused: number;
};

export type PipelineFreshnessResult = LatencySummary & {
  readonly projectors: number;
  readonly offeredEventsPerSecond: number;
  readonly offeredSeconds: number;
  readonly sent: number;
  /** Writes that could not start on time (all connections busy): the offered rate was not kept. */
  readonly late: number;
  readonly achievedEventsPerSecond: number;
  readonly samples: number;
  /** Sampled writes not visible within visibleTimeoutMs after the load: the pipeline did not keep up. */
  readonly notVisible: number;
  /** The relay's part of it: from the acknowledgement to the event's arrival on the topic. */
  readonly toKafka: LatencySummary & { readonly samples: number };
  readonly refused: number;
};

export type PipelineReadStoreResult = {
  readonly throughput: ThroughputResult[];
  readonly freshness: PipelineFreshnessResult;
};

type Log = (line: string) => void;

/** One cluster: 1 api, 1 relay, `projectors` projectors, on `readStore`, in `dir`. */
async function withCluster<T>(
  dir: string,
  readStore: ReadStoreChoice,
  projectors: number,
  settings: PipelineSettings,
  body: (cluster: ProductionCluster, shape: Shape, clients: CrmClient[]) => Promise<T>,
): Promise<T> {
  const name = `bench-${randomUUID().slice(0, 8)}`;
  const cluster = new ProductionCluster({
    name,
    dataDir: join(dir, name, 'data'),
    logDir: join(dir, name, 'logs'),
    kafkaBrokers: settings.kafkaBrokers,
    readStore,
    partitions: settings.partitions,
    portBase: settings.portBase,
    env:
      settings.consumerConcurrency === undefined
        ? {}
        : { KAFKA_CONSUMER_CONCURRENCY: String(settings.consumerConcurrency) },
  });
  const clients: CrmClient[] = [];
  try {
    const shape = await cluster.startShape({ apis: 1, projectors });
    const auth = devKeyHeader(cluster.dataDir);
    clients.push(...shape.apis.map((api) => new CrmClient(api.url(''), auth, settings.concurrency + 8)));
    return await body(cluster, shape, clients);
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    await cluster.stopAll();
    await new PipelineProbe(settings.kafkaBrokers, cluster.topic, cluster.groupId).deleteTopics([
      cluster.topic,
      cluster.dlqTopic,
    ]);
  }
}

/** As fast as the API takes them: N touchpoints, then until the read models hold them all. */
async function throughput(
  cluster: ProductionCluster,
  shape: Shape,
  clients: CrmClient[],
  customers: readonly string[],
  events: number,
  projectors: number,
  settings: PipelineSettings,
): Promise<ThroughputResult> {
  const api = shape.apis[0];
  if (api === undefined) throw new Error('no api');
  const probe = new PipelineProbe(settings.kafkaBrokers, cluster.topic, cluster.groupId);
  const started = performance.now();
  const load = await ingestTouchpoints({
    clients,
    customers,
    count: events,
    concurrency: settings.concurrency,
  });
  const acknowledged = performance.now();
  await probe.drained(api, shape.relay, 30 * 60_000, 100);
  const visible = performance.now();
  return {
    projectors,
    events: load.acknowledged.length,
    ingestEventsPerSecond: round((load.acknowledged.length / load.elapsedMs) * 1000, 0),
    endToEndEventsPerSecond: round((load.acknowledged.length / (visible - started)) * 1000, 0),
    drainAfterIngestMs: Math.round(visible - acknowledged),
    refused: load.refused.length,
  };
}

/** At a fixed offered rate: how long after its acknowledgement a write shows in the read models. */
async function freshness(
  cluster: ProductionCluster,
  clients: CrmClient[],
  customers: readonly string[],
  projectors: number,
  seconds: number,
  firstIndex: number,
  settings: PipelineSettings,
): Promise<PipelineFreshnessResult> {
  const client = clients[0];
  if (client === undefined) throw new Error('no client');
  const store = await cluster.openReadStore();
  const kafka = createKafkaClient(
    { brokers: settings.kafkaBrokers.split(','), clientId: 'bench' },
    { logLevel: 'nothing' },
  );
  const arrivals = await TopicArrivals.start(kafka, cluster.topic);
  const watch = new VisibilityWatch(store);
  const sampled: { readonly eventId: string; readonly acknowledgedAt: number }[] = [];
  const total = settings.rate * seconds;
  let refused = 0;
  try {
    const { elapsedMs, late } = await offerAtRate(settings.rate, total, 256, async (offset) => {
      const index = firstIndex + offset;
      const customerIndex = index % customers.length;
      const customerId = customers[customerIndex] ?? '';
      const visit = Math.floor(index / customers.length);
      const ack = await client.record(customerId, touchpointBody(index, customerIndex, visit));
      const acknowledgedAt = performance.now();
      if (ack === null) refused++;
      else if (offset % settings.sampleEvery === 0) {
        watch.expect(customerId, ack.globalPosition, acknowledgedAt);
        sampled.push({ eventId: ack.eventId, acknowledgedAt });
      }
    });
    const notVisible = await watch.settle(settings.visibleTimeoutMs);
    const toKafka = sampled.flatMap(({ eventId, acknowledgedAt }) => {
      const arrived = arrivals.arrivedAt(eventId);
      return arrived === undefined ? [] : [Math.max(0, arrived - acknowledgedAt)];
    });
    return {
      projectors,
      offeredEventsPerSecond: settings.rate,
      offeredSeconds: seconds,
      sent: total,
      late,
      achievedEventsPerSecond: round((total / elapsedMs) * 1000, 0),
      samples: watch.latenciesMs.length,
      ...summarise(watch.latenciesMs),
      notVisible,
      toKafka: { samples: toKafka.length, ...summarise(toKafka) },
      refused,
    };
  } finally {
    await watch.settle(0);
    await arrivals.stop();
    await store.close();
  }
}

async function benchReadStore(
  dir: string,
  readStore: () => ReadStoreChoice,
  events: number,
  seconds: number,
  settings: PipelineSettings,
  log: Log,
): Promise<PipelineReadStoreResult> {
  const prepare = async (clients: CrmClient[], projectors: number): Promise<string[]> => {
    const customers = await registerCustomers(clients, 'bench', settings.customers, settings.concurrency);
    log(`pipeline: ${projectors} projector(s): ${events} touchpoints as fast as the API takes them`);
    return customers;
  };
  const one = await withCluster(dir, readStore(), 1, settings, async (cluster, shape, clients) => {
    const customers = await prepare(clients, 1);
    return throughput(cluster, shape, clients, customers, events, 1, settings);
  });
  log(`pipeline: ${JSON.stringify(one)}`);
  return withCluster(dir, readStore(), 2, settings, async (cluster, shape, clients) => {
    const customers = await prepare(clients, 2);
    const two = await throughput(cluster, shape, clients, customers, events, 2, settings);
    log(`pipeline: ${JSON.stringify(two)}`);
    log(`pipeline: freshness at ${settings.rate} events/s for ${seconds} s, 2 projectors`);
    const fresh = await freshness(cluster, clients, customers, 2, seconds, events, settings);
    log(`pipeline: ${JSON.stringify(fresh)}`);
    return { throughput: [one, two], freshness: fresh };
  });
}

/** The engine variables the built app reads: with any of them set, it is no longer the embedded default. */
const ENGINE_VARIABLES = ['KAFKA_BROKERS', 'MONGODB_URL', 'EVENTSTORE_URL'] as const;

/**
 * Runs `body` with the engine variables unset in this process's environment,
 * which startApi hands to the API it starts: the ceiling is the embedded
 * default, not an all-in-one process on this bench's Kafka and FerretDB.
 */
async function embeddedDefault<T>(body: () => Promise<T>): Promise<T> {
  const saved = ENGINE_VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const name of ENGINE_VARIABLES) delete process.env[name];
  try {
    return await body();
  } finally {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  }
}

async function dropDatabasesStartingWith(url: string, prefix: string): Promise<void> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 10_000 });
  try {
    const { databases } = await client.db().admin().listDatabases();
    for (const { name } of databases) if (name.startsWith(prefix)) await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}

/**
 * The production pipeline end to end (issue 14, item 6): the built app as
 * 1 api, 1 relay and 1 or 2 projector processes on a real Kafka broker,
 * with the SQLite read store (the figure is ours and Kafka's) and with
 * FerretDB for reference. Per read store: events/s from HTTP ingest to
 * visible in the read models with 1 and 2 projectors, then, with 2,
 * freshness at a fixed offered rate.
 */
export async function benchPipeline(
  dir: string,
  settings: PipelineSettings,
  log: Log,
): Promise<Record<string, unknown>> {
  const report: Record<string, unknown> = {
    shape: '1 api, 1 relay, 1 or 2 projectors (separate processes), one SQLite event store',
    partitions: settings.partitions,
    consumerConcurrency: settings.consumerConcurrency ?? 'default',
    sampleEvery: settings.sampleEvery,
  };
  log('pipeline: the ceiling, HTTP ingest alone in the embedded default (projections off)');
  report['ceiling'] = {
    httpIngestEmbedded: await embeddedDefault(() =>
      benchHttpIngest(join(dir, 'ceiling'), settings.events, settings.concurrency, settings.customers, log),
    ),
  };
  log('pipeline: SQLite read store');
  report['sqlite'] = await benchReadStore(
    join(dir, 'sqlite'),
    () => ({ kind: 'sqlite' }),
    settings.events,
    settings.seconds,
    settings,
    log,
  );
  const url = settings.mongodbUrl;
  if (url === null) {
    report['ferretdb'] = 'skipped: MONGODB_URL is not set';
    return report;
  }
  const prefix = `bench_pipeline_${randomUUID().slice(0, 8)}`;
  let databases = 0;
  log('pipeline: FerretDB read store');
  try {
    report['ferretdb'] = await benchReadStore(
      join(dir, 'ferretdb'),
      () => ({ kind: 'mongodb', url, database: `${prefix}_${databases++}` }),
      settings.ferretdbEvents,
      settings.ferretdbSeconds,
      settings,
      log,
    );
  } finally {
    await dropDatabasesStartingWith(url, prefix);
  }
  return report;
}
