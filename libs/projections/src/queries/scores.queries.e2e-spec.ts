import { createEventFactory, type EventFactory } from '@crm/domain/testing';
import { MAX_LIMIT, type StoredDocument } from '@crm/read-store';
import type { IdicDocument } from '../idic/idic.document';
import { rankAmong, recencyDays } from '../idic/idic.scores';
import type { IdicRanks } from '../idic/idic.view';
import { IDIC_COLLECTION } from '../runner/customer-projections';
import { ScoresQueries } from './scores.queries';
import {
  eventsOf,
  type LoggedEvent,
  projectedReadModels,
  type ProjectedReadModels,
} from './testing/projected-read-models';

const at = (occurredAt: string) => ({ occurredAt });
const AS_OF = '2025-01-01T00:00:00.000Z';

type Purchase = { readonly amount: number; readonly on: string };

let seed = 0;
function customer(id: string, purchases: readonly Purchase[], build?: (f: EventFactory) => LoggedEvent[]) {
  const f = createEventFactory({ customerId: id, seed: ++seed });
  return [
    ...eventsOf(f, f.customerRegistered({}, at('2024-01-01T00:00:00Z'))),
    ...eventsOf(
      f,
      ...purchases.map((purchase, index) =>
        f.purchaseCompleted({ orderId: `${id}-${index}`, amount: purchase.amount }, at(purchase.on)),
      ),
    ),
    ...(build?.(f) ?? []),
  ];
}

/** L on each metric among all purchasers, computed from every document in memory: the reference. */
function bruteForceRanks(all: readonly IdicDocument[], own: IdicDocument, asOf: string): IdicRanks {
  const purchasers = all.filter((doc) => doc.orders >= 1);
  const negDays = (doc: IdicDocument) => -recencyDays(doc.lastPurchaseAt ?? '', asOf);
  return {
    recencyLower: rankAmong(purchasers.map(negDays), negDays(own)),
    frequencyLower: rankAmong(
      purchasers.map((doc) => doc.orders),
      own.orders,
    ),
    monetaryLower: rankAmong(
      purchasers.map((doc) => doc.netRevenue),
      own.netRevenue,
    ),
    purchasers: purchasers.length,
  };
}

describe('ScoresQueries', () => {
  let models: ProjectedReadModels;
  let scores: ScoresQueries;

  beforeAll(async () => {
    models = await projectedReadModels([
      ...customer('a', [{ amount: 1_000, on: '2024-12-31T23:00:00Z' }]),
      ...customer('b', [
        { amount: 5_000, on: '2024-06-01T10:00:00Z' },
        { amount: 2_000, on: '2024-12-30T08:00:00Z' },
      ]),
      // Same calendar day as b's last purchase, other hour: the same whole days, so the same R.
      ...customer('c', [{ amount: 7_000, on: '2024-12-30T20:00:00Z' }]),
      ...customer('d', [
        { amount: 500, on: '2024-02-01T00:00:00Z' },
        { amount: 500, on: '2024-03-01T00:00:00Z' },
        { amount: 500, on: '2024-04-01T00:00:00Z' },
      ]),
      ...customer('e', [{ amount: 7_000, on: '2024-11-15T12:00:00Z' }]),
      ...customer('f', [{ amount: 20_000, on: '2024-08-15T12:00:00Z' }]),
      ...customer('refunded', [{ amount: 3_000, on: '2024-10-01T00:00:00Z' }], (f) =>
        eventsOf(f, f.purchaseRefunded({ orderId: 'refunded-0', amount: 3_000 }, at('2024-10-02T00:00:00Z'))),
      ),
      // Exactly 10 days before AS_OF, and 1 ms less than 10 days: 10 and 9 whole days.
      ...customer('boundary', [{ amount: 900, on: '2024-12-22T00:00:00Z' }]),
      ...customer('just-inside', [{ amount: 900, on: '2024-12-22T00:00:00.001Z' }]),
      ...customer('prospect', [], (f) => eventsOf(f, f.callLogged({}, at('2024-05-01T00:00:00Z')))),
    ]);
    scores = new ScoresQueries(models.store);
  });
  afterAll(() => models.close());

  it('is null for a customer it does not know', async () => {
    expect(await scores.get('nobody', AS_OF)).toBeNull();
  });

  it.each(['2025-01-01T00:00:00.000Z', '2024-12-30T15:00:00.000Z', '2025-06-17T06:30:00.000Z'])(
    'ranks every purchaser as an in-memory count over all documents would, at %s',
    async (asOf) => {
      const all = (
        await models.store.find<IdicDocument & StoredDocument>(IDIC_COLLECTION, { limit: MAX_LIMIT })
      ).items;
      for (const own of all.filter((doc) => doc.orders >= 1)) {
        const view = await scores.get(own.id, asOf);
        expect({ id: own.id, ranks: view?.ranks }).toEqual({
          id: own.id,
          ranks: bruteForceRanks(all, own, asOf),
        });
      }
    },
  );

  it('gives tied customers the same score: same recency day, same orders', async () => {
    const [b, c] = await Promise.all([scores.get('b', AS_OF), scores.get('c', AS_OF)]);
    expect(b?.differentiate.value.daysSinceLastPurchase).toBe(1);
    expect(c?.differentiate.value.daysSinceLastPurchase).toBe(1);
    expect(b?.differentiate.value.rfm?.recency).toBe(c?.differentiate.value.rfm?.recency);
  });

  it('counts a purchase exactly d + 1 days back as more days, one a millisecond later as not', async () => {
    const [boundary, inside] = await Promise.all([
      scores.get('boundary', AS_OF),
      scores.get('just-inside', AS_OF),
    ]);
    expect(boundary?.differentiate.value.daysSinceLastPurchase).toBe(10);
    expect(inside?.differentiate.value.daysSinceLastPurchase).toBe(9);
    expect((inside?.ranks?.recencyLower ?? 0) - (boundary?.ranks?.recencyLower ?? 0)).toBe(1);
  });

  it('scores the whole view from the ranks: RFM, differentiation score and value tier', async () => {
    const view = await scores.get('f', AS_OF);
    // N = 9 purchasers. f: M highest (L 8), F 1 order (L 0), R 139 days (L 1: only d bought longer ago).
    expect(view?.ranks).toEqual({ purchasers: 9, monetaryLower: 8, frequencyLower: 0, recencyLower: 1 });
    expect(view?.differentiate.value).toMatchObject({
      rfm: { recency: 1, frequency: 1, monetary: 5 },
      differentiationScore: 33,
      valueTier: 'mvc',
    });
  });

  it('keeps a fully refunded purchaser in the population, in tier below_zero', async () => {
    const view = await scores.get('refunded', AS_OF);
    expect(view?.ranks?.purchasers).toBe(9);
    expect(view?.differentiate.value).toMatchObject({ netRevenue: 0, orders: 1, valueTier: 'below_zero' });
  });

  it('does not rank a prospect', async () => {
    const view = await scores.get('prospect', AS_OF);
    expect(view?.ranks).toBeNull();
    expect(view?.differentiate.value).toMatchObject({
      rfm: null,
      differentiationScore: null,
      valueTier: 'prospect',
    });
  });

  it('uses its clock when no asOf is given', async () => {
    const later = new ScoresQueries(models.store, { now: () => new Date('2025-01-11T00:00:00Z') });
    expect((await later.get('boundary'))?.differentiate.value.daysSinceLastPurchase).toBe(20);
  });
});
