import { SqliteEventStore } from '@crm/event-store';
import { Slicer } from '@crm/platform/slicing';
import { loadFixture } from '../../../projections/src/testing/crm-fixture';
import type { EventFilter } from './event-filter';
import { scanEventLog } from './event-log.scan';

async function positionsOf(scan: AsyncIterable<readonly { position: number }[]>): Promise<number[]> {
  const positions: number[] = [];
  for await (const page of scan) positions.push(...page.map((event) => event.position));
  return positions;
}

/** The hand-checked fixture's log (370 events), scanned 50 events a page. */
describe('scanEventLog', () => {
  let events: SqliteEventStore;

  beforeAll(async () => {
    events = await SqliteEventStore.open({ file: ':memory:' });
    await loadFixture(events);
  });
  afterAll(() => events.close());

  it('keeps the same events whether it yields at every page or never', async () => {
    const filter: EventFilter = { occurredFrom: '2025-06-01T00:00:00.000Z' };
    const sliced = scanEventLog(events, filter, { pageSize: 50, slicer: new Slicer({ sliceMs: 0 }) });
    const whole = scanEventLog(events, filter, { pageSize: 50, slicer: new Slicer({ sliceMs: 1e9 }) });

    const kept = await positionsOf(sliced);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).toEqual(await positionsOf(whole));
  });

  it('lets what waits on the event loop run while a filter keeps nothing of a long log', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('next turn'));

    const scan = scanEventLog(
      events,
      { occurredFrom: '2100-01-01T00:00:00.000Z' },
      { pageSize: 50, slicer: new Slicer({ sliceMs: 0 }) },
    );
    const kept = await positionsOf(scan);
    order.push('scan done');

    expect(kept).toEqual([]);
    expect(order).toEqual(['next turn', 'scan done']);
  });
});
