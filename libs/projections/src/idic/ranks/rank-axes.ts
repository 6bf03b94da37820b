import { DAY_MS } from '../../shared/instant';
import type { Day, RankedValues } from './value-trajectory';

/** UTC months as year · 12 + month (0-based): consecutive integers. */
export type Month = number;

/**
 * One RFM metric as the rank counters hold it. A count "how many
 * purchasers have a value below v" is a sum over buckets below v's bucket
 * plus, within v's bucket, over the exact values below v: two small reads
 * instead of one per distinct value. `exact` is false where the bucket is
 * the value itself.
 */
export type RankAxis = {
  /** Prefix of the axis's counter sets. */
  readonly key: 'M' | 'F' | 'R';
  /** Order-preserving: a < b ⟹ bucket(a) ≤ bucket(b). */
  readonly bucket: (value: number) => number;
  readonly exact: boolean;
};

/**
 * netRevenue, integer minor units of any size and sign: eight buckets per
 * power of two (values below 16 have one each), mirrored below zero. About
 * 150 buckets cover a population from cents to millions; a bucket spans
 * 1/16 to 1/8 of its values.
 */
export function moneyBucket(value: number): number {
  if (value < 0) return -magnitudeBucket(-value);
  return magnitudeBucket(value);
}

function magnitudeBucket(magnitude: number): number {
  if (magnitude < 16) return magnitude;
  let exponent = Math.floor(Math.log2(magnitude));
  // log2 of a large integer can round across a power of two: settle it exactly.
  while (2 ** exponent > magnitude) exponent--;
  while (2 ** (exponent + 1) <= magnitude) exponent++;
  const eighth = Math.floor(magnitude / 2 ** (exponent - 3)) - 8;
  return 16 + (exponent - 4) * 8 + eighth;
}

/** M: netRevenue. */
export const MONETARY: RankAxis = { key: 'M', bucket: moneyBucket, exact: true };
/** F: orders, a small integer: its own bucket. */
export const FREQUENCY: RankAxis = { key: 'F', bucket: (orders) => orders, exact: false };

/** Days per recency bucket of the time-indexed counters. */
const RECENCY_BUCKET_DAYS = 8;
/** R as of a day: the day number `recencyDay` (below), eight days to a bucket. */
export const RECENCY: RankAxis = {
  key: 'R',
  bucket: (day) => Math.floor(day / RECENCY_BUCKET_DAYS),
  exact: true,
};

export const RANK_AXES: readonly RankAxis[] = [MONETARY, FREQUENCY, RECENCY];

/**
 * The value R ranks as of a whole day D (asOf = D · DAY_MS): with
 * daysSinceLastPurchase = floor((D · DAY_MS − x) / DAY_MS) = D − ceil(x / DAY_MS),
 * −daysSince orders purchasers as ceil(x / DAY_MS) does, whatever D.
 */
export function recencyDay(lastPurchaseMs: number): Day {
  return Math.ceil(lastPurchaseMs / DAY_MS);
}

/** The value each axis ranks as of a whole day. */
export function axisValue(axis: RankAxis, values: RankedValues): number {
  switch (axis.key) {
    case 'M':
      return values.netRevenue;
    case 'F':
      return values.orders;
    case 'R':
      return recencyDay(values.lastPurchaseMs);
  }
}

const monthOfDayCache = new Map<Day, Month>();

export function monthOfDay(day: Day): Month {
  const known = monthOfDayCache.get(day);
  if (known !== undefined) return known;
  const date = new Date(day * DAY_MS);
  const month = date.getUTCFullYear() * 12 + date.getUTCMonth();
  if (monthOfDayCache.size >= 100_000) monthOfDayCache.clear();
  monthOfDayCache.set(day, month);
  return month;
}
