import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@crm/event-store';
import {
  CustomerSegments,
  JourneyQueries,
  KpiQueries,
  ScoresQueries,
  CUSTOMER_PROJECTIONS,
} from '@crm/projections';
import { MAX_LIMIT, type ReadStore } from '@crm/read-store';
import { fixtureEvents, fixtureExpected, loadFixture } from '../../projections/src/testing/crm-fixture';
import { dumpCollections } from '../../projections/src/testing/read-model-digest';
import { FIXTURE_MERGE, recordMerge } from '../../projections/src/merge/testing/record-merge';
import { kafkaCheckpointName } from './kafka-projection-consumer';
import { relayCheckpointName } from './kafka-relay';
import {
  embeddedRebuild,
  openTargetReadStore,
  PROJECTED_COLLECTIONS,
  type RunningTransport,
  startTransport,
  testKafka,
  testKafkaConfig,
} from './testing/kafka-int';

const AS_OF = '2026-01-01T00:00:00.000Z';
type Period = { readonly period: string; readonly from: string; readonly to: string };
const periods = fixtureExpected<{ kpis: readonly Period[] }>().kpis;
/** The fixture's customers but the one merged (FIXTURE_MERGE): it has no read model of its own. */
const customers = [...new Set(fixtureEvents().map((line) => line.customerId))]
  .filter((id) => id !== FIXTURE_MERGE.mergedId)
  .sort();

describe('the hand-checked fixture through SQLite → relay → Kafka → consumers → read store', () => {
  const config = testKafkaConfig('fixture');
  let dir: string;
  let events: SqliteEventStore;
  let viaKafka: ReadStore;
  let embedded: ReadStore;
  let transport: RunningTransport;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-kafka-fixture-'));
    events = await SqliteEventStore.open({ file: join(dir, 'events.sqlite') });
    viaKafka = await openTargetReadStore(dir, 'via-kafka');
    await loadFixture(events);
    await recordMerge(events, FIXTURE_MERGE);
    transport = await startTransport(testKafka(config), events, viaKafka, config, { workers: 2 });
    await transport.delivered(90_000);
    embedded = await embeddedRebuild(events, dir);
  }, 150_000);

  afterAll(async () => {
    await transport?.stop();
    await Promise.all([viaKafka?.close(), embedded?.close(), events?.close()]);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('builds the same documents as the embedded runner, collection by collection', async () => {
    expect(await dumpCollections(viaKafka, PROJECTED_COLLECTIONS)).toEqual(
      await dumpCollections(embedded, PROJECTED_COLLECTIONS),
    );
    expect(await viaKafka.count('journeys')).toBe(customers.length);
    expect(await viaKafka.count('dead_letters')).toBe(0);
    // Whichever partitions the two sides landed on: the merged customer is gone, the survivor holds both histories.
    expect(await viaKafka.get('journeys', FIXTURE_MERGE.mergedId)).toBeNull();
    expect(await new JourneyQueries(viaKafka, events).get(FIXTURE_MERGE.survivorId, { asOf: AS_OF })).toEqual(
      await new JourneyQueries(embedded, events).get(FIXTURE_MERGE.survivorId, { asOf: AS_OF }),
    );
  });

  it('answers every journey with the embedded results', async () => {
    const [kafkaSide, embeddedSide] = [
      new JourneyQueries(viaKafka, events),
      new JourneyQueries(embedded, events),
    ];
    for (const id of customers) {
      const view = await kafkaSide.get(id, { asOf: AS_OF, limit: MAX_LIMIT });
      expect(view).not.toBeNull();
      expect(view).toEqual(await embeddedSide.get(id, { asOf: AS_OF, limit: MAX_LIMIT }));
    }
  });

  it('answers every IDIC score and segment with the embedded results', async () => {
    const [kafkaSide, embeddedSide] = [new ScoresQueries(viaKafka), new ScoresQueries(embedded)];
    for (const id of customers) {
      const view = await kafkaSide.get(id, AS_OF);
      expect(view).not.toBeNull();
      expect(view).toEqual(await embeddedSide.get(id, AS_OF));
    }
    const list = (store: ReadStore) => new CustomerSegments(store).list({ asOf: AS_OF, limit: MAX_LIMIT });
    expect(await list(viaKafka)).toEqual(await list(embedded));
  });

  it.each(periods.map((p) => [p.period, p] as const))(
    '%s: every KPI equals the embedded one',
    async (_, p) => {
      const report = await new KpiQueries(viaKafka).get({ from: p.from, to: p.to });
      expect(report.total.valueCreation).toBeDefined();
      expect(report).toEqual(await new KpiQueries(embedded).get({ from: p.from, to: p.to }));
    },
  );

  it('keeps the relay checkpoint at the head and a checkpoint per projection and partition', async () => {
    const head = await events.headPosition();
    expect(await viaKafka.checkpoint(relayCheckpointName(config.topic))).toBe(head);
    for (const projection of CUSTOMER_PROJECTIONS) {
      const checkpoints = await Promise.all(
        [0, 1, 2].map((p) => viaKafka.checkpoint(kafkaCheckpointName(projection.name, config.topic, p))),
      );
      // The highest position applied anywhere is the head; partitions hold disjoint customers.
      expect(Math.max(...checkpoints)).toBe(head);
      expect(checkpoints.filter((c) => c > 0).length).toBeGreaterThan(1);
    }
  });
});
