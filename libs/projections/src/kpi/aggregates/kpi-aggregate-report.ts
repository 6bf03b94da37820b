import { Slicer } from '@crm/platform/slicing';
import type { CounterSet, ReadStore } from '@crm/read-store';
import { kpisFromCounters, type PayneFrowKpis } from '../payne-frow-kpis';
import {
  type Day,
  daySetId,
  firstDayOfMonth,
  type Month,
  monthOfDay,
  monthOfSetId,
  monthSetId,
  MONTH_SETS,
  piecesOf,
} from './kpi-days';
import {
  crossDaysOfDaySetId,
  crossDaysSetId,
  KPI_PERIOD_COLLECTION,
  KPI_TOTALS_COLLECTION,
} from './kpi-term-sink';
import { readResponses, ResponseMedian } from './response-median';

/** A period of whole UTC days: `from` inclusive, `to` exclusive. */
export type DayPeriod = { readonly from: Day; readonly to: Day };

export type AggregateReportOptions = {
  /**
   * Time travel: only first responses, survey answers and SLA breaches that
   * occurred before this day count (the facts that may come after a period's end).
   */
  readonly knownBefore?: Day;
};

type Sums = ReadonlyMap<string, number>;

/**
 * The KPIs of each period from the aggregates: the sums of T- and F-counters
 * over every day before each bound (the months before the bound's month,
 * then that month's days), and the cross and response counters of each
 * period's own months and days. Reads O(months of history + days at the
 * edges), never a customer document.
 */
export async function kpisFromAggregates(
  store: ReadStore,
  periods: readonly DayPeriod[],
  options: AggregateReportOptions = {},
): Promise<PayneFrowKpis[]> {
  const bounds = [...new Set(periods.flatMap((period) => [period.from, period.to]))].sort((a, b) => a - b);
  const prefixes = await prefixSums(store, bounds);
  const setsOf = periods.map((period) => periodSetIds(period));
  const slicer = new Slicer();
  const pieceSets = await readPieces(
    store,
    [...new Set(setsOf.flatMap((ids) => [...ids.pieces, ...ids.crossDays]))],
    options.knownBefore,
    slicer,
  );
  const values: PeriodValues[] = [];
  for (const [index, period] of periods.entries()) {
    const ids = setsOf[index] as PeriodSetIds;
    const inPeriod = [...ids.pieces, ...ids.crossDays].flatMap((id) => {
      const set = pieceSets.get(id);
      return set === undefined ? [] : [set];
    });
    values.push(
      await PeriodValues.of(
        prefixes.get(period.to) ?? new Map(),
        prefixes.get(period.from) ?? new Map(),
        inPeriod,
        ids.pieces,
        period.from,
        slicer,
      ),
    );
  }
  const exact = await readResponses(
    store,
    values.flatMap((value) => value.median.sets),
    slicer,
  );
  const reports: PayneFrowKpis[] = [];
  for (const value of values) {
    const medianFirstResponseMinutes = value.median.of(exact, options.knownBefore);
    reports.push(
      kpisFromCounters({
        value: (metric) => value.value(metric),
        family: (prefix) => value.family(prefix),
        medianFirstResponseMinutes,
      }),
    );
    await slicer.tick();
  }
  return reports;
}

type PeriodSetIds = {
  /** The period's day and month sets. */
  readonly pieces: readonly string[];
  /**
   * For its months and its days after `from`'s month, the cross terms whose
   * x is in `from`'s month (none when `from` starts a month).
   */
  readonly crossDays: readonly string[];
};

function periodSetIds(period: DayPeriod): PeriodSetIds {
  const pieces = piecesOf(period.from, period.to);
  const fromMonth = monthOfDay(period.from);
  const fromStartsMonth = period.from === firstDayOfMonth(fromMonth);
  return {
    pieces: pieces.map((piece) => (piece.level === 'day' ? daySetId(piece.day) : monthSetId(piece.month))),
    crossDays: fromStartsMonth
      ? []
      : pieces.flatMap((piece) => {
          if (piece.level === 'month') return [crossDaysSetId(piece.month, fromMonth)];
          return monthOfDay(piece.day) > fromMonth ? [crossDaysOfDaySetId(piece.day, fromMonth)] : [];
        }),
  };
}

/**
 * A period set as read, its sums worked out once for every period that
 * holds it: the cross terms by metric for each distinct `from` (a set is
 * in a month's period and in the total, which mostly share it), the first
 * responses by bucket and the settled terms once (the time-travel day is
 * the report's). A day set
 * holds thousands of counters and a period needs a few dozen sums from it,
 * so nothing is kept per counter.
 */
