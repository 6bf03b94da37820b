import { createEventFactory } from '@crm/domain/testing';
import { InvalidQueryError, MAX_LIMIT, type ReadStore, type StoredDocument } from '@crm/read-store';
import type { IdicDocument } from '../idic/idic.document';
import { rankAmong, valueTier, type ValueTier } from '../idic/idic.scores';
import type { JourneyDocument, JourneyStage } from '../journey/journey.document';
import { IDIC_COLLECTION, JOURNEY_COLLECTION } from '../runner/customer-projections';
import { IDIC_RANKS_COLLECTION } from '../idic/ranks/rank-counters';
import { CustomerSegments, type SegmentMember, type SegmentQuery } from './customer-segments';
import {
  eventsOf,
  type LoggedEvent,
  projectedReadModels,
  type ProjectedReadModels,
} from './testing/projected-read-models';
import { VALUE_TIERS } from './value-tier-bounds';

const AS_OF = '2025-01-01T00:00:00.000Z';
const at = (occurredAt: string) => ({ occurredAt });

/**
 * Net revenues with ties just below each tier bound: 14 purchasers (one
 * fully refunded below), so mvc needs L ≥ 12 and core L ≥ 5. The four at
 * 300 (L 3) are all low and the three at 700 (L 10) all core.
 */
const PURCHASES: Readonly<Record<string, readonly number[]>> = {
  p01: [100],
  p02: [200],
  p03: [150, 150],
  p04: [300],
  p05: [300],
  p06: [300],
  p07: [400],
  p08: [250, 250],
  p09: [600],
  p10: [700],
  p11: [300, 400],
  p12: [700],
  p13: [900],
  refunded: [500],
};

function customerLog(id: string, index: number): LoggedEvent[] {
  const f = createEventFactory({ customerId: id, seed: index + 1 });
  const day = (n: number) =>
    `2024-${String(1 + (index % 12)).padStart(2, '0')}-${String(n).padStart(2, '0')}T10:00:00Z`;
  const amounts = PURCHASES[id] ?? [];
  return eventsOf(
    f,
    f.customerRegistered({ kind: index % 2 ? 'company' : 'person', segment: 'smb' }, at(day(1))),
    ...(index % 3 === 0 ? [f.meetingHeld({}, at(day(2)))] : []),
    ...amounts.map((amount, n) => f.purchaseCompleted({ orderId: `${id}-${n}`, amount }, at(day(3 + n)))),
  );
}

