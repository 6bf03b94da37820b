import type { Write } from '@crm/read-store';
import { epochMs } from '../../shared/instant';
import type { IdicDocument } from '../idic.document';
import { axisValue, liveRevenueBucket, monthOfDay, RANK_AXES, type RankAxis } from './rank-axes';
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
 * as of day D are the sum of the points before D below v. Per axis X (M, F,
 * R; see rank-axes for the coarse and fine buckets):
 *
 * | set                    | counter            | sums the points …                          |
 * | ---------------------- | ------------------ | ------------------------------------------ |
 * | `X:m`                  | `<month>:<coarse>` | of a month in a coarse bucket              |
 * | `X:d:<month>`          | `<day>:<coarse>`   | of a day in a coarse bucket                |
 * | `X:f:<coarse>`         | `<month>:<fine>`   | of a month in a fine bucket (M, R)         |
 * | `X:e:<fine>`           | `<month>:<value>`  | of a month at a value (M, R)               |
 * | `X:x:<month>:<coarse>` | `<day>:<value>`    | of a day of that month at a value (M, R)   |
 *
 * The points before D below v, with m the month of D: the coarse buckets
 * below v's in the months before m (X:m) and on the days of m before D
 * (X:d:m); within v's coarse bucket, the fine buckets below v's in the
 * months before m (X:f), the values below v in v's fine bucket in the
 * months before m (X:e), and the values below v on the days of m before D
 * (X:x). Five sets, each bounded by months × buckets or by the points of
 * one bucket, never the whole history of a value range.
 */
export const IDIC_RANK_HISTORY_COLLECTION = 'idic_rank_history';

/**
 * Counters of customers, or the increments of a unit: per counter set,
 * counter → value, each customer added with +1 or taken out with −1. A
 * changed customer's old document is taken out and the new one added in
 * the same tally, so no per-customer map is built and compared; counters
 * that cancel stay at 0 and are left out of the writes.
 */
export class RankTally {
  /** Per collection: set id → counter → value. */
  private readonly collections = new Map<string, Map<string, Map<string, number>>>([
    [IDIC_RANKS_COLLECTION, new Map()],
    [IDIC_RANK_HISTORY_COLLECTION, new Map()],
  ]);

  /** Adds (sign 1) or takes out (sign −1) what one document counts, live and as of every day. */
  count(doc: IdicDocument | null, sign: 1 | -1): void {
    if (doc === null) return;
    this.live(doc, sign);
    this.history(doc, sign);
  }

  /** The increments, one write per counter set, each the tally's own Map (the store leaves out zeros). */
  writes(): Write[] {
    const writes: Write[] = [];
    for (const [collection, sets] of this.collections)
      for (const [id, counters] of sets)
        if (counters.size > 0) writes.push({ kind: 'increment', collection, id, counters });
    return writes;
  }

  /** Today's purchasers (nothing for a prospect). */
  private live(doc: IdicDocument, sign: 1 | -1): void {
    if (doc.orders < 1 || doc.lastPurchaseAt === null) return;
    const sets = this.sets(IDIC_RANKS_COLLECTION);
    const revenueBucket = liveRevenueBucket(doc.netRevenue);
    const lastMs = epochMs(doc.lastPurchaseAt);
    const lastDay = dayOfMs(lastMs);
    add(sets, 'M', String(revenueBucket), sign);
    add(sets, `M:${revenueBucket}`, String(doc.netRevenue), sign);
    add(sets, 'F', String(doc.orders), sign);
    add(sets, 'R', String(lastDay), sign);
    add(sets, `R:${lastDay}`, String(lastMs), sign);
  }

