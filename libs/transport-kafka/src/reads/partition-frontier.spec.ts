import { partitionOf } from '../broker/partitioner';
import { type LoggedEvent, PartitionFrontier } from './partition-frontier';

const PARTITIONS = 3;

/** Customer ids by partition (of three), found once. */
const customersIn: string[][] = [[], [], []];
for (let i = 0; customersIn.some((ids) => ids.length < 3); i++) {
  const id = `c-${i}`;
  const ids = customersIn[partitionOf(id, PARTITIONS)];
  if (ids && ids.length < 3) ids.push(id);
}
const [a, b, c] = customersIn.map((ids) => ids[0] ?? '');

function log(...entries: [customerId: string, position: number][]): LoggedEvent[] {
  return entries.map(([customerId, position]) => ({ customerId, position, recordedAtMs: position * 1000 }));
}

const applied = (...positions: number[]) => new Map(positions.map((p, k) => [k, p] as const));

describe('PartitionFrontier: how far each partition is applied without gaps', () => {
  // The log: a@1 b@2 c@3 a@4 b@5 a@6 c@7 b@8, partitions 0, 1, 2 holding a, b, c.
  const events = log([a!, 1], [b!, 2], [c!, 3], [a!, 4], [b!, 5], [a!, 6], [c!, 7], [b!, 8]);

  it('covers a partition up to just before its first event not applied, not just up to its applied one', () => {
    // Partition 0 applied a@4 (not a@6); 1 applied b@5 (not b@8); 2 applied c@3 (not c@7).
    const frontier = PartitionFrontier.start({
      relay: { position: 8, published: [6, 8, 7] },
      applied: applied(4, 5, 3),
    });
    expect(frontier.readPosition).toBe(3);
    frontier.read(
      events.filter((e) => e.position > 3),
      8,
    );

    expect(frontier.covered(0)).toBe(5);
    expect(frontier.covered(1)).toBe(7);
    expect(frontier.covered(2)).toBe(6);
    expect(frontier.coveredEverywhere()).toBe(5);
    expect(frontier.states().map((s) => [s.pending, s.oldestPendingMs])).toEqual([
      [1, 6000],
      [1, 8000],
      [1, 7000],
    ]);
  });

  it('covers a partition whose last published event is applied up to the relay, without reading the log', () => {
    const frontier = PartitionFrontier.start({
      relay: { position: 8, published: [6, 8, 7] },
      applied: applied(6, 8, 7),
    });

    expect(frontier.readPosition).toBe(8);
    expect([0, 1, 2].map((k) => frontier.covered(k))).toEqual([8, 8, 8]);
  });

  it('moves on as the consumers apply, and as the log grows', () => {
    const frontier = PartitionFrontier.start({
      relay: { position: 8, published: [6, 8, 7] },
      applied: applied(4, 5, 3),
    });
    frontier.read(
      events.filter((e) => e.position > 3),
      8,
    );

    frontier.progress(applied(6, 5, 7));
    expect([0, 1, 2].map((k) => frontier.covered(k))).toEqual([8, 7, 8]);

    frontier.read(log([c!, 9], [a!, 12]), 12);
    expect([0, 1, 2].map((k) => frontier.covered(k))).toEqual([11, 7, 8]);
    expect(frontier.pendingEvents).toBe(3);

    frontier.progress(applied(12, 8, 9));
    expect(frontier.coveredEverywhere()).toBe(12);
    expect(frontier.pendingEvents).toBe(0);
  });

  it('knows nothing of a partition beyond its applied position before the log is read', () => {
    const frontier = PartitionFrontier.start({
      relay: { position: 8, published: [6, 8, 7] },
      applied: applied(4, 8, 7),
    });

    expect(frontier.covered(0)).toBe(4);
    expect(frontier.covered(1)).toBe(8);
  });

  it('takes the partition of a customer from the same function as the relay', () => {
    const frontier = PartitionFrontier.start({
      relay: { position: 0, published: [0, 0, 0] },
      applied: new Map(),
    });
    for (const id of customersIn.flat()) expect(frontier.partitionOf(id)).toBe(partitionOf(id, PARTITIONS));
  });
});
