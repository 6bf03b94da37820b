import type { Filter, ReadStore, StoredDocument } from '@crm/read-store';
import type { IdicDocument } from '../idic/idic.document';
import { CORE_MIN_SHARE, MVC_MIN_SHARE, type ValueTier } from '../idic/idic.scores';
import { IDIC_COLLECTION } from '../runner/customer-projections';
import { countPurchasers, PURCHASERS } from './population-ranks';

/**
 * The value tiers (domain.md) as netRevenue ranges over the current purchaser
 * population. A purchaser with positive netRevenue v is `mvc` when L/N ≥ 0.8,
 * L = purchasers with netRevenue < v. L only grows with v, so each tier is
 * the set of purchasers with v at or above a least value.
 */
export type ValueTierBounds = {
  /** N: customers with at least one purchase. */
  readonly purchasers: number;
  /** The least netRevenue that is `mvc`; null when no purchaser is. */
  readonly mvcFrom: number | null;
  /** The least netRevenue that is at least `core`; null when no purchaser is. */
  readonly coreFrom: number | null;
};

export const VALUE_TIERS: readonly ValueTier[] = ['prospect', 'below_zero', 'low', 'core', 'mvc'];

type TierFields = Pick<IdicDocument, 'orders' | 'netRevenue'>;

/**
 * Finds both bounds with indexed reads only: the smallest and largest
 * netRevenue (two sorted finds of one document) and a binary search over
 * the integers between them with counts, about 2 · log2(max − min) counts.
 * netRevenue is a sum of integer minor units, so the integers are exact.
 */
export async function valueTierBounds(store: ReadStore): Promise<ValueTierBounds> {
  const purchasers = await store.count(IDIC_COLLECTION, PURCHASERS);
  if (purchasers === 0) return { purchasers, mvcFrom: null, coreFrom: null };
  const range = await netRevenueRange(store);
  return {
    purchasers,
    mvcFrom: await leastValueWithLower(store, range, minLowerCount(MVC_MIN_SHARE, purchasers)),
    coreFrom: await leastValueWithLower(store, range, minLowerCount(CORE_MIN_SHARE, purchasers)),
  };
}

/**
 * The smallest L with L / N ≥ share, evaluated in floating point exactly as
 * valueTier does, so the ranges and the per-customer tier never disagree.
 */
export function minLowerCount(share: number, population: number): number {
  let lower = Math.ceil(share * population);
  while (lower > 0 && (lower - 1) / population >= share) lower--;
  while (lower / population < share) lower++;
  return lower;
}

/** The tier of a document given the bounds: what valueTier gives with the document's own L. */
export function tierOf(doc: TierFields, bounds: ValueTierBounds): ValueTier {
  if (doc.orders === 0) return 'prospect';
  if (doc.netRevenue <= 0) return 'below_zero';
  if (bounds.mvcFrom !== null && doc.netRevenue >= bounds.mvcFrom) return 'mvc';
  if (bounds.coreFrom !== null && doc.netRevenue >= bounds.coreFrom) return 'core';
  return 'low';
}

/** The filter on the idic collection selecting one tier; null when the tier is empty. */
export function tierFilter(tier: ValueTier, bounds: ValueTierBounds): Filter | null {
  switch (tier) {
    case 'prospect':
      return { orders: 0 };
    case 'below_zero':
      return { ...PURCHASERS, netRevenue: { $lte: 0 } };
    case 'mvc':
      if (bounds.mvcFrom === null) return null;
      return { ...PURCHASERS, netRevenue: { $gt: 0, $gte: bounds.mvcFrom } };
    case 'core':
      if (bounds.coreFrom === null) return null;
      return {
        ...PURCHASERS,
        netRevenue: { $gt: 0, $gte: bounds.coreFrom, $lt: bounds.mvcFrom ?? undefined },
      };
    case 'low':
      return { ...PURCHASERS, netRevenue: { $gt: 0, $lt: bounds.coreFrom ?? undefined } };
  }
}

type Range = { readonly min: number; readonly max: number };

async function netRevenueRange(store: ReadStore): Promise<Range> {
  const [lowest, highest] = await Promise.all(
    (['asc', 'desc'] as const).map((direction) =>
      store.find<IdicDocument & StoredDocument>(IDIC_COLLECTION, {
        filter: PURCHASERS,
        sort: [{ field: 'netRevenue', direction }],
        limit: 1,
      }),
    ),
  );
  const min = lowest?.items[0]?.netRevenue;
  const max = highest?.items[0]?.netRevenue;
  if (min === undefined || max === undefined) throw new Error('the purchasers vanished while being ranked');
  return { min, max };
}

/**
 * The least integer v with at least `lower` purchasers below it, or null when
 * even the largest netRevenue has fewer below it (nobody is in the tier).
 * Invariant: fewer than `lower` below `lo`, at least `lower` below `hi`.
 */
async function leastValueWithLower(store: ReadStore, range: Range, lower: number): Promise<number | null> {
  const below = (value: number): Promise<number> => countPurchasers(store, { netRevenue: { $lt: value } });
  let lo = range.min;
  let hi = range.max;
  if ((await below(hi)) < lower) return null;
  if (lower <= 0) return lo;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if ((await below(mid)) >= lower) hi = mid;
    else lo = mid;
  }
  return hi;
}