  /** The purchasers as of every day: −1 at the old value and +1 at the new on each day a value changes. */
  private history(doc: IdicDocument, sign: 1 | -1): void {
    const sets = this.sets(IDIC_RANK_HISTORY_COLLECTION);
    let before: RankedValues | null = null;
    for (const { day, values } of valueTrajectory(doc.facts)) {
      const month = monthOfDay(day);
      for (const axis of RANK_AXES) {
        const old = before === null ? null : axisValue(axis, before);
        const next = values === null ? null : axisValue(axis, values);
        if (old === next) continue;
        if (old !== null) point(sets, axis, day, month, old, -sign);
        if (next !== null) point(sets, axis, day, month, next, sign);
      }
      before = values;
    }
  }

  private sets(collection: string): Map<string, Map<string, number>> {
    return this.collections.get(collection) as Map<string, Map<string, number>>;
  }
}

function point(
  sets: Map<string, Map<string, number>>,
  axis: RankAxis,
  day: Day,
  month: number,
  value: number,
  delta: number,
): void {
  const coarse = axis.coarse(value);
  const ids = historySetIds(axis.key);
  add(sets, ids.months, `${month}:${coarse}`, delta);
  add(sets, ids.days(month), `${day}:${coarse}`, delta);
  if (axis.fine === undefined) return;
  const fine = axis.fine(value);
  add(sets, ids.fine(coarse), `${month}:${fine}`, delta);
  add(sets, ids.exact(fine), `${month}:${value}`, delta);
  add(sets, ids.monthExact(month, coarse), `${day}:${value}`, delta);
}

function add(sets: Map<string, Map<string, number>>, set: string, counter: string, delta: number): void {
  let counters = sets.get(set);
  if (counters === undefined) {
    counters = new Map();
    sets.set(set, counters);
  }
  counters.set(counter, (counters.get(counter) ?? 0) + delta);
}

/** The set ids of one axis in idic_rank_history (see above), the numbered ones interned. */
export type HistorySetIds = {
  readonly months: string;
  readonly days: (month: number) => string;
  readonly fine: (coarse: number) => string;
  readonly exact: (fine: number) => string;
  readonly monthExact: (month: number, coarse: number) => string;
};

const historyIds = new Map<string, HistorySetIds>();

export function historySetIds(axis: string): HistorySetIds {
  const known = historyIds.get(axis);
  if (known !== undefined) return known;
  const made: HistorySetIds = {
    months: `${axis}:m`,
    days: interned(`${axis}:d:`),
    fine: interned(`${axis}:f:`),
    exact: interned(`${axis}:e:`),
    monthExact: pairInterned(`${axis}:x:`),
  };
  historyIds.set(axis, made);
  return made;
}

function interned(prefix: string): (key: number) => string {
  const ids = new Map<number, string>();
  return (key) => {
    let id = ids.get(key);
    if (id === undefined) {
      if (ids.size >= 100_000) ids.clear();
      id = `${prefix}${key}`;
      ids.set(key, id);
    }
    return id;
  };
}

function pairInterned(prefix: string): (first: number, second: number) => string {
  const byFirst = new Map<number, (second: number) => string>();
  return (first, second) => {
    let ids = byFirst.get(first);
    if (ids === undefined) {
      if (byFirst.size >= 10_000) byFirst.clear();
      ids = interned(`${prefix}${first}:`);
      byFirst.set(first, ids);
    }
    return ids(second);
  };
}

/**
 * The increments a batch's change of one customer's document makes, into
 * `tally`; nothing when the facts the ranks follow are the very same lists
 * (a fold copies a list only when it adds to it, so a touchpoint or a
 * profile change ranks nothing anew).
 */
export function countRankChange(
  tally: RankTally,
  before: IdicDocument | null,
  after: IdicDocument | null,
): void {
  if (before !== null && after !== null && sameRankedFacts(before, after)) return;
  tally.count(after, 1);
  tally.count(before, -1);
}

function sameRankedFacts(a: IdicDocument, b: IdicDocument): boolean {
  return (
    a.facts.orders === b.facts.orders &&
    a.facts.refunds === b.facts.refunds &&
    a.facts.registrations === b.facts.registrations &&
    a.facts.repeatedOrders === b.facts.repeatedOrders
  );
}
