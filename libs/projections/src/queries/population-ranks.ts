import type { ReadStore } from '@crm/read-store';
import type { IdicDocument } from '../idic/idic.document';
import { IDIC_RANKS_COLLECTION } from '../idic/ranks/rank-counters';
import { liveRankQuery } from '../idic/ranks/rank-reads';
import { recencyDays } from '../idic/idic.scores';
import type { IdicRanks } from '../idic/idic.view';
import { type AsOf, DAY_MS, epochMs } from '../shared/instant';

export type RankedFields = Pick<IdicDocument, 'orders' | 'netRevenue' | 'lastPurchaseAt'>;

/**
 * The customer's L on each RFM metric among the N purchasers, from the live
 * rank counters the idic projection keeps (idic_ranks): six sums over five
 * counter sets in one read, whatever the population's size.
 *
 * - M: purchasers with netRevenue < own.
 * - F: purchasers with orders < own.
 * - R: higher is better on −daysSinceLastPurchase, so L counts purchasers with
 *   strictly more whole days since their last purchase at asOf. With
 *   d(x) = floor((asOf − x) / 1 day), d(x) > d(own) ⟺ d(x) ≥ d(own) + 1 ⟺
 *   x ≤ asOf − (d(own) + 1) days: the purchasers whose last purchase is at
 *   or before that instant.
 *
 * Null for a prospect (no purchase): RFM does not rank them.
 *
 * The customer's document and the counters are two reads, and a projection
 * may commit between them; the counters come from one read, so N and the
 * Ls agree with each other. L is clamped to N − 1 for the one race left (the
 * customer's own values moving between the reads).
 */
export async function populationRanks(
  store: ReadStore,
  doc: RankedFields,
  asOf: AsOf,
): Promise<IdicRanks | null> {
  if (doc.orders < 1 || doc.lastPurchaseAt === null) return null;
  const days = recencyDays(doc.lastPurchaseAt, asOf);
  const query = liveRankQuery({
    netRevenue: doc.netRevenue,
    orders: doc.orders,
    staleFromMs: epochMs(asOf) - (days + 1) * DAY_MS,
  });
  return clampedRanks(query.ranksFrom(await store.sumCounters(IDIC_RANKS_COLLECTION, query.sums)));
}

/**
 * Ls clamped to N − 1 (a race between the customer's document and the
 * counters). N of at least 1: the customer is a purchaser; zero means the
 * counters were never built (a read store written before them: rebuild
 * idic-scores), which must not pass for a ranking.
 */
export function clampedRanks(ranks: IdicRanks): IdicRanks {
  if (ranks.purchasers < 1)
    throw new Error('The rank counters hold no purchaser: rebuild the idic-scores projection');
  const clamp = (lower: number): number => Math.max(0, Math.min(lower, ranks.purchasers - 1));
  return {
    recencyLower: clamp(ranks.recencyLower),
    frequencyLower: clamp(ranks.frequencyLower),
    monetaryLower: clamp(ranks.monetaryLower),
    purchasers: ranks.purchasers,
  };
}
