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
import type { IdicDocument } from './idic.document';

export type ValueTier = 'prospect' | 'below_zero' | 'mvc' | 'core' | 'low';
export type NpsClass = 'promoter' | 'passive' | 'detractor';

export const RFM_MAX = 5;
export const TOUCHPOINT_WINDOW_DAYS = 90;
export const MVC_MIN_SHARE = 0.8;
export const CORE_MIN_SHARE = 0.3;

/** How many values are strictly lower than `own`: the L of every rank-based score. Ties share it. */
export function rankAmong(values: readonly number[], own: number): number {
  return values.filter((value) => value < own).length;
}

/** domain.md: min(5, 1 + floor(5 · L / N)) over the N customers with a purchase. */
export function rfmScore(lowerCount: number, population: number): number {
  assertRank(lowerCount, population);
  return Math.min(RFM_MAX, 1 + Math.floor((RFM_MAX * lowerCount) / population));
}

/** domain.md: round((R + F + M − 3) / 12 · 100), 0–100. */
export function differentiationScore(recency: number, frequency: number, monetary: number): number {
  return Math.round(((recency + frequency + monetary - 3) / 12) * 100);
}

/** domain.md value tiers; L/N is taken on netRevenue among the N purchasers. */
export function valueTier(
  doc: Pick<IdicDocument, 'orders' | 'netRevenue'>,
  lowerNetRevenueCount: number,
  purchasers: number,
): ValueTier {
  if (doc.orders === 0) return 'prospect';
  if (doc.netRevenue <= 0) return 'below_zero';
  assertRank(lowerNetRevenueCount, purchasers);
  const share = lowerNetRevenueCount / purchasers;
  if (share >= MVC_MIN_SHARE) return 'mvc';
  return share >= CORE_MIN_SHARE ? 'core' : 'low';
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
