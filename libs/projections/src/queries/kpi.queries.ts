import type { ReadStore, StoredDocument } from '@crm/read-store';
import { computeKpis } from '../kpi/compute-kpis';
import {
  churnWindowCounter,
  type Day,
  KPI_META_SET,
  KPI_TOTALS_COLLECTION,
  kpisFromAggregates,
  wholeDayOf,
} from '../kpi/aggregates';
import type { KpiFactsDocument } from '../kpi/facts/kpi-facts.document';
import { instantRangeOf, type KpiGranularity, type KpiPeriod, periodsOf } from '../kpi/kpi-period';
import type { PayneFrowKpis } from '../kpi/payne-frow-kpis';
import { KPI_FACTS_COLLECTION } from '../runner/customer-projections';
import { canonicalInstant, DAY_MS, type IsoInstant } from '../shared/instant';
import { type QueryOptions, resolveQueryOptions, type ResolvedQueryOptions } from './query-options';
import { readAll } from './read-all';

export type KpiQuery = {
  /** Inclusive, ISO-8601. */
  readonly from: string;
  /** Exclusive, ISO-8601. */
  readonly to: string;
  /** Split [from, to) into UTC days, ISO weeks or months; without it, `periods` is [from, to) alone. */
  readonly granularity?: KpiGranularity;
};

export type KpiPeriodView = PayneFrowKpis & { readonly from: IsoInstant; readonly to: IsoInstant };

export type KpiReport = {
  readonly from: IsoInstant;
  readonly to: IsoInstant;
  readonly granularity: KpiGranularity | null;
  readonly periods: KpiPeriodView[];
  /** The whole range [from, to) as one period (not a sum of the buckets: rates do not add up). */
  readonly total: PayneFrowKpis;
};

export type KpiQueryOptions = QueryOptions & {
  /** Upper bound on the buckets of one report; default 400 (a year of days, with room). */
  readonly maxPeriods?: number;
  /**
   * The most customers a report whose bounds split a day may read one by
   * one (the aggregates serve whole UTC days only); default 5,000.
   */
  readonly scanLimit?: number;
  /**
   * The log position the read models reflect (every event up to it applied).
   * Given, reports are kept per query and position: the same question asked
   * again before any event is applied is answered without reading the
   * counters (dashboards ask the same periods over and over).
   */
  readonly position?: () => number;
};

/** Reports kept for the position they were computed at. */
const CACHED_REPORTS = 256;

const DEFAULT_MAX_PERIODS = 400;
const DEFAULT_SCAN_LIMIT = 2_000;

/**
 * A report the aggregates cannot serve (a bound inside a UTC day, or
 * counters built with another churn window or counter layout) over more customers than a scan
 * may read. The caller says so rather than hold the process for seconds.
 */
export class KpiScanTooLargeError extends Error {
  readonly code = 'KPI.SCAN_TOO_LARGE';

  constructor(
    readonly reason: 'bounds-inside-a-day' | 'other-churn-window',
    readonly customers: number,
    readonly limit: number,
  ) {
    super(
      reason === 'bounds-inside-a-day'
        ? `Bounds inside a UTC day are computed customer by customer, and ${customers} customers are more than ${limit}: ` +
            'use whole UTC days (…T00:00:00Z), which the aggregates serve'
        : `The KPI aggregates were counted with another churn window or by an older version; ${customers} customers are more than ${limit} ` +
            'to compute one by one: rebuild the payne-frow-kpis projection',
    );
    this.name = 'KpiScanTooLargeError';
  }
}

/** Time travel: the report as the facts known before `asOf` (a whole UTC day) give it. */
export type KpiAsOf = { readonly asOfDay: Day };

/**
 * Payne & Frow KPIs for any period (projectionLag is the caller's: it knows
 * the log head). Whole-day bounds — every bucket of a report then has them
 * too — are read from the day and month counters the projection keeps
 * (kpi/aggregates): O(months of history + days at the edges), whatever the
 * number of customers. Bounds inside a day, or counters built with another
 * churn window, fall back to computing from every customer's facts, up to
 * `scanLimit` customers.
 */
export class KpiQueries {
  private readonly options: ResolvedQueryOptions;
  private readonly maxPeriods: number;
  private readonly scanLimit: number;
  private readonly position: (() => number) | undefined;
  private readonly cache = new Map<string, { readonly position: number; readonly report: KpiReport }>();
  private readonly inFlight = new Map<string, Promise<KpiReport>>();

