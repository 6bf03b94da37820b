import { randomUUID } from 'node:crypto';
import { customerStreamId } from '@crm/domain';
import { SqliteEventStore } from '@crm/event-store';
import { SqliteReadStore } from '@crm/read-store';
import { partitionOf } from '../broker/partitioner';
import { KAFKA_PROGRESS_SPEC, partitionProgress, relayProgress } from '../kafka-progress';
import { KafkaReadPositions } from './kafka-read-positions';

const TOPIC = 'crm.events';
const PARTITIONS = 2;

function customerIn(partition: number): string {
  for (;;) {
    const id = `c-${randomUUID()}`;
    if (partitionOf(id, PARTITIONS) === partition) return id;
  }
}

const event = () => ({
  eventId: randomUUID(),
  type: 'CallLogged',
  version: 1,
  occurredAt: '2025-01-01T00:00:00.000Z',
  data: { direction: 'inbound', durationSeconds: 1, outcome: 'connected' },
  metadata: {},
});

describe('KafkaReadPositions: what the relay and the consumers committed, read by a process that sees neither', () => {
  let events: SqliteEventStore;
  let store: SqliteReadStore;
  let positions: KafkaReadPositions;

  beforeEach(async () => {
    events = await SqliteEventStore.open({ file: ':memory:' });
    store = await SqliteReadStore.open({ file: ':memory:' });
    positions = new KafkaReadPositions(store, events, { topic: TOPIC });
  });
  afterEach(async () => {
    await positions.stop();
    await Promise.all([events.close(), store.close()]);
  });

  async function append(customerId: string): Promise<number> {
    return (await events.append(customerStreamId(customerId), [event()])).position;
  }

  async function commit(
    unit: string,
    position: number,
    write: ReturnType<typeof partitionProgress>,
  ): Promise<void> {
    await store.commit({ projection: unit, position, writes: [write] });
  }

  it('knows nothing, and lets nobody through, before the relay has published', async () => {
    await append(customerIn(0));
    await positions.poll();

    expect(positions.position('population')).toBe(0);
    expect(positions.partitions()).toEqual([]);
    expect(await positions.waitFor(1, 'population', 50)).toBe(false);
  });

  it('lets a read through once its partition has applied the write, and a population read once all have', async () => {
    await store.ensureCollections([KAFKA_PROGRESS_SPEC]);
    const [a, b] = [customerIn(0), customerIn(1)];
    const a1 = await append(a);
    const b1 = await append(b);
    const a2 = await append(a);
    await commit('relay', a2, relayProgress(TOPIC, a2, [a2, b1]));
    // Partition 0 applied a1 only; partition 1 applied b1, its last.
    await commit('p0', a1, partitionProgress(TOPIC, 0, a1));
    await commit('p1', b1, partitionProgress(TOPIC, 1, b1));
    await positions.poll();

    expect(positions.position({ customerId: b })).toBe(a2);
    expect(positions.position({ customerId: a })).toBe(a2 - 1);
    expect(await positions.waitFor(a2, { customerId: b }, 10)).toBe(true);
    expect(await positions.waitFor(a2, { customerId: a }, 10)).toBe(false);
    expect(await positions.waitFor(a2, 'population', 10)).toBe(false);
    expect(positions.partitions().map((p) => [p.partition, p.events])).toEqual([
      [0, 1],
      [1, 0],
    ]);

    positions.start();
    const waiting = positions.waitFor(a2, 'population', 5000);
    await commit('p0', a2, partitionProgress(TOPIC, 0, a2));
    expect(await waiting).toBe(true);
    expect(positions.partitions().map((p) => p.events)).toEqual([0, 0]);
  });
});
