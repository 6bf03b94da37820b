import type { Write } from '@crm/read-store';
import { moneyBucket } from '../../idic/ranks/rank-axes';
import { type Day, daySetId, type Month, monthOfDay, monthSetId } from './kpi-days';

/**
 * `T:` and `F:` counters: read as prefix sums over all days before a bound,
 * so they are few per set (one per metric) and kept apart from the period
 * counters, which can be many.
 */
export const KPI_TOTALS_COLLECTION = 'kpi_totals';
/** `X:`, `Y:` and `Q:` counters: read only for the days and months inside a period. */
export const KPI_PERIOD_COLLECTION = 'kpi_period';
/**
 * `R:` counters, the exact first responses, one set per day or month and
 * bucket of response time: a median reads every bucket's count (`Q:`) and
 * then the exact values of the one or two buckets that hold it.
 */
export const KPI_RESPONSES_COLLECTION = 'kpi_responses';

/**
 * The bucket of a first response time in ms: four to each power of two (one
 * per value below 8 ms), so about 125 up to a month, in the order of the
 * values. The same order-preserving bucketing as the rank histograms'.
 */
export function responseBucket(ms: number): number {
  return moneyBucket(ms, 4);
}

/** The set of the first responses of a day's or month's set (`d:…`, `m:…`) in one bucket. */
export function responseSetId(periodSetId: string, bucket: number): string {
  return `${periodSetId}|${bucket}`;
}

/** Outside every day and month range: facts about how the counters were built. */
export const KPI_META_SET = 'meta';

/**
 * The layout of the counters: raised when what they hold changes (2: first
 * responses as bucket counts and exact values per bucket; 3: cross terms
 * of a month by the month of their x; 4: those of a day too; 5: survey
 * requests and SLA breaches, with the facts they are counted from), so
 * counters written by an older version are not read as if they were this one's.
 */
const COUNTER_LAYOUT = 5;

/**
 * How many customers were counted with a given churn window (in ms) and
 * this layout: a query checks its own is the only one.
 */
export function churnWindowCounter(churnWindowMs: number): string {
  return `window:${churnWindowMs}:layout:${COUNTER_LAYOUT}`;
}

/** The four tables of counters: (totals | period) × (day | month). */
const TOTALS_DAY = 0;
const TOTALS_MONTH = 1;
const PERIOD_DAY = 2;
const PERIOD_MONTH = 3;

/**
 * Counters of one customer, or the increments of a unit: per table, by day
 * or month number, counter → value. Numbers as keys and interned counter
 * names keep a rebuild's millions of additions cheap; set ids are written
 * only when the increments become writes.
 */
export class KpiCounters {
  readonly tables: readonly Map<number, Map<string, number>>[] = [new Map(), new Map(), new Map(), new Map()];
  readonly meta = new Map<string, number>();
  /** kpi_responses: set id → counter → value. */
  readonly responses = new Map<string, Map<string, number>>();
  /** kpi_period's sets of cross terms by the month of their x (crossDaysSetId, crossDaysOfDaySetId): set id → counter → value. */
  readonly crossDays = new Map<string, Map<string, number>>();

  add(table: number, key: number, counter: string, w: number): void {
    const sets = this.tables[table] as Map<number, Map<string, number>>;
    let counters = sets.get(key);
    if (counters === undefined) {
      counters = new Map();
      sets.set(key, counters);
    }
    counters.set(counter, (counters.get(counter) ?? 0) + w);
  }
}

/** Interned `T:`, `F:` and `W:` names of a metric. */
const prefixed = new Map<string, readonly [string, string, string]>();

function namesOf(metric: string): readonly [string, string, string] {
  let names = prefixed.get(metric);
  if (names === undefined) {
    names = [`T:${metric}`, `F:${metric}`, `W:${metric}`];
    if (prefixed.size > 100_000) prefixed.clear();
    prefixed.set(metric, names);
  }
  return names;
}

/** Interned `X:<x>:<metric>` names. */
const crossNames = new Map<string, Map<Day, string>>();

function crossName(x: Day, metric: string): string {
  let byDay = crossNames.get(metric);
  if (byDay === undefined) {
    if (crossNames.size > 10_000) crossNames.clear();
    byDay = new Map();
    crossNames.set(metric, byDay);
  }
  let name = byDay.get(x);
  if (name === undefined) {
    name = `X:${x}:${metric}`;
    byDay.set(x, name);
  }
  return name;
}

/** Interned `Y:<x's month>:<metric>` names. */
const crossMonthNames = new Map<string, Map<Month, string>>();

