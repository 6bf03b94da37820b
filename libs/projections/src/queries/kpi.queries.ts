import type { ReadStore, StoredDocument } from '@crm/read-store';
import { computeKpis } from '../kpi/compute-kpis';
import type { KpiFactsDocument } from '../kpi/facts/kpi-facts.document';
import { instantRangeOf, type KpiGranularity, periodsOf } from '../kpi/kpi-period';
import type { PayneFrowKpis } from '../kpi/payne-frow-kpis';
import { KPI_FACTS_COLLECTION } from '../runner/customer-projections';
import { canonicalInstant, type IsoInstant } from '../shared/instant';
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
};

const DEFAULT_MAX_PERIODS = 400;

/**
 * Payne & Frow KPIs for any period, computed at query time from the
 * per-customer facts (projectionLag is the caller's: it knows the log head).
 *
 * Scaling limit: every call reads every kpi_facts document (paged, MAX_LIMIT
 * at a time) and computes each bucket over all of them, so its cost grows
 * with customers × facts × buckets. Fine for the embedded deployment's tens of
 * thousands of customers; beyond that the facts want pre-aggregation per day
 * (additive counts and sums, with populations such as "active at t" kept as
 * per-day snapshots).
 */
export class KpiQueries {
  private readonly options: ResolvedQueryOptions;
  private readonly maxPeriods: number;

  constructor(
    private readonly store: ReadStore,
    options: KpiQueryOptions = {},
  ) {
    this.options = resolveQueryOptions(options);
    this.maxPeriods = options.maxPeriods ?? DEFAULT_MAX_PERIODS;
  }

  /** @throws RangeError for an unparseable bound, `from` after `to`, or more than maxPeriods buckets. */
  async get(query: KpiQuery): Promise<KpiReport> {
    instantRangeOf(query);
    const from = canonicalInstant(query.from);
    const to = canonicalInstant(query.to);
    const buckets = query.granularity === undefined ? [{ from, to }] : periodsOf(from, to, query.granularity);
    if (buckets.length > this.maxPeriods) {
      throw new RangeError(`${buckets.length} periods requested; at most ${this.maxPeriods} per report`);
    }
    const facts = await readAll<KpiFactsDocument & StoredDocument>(this.store, KPI_FACTS_COLLECTION);
    const options = { churnWindowDays: this.options.churnWindowDays };
    return {
      from,
      to,
      granularity: query.granularity ?? null,
      periods: buckets.map((period) => ({ ...period, ...computeKpis(facts, period, options) })),
      total: computeKpis(facts, { from, to }, options),
    };
  }
}