describe('CustomerSegments', () => {
  const ids = [...Object.keys(PURCHASES), 'refunded', 'prospect-1', 'prospect-2'];
  let models: ProjectedReadModels;
  let segments: CustomerSegments;
  /** The reference: tier by valueTier with L counted in memory, stage from the journey. */
  let expected: Map<string, { tier: ValueTier; stage: JourneyStage; netRevenue: number }>;

  beforeAll(async () => {
    const refund = createEventFactory({ customerId: 'refunded', seed: 99 });
    models = await projectedReadModels([
      ...ids.flatMap(customerLog),
      ...eventsOf(
        refund,
        refund.purchaseRefunded({ orderId: 'refunded-0', amount: 500 }, at('2024-12-01T00:00:00Z')),
      ),
    ]);
    segments = new CustomerSegments(models.store);
    expected = await reference();
  });
  afterAll(() => models.close());

  async function reference() {
    const idic = (
      await models.store.find<IdicDocument & StoredDocument>(IDIC_COLLECTION, { limit: MAX_LIMIT })
    ).items;
    const purchasers = idic.filter((doc) => doc.orders >= 1);
    const journeys = await models.store.find<JourneyDocument & StoredDocument>(JOURNEY_COLLECTION, {
      limit: MAX_LIMIT,
    });
    const stages = new Map(journeys.items.map((doc) => [doc.id, doc.stage]));
    return new Map(
      idic.map((doc) => {
        const lower = rankAmong(
          purchasers.map((p) => p.netRevenue),
          doc.netRevenue,
        );
        const tier = valueTier(doc, Math.min(lower, purchasers.length - 1), purchasers.length);
        return [doc.id, { tier, stage: stages.get(doc.id) ?? 'reach', netRevenue: doc.netRevenue }];
      }),
    );
  }

  async function everyPage(query: SegmentQuery): Promise<SegmentMember[]> {
    const items: SegmentMember[] = [];
    let cursor: string | undefined;
    do {
      const page = await segments.list({ ...query, cursor });
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return items;
  }

  it.each(VALUE_TIERS)('lists exactly the customers in tier %s', async (tier) => {
    const page = await segments.list({ valueTier: tier, asOf: AS_OF, limit: MAX_LIMIT });
    const wanted = [...expected].filter(([, value]) => value.tier === tier).map(([id]) => id);
    expect(page.items.map((item) => item.customerId)).toEqual(wanted.sort());
    expect(page.nextCursor).toBeNull();
  });

  it('pages every tier in every sort order, whichever index serves the sort', async () => {
    const sorts = ['customerId', '-netRevenue', 'orders', '-lastPurchaseAt', 'registeredAt'] as const;
    for (const tier of VALUE_TIERS) {
      const wanted = [...expected].filter(([, value]) => value.tier === tier).map(([id]) => id);
      for (const sort of sorts) {
        const items = await everyPage({ valueTier: tier, sort, asOf: AS_OF, limit: 2 });
        const all = await everyPage({ sort, asOf: AS_OF, limit: MAX_LIMIT });
        const inOrder = all.map((item) => item.customerId).filter((id) => wanted.includes(id));
        expect({ tier, sort, ids: items.map((item) => item.customerId) }).toEqual({
          tier,
          sort,
          ids: inOrder,
        });
      }
    }
  });

  it('has the tiers worked out by hand, ties kept together below each bound', () => {
    const byTier = (tier: ValueTier) => [...expected].filter(([, v]) => v.tier === tier).map(([id]) => id);
    expect(byTier('low')).toEqual(['p01', 'p02', 'p03', 'p04', 'p05', 'p06']);
    expect(byTier('core')).toEqual(['p07', 'p08', 'p09', 'p10', 'p11', 'p12']);
    expect(byTier('mvc')).toEqual(['p13']);
    expect(byTier('below_zero')).toEqual(['refunded']);
    expect(byTier('prospect')).toEqual(['prospect-1', 'prospect-2']);
  });

  it('labels every member with the tier the scores query would give', async () => {
    const all = await everyPage({ asOf: AS_OF, limit: 4 });
    expect(all.map((item) => [item.customerId, item.valueTier])).toEqual(
      [...expected].map(([id, value]) => [id, value.tier]).sort(),
    );
  });

  it('sorts by netRevenue descending across pages, ties by customerId descending', async () => {
    const items = await everyPage({ sort: '-netRevenue', asOf: AS_OF, limit: 3 });
    const wanted = [...expected]
      .sort(([a, x], [b, y]) => y.netRevenue - x.netRevenue || (a < b ? 1 : -1))
      .map(([id]) => id);
    expect(items.map((item) => item.customerId)).toEqual(wanted);
  });

  it('filters by stage on the journeys, sorted by registration', async () => {
    const items = await everyPage({ stage: 'retention', sort: 'registeredAt', asOf: AS_OF, limit: 2 });
    const registered = items.map((item) => item.registeredAt);
    expect(registered).toEqual([...registered].sort());
    expect(items.map((item) => item.customerId).sort()).toEqual(
      [...expected].filter(([, value]) => value.stage === 'retention').map(([id]) => id),
    );
  });

  it.each([
    ['conversion', 'core'],
    ['acquisition', 'prospect'],
    ['retention', 'low'],
    ['retention', 'core'],
  ] as const)(
    'combines stage %s and tier %s: every match exactly once over short pages',
    async (stage, tier) => {
      const items = await everyPage({ stage, valueTier: tier, asOf: AS_OF, limit: 1 });
      const wanted = [...expected].filter(([, v]) => v.stage === stage && v.tier === tier).map(([id]) => id);
      expect(items.map((item) => item.customerId)).toEqual(wanted);
      expect(wanted.length).toBeGreaterThan(0);
    },
  );

  it('filters by tier while paging the journeys by registration', async () => {
    const items = await everyPage({ valueTier: 'low', sort: '-registeredAt', asOf: AS_OF, limit: 2 });
    const registered = items.map((item) => item.registeredAt);
    expect(registered).toEqual([...registered].sort().reverse());
    expect(items.map((item) => item.customerId).sort()).toEqual(['p01', 'p02', 'p03', 'p04', 'p05', 'p06']);
  });

  it('gives the status at asOf', async () => {
    const [member] = (await segments.list({ asOf: '2026-01-01T00:00:00Z', valueTier: 'mvc', limit: 1 }))
      .items;
    expect(member?.status).toBe('lapsed');
  });

  it('reads the tier bounds once per position, sharing them between the calls made at it', async () => {
    let position = 10;
    const boundReads: string[][] = [];
    const counting: ReadStore = Object.create(models.store) as ReadStore;
    counting.getCounters = (collection, ids) => {
      if (collection === IDIC_RANKS_COLLECTION) boundReads.push([...ids]);
      return models.store.getCounters(collection, ids);
    };
    const cached = new CustomerSegments(counting, { position: () => position });
    const uncached = await segments.list({ valueTier: 'core', asOf: AS_OF, limit: MAX_LIMIT });

    const together = await Promise.all([
      cached.list({ valueTier: 'core', asOf: AS_OF, limit: MAX_LIMIT }),
      cached.list({ valueTier: 'mvc', asOf: AS_OF, limit: MAX_LIMIT }),
    ]);
    const again = await cached.list({ valueTier: 'core', asOf: AS_OF, limit: MAX_LIMIT });
    const readsAtTen = boundReads.length;
    position = 11;
    const moved = await cached.list({ valueTier: 'core', asOf: AS_OF, limit: MAX_LIMIT });

    expect(together[0]).toEqual(uncached);
    expect(again).toEqual(uncached);
    expect(moved).toEqual(uncached);
    // One bounds read: the histogram ('M'), then the values of the buckets the bounds fall in.
    expect(boundReads[0]).toEqual(['M']);
    expect(readsAtTen).toBe(2);
    expect(boundReads.length).toBe(4);
  });

  it('keeps no tier bounds read while the position moved', async () => {
    let position = 1;
    let reads = 0;
    const counting: ReadStore = Object.create(models.store) as ReadStore;
    counting.getCounters = async (collection, ids) => {
      if (collection === IDIC_RANKS_COLLECTION && ids[0] === 'M') {
        reads++;
        position++;
      }
      return models.store.getCounters(collection, ids);
    };
    const cached = new CustomerSegments(counting, { position: () => position });
    await cached.list({ valueTier: 'mvc', asOf: AS_OF });
    await cached.list({ valueTier: 'mvc', asOf: AS_OF });
    expect(reads).toBe(2);
  });

  it('rejects an unknown tier, stage or sort and a page size out of range', async () => {
    await expect(segments.list({ valueTier: 'vip' as ValueTier })).rejects.toThrow(InvalidQueryError);
    await expect(segments.list({ stage: 'advocacy' as JourneyStage })).rejects.toThrow(InvalidQueryError);
    await expect(segments.list({ sort: 'name' as SegmentQuery['sort'] })).rejects.toThrow(InvalidQueryError);
    await expect(segments.list({ limit: MAX_LIMIT + 1 })).rejects.toThrow(InvalidQueryError);
  });
});
