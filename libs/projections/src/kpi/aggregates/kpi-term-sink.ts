import type { Write } from '@crm/read-store';
import { type Day, daySetId, firstDayOfMonth, monthOfDay, monthSetId } from './kpi-days';

/**
 * `T:` and `F:` counters: read as prefix sums over all days before a bound,
 * so they are few per set (one per metric) and kept apart from the period
 * counters, which can be many.
 */
export const KPI_TOTALS_COLLECTION = 'kpi_totals';
/** `X:` and `R:` counters: read only for the days and months inside a period. */
export const KPI_PERIOD_COLLECTION = 'kpi_period';

const SEPARATOR = '\u0000';

/** Outside every day and month range: facts about how the counters were built. */
export const KPI_META_SET = 'meta';

/** How many customers were counted with a given churn window (in ms): a query checks its own is the only one. */
export function churnWindowCounter(churnWindowMs: number): string {
  return `window:${churnWindowMs}`;
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
  private readonly counters = new Map<string, number>();

  /** w·[y < T] */
  atTo(y: Day, metric: string, w: number): void {
    this.addBoth(KPI_TOTALS_COLLECTION, y, `T:${metric}`, w);
  }

  /** w·[x < F] */
  atFrom(x: Day, metric: string, w: number): void {
    this.addBoth(KPI_TOTALS_COLLECTION, x, `F:${metric}`, w);
  }

  /** w·[x < F]·[y < T] */
  cross(x: Day, y: Day, metric: string, w: number): void {
    if (x >= y) {
      this.atFrom(x, metric, w);
      return;
    }
    this.atFrom(y, metric, w);
    const counter = `X:${x}:${metric}`;
    this.add(KPI_PERIOD_COLLECTION, daySetId(y), counter, w);
    const month = monthOfDay(y);
    if (x < firstDayOfMonth(month)) this.add(KPI_PERIOD_COLLECTION, monthSetId(month), counter, w);
  }

  /**
   * w·[F ≤ day < T] = w·[day < T] − w·[day < F]: a fact that counts in the
   * periods that hold its day. One `W:` counter read at both bounds, rather
   * than a T- and an F-counter: half the writes for most facts.
   */
  within(day: Day, metric: string, w: number): void {
    this.addBoth(KPI_TOTALS_COLLECTION, day, `W:${metric}`, w);
  }

  /** One first response, counted in the periods holding the day the case was opened. */
  firstResponse(openedDay: Day, respondedDay: Day, minutesMs: number): void {
    this.addBoth(KPI_PERIOD_COLLECTION, openedDay, `R:${respondedDay}:${minutesMs}`, 1);
  }

  /** Marks the customer as counted with this churn window. */
  countedWithWindow(churnWindowMs: number): void {
    this.add(KPI_TOTALS_COLLECTION, KPI_META_SET, churnWindowCounter(churnWindowMs), 1);
  }

  /** Counter key → value, non-zero only. */
  entries(): ReadonlyMap<string, number> {
    return this.counters;
  }

  private addBoth(collection: string, day: Day, counter: string, w: number): void {
    this.add(collection, daySetId(day), counter, w);
    this.add(collection, monthSetId(monthOfDay(day)), counter, w);
  }

  private add(collection: string, setId: string, counter: string, w: number): void {
    if (w === 0) return;
    const key = `${collection}${SEPARATOR}${setId}${SEPARATOR}${counter}`;
    const total = (this.counters.get(key) ?? 0) + w;
    if (total === 0) this.counters.delete(key);
    else this.counters.set(key, total);
  }
}

/** Counter set (collection and id) → counter → delta. */
export type KpiIncrements = Map<string, Map<string, number>>;

/** Adds to `into` the increments that turn the counters of `before` into those of `after` (either may be empty). */
export function incrementsBetween(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
  into: KpiIncrements = new Map(),
): KpiIncrements {
  const add = (key: string, delta: number): void => {
    if (delta === 0) return;
    const split = key.indexOf(SEPARATOR, key.indexOf(SEPARATOR) + 1);
    const set = key.slice(0, split);
    const counter = key.slice(split + 1);
    let counters = into.get(set);
    if (counters === undefined) {
      counters = new Map();
      into.set(set, counters);
    }
    counters.set(counter, (counters.get(counter) ?? 0) + delta);
  };
  for (const [key, value] of after) add(key, value - (before.get(key) ?? 0));
  for (const [key, value] of before) if (!after.has(key)) add(key, -value);
  return into;
}

/** The increments as writes, one per counter set. Object.fromEntries keeps `__proto__` an own key. */
export function incrementWrites(increments: KpiIncrements): Write[] {
  return [...increments].map(([set, counters]): Write => {
    const split = set.indexOf(SEPARATOR);
    return {
      kind: 'increment',
      collection: set.slice(0, split),
      id: set.slice(split + 1),
      counters: Object.fromEntries(counters),
    };
  });
}
