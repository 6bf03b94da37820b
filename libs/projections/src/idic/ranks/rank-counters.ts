import type { Write } from '@crm/read-store';
import { epochMs } from '../../shared/instant';
import type { IdicDocument } from '../idic.document';
import { axisValue, MONETARY, monthOfDay, RANK_AXES, type RankAxis } from './rank-axes';
import { dayOfMs, type Day, type RankedValues, valueTrajectory } from './value-trajectory';

/**
 * Today's purchasers by value, for the live ranks and value tiers:
 *
 * | set        | counter        | counts purchasers with            |
 * | ---------- | -------------- | --------------------------------- |
 * | `M`        | bucket         | netRevenue in the bucket          |
 * | `M:<b>`    | netRevenue     | that netRevenue (bucket b)        |
 * | `F`        | orders         | that many orders                  |
 * | `R`        | UTC day        | their last purchase on that day   |
 * | `R:<day>`  | epoch ms       | their last purchase at that instant |
 */
export const IDIC_RANKS_COLLECTION = 'idic_ranks';

/**
 * The purchasers by value as of any whole day (time travel). Each customer's
 * values as of every day (valueTrajectory) become points: on the day a value
 * changes, −1 at the old value and +1 at the new, so the purchasers below v
 * as of day D are the sum of the points before D below v. Per axis X
 * (M, F, R):
 *
 * | set             | counter            | sums                                  |
 * | --------------- | ------------------ | ------------------------------------- |
 * | `X:m`           | `<month>:<bucket>` | the points of a month in a bucket     |
 * | `X:d:<month>`   | `<day>:<bucket>`   | the points of a day in a bucket       |
 * | `X:e:<bucket>`  | `<day>:<value>`    | the points of a day at a value (M, R) |
 *
 * The points before D below v: the months before D's month and the days of
 * its month before D, in the buckets below v's; plus, in v's bucket, the
 * exact values below v on the days before D. Three sets per axis.
 */
export const IDIC_RANK_HISTORY_COLLECTION = 'idic_rank_history';

const SEPARATOR = '\u0000';

/** Counter contributions keyed `<collection>\0<set>\0<counter>`. */
export type RankCounters = Map<string, number>;

/** What one customer's document adds to the live counters (nothing for a prospect). */
export function liveRankCounters(doc: IdicDocument | null, into: RankCounters = new Map()): RankCounters {
  if (doc === null || doc.orders < 1 || doc.lastPurchaseAt === null) return into;
  const revenueBucket = MONETARY.bucket(doc.netRevenue);
  const lastMs = epochMs(doc.lastPurchaseAt);
  const lastDay = dayOfMs(lastMs);
  add(into, IDIC_RANKS_COLLECTION, 'M', String(revenueBucket), 1);
  add(into, IDIC_RANKS_COLLECTION, `M:${revenueBucket}`, String(doc.netRevenue), 1);
  add(into, IDIC_RANKS_COLLECTION, 'F', String(doc.orders), 1);
  add(into, IDIC_RANKS_COLLECTION, 'R', String(lastDay), 1);
  add(into, IDIC_RANKS_COLLECTION, `R:${lastDay}`, String(lastMs), 1);
  return into;
}

/** What one customer's document adds to the time-indexed counters (nothing before a first purchase). */
export function historyRankCounters(doc: IdicDocument | null, into: RankCounters = new Map()): RankCounters {
  if (doc === null) return into;
  let before: RankedValues | null = null;
  for (const { day, values } of valueTrajectory(doc.facts)) {
    for (const axis of RANK_AXES) {
      const old = before === null ? null : axisValue(axis, before);
      const next = values === null ? null : axisValue(axis, values);
      if (old === next) continue;
      if (old !== null) addPoint(into, axis, day, old, -1);
      if (next !== null) addPoint(into, axis, day, next, 1);
    }
    before = values;
  }
  return into;
}

/** Every counter a customer's document contributes, live and time-indexed. */
export function rankCountersOf(doc: IdicDocument | null): RankCounters {
  return historyRankCounters(doc, liveRankCounters(doc));
}

function addPoint(into: RankCounters, axis: RankAxis, day: Day, value: number, delta: number): void {
  const bucket = axis.bucket(value);
  const month = monthOfDay(day);
  add(into, IDIC_RANK_HISTORY_COLLECTION, `${axis.key}:m`, `${month}:${bucket}`, delta);
  add(into, IDIC_RANK_HISTORY_COLLECTION, `${axis.key}:d:${month}`, `${day}:${bucket}`, delta);
  if (axis.exact)
    add(into, IDIC_RANK_HISTORY_COLLECTION, `${axis.key}:e:${bucket}`, `${day}:${value}`, delta);
}

function add(into: RankCounters, collection: string, set: string, counter: string, delta: number): void {
  const key = `${collection}${SEPARATOR}${set}${SEPARATOR}${counter}`;
  const total = (into.get(key) ?? 0) + delta;
  if (total === 0) into.delete(key);
  else into.set(key, total);
}

/**
 * The increments that turn the customers' counters before into their
 * counters after (either side may be empty), one write per counter set.
 */
export function rankIncrements(
  changes: Iterable<{ readonly before: RankCounters; readonly after: RankCounters }>,
): Write[] {
  const sets = new Map<string, Map<string, number>>();
  const addDelta = (key: string, delta: number): void => {
    const split = key.lastIndexOf(SEPARATOR);
    const set = key.slice(0, split);
    const counters = sets.get(set) ?? new Map<string, number>();
    sets.set(set, counters);
    counters.set(key.slice(split + 1), (counters.get(key.slice(split + 1)) ?? 0) + delta);
  };
  for (const { before, after } of changes) {
    for (const [key, value] of after) {
      const delta = value - (before.get(key) ?? 0);
      if (delta !== 0) addDelta(key, delta);
    }
    for (const [key, value] of before) if (!after.has(key)) addDelta(key, -value);
  }
  const writes: Write[] = [];
  for (const [set, counters] of sets) {
    const nonZero = [...counters].filter(([, delta]) => delta !== 0);
    if (nonZero.length === 0) continue;
    const split = set.indexOf(SEPARATOR);
    writes.push({
      kind: 'increment',
      collection: set.slice(0, split),
      id: set.slice(split + 1),
      counters: Object.fromEntries(nonZero),
    });
  }
  return writes;
}

/**
 * The counters a batch's change of one customer's document moves, as the
 * increments rankIncrements takes; none when the facts the ranks follow are
 * the very same lists (a fold copies a list only when it adds to it, so a
 * touchpoint or a profile change ranks nothing anew).
 */
export function rankChange(
  before: IdicDocument | null,
  after: IdicDocument | null,
): { readonly before: RankCounters; readonly after: RankCounters } | null {
  if (before !== null && after !== null && sameRankedFacts(before, after)) return null;
  return { before: rankCountersOf(before), after: rankCountersOf(after) };
}

function sameRankedFacts(a: IdicDocument, b: IdicDocument): boolean {
  return (
    a.facts.orders === b.facts.orders &&
    a.facts.refunds === b.facts.refunds &&
    a.facts.registrations === b.facts.registrations &&
    a.facts.repeatedOrders === b.facts.repeatedOrders
  );
}
