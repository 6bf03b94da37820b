import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EventStore } from '@crm/event-store';
import { CUSTOMER_PROJECTIONS, DEAD_LETTER_COLLECTION, ProjectionRunner } from '@crm/projections';
import { SqliteReadStore, type ReadStore } from '@crm/read-store';
import { MongoReadStore } from '@crm/read-store/mongo';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { createKafkaClient } from '../broker/kafkajs/kafka-client';
import { kafkajsBroker } from '../broker/kafkajs/kafkajs-broker';
import { type KafkaTransportConfig, readKafkaConfig } from '../kafka-config';
import { consumerGroupLag } from '../kafka-lag';
import { KafkaProjectionConsumer, type KafkaProjectionConsumerOptions } from '../kafka-projection-consumer';
import { KafkaRelay } from '../kafka-relay';

export const ROOT = join(__dirname, '..', '..', '..', '..');

/** The projected collections: what "equal read models" means. */
export const PROJECTED_COLLECTIONS = CUSTOMER_PROJECTIONS.flatMap((p) => p.collections.map((c) => c.name));
export { DEAD_LETTER_COLLECTION };

/**
 * The transport settings for one test: the broker of the integration run,
 * a topic and group no other test uses. Fails (never skips) without a broker.
 */
export function testKafkaConfig(name: string): KafkaTransportConfig {
  if (!process.env['KAFKA_BROKERS']) {
    throw new Error(
      'KAFKA_BROKERS is not set: run the integration tests with `npm run test:integration`, ' +
        'or start a broker with infra/kafka/start.sh and export KAFKA_BROKERS=127.0.0.1:19092',
    );
  }
  const unique = `${name}-${randomUUID().slice(0, 8)}`;
  return readKafkaConfig({
    KAFKA_BROKERS: process.env['KAFKA_BROKERS'],
    KAFKA_TOPIC: `test.${unique}.events`,
    KAFKA_DLQ_TOPIC: `test.${unique}.dlq`,
    KAFKA_PARTITIONS: '3',
    KAFKA_GROUP_ID: `test-${unique}`,
    KAFKA_MAX_ATTEMPTS: '3',
    KAFKA_CLIENT_ID: `test-${name}`,
  });
}

export function testKafka(config: KafkaTransportConfig): Kafka {
  return createKafkaClient(config, { logLevel: 'nothing' });
}

/**
 * The read store the Kafka consumers write to: MongoDB (FerretDB in the
 * integration run) when MONGODB_URL is set, on a database of its own, so the
 * production path SQLite store → relay → Kafka → consumers → MongoDB is the
 * one tested; the embedded SQLite read store otherwise.
 */
export async function openTargetReadStore(dir: string, name: string): Promise<ReadStore> {
  const url = process.env['MONGODB_URL'];
  if (url) {
    const database = `kafka_${name.replace(/[^A-Za-z0-9_]/g, '_')}_${randomUUID().slice(0, 8)}`.slice(0, 63);
    return MongoReadStore.open({ url, database });
  }
  return SqliteReadStore.open({ file: join(dir, `${name}.sqlite`) });
}

/** The embedded reference: every projection run over the same log into a fresh store. */
export async function embeddedRebuild(events: EventStore, dir: string): Promise<SqliteReadStore> {
  const store = await SqliteReadStore.open({ file: join(dir, `embedded-${randomUUID()}.sqlite`) });
  await new ProjectionRunner(events, store, CUSTOMER_PROJECTIONS).catchUp();
  return store;
}

/** Polls `condition` until it holds; fails with `what` at the deadline. */
export async function waitUntil(
  condition: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const run = promisify(execFile);

/** Runs infra/kafka/<script>.sh (start or stop) for the broker of this run. */
export async function brokerScript(script: 'start' | 'stop'): Promise<void> {
  await run('bash', [join(ROOT, 'infra', 'kafka', `${script}.sh`)], { cwd: ROOT, timeout: 180_000 });
}

export type RunningTransport = {
  readonly relay: KafkaRelay;
  readonly consumers: readonly KafkaProjectionConsumer[];
  /** Errors the relay met and retried (a broker outage shows up here). */
  readonly relayErrors: unknown[];
  /** Resolves once every event of the log up to now is published and applied (offsets committed). */
  delivered(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
};

/** A relay and `workers` projection consumers of one group, all on one read store. */
export async function startTransport(
  kafka: Kafka,
  events: EventStore,
  store: ReadStore,
  config: KafkaTransportConfig,
  options: { readonly workers?: number; readonly consumer?: Partial<KafkaProjectionConsumerOptions> } = {},
): Promise<RunningTransport> {
  const backoff = { initialMs: 100, maxMs: 1000 };
  const broker = kafkajsBroker(kafka);
  const relayErrors: unknown[] = [];
  const relay = new KafkaRelay(broker, events, store, {
    ...config,
    batchSize: 100,
    backoff,
    onError: (error) => relayErrors.push(error),
  });
  const stopRelay = new AbortController();
  const relayDone = relay.run(stopRelay.signal);
  const consumers = Array.from(
    { length: options.workers ?? 1 },
    // As the product wires it: merges read their merged history from the log.
    () =>
      new KafkaProjectionConsumer(broker, store, {
        ...config,
        backoff,
        history: events,
        ...options.consumer,
      }),
  );
  for (const consumer of consumers) await consumer.start();
  return {
    relay,
    consumers,
    relayErrors,
    async delivered(timeoutMs) {
      const head = await events.headPosition();
      await waitUntil(
        async () => {
          if (relay.status().checkpoint < head) return false;
          try {
            return (await consumerGroupLag(broker, config.topic, config.groupId)).total === 0;
          } catch {
            return false; // the broker is not back yet
          }
        },
        timeoutMs,
        `the log up to ${head} to be published and applied`,
      );
    },
    async stop() {
      for (const consumer of consumers) await consumer.stop();
      stopRelay.abort();
      await relayDone;
    },
  };
}

/** Every message of a topic from the beginning, read by a throwaway group, once `count` have arrived. */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  count: number,
  timeoutMs: number,
): Promise<KafkaMessage[]> {
  const messages: KafkaMessage[] = [];
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        messages.push(message);
        return Promise.resolve();
      },
    });
    await waitUntil(() => messages.length >= count, timeoutMs, `${count} messages on ${topic}`);
    return messages;
  } finally {
    await consumer.disconnect();
  }
}