class PieceSet {
  private readonly crossByFrom = new Map<Day, readonly (readonly [string, number])[]>();
  private buckets: ReadonlyMap<number, number> | undefined;
  private settledSums: readonly (readonly [string, number])[] | undefined;

  constructor(
    private readonly counters: ReadonlyMap<string, number>,
    private readonly knownBefore: Day | undefined,
  ) {}

  /**
   * Σ w of the `X:` entries with x < from, by metric, then of the `Y:`
   * entries with x's month before from's month, those not 0, metrics in
   * the order they first appear.
   */
  crossBefore(from: Day): readonly (readonly [string, number])[] {
    let sums = this.crossByFrom.get(from);
    if (sums === undefined) {
      sums = crossSums(this.counters, from, monthOfDay(from));
      this.crossByFrom.set(from, sums);
    }
    return sums;
  }

  /** Bucket → first responses (`Q:` entries), those given before the time-travel day only. */
  responseBuckets(): ReadonlyMap<number, number> {
    this.buckets ??= bucketCounts(this.counters, this.knownBefore);
    return this.buckets;
  }

  /** Σ w of the `S:` entries by metric, those settled before the time-travel day only. */
  settled(): readonly (readonly [string, number])[] {
    this.settledSums ??= settledSums(this.counters, this.knownBefore);
    return this.settledSums;
  }
}

const COLON = 0x3a;
const X_KIND = 0x58;
const Y_KIND = 0x59;
const Q_KIND = 0x51;
const S_KIND = 0x53;

function crossSums(
  counters: ReadonlyMap<string, number>,
  from: Day,
  fromMonth: Month,
): (readonly [string, number])[] {
  const byX = new Map<string, number>();
  const byY = new Map<string, number>();
  for (const [counter, value] of counters) {
    if (counter.charCodeAt(1) !== COLON) continue;
    const kind = counter.charCodeAt(0);
    if (kind !== X_KIND && kind !== Y_KIND) continue;
    const split = counter.indexOf(':', 2);
    const before = kind === X_KIND ? from : fromMonth;
    const metric = counter.slice(split + 1);
    const into = kind === X_KIND ? byX : byY;
    const sum = (into.get(metric) ?? 0) + (integerAt(counter, 2, split) < before ? value : 0);
    into.set(metric, sum);
  }
  return [...byX, ...byY].filter(([, sum]) => sum !== 0);
}

function settledSums(
  counters: ReadonlyMap<string, number>,
  knownBefore: Day | undefined,
): (readonly [string, number])[] {
  const sums = new Map<string, number>();
  for (const [counter, value] of counters) {
    if (counter.charCodeAt(0) !== S_KIND || counter.charCodeAt(1) !== COLON) continue;
    const split = counter.indexOf(':', 2);
    if (knownBefore !== undefined && integerAt(counter, 2, split) >= knownBefore) continue;
    const metric = counter.slice(split + 1);
    sums.set(metric, (sums.get(metric) ?? 0) + value);
  }
  return [...sums].filter(([, sum]) => sum !== 0);
}

function bucketCounts(
  counters: ReadonlyMap<string, number>,
  respondedBefore: Day | undefined,
): Map<number, number> {
  const buckets = new Map<number, number>();
  for (const [counter, count] of counters) {
    if (counter.charCodeAt(0) !== Q_KIND || counter.charCodeAt(1) !== COLON) continue;
    const split = counter.indexOf(':', 2);
    if (respondedBefore !== undefined && integerAt(counter, 2, split) >= respondedBefore) continue;
    const bucket = integerAt(counter, split + 1, counter.length);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + count);
  }
  return buckets;
}

