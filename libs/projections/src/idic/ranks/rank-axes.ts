import { DAY_MS } from '../../shared/instant';
import type { Day, RankedValues } from './value-trajectory';

/** UTC months as year · 12 + month (0-based): consecutive integers. */
export type Month = number;

/**
 * One RFM metric as the time-indexed counters hold it. "How many purchasers
 * have a value below v" sums whole buckets of the coarsest bucketing below
 * v's, then, within v's bucket of each level, whole buckets of the next
 * level below v's, and last the exact values below v within v's finest
 * bucket. Every bucketing preserves order and refines the one before it
 * (each of its buckets lies in one bucket of the coarser level), so each
 * value below v is counted at exactly one level: the first where its
 * bucket and v's differ.
 */
export type RankAxis = {
  /** Prefix of the axis's counter sets. */
  readonly key: 'M' | 'F' | 'R';
  /** The bucketings, coarsest first; none where the value itself is coarse enough (F). */
  readonly levels: readonly ((value: number) => number)[];
};

/**
 * Integer minor units of any size and sign in order-preserving buckets:
 * `perOctave` (a power of two) to each power of two, and below
 * 2 · perOctave one per value; mirrored below zero. A bucket spans at most
 * 1/perOctave of its values.
 */
export function moneyBucket(value: number, perOctave: number): number {
  if (value < 0) return -magnitudeBucket(-value, perOctave);
  return magnitudeBucket(value, perOctave);
}

function magnitudeBucket(magnitude: number, perOctave: number): number {
  if (magnitude < 2 * perOctave) return magnitude;
  const exponent = bitLength(magnitude) - 1;
  const shift = exponent - Math.log2(perOctave);
  return (
    2 * perOctave +
    (exponent - Math.log2(2 * perOctave)) * perOctave +
    Math.floor(magnitude / 2 ** shift) -
    perOctave
  );
}

/** Bits of a non-negative safe integer (0 for 0), exactly: log2 of a large integer can round across a power of two. */
function bitLength(magnitude: number): number {
  if (magnitude < 1) return 0;
  // Exact and cheap for what most amounts are: the rebuild buckets millions of them.
  if (magnitude < 2 ** 31) return 32 - Math.clz32(magnitude);
  // Beyond the safe integers the loops below never end (2 ** exponent of Infinity is Infinity).
  if (!Number.isSafeInteger(magnitude)) throw new RangeError(`${magnitude} is no safe integer to rank`);
  let exponent = Math.floor(Math.log2(magnitude));
  while (2 ** exponent > magnitude) exponent--;
  while (2 ** (exponent + 1) <= magnitude) exponent++;
  return exponent + 1;
}

/** The live netRevenue histogram's buckets: eight to a power of two, about 150 over cents to millions. */
export function liveRevenueBucket(netRevenue: number): number {
  return moneyBucket(netRevenue, 8);
}

/**
 * M: netRevenue; four buckets to a power of two, then 64 (each a sixteenth
 * of one of the four), then values. A level more would cut what a read sums
 * by a third and multiply the counter sets (documents on MongoDB) by seven.
 */
export const MONETARY: RankAxis = {
  key: 'M',
  levels: [(value) => moneyBucket(value, 4), (value) => moneyBucket(value, 64)],
};
/** F: orders, a small integer: its own bucket. */
export const FREQUENCY: RankAxis = { key: 'F', levels: [] };
/** R as of a day: the day number `recencyDay` (below), in 64-day buckets, then days. */
export const RECENCY: RankAxis = { key: 'R', levels: [(day) => Math.floor(day / 64)] };

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