function crossMonthName(xMonth: Month, metric: string): string {
  let byMonth = crossMonthNames.get(metric);
  if (byMonth === undefined) {
    if (crossMonthNames.size > 10_000) crossMonthNames.clear();
    byMonth = new Map();
    crossMonthNames.set(metric, byMonth);
  }
  let name = byMonth.get(xMonth);
  if (name === undefined) {
    name = `Y:${xMonth}:${metric}`;
    byMonth.set(xMonth, name);
  }
  return name;
}

/** The `X:` entries of `month`'s cross terms whose x is in `xMonth` (a set of kpi_period). */
export function crossDaysSetId(month: Month, xMonth: Month): string {
  return `${monthSetId(month)}|${xMonth}`;
}

/** The `X:` entries of `day`'s cross terms whose x is in `xMonth`, a month before the day's (a set of kpi_period). */
export function crossDaysOfDaySetId(day: Day, xMonth: Month): string {
  return `${daySetId(day)}|${xMonth}`;
}

/**
 * A customer's contribution to every KPI of every period, written as terms
 * whose sum over customers is each figure (see kpi-terms.ts). For a period
 * [F, T) of whole days, a figure is
 *
 *   V(F, T) = Σ T-terms w·[y < T] + Σ F-terms w·[x < F] + Σ cross terms w·[x < F]·[y < T]
 *
 * (A fact counted in the periods holding its day, w·[F ≤ d < T], is the
 * T-term (d, w) with the F-term (d, −w), kept as one `W:` counter.)
 * A T- or F-term is kept in the counters of its day and of its day's month,
 * so the sum over every day before a bound reads the months before it and
 * the days of its own month. A cross term with x < y is split, for F ≤ T,
 * into Σ_{y<F} w (an F-term at y) and Σ_{F ≤ y < T} w·[x < F], which is read
 * from the days and months of the period itself: the term is kept in y's
 * day under its x, and in y's month when x is before that month (a month
 * inside a period starts at or after F, so a later x never counts there).
 * With x ≥ y a cross term is an F-term at x: y ≤ x < F ≤ T.
 */
export class KpiTermSink {
  /**
   * @param counters where the terms are added (a unit's increments, or a fresh set)
   * @param sign −1 takes a customer's terms back out: a changed customer is
   *   their new terms into the unit's increments and their old ones with −1
   */
  constructor(
    private readonly counters: KpiCounters = new KpiCounters(),
    private readonly sign: 1 | -1 = 1,
  ) {}

  /** w·[y < T] */
  atTo(y: Day, metric: string, w: number): void {
    this.addBoth(TOTALS_DAY, y, namesOf(metric)[0], w);
  }

  /** w·[x < F] */
  atFrom(x: Day, metric: string, w: number): void {
    this.addBoth(TOTALS_DAY, x, namesOf(metric)[1], w);
  }

  /** w·[x < F]·[y < T] */
  cross(x: Day, y: Day, metric: string, w: number): void {
    if (x >= y) {
      this.atFrom(x, metric, w);
      return;
    }
    this.atFrom(y, metric, w);
    this.inPeriod(x, y, metric, w);
  }

  /**
   * w·([a < F] − [b < F])·[y < T] for a ≤ b ≤ y: the two cross terms'
   * F-parts cancel, so only their in-period parts are kept (the usual case
   * of "the first fact, or pair, inside the period").
   */
  crossDifference(a: Day, b: Day, y: Day, metric: string, w: number): void {
    if (a < y) this.inPeriod(a, y, metric, w);
    if (b < y) this.inPeriod(b, y, metric, -w);
  }

  /**
   * The part Σ_{F ≤ y < T} w·[x < F] of a cross term with x < y. With x in
   * y's month: under x in y's day set (`X:`). With x before y's month:
   * under x's month (`Y:`) in y's day set and in y's month set, and under x
   * itself in the sets of y's day and of y's month for x's month
   * (crossDaysSetId). A day or month inside a period after F's month
   * counts [x < F] as [x's month < F's month] from its own set, plus, for x
   * in F's month when F is not a month's first day, [x < F] from its set
   * for F's month; a day in F's month reads its own `X:` and `Y:` entries.
   * So a day set holds an entry per day of its own month and per earlier
   * month, not per earlier day, and a month-by-month report reads no entry
   * per day at all.
   */
  private inPeriod(x: Day, y: Day, metric: string, w: number): void {
    if (w === 0 || x === y) return;
    const month = monthOfDay(y);
    const xMonth = monthOfDay(x);
    const counter = crossName(x, metric);
    if (xMonth >= month) {
      this.counters.add(PERIOD_DAY, y, counter, this.sign * w);
      return;
    }
    const byMonth = crossMonthName(xMonth, metric);
    this.counters.add(PERIOD_DAY, y, byMonth, this.sign * w);
    this.counters.add(PERIOD_MONTH, month, byMonth, this.sign * w);
    this.addCrossDay(crossDaysSetId(month, xMonth), counter, w);
    this.addCrossDay(crossDaysOfDaySetId(y, xMonth), counter, w);
  }