  constructor(
    private readonly store: ReadStore,
    options: KpiQueryOptions = {},
  ) {
    this.options = resolveQueryOptions(options);
    this.maxPeriods = options.maxPeriods ?? DEFAULT_MAX_PERIODS;
    this.scanLimit = options.scanLimit ?? DEFAULT_SCAN_LIMIT;
    this.position = options.position;
  }

  /**
   * @throws RangeError for an unparseable bound, `from` after `to`, or more than maxPeriods buckets.
   * @throws KpiScanTooLargeError when the aggregates cannot serve the report and a scan would be too large.
   */
  async get(query: KpiQuery, asOf?: KpiAsOf): Promise<KpiReport> {
    const position = this.position?.();
    const key = JSON.stringify([query.from, query.to, query.granularity ?? null, asOf?.asOfDay ?? null]);
    const cached = this.cache.get(key);
    if (position !== undefined && cached?.position === position) return cached.report;
    if (position === undefined) return this.compute(query, asOf);
    // The same report asked again while it is computed, at the same position, waits for that computation.
    const flight = `${key}@${position}`;
    const running = this.inFlight.get(flight);
    if (running !== undefined) return running;
    const computing = this.compute(query, asOf);
    this.inFlight.set(flight, computing);
    let report: KpiReport;
    try {
      report = await computing;
    } finally {
      this.inFlight.delete(flight);
    }
    // Kept only if nothing was applied meanwhile: the report is then exactly the one at `position`.
    if (this.position?.() === position) {
      this.cache.delete(key);
      this.cache.set(key, { position, report });
      if (this.cache.size > CACHED_REPORTS) this.cache.delete(this.cache.keys().next().value ?? key);
    }
    return report;
  }

  private async compute(query: KpiQuery, asOf?: KpiAsOf): Promise<KpiReport> {
    instantRangeOf(query);
    const from = canonicalInstant(query.from);
    const to = canonicalInstant(query.to);
    const buckets = query.granularity === undefined ? [{ from, to }] : periodsOf(from, to, query.granularity);
    if (buckets.length > this.maxPeriods) {
      throw new RangeError(`${buckets.length} periods requested; at most ${this.maxPeriods} per report`);
    }
    const periods = [...buckets, { from, to }];
    const kpis = (await this.fromAggregates(periods, asOf)) ?? (await this.fromFacts(periods));
    return {
      from,
      to,
      granularity: query.granularity ?? null,
      periods: buckets.map((period, index) => ({ ...period, ...(kpis[index] as PayneFrowKpis) })),
      total: kpis[kpis.length - 1] as PayneFrowKpis,
    };
  }

  /** Null when a bound is inside a day or the counters hold another churn window. */
  private async fromAggregates(
    periods: readonly KpiPeriod[],
    asOf?: KpiAsOf,
  ): Promise<PayneFrowKpis[] | null> {
    const days = periods.map((period) => ({ from: wholeDayOf(period.from), to: wholeDayOf(period.to) }));
    if (days.some((period) => period.from === null || period.to === null)) {
      await this.assertScannable('bounds-inside-a-day');
      return null;
    }
    if (!(await this.countedWithOwnWindow())) {
      await this.assertScannable('other-churn-window');
      return null;
    }
    return kpisFromAggregates(
      this.store,
      days.map((period) => ({ from: period.from ?? 0, to: period.to ?? 0 })),
      { knownBefore: asOf?.asOfDay },
    );
  }

  private async countedWithOwnWindow(): Promise<boolean> {
    const own = churnWindowCounter(this.options.churnWindowDays * DAY_MS);
    const [meta] = await this.store.getCounters(KPI_TOTALS_COLLECTION, [KPI_META_SET]);
    return [...(meta?.counters ?? [])].every(
      ([counter]) => counter === own || !counter.startsWith('window:'),
    );
  }

  private async assertScannable(reason: KpiScanTooLargeError['reason']): Promise<void> {
    const customers = await this.store.count(KPI_FACTS_COLLECTION);
    if (customers > this.scanLimit) throw new KpiScanTooLargeError(reason, customers, this.scanLimit);
  }

  private async fromFacts(periods: readonly KpiPeriod[]): Promise<PayneFrowKpis[]> {
    const facts = await readAll<KpiFactsDocument & StoredDocument>(this.store, KPI_FACTS_COLLECTION);
    const options = { churnWindowDays: this.options.churnWindowDays };
    return periods.map((period) => computeKpis(facts, period, options));
  }
}
