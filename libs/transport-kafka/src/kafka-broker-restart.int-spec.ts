import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customerStreamId } from '@crm/domain';
import { SqliteEventStore } from '@crm/event-store';
import { type ReadStore, SqliteReadStore } from '@crm/read-store';
import { fixtureEvents } from '../../projections/src/testing/crm-fixture';
import { dumpCollections } from '../../projections/src/testing/read-model-digest';
import {
  brokerScript,
  embeddedRebuild,
  PROJECTED_COLLECTIONS,
  startTransport,
  testKafka,
  testKafkaConfig,
  waitUntil,
} from './testing/kafka-int';

const METADATA = { correlationId: 'restart', causationId: null, actor: 'test', source: 'test' };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Appends the fixture again and again, each round under fresh customer ids
 * and event ids, a few milliseconds apart, until stopped: a live log.
 */
function appendForever(events: SqliteEventStore): { appended: () => number; stop: () => Promise<void> } {
  let count = 0;
  let stopping = false;
  const done = (async () => {
    for (let round = 0; !stopping; round++) {
      for (const line of fixtureEvents()) {
        if (stopping) break;
        const customerId = `${line.customerId}-r${round}`;
        const data = line.type === 'CustomerRegistered' ? { ...line.data, customerId } : line.data;
        await events.append(customerStreamId(customerId), [
          {
            eventId: randomUUID(),
            type: line.type,
            version: 1,
            occurredAt: line.occurredAt,
            data,
            metadata: METADATA,
          },
        ]);
        count++;
        await sleep(3);
      }
    }
  })();
  return {
    appended: () => count,
    stop: async () => {
      stopping = true;
      await done;
    },
  };
}

describe('the Kafka transport across a broker restart', () => {
  let dir: string;
  let events: SqliteEventStore;
  let store: ReadStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-kafka-restart-'));
    events = await SqliteEventStore.open({ file: join(dir, 'events.sqlite') });
    // The embedded read store as the target here: this test is about the transport across an
    // outage, with thousands of events; FerretDB applies writes one statement at a time
    // (10-20 ms each on these machines), too slow for that volume. The fixture and
    // dead-letter suites run the same consumers against MongoDB.
    store = await SqliteReadStore.open({ file: join(dir, 'via-kafka.sqlite') });
  });
  afterAll(async () => {
    // Whatever happened, leave a broker running for the other suites.
    await brokerScript('start');
    await Promise.all([store.close(), events.close()]);
    rmSync(dir, { recursive: true, force: true });
  }, 200_000);

  it('loses no event and counts none twice while the broker stops and starts mid-stream', async () => {
    const config = testKafkaConfig('restart');
    const transport = await startTransport(testKafka(config), events, store, config, { workers: 2 });
    let checkpointInOutage = 0;
    let headInOutage = 0;
    const appender = appendForever(events);
    try {
      // Flowing end to end before the outage.
      await waitUntil(() => transport.relay.status().checkpoint > 200, 60_000, 'the relay to publish');
      await waitUntil(async () => (await store.count('journeys')) > 5, 60_000, 'the consumers to apply');

      await brokerScript('stop');
      const atStop = appender.appended();
      // The log keeps growing while the broker is away.
      await waitUntil(() => appender.appended() > atStop + 200, 60_000, 'appends during the outage');
      // The outage is real: with no broker, the events appended meanwhile cannot have been published.
      checkpointInOutage = transport.relay.status().checkpoint;
      headInOutage = await events.headPosition();
      await brokerScript('start');
      const atStart = appender.appended();
      await waitUntil(() => appender.appended() > atStart + 200, 60_000, 'appends after the restart');
    } finally {
      await appender.stop();
    }

    await transport.delivered(180_000);
    // Publishing stopped during the outage and resumed after it.
    expect(checkpointInOutage).toBeLessThan(headInOutage);
    await transport.stop();

    const head = await events.headPosition();
    expect(head).toBe(appender.appended());
    expect(transport.relay.status().checkpoint).toBe(head);
    const embedded = await embeddedRebuild(events, dir);
    const viaKafka = await dumpCollections(store, PROJECTED_COLLECTIONS);
    const reference = await dumpCollections(embedded, PROJECTED_COLLECTIONS);
    expect(viaKafka['kpi_facts']).toEqual(reference['kpi_facts']);
    expect(viaKafka).toEqual(reference);
    expect(await store.count('journeys')).toBe(await embedded.count('journeys'));
    expect(await store.count('dead_letters')).toBe(0);
    await embedded.close();
  }, 400_000);
});