  private addCrossDay(id: string, counter: string, w: number): void {
    let counters = this.counters.crossDays.get(id);
    if (counters === undefined) {
      counters = new Map();
      this.counters.crossDays.set(id, counters);
    }
    counters.set(counter, (counters.get(counter) ?? 0) + this.sign * w);
  }

  /**
   * w·[F ≤ day < T] = w·[day < T] − w·[day < F]: a fact that counts in the
   * periods that hold its day. One `W:` counter read at both bounds, rather
   * than a T- and an F-counter: half the writes for most facts.
   */
  within(day: Day, metric: string, w: number): void {
    this.addBoth(TOTALS_DAY, day, namesOf(metric)[2], w);
  }

  /**
   * One first response, counted in the periods holding the day the case was
   * opened: its bucket's count (`Q:<respondedDay>:<bucket>`) in the day's
   * and month's period sets, its exact value (`R:<respondedDay>:<ms>`) in
   * their sets of that bucket. The responded day lets time travel leave out
   * responses given after its day.
   */
  firstResponse(openedDay: Day, respondedDay: Day, responseMs: number): void {
    const bucket = responseBucket(responseMs);
    this.addBoth(PERIOD_DAY, openedDay, `Q:${respondedDay}:${bucket}`, 1);
    const exact = `R:${respondedDay}:${responseMs}`;
    for (const periodSet of [daySetId(openedDay), monthSetId(monthOfDay(openedDay))]) {
      const id = responseSetId(periodSet, bucket);
      let counters = this.counters.responses.get(id);
      if (counters === undefined) {
        counters = new Map();
        this.counters.responses.set(id, counters);
      }
      counters.set(exact, (counters.get(exact) ?? 0) + this.sign);
    }
  }

  /**
   * w in the periods holding `day`, once something settled on `settledDay`
   * (an answer to a request, a breach of a case) whenever that was:
   * `S:<settledDay>:<metric>` in the day's and month's period sets. A
   * report sums them all; time travel only those settled before its day,
   * as it does first responses.
   */
  settled(day: Day, settledDay: Day, metric: string, w: number): void {
    this.addBoth(PERIOD_DAY, day, `S:${settledDay}:${metric}`, w);
  }

  /** Marks the customer as counted with this churn window. */
  countedWithWindow(churnWindowMs: number): void {
    const counter = churnWindowCounter(churnWindowMs);
    this.counters.meta.set(counter, (this.counters.meta.get(counter) ?? 0) + this.sign);
  }

  /** The counters; a counter may be 0 where terms cancelled. */
  entries(): KpiCounters {
    return this.counters;
  }

  /** Into the day's set of `table` (TOTALS_DAY or PERIOD_DAY) and its month's. */
  private addBoth(table: number, day: Day, counter: string, w: number): void {
    if (w === 0) return;
    this.counters.add(table, day, counter, this.sign * w);
    this.counters.add(table + 1, monthOfDay(day), counter, this.sign * w);
  }
}

/**
 * The increments as writes, one per counter set, each the tally's own Map
 * (the read store leaves out the counters that cancelled to 0).
 */
export function incrementWrites(increments: KpiCounters): Write[] {
  const writes: Write[] = [];
  const push = (collection: string, id: string, counters: ReadonlyMap<string, number>): void => {
    if (counters.size > 0) writes.push({ kind: 'increment', collection, id, counters });
  };
  increments.tables.forEach((sets, table) => {
    const collection = table < PERIOD_DAY ? KPI_TOTALS_COLLECTION : KPI_PERIOD_COLLECTION;
    const isDay = table !== TOTALS_MONTH && table !== PERIOD_MONTH;
    for (const [key, counters] of sets) push(collection, isDay ? daySetId(key) : monthSetId(key), counters);
  });
  for (const [id, counters] of increments.responses) push(KPI_RESPONSES_COLLECTION, id, counters);
  for (const [id, counters] of increments.crossDays) push(KPI_PERIOD_COLLECTION, id, counters);
  push(KPI_TOTALS_COLLECTION, KPI_META_SET, increments.meta);
  return writes;
}