/** The integer written in `text` from `start` to `end`, read as Number() reads it, without a substring. */
function integerAt(text: string, start: number, end: number): number {
  let negative = false;
  let at = start;
  if (text.charCodeAt(at) === 0x2d) {
    negative = true;
    at++;
  }
  if (at >= end || end - at > 15) return Number(text.slice(start, end));
  let value = 0;
  for (; at < end; at++) {
    const digit = text.charCodeAt(at) - 0x30;
    if (digit < 0 || digit > 9) return Number(text.slice(start, end));
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}

/**
 * The period sets, a few at a time with a turn of the event loop between
 * (a month's set holds thousands of counters).
 */
async function readPieces(
  store: ReadStore,
  ids: readonly string[],
  knownBefore: Day | undefined,
  slicer: Slicer,
): Promise<Map<string, PieceSet>> {
  const pieces = new Map<string, PieceSet>();
  for (let start = 0; start < ids.length; start += PIECES_PER_READ) {
    for (const set of await store.getCounters(
      KPI_PERIOD_COLLECTION,
      ids.slice(start, start + PIECES_PER_READ),
    )) {
      pieces.set(set.id, new PieceSet(set.counters, knownBefore));
    }
    await slicer.tick();
  }
  return pieces;
}

const PIECES_PER_READ = 8;

/** Σ over every day before each bound of the T- and F-counters. */
async function prefixSums(store: ReadStore, bounds: readonly Day[]): Promise<Map<Day, Sums>> {
  const last = bounds[bounds.length - 1];
  if (last === undefined) return new Map();
  const months = await store.rangeCounters(KPI_TOTALS_COLLECTION, {
    from: MONTH_SETS.first,
    to: monthSetId(monthOfDay(last)),
  });
  const running = new Map<string, number>();
  const sums = new Map<Day, Sums>();
  let next = 0;
  for (const bound of bounds) {
    const month: Month = monthOfDay(bound);
    for (; next < months.length && monthOfSetId((months[next] as CounterSet).id) < month; next++)
      addInto(running, months[next] as CounterSet);
    const sum = new Map(running);
    const monthStart = firstDayOfMonth(month);
    if (bound > monthStart) {
      const days = await store.rangeCounters(KPI_TOTALS_COLLECTION, {
        from: daySetId(monthStart),
        to: daySetId(bound),
      });
      for (const day of days) addInto(sum, day);
    }
    sums.set(bound, sum);
  }
  return sums;
}

function addInto(sum: Map<string, number>, set: CounterSet): void {
  for (const [counter, value] of set.counters) sum.set(counter, (sum.get(counter) ?? 0) + value);
}

/** The figures of one period [from, to): V(m) = ΣT(to) + ΣF(from) + ΣW(to) − ΣW(from) + cross and settled terms inside. */
class PeriodValues {
  private constructor(
    private readonly atTo: Sums,
    private readonly atFrom: Sums,
    private readonly cross: ReadonlyMap<string, number>,
    readonly median: ResponseMedian,
  ) {}

  /**
   * @param inPeriod the sets of the period's days and months, then of their
   *   cross terms by x's month (`X:` entries in those and the day sets,
   *   `Y:` in the day and month sets, `Q:` and `S:` in the day and month sets)
   * @param pieceSetIds the ids of the period's day and month sets
   */
  static async of(
    atTo: Sums,
    atFrom: Sums,
    inPeriod: readonly PieceSet[],
    pieceSetIds: readonly string[],
    from: Day,
    slicer: Slicer,
  ): Promise<PeriodValues> {
    const cross = new Map<string, number>();
    const buckets = new Map<number, number>();
    for (const piece of inPeriod) {
      for (const [metric, sum] of piece.crossBefore(from)) cross.set(metric, (cross.get(metric) ?? 0) + sum);
      // Settled terms are in-period parts too: the day they count in is the set's.
      for (const [metric, sum] of piece.settled()) cross.set(metric, (cross.get(metric) ?? 0) + sum);
      for (const [bucket, count] of piece.responseBuckets())
        buckets.set(bucket, (buckets.get(bucket) ?? 0) + count);
      await slicer.tick();
    }
    return new PeriodValues(atTo, atFrom, cross, new ResponseMedian(buckets, pieceSetIds));
  }

  value(metric: string): number {
    const within = (this.atTo.get(`W:${metric}`) ?? 0) - (this.atFrom.get(`W:${metric}`) ?? 0);
    return (
      (this.atTo.get(`T:${metric}`) ?? 0) +
      (this.atFrom.get(`F:${metric}`) ?? 0) +
      within +
      (this.cross.get(metric) ?? 0)
    );
  }

  /** Every metric `prefix|…` with its value, the part after the prefix as key. */
  family(prefix: string): Map<string, number> {
    const names = new Set<string>();
    for (const sums of [this.atTo, this.atFrom]) {
      for (const counter of sums.keys()) if (counter.startsWith(prefix, 2)) names.add(counter.slice(2));
    }
    for (const metric of this.cross.keys()) if (metric.startsWith(prefix)) names.add(metric);
    return new Map([...names].map((metric) => [metric.slice(prefix.length), this.value(metric)] as const));
  }
}
