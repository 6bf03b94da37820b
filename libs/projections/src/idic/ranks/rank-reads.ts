import type { CounterPairSum, CounterSet } from '@crm/read-store';
import type { IdicRanks } from '../idic.view';
import {
  axisValue,
  FREQUENCY,
  liveRevenueBucket,
  MONETARY,
  monthOfDay,
  type RankAxis,
  RECENCY,
} from './rank-axes';
import { dayLevelSet, monthLevelSet } from './rank-counters';
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

// Live: today's purchasers (the idic_ranks collection).

/** What the live ranks are taken on: the customer's own values and the recency bound. */
export type LiveRankQuery = {
  readonly netRevenue: number;
  readonly orders: number;
  /** Purchasers whose last purchase is at or before this instant have strictly more days since it. */
  readonly staleFromMs: number;
};

/** The sums a rank read takes, and how their totals make N and the three L. */
export type RankQuery = {
  readonly sums: readonly CounterPairSum[];
  readonly ranksFrom: (totals: readonly number[]) => IdicRanks;
};

/**
 * N and the three L among today's purchasers, as six sums the store adds up
 * itself (a bucket of M or a day of R holds thousands of counters). L of R
 * counts the purchasers whose last purchase is at or before staleFromMs:
 * the days before its day, then the instants of its day up to it.
 */
export function liveRankQuery(query: LiveRankQuery): RankQuery {
  const bucket = liveRevenueBucket(query.netRevenue);
  const staleDay = dayOfMs(query.staleFromMs);
  const below = (set: string, bound: number | null): CounterPairSum => ({
    set,
    belowFirst: bound,
    belowSecond: null,
  });
  return {
    sums: [
      below('M', null),
      below('M', bucket),
      below(`M:${bucket}`, query.netRevenue),
      below('F', query.orders),
      below('R', staleDay),
      below(`R:${staleDay}`, query.staleFromMs + 1),
    ],
    ranksFrom: ([purchasers = 0, buckets = 0, values = 0, orders = 0, days = 0, instants = 0]) => ({
      purchasers,
      monetaryLower: buckets + values,
      frequencyLower: orders,
      recencyLower: days + instants,
    }),
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

/**
 * N and the three L among the purchasers as of the start of `day`, for a
 * customer with the values `own` as of then: per axis, the points before
 * the day below own value (rank-counters), two sums per bucket level; N is
 * every point before the day on the first level of M.
 */
export function historyRankQuery(day: Day, own: RankedValues): RankQuery {
  const month = monthOfDay(day);
  const sums: CounterPairSum[] = [];
  const range = (build: () => void): readonly [number, number] => {
    const start = sums.length;
    build();
    return [start, sums.length];
  };
  const purchasers = range(() => levelSums(sums, MONETARY, 0, null, month, day, null));
  const [monetary, frequency, recency] = [MONETARY, FREQUENCY, RECENCY].map((axis) =>
    range(() => pointsBelowSums(sums, axis, month, day, axisValue(axis, own))),
  ) as [readonly [number, number], readonly [number, number], readonly [number, number]];
  const total = (totals: readonly number[], [start, end]: readonly [number, number]): number => {
    let sum = 0;
    for (let index = start; index < end; index++) sum += totals[index] ?? 0;
    return sum;
  };
  return {
    sums,
    ranksFrom: (totals) => ({
      purchasers: total(totals, purchasers),
      monetaryLower: total(totals, monetary),
      frequencyLower: total(totals, frequency),
      recencyLower: total(totals, recency),
    }),
  };
}

/** The sums of the points before `day` with a value below `value` on one axis: the purchasers then below it. */
function pointsBelowSums(
  sums: CounterPairSum[],
  axis: RankAxis,
  month: number,
  day: Day,
  value: number,
): void {
  let parent: number | null = null;
  for (let level = 0; level <= axis.levels.length; level++) {
    const bucketOf = axis.levels[level];
    const bucket = bucketOf === undefined ? value : bucketOf(value);
    levelSums(sums, axis, level, parent, month, day, bucket);
    parent = bucket;
  }
}

/** The points of one level inside `parent` before the day, with a bucket below `below` (null: any). */
function levelSums(
  sums: CounterPairSum[],
  axis: RankAxis,
  level: number,
  parent: number | null,
  month: number,
  day: Day,
  below: number | null,
): void {
  sums.push(
    { set: monthLevelSet(axis.key, level, parent), belowFirst: month, belowSecond: below },
    { set: dayLevelSet(axis.key, level, month, parent), belowFirst: day, belowSecond: below },
  );
}
