import type { Filter, ReadStore } from '@crm/read-store';
import type { IdicDocument } from '../idic/idic.document';
import { CORE_MIN_SHARE, MVC_MIN_SHARE, type ValueTier } from '../idic/idic.scores';
import { IDIC_RANKS_COLLECTION } from '../idic/ranks/rank-counters';
import { revenueBuckets, revenueValues, setsById } from '../idic/ranks/rank-reads';

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
 * Both bounds from the live netRevenue histogram (idic_ranks): the bucket
 * counts, then the exact values of the (at most two) buckets the bounds fall
 * in. The least integer v with at least k purchasers below it is the k-th
 * smallest netRevenue plus one; netRevenue is a sum of integer minor units,
 * so no integer lies between. A commit between the two reads can make the
 * buckets and their values disagree: then both are read again.
 */
export async function valueTierBounds(store: ReadStore): Promise<ValueTierBounds> {
  for (let attempt = 1; ; attempt++) {
    const buckets = revenueBuckets(setsById(await store.getCounters(IDIC_RANKS_COLLECTION, ['M'])));
    const purchasers = buckets.reduce((sum, bucket) => sum + bucket.count, 0);
    if (purchasers === 0) return { purchasers, mvcFrom: null, coreFrom: null };
    const targets = [minLowerCount(MVC_MIN_SHARE, purchasers), minLowerCount(CORE_MIN_SHARE, purchasers)];
    const places = targets.map((lower) => placeOf(buckets, Math.max(lower, 1)));
    const ids = [...new Set(places.map((place) => `M:${place.bucket}`))];
    const values = setsById(await store.getCounters(IDIC_RANKS_COLLECTION, ids));
    const bounds = targets.map((lower, index) => {
      const place = places[index] as Place;
      return boundAt(revenueValues(values, place.bucket), place, lower, purchasers);
    });
    const [mvcFrom, coreFrom] = bounds;
    if ((mvcFrom !== undefined && coreFrom !== undefined) || attempt === 3)
      return { purchasers, mvcFrom: mvcFrom ?? null, coreFrom: coreFrom ?? null };
  }
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

/**
 * The filter on the idic collection that selects one tier, for a page in the
 * order of `sortField`, shaped so that one index serves both (a page then
 * reads about `limit` documents divided by the tier's share of what the
 * index walks):
 *
 * - in customerId order (`id`): the customer's own part of the tier
 *   (valueClass, whose index is on (valueClass, id) carrying netRevenue)
 *   and, for mvc, core and low, their netRevenue range, checked in that
 *   index: only the members' documents are read;
 * - in netRevenue order: mvc, core and low as a netRevenue range alone;
 * - otherwise none (undefined): any condition on another index than the
 *   sort's would make the store read and sort the whole tier; the caller
 *   walks the sort's index and keeps the tier's members (tierOf).
 *
 * Null when the tier is empty.
 */
export function tierFilter(
  tier: ValueTier,
  bounds: ValueTierBounds,
  sortField: string,
): Filter | null | undefined {
  const range = revenueRange(tier, bounds);
  if (range === null) return null;
  if (sortField === 'id') {
    const valueClass = tier === 'prospect' || tier === 'below_zero' ? tier : 'positive';
    return range === undefined ? { valueClass } : { valueClass, netRevenue: range };
  }
  if (sortField === 'netRevenue' && range !== undefined) return { netRevenue: { $gt: 0, ...range } };
  return undefined;
}

type RevenueRange = { readonly $gte?: number; readonly $lt?: number };

/** The netRevenue range of a ranked tier (mvc, core, low); undefined for the others, null when empty. */
function revenueRange(tier: ValueTier, bounds: ValueTierBounds): RevenueRange | null | undefined {
  switch (tier) {
    case 'prospect':
    case 'below_zero':
      return undefined;
    case 'mvc':
      return bounds.mvcFrom === null ? null : { $gte: bounds.mvcFrom };
    case 'core':
      return bounds.coreFrom === null ? null : { $gte: bounds.coreFrom, $lt: bounds.mvcFrom ?? undefined };
    case 'low':
      return { $lt: bounds.coreFrom ?? undefined };
  }
}

/** Where the k-th smallest netRevenue lies: its bucket, the purchasers in the buckets below, and in it. */
type Place = { readonly bucket: number; readonly below: number; readonly count: number };

function placeOf(buckets: readonly { bucket: number; count: number }[], k: number): Place {
  let below = 0;
  for (const { bucket, count } of buckets) {
    if (below + count >= k) return { bucket, below, count };
    below += count;
  }
  const last = buckets[buckets.length - 1];
  return { bucket: last?.bucket ?? 0, below: below - (last?.count ?? 0), count: last?.count ?? 0 };
}

/**
 * The least integer with at least `lower` purchasers below it, or null when
 * even the largest netRevenue has fewer below it (nobody is in the tier);
 * undefined when the bucket's values disagree with its count (read again).
 */
function boundAt(
  values: readonly { value: number; count: number }[],
  place: Place,
  lower: number,
  purchasers: number,
): number | null | undefined {
  if (values.reduce((sum, { count }) => sum + count, 0) !== place.count) return undefined;
  // With lower ≤ 0 every purchaser qualifies: the smallest netRevenue bounds the tier.
  if (lower <= 0) return values[0]?.value;
  let seen = place.below;
  for (const { value, count } of values) {
    seen += count;
    if (seen >= lower) return seen === purchasers ? null : value + 1;
  }
  return undefined;
}
