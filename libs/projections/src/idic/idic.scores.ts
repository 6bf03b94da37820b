import {
  type AsOf,
  DAY_MS,
  epochMs,
  type IsoInstant,
  NPS_PASSIVE_MIN,
  NPS_PROMOTER_MIN,
  utcDay,
  wholeDaysBetween,
} from '../shared';
import type { IdicDocument, ValueClass } from './idic.document';

export type ValueTier = 'prospect' | 'below_zero' | 'mvc' | 'core' | 'low';
export type NpsClass = 'promoter' | 'passive' | 'detractor';

export const RFM_MAX = 5;
export const TOUCHPOINT_WINDOW_DAYS = 90;
export const MVC_MIN_SHARE = 0.8;
export const CORE_MIN_SHARE = 0.3;

/** Where value tiers start: the least L/N on netRevenue for `mvc` and for `core`. */
export type ValueTierCutoffs = { readonly mvc: number; readonly core: number };

/** How much each RFM score weighs in the differentiation score. */
export type RfmWeights = { readonly recency: number; readonly frequency: number; readonly monetary: number };

/**
 * The tunable part of IDIC scoring. The live projection always uses the
 * defaults (domain.md); a what-if run passes its own.
 */
export type ScoringParameters = {
  readonly valueTierCutoffs: ValueTierCutoffs;
  readonly rfmWeights: RfmWeights;
};

export const DEFAULT_VALUE_TIER_CUTOFFS: ValueTierCutoffs = { mvc: MVC_MIN_SHARE, core: CORE_MIN_SHARE };
export const DEFAULT_RFM_WEIGHTS: RfmWeights = { recency: 1, frequency: 1, monetary: 1 };
export const DEFAULT_SCORING: ScoringParameters = {
  valueTierCutoffs: DEFAULT_VALUE_TIER_CUTOFFS,
  rfmWeights: DEFAULT_RFM_WEIGHTS,
};

/** How many values are strictly lower than `own`: the L of every rank-based score. Ties share it. */
export function rankAmong(values: readonly number[], own: number): number {
  return values.filter((value) => value < own).length;
}

/** domain.md: min(5, 1 + floor(5 · L / N)) over the N customers with a purchase. */
export function rfmScore(lowerCount: number, population: number): number {
  assertRank(lowerCount, population);
  return Math.min(RFM_MAX, 1 + Math.floor((RFM_MAX * lowerCount) / population));
}

/**
 * domain.md: round((R + F + M − 3) / 12 · 100), 0–100. With weights it is
 * round(Σ w·(S − 1) / (4 · Σ w) · 100), still 0–100; equal weights give the
 * domain formula exactly (the sums are integers, the divisor 12).
 */
export function differentiationScore(
  recency: number,
  frequency: number,
  monetary: number,
  weights: RfmWeights = DEFAULT_RFM_WEIGHTS,
): number {
  const weighted =
    weights.recency * (recency - 1) + weights.frequency * (frequency - 1) + weights.monetary * (monetary - 1);
  const total = weights.recency + weights.frequency + weights.monetary;
  return Math.round((weighted / ((RFM_MAX - 1) * total)) * 100);
}

/** The value tier as far as it is the customer's own: no purchase, netRevenue ≤ 0, or ranked by L/N. */
export function valueClassOf(orders: number, netRevenue: number): ValueClass {
  if (orders === 0) return 'prospect';
  return netRevenue <= 0 ? 'below_zero' : 'positive';
}

/** domain.md value tiers; L/N is taken on netRevenue among the N purchasers. */
export function valueTier(
  doc: Pick<IdicDocument, 'orders' | 'netRevenue'>,
  lowerNetRevenueCount: number,
  purchasers: number,
  cutoffs: ValueTierCutoffs = DEFAULT_VALUE_TIER_CUTOFFS,
): ValueTier {
  if (doc.orders === 0) return 'prospect';
  if (doc.netRevenue <= 0) return 'below_zero';
  assertRank(lowerNetRevenueCount, purchasers);
  const share = lowerNetRevenueCount / purchasers;
  if (share >= cutoffs.mvc) return 'mvc';
  return share >= cutoffs.core ? 'core' : 'low';
}

export function npsClass(score: number): NpsClass {
  if (score >= NPS_PROMOTER_MIN) return 'promoter';
  return score >= NPS_PASSIVE_MIN ? 'passive' : 'detractor';
}

/**
 * Whole days (rounded down) since the last purchase. Negative when asOf
 * precedes it: the document holds every fact, it is not a snapshot at asOf.
 */
export function recencyDays(lastPurchaseAt: IsoInstant, asOf: AsOf): number {
  return wholeDaysBetween(lastPurchaseAt, asOf);
}

/**
 * Touchpoints with occurredAt in [asOf − 90 days, asOf), at the UTC-day
 * granularity the document keeps: a day counts when its start lies in the
 * window. That is exact for an asOf at midnight UTC; otherwise it means the
 * 90 calendar days ending with asOf's own day.
 */
export function touchpoints90d(doc: Pick<IdicDocument, 'touchpointsByDay'>, asOf: AsOf): number {
  const end = epochMs(asOf);
  const start = end - TOUCHPOINT_WINDOW_DAYS * DAY_MS;
  // The first day starting at or after `start`, the last day starting before `end`.
  const firstDay = utcDay(new Date(start + DAY_MS - 1));
  const lastDay = utcDay(new Date(end - 1));
  return Object.entries(doc.touchpointsByDay)
    .filter(([day]) => day >= firstDay && day <= lastDay)
    .reduce((sum, [, count]) => sum + count, 0);
}

/** A rank from a stale or foreign population would silently skew every score; fail loudly instead. */
function assertRank(lowerCount: number, population: number): void {
  const valid =
    Number.isInteger(lowerCount) &&
    Number.isInteger(population) &&
    lowerCount >= 0 &&
    lowerCount < population;
  if (!valid) throw new RangeError(`Invalid rank: ${lowerCount} lower among ${population}`);
}
