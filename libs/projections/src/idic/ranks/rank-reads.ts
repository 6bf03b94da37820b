import type { CounterSet } from '@crm/read-store';
import type { IdicRanks } from '../idic.view';
import {
  axisValue,
  FREQUENCY,
  liveRevenueBucket,
  MONETARY,
  monthOfDay,
  RANK_AXES,
  type RankAxis,
  RECENCY,
} from './rank-axes';
import { historySetIds } from './rank-counters';
import { dayOfMs, type Day, type RankedValues } from './value-trajectory';

/*
 * The counts the RFM ranks need, from the counter sets of rank-counters.ts.
 * Each query names the few sets it needs up front, so a store answers it in
 * one read (one statement on SQLite: a consistent snapshot).
 */

type Sets = ReadonlyMap<string, ReadonlyMap<string, number>>;

export function setsById(sets: readonly CounterSet[]): Sets {
  return new Map(sets.map((set) => [set.id, set.counters] as const));
}

const EMPTY: ReadonlyMap<string, number> = new Map();

function countersOf(sets: Sets, id: string): ReadonlyMap<string, number> {
  return sets.get(id) ?? EMPTY;
}

/** Σ of the counters whose (numeric) name is below `bound`. */
function sumBelow(counters: ReadonlyMap<string, number>, bound: number): number {
  let sum = 0;
  for (const [name, count] of counters) if (Number(name) < bound) sum += count;
  return sum;
}

function sumAll(counters: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const count of counters.values()) sum += count;
  return sum;
}

/** Σ of the counters named `<a>:<b>` with a below `aBound` and b below `bBound`. */
function sumPairsBelow(counters: ReadonlyMap<string, number>, aBound: number, bBound: number): number {
  let sum = 0;
  for (const [name, count] of counters) {
    const split = name.indexOf(':');
    if (Number(name.slice(0, split)) < aBound && Number(name.slice(split + 1)) < bBound) sum += count;
  }
  return sum;
}

// Live: today's purchasers (the idic_ranks collection).

/** What the live ranks are taken on: the customer's own values and the recency bound. */
export type LiveRankQuery = {
  readonly netRevenue: number;
  readonly orders: number;
  /** Purchasers whose last purchase is at or before this instant have strictly more days since it. */
  readonly staleFromMs: number;
};

export function liveRankSetIds(query: LiveRankQuery): string[] {
  const staleDay = dayOfMs(query.staleFromMs);
  return ['M', `M:${liveRevenueBucket(query.netRevenue)}`, 'F', 'R', `R:${staleDay}`];
}

/**
 * N and the three L among today's purchasers. L of R counts the purchasers
 * whose last purchase is at or before staleFromMs: the days before its day,
 * then the instants of its day up to it.
 */
export function liveRanksFrom(sets: Sets, query: LiveRankQuery): IdicRanks {
  const bucket = liveRevenueBucket(query.netRevenue);
  const staleDay = dayOfMs(query.staleFromMs);
  return {
    purchasers: sumAll(countersOf(sets, 'M')),
    monetaryLower:
      sumBelow(countersOf(sets, 'M'), bucket) + sumBelow(countersOf(sets, `M:${bucket}`), query.netRevenue),
    frequencyLower: sumBelow(countersOf(sets, 'F'), query.orders),
    recencyLower:
      sumBelow(countersOf(sets, 'R'), staleDay) +
      sumBelow(countersOf(sets, `R:${staleDay}`), query.staleFromMs + 1),
  };
}

/** The live netRevenue histogram's buckets, ascending, with the purchasers in each. */
export function revenueBuckets(sets: Sets): { readonly bucket: number; readonly count: number }[] {
  return [...countersOf(sets, 'M')]
    .map(([name, count]) => ({ bucket: Number(name), count }))
    .sort((a, b) => a.bucket - b.bucket);
}

/** The exact netRevenue values of one live bucket, ascending, with the purchasers at each. */
export function revenueValues(
  sets: Sets,
  bucket: number,
): { readonly value: number; readonly count: number }[] {
  return [...countersOf(sets, `M:${bucket}`)]
    .map(([name, count]) => ({ value: Number(name), count }))
    .sort((a, b) => a.value - b.value);
}

// Time-indexed: the purchasers as of the start of a day (the idic_rank_history collection).

export function historyRankSetIds(day: Day, own: RankedValues): string[] {
  const month = monthOfDay(day);
  return RANK_AXES.flatMap((axis) => {
    const ids = historySetIds(axis.key);
    const value = axisValue(axis, own);
    const coarse = axis.coarse(value);
    if (axis.fine === undefined) return [ids.months, ids.days(month)];
    return [
      ids.months,
      ids.days(month),
      ids.fine(coarse),
      ids.exact(axis.fine(value)),
      ids.monthExact(month, coarse),
    ];
  });
}

/**
 * N and the three L among the purchasers as of the start of `day`, for a
 * customer with the values `own` as of then.
 */
export function historyRanksFrom(sets: Sets, day: Day, own: RankedValues): IdicRanks {
  return {
    purchasers: pointsBelow(sets, MONETARY, day, Number.POSITIVE_INFINITY),
    monetaryLower: pointsBelow(sets, MONETARY, day, axisValue(MONETARY, own)),
    frequencyLower: pointsBelow(sets, FREQUENCY, day, axisValue(FREQUENCY, own)),
    recencyLower: pointsBelow(sets, RECENCY, day, axisValue(RECENCY, own)),
  };
}

/** The points before `day` with a value below `value` on one axis: the purchasers then below it (see rank-counters). */
function pointsBelow(sets: Sets, axis: RankAxis, day: Day, value: number): number {
  const month = monthOfDay(day);
  const ids = historySetIds(axis.key);
  const infinite = value === Number.POSITIVE_INFINITY;
  const coarse = infinite ? value : axis.coarse(value);
  const wholeCoarse =
    sumPairsBelow(countersOf(sets, ids.months), month, coarse) +
    sumPairsBelow(countersOf(sets, ids.days(month)), day, coarse);
  if (axis.fine === undefined || infinite) return wholeCoarse;
  return (
    wholeCoarse +
    sumPairsBelow(countersOf(sets, ids.fine(coarse)), month, axis.fine(value)) +
    sumPairsBelow(countersOf(sets, ids.exact(axis.fine(value))), month, value) +
    sumPairsBelow(countersOf(sets, ids.monthExact(month, coarse)), day, value)
  );
}
