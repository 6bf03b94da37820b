import type { Filter, ReadStore } from '@crm/read-store';
import type { IdicDocument } from '../idic/idic.document';
import { recencyDays } from '../idic/idic.scores';
import type { IdicRanks } from '../idic/idic.view';
import { IDIC_COLLECTION } from '../runner/customer-projections';
import { type AsOf, DAY_MS, epochMs } from '../shared/instant';

/** The RFM population (domain.md): customers with at least one purchase. Served by the `orders` index. */
export const PURCHASERS: Filter = { orders: { $gte: 1 } };

export type RankedFields = Pick<IdicDocument, 'orders' | 'netRevenue' | 'lastPurchaseAt'>;

/**
 * The customer's L on each RFM metric among the N purchasers, from four
 * indexed counts; no document but the customer's own is read.
 *
 * - M: purchasers with netRevenue < own.
 * - F: purchasers with orders < own.
 * - R: higher is better on −daysSinceLastPurchase, so L counts purchasers with
 *   strictly more whole days since their last purchase at asOf. With
 *   d(x) = floor((asOf − x) / 1 day), d(x) > d(own) ⟺ d(x) ≥ d(own) + 1 ⟺
 *   x ≤ asOf − (d(own) + 1) days: one range on lastPurchaseAt. Stored instants
 *   are canonical `toISOString()` strings (fixed width, UTC, years 0000–9999),
 *   so the store's byte order on them is time order.
 *
 * Null for a prospect (no purchase): RFM does not rank them.
 *
 * The counts are separate reads, and a projection may commit between them.
 * N is counted last: purchasers only ever gain orders, so N never shrinks and
 * stays at least every L + 1 unless the customer's own document moved in
 * between; L is clamped to N − 1 for that race, never otherwise reached.
 */
export async function populationRanks(
  store: ReadStore,
  doc: RankedFields,
  asOf: AsOf,
): Promise<IdicRanks | null> {
  if (doc.orders < 1 || doc.lastPurchaseAt === null) return null;
  const days = recencyDays(doc.lastPurchaseAt, asOf);
  const staleFrom = new Date(epochMs(asOf) - (days + 1) * DAY_MS).toISOString();
  const monetaryLower = await countPurchasers(store, { netRevenue: { $lt: doc.netRevenue } });
  const frequencyLower = await store.count(IDIC_COLLECTION, { orders: { $gte: 1, $lt: doc.orders } });
  const recencyLower = await countPurchasers(store, { lastPurchaseAt: { $lte: staleFrom } });
  const purchasers = await store.count(IDIC_COLLECTION, PURCHASERS);
  const clamp = (lower: number): number => Math.min(lower, purchasers - 1);
  return {
    recencyLower: clamp(recencyLower),
    frequencyLower: clamp(frequencyLower),
    monetaryLower: clamp(monetaryLower),
    purchasers,
  };
}

export function countPurchasers(store: ReadStore, filter: Filter): Promise<number> {
  return store.count(IDIC_COLLECTION, { ...PURCHASERS, ...filter });
}
