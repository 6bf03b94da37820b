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
 * as of day D are the sum of the points before D below v. With m the month
 * of D, a point before D is in a month before m or on a day of m before D;
 * a value below v first differs from v at one level of the axis's buckets
 * (rank-axes; the last level is the value itself). So per axis X, level j
 * and the bucket p that holds v one level up (empty for the first level):
 *
 * | set                 | counter             | sums the points …                                 |
 * | ------------------- | ------------------- | ------------------------------------------------- |
 * | `X:m<j>:<p>`        | `<month>:<bucket>`  | of a month, by their level-j bucket inside p      |
 * | `X:d<j>:<month>:<p>`| `<day>:<bucket>`    | of a day of that month, by level-j bucket in p    |
 *
 * and the purchasers below v as of D are, over the levels, the counters of
 * `X:m<j>` below (m, v's bucket) plus those of `X:d<j>:m` below (D, v's
 * bucket): two sums per level, each over at most the months (or the days of
 * one month) times the buckets inside one bucket, which the read store adds
 * up itself (ReadStore.sumCounters).
 */
export const IDIC_RANK_HISTORY_COLLECTION = 'idic_rank_history';

/**
 * The layout of idic_rank_history, raised when what it holds changes (2:
 * month and day sets per bucket level; 1 had no meta set). The set `meta`
 * counts the customers counted under each layout, so a read finds out
 * whether the counters are all of its own layout.
 */
export const RANK_HISTORY_LAYOUT = 2;
export const RANK_HISTORY_META_SET = 'meta';
export const RANK_HISTORY_LAYOUT_COUNTER = `layout:${RANK_HISTORY_LAYOUT}`;

/** The set of one level's points by month, inside the bucket `parent` of the level above (null for the first level). */
export function monthLevelSet(axis: RankAxis['key'], level: number, parent: number | null): string {
  return `${axis}:m${level}:${parent ?? ''}`;
}

/** The set of one level's points by day of `month`, inside the bucket `parent` of the level above. */
export function dayLevelSet(
  axis: RankAxis['key'],
  level: number,
  month: number,
  parent: number | null,
): string {
  return `${axis}:d${level}:${month}:${parent ?? ''}`;
}

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
  /** The time-indexed points, by number until they become writes. */
  private readonly points = new HistoryPoints();

  /** Adds (sign 1) or takes out (sign −1) what one document counts, live and as of every day. */
  count(doc: IdicDocument | null, sign: 1 | -1): void {
    if (doc === null) return;
    this.live(doc, sign);
    this.history(doc, sign);
    add(this.sets(IDIC_RANK_HISTORY_COLLECTION), RANK_HISTORY_META_SET, RANK_HISTORY_LAYOUT_COUNTER, sign);
  }

  /** The increments, one write per counter set, each the tally's own Map (the store leaves out zeros). */
  writes(): Write[] {
    const writes: Write[] = [];
    this.points.into(this.sets(IDIC_RANK_HISTORY_COLLECTION));
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
    let before: RankedValues | null = null;
    for (const { day, values } of valueTrajectory(doc.facts)) {
      const month = monthOfDay(day);
      for (const axis of RANK_AXES) {
        const old = before === null ? null : axisValue(axis, before);
        const next = values === null ? null : axisValue(axis, values);
        if (old === next) continue;
        if (old !== null) this.points.add(axis, day, month, old, -sign);
        if (next !== null) this.points.add(axis, day, month, next, sign);
      }
      before = values;
    }
  }

  private sets(collection: string): Map<string, Map<string, number>> {
    return this.collections.get(collection) as Map<string, Map<string, number>>;
  }
}

/** Time (month or day) → bucket → points: the counters of one set, by number. */
type Grid = Map<number, Map<number, number>>;
/** One level's sets: by the parent bucket (null at the first level), and the day sets by month first. */
type LevelSets = {
  readonly months: Map<number | null, Grid>;
  readonly days: Map<number, Map<number | null, Grid>>;
};

/**
 * The points of a tally keyed by numbers: a rebuild adds millions, and
 * building a set id and a counter name for each would cost more than the
 * additions; names are made once per counter, when the points become writes.
 */
class HistoryPoints {
  private readonly byAxis = new Map<RankAxis['key'], LevelSets[]>();

  /** One point at every level of the axis: in the level's month set and in its day set. */
  add(axis: RankAxis, day: Day, month: number, value: number, delta: number): void {
    const levels = this.levelsOf(axis);
    let parent: number | null = null;
    for (let level = 0; level < levels.length; level++) {
      const bucketOf = axis.levels[level];
      const bucket = bucketOf === undefined ? value : bucketOf(value);
      const sets = levels[level] as LevelSets;
      bump(gridOf(sets.months, parent), month, bucket, delta);
      let dayGrids = sets.days.get(month);
      if (dayGrids === undefined) {
        dayGrids = new Map();
        sets.days.set(month, dayGrids);
      }
      bump(gridOf(dayGrids, parent), day, bucket, delta);
      parent = bucket;
    }
  }

  /** Adds the points, named, to the collection's sets (set id → counter → value); zeros left out. */
  into(sets: Map<string, Map<string, number>>): void {
    for (const [axis, levels] of this.byAxis)
      levels.forEach((level, index) => {
        for (const [parent, grid] of level.months) named(sets, monthLevelSet(axis, index, parent), grid);
        for (const [month, grids] of level.days)
          for (const [parent, grid] of grids) named(sets, dayLevelSet(axis, index, month, parent), grid);
      });
    this.byAxis.clear();
  }

  private levelsOf(axis: RankAxis): LevelSets[] {
    let levels = this.byAxis.get(axis.key);
    if (levels === undefined) {
      levels = Array.from({ length: axis.levels.length + 1 }, () => ({ months: new Map(), days: new Map() }));
      this.byAxis.set(axis.key, levels);
    }
    return levels;
  }
}

function gridOf(grids: Map<number | null, Grid>, parent: number | null): Grid {
  let grid = grids.get(parent);
  if (grid === undefined) {
    grid = new Map();
    grids.set(parent, grid);
  }
  return grid;
}

function bump(grid: Grid, time: number, bucket: number, delta: number): void {
  let row = grid.get(time);
  if (row === undefined) {
    row = new Map();
    grid.set(time, row);
  }
  row.set(bucket, (row.get(bucket) ?? 0) + delta);
}

function named(sets: Map<string, Map<string, number>>, id: string, grid: Grid): void {
  for (const [time, row] of grid)
    for (const [bucket, count] of row) if (count !== 0) add(sets, id, `${time}:${bucket}`, count);
}

function add(sets: Map<string, Map<string, number>>, set: string, counter: string, delta: number): void {
  let counters = sets.get(set);
  if (counters === undefined) {
    counters = new Map();
    sets.set(set, counters);
  }
  counters.set(counter, (counters.get(counter) ?? 0) + delta);
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
