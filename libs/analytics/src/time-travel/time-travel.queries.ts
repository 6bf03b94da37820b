import type { EventStore } from '@crm/event-store';
import {
  canonicalInstant,
  computeKpis,
  customerHistory,
  mergedIntoOf,
  mergedSince,
  CustomerProfiles,
  DEFAULT_CHURN_WINDOW_DAYS,
  idicView,
  identityKeysOf,
  journeyViewOf,
  type JourneyView,
  type KpiGranularity,
  type KpiQueries,
  type KpiReport,
  periodsOf,
  type ScoresView,
  scoresAsOfDay,
  timelinePage,
  wholeDayOf,
} from '@crm/projections';
import type { ReadStore } from '@crm/read-store';
import { populationAt, type ReplayOptions } from './history-replay';
import { PopulationRanker } from './population-ranker';
import type { ReplayBudget } from './replay-budget';

export type TimeTravelOptions = {
  /** Days without a purchase after which a converted customer is lapsed; default 180. */
  readonly churnWindowDays?: number;
  /** Upper bound on KPI buckets per report; default 400, like the live route. */
  readonly maxPeriods?: number;
  /** The longest log a scores or KPI replay folds; no limit by default. */
  readonly replayBudget?: ReplayBudget;
  /**
   * The read models, for the idic projection's time-indexed rank counters:
   * scores as of the start of a UTC day then fold only the customer's own
   * stream. Without them every scores call folds the whole log.
   */
  readonly readModels?: ReadStore;
};

export type HistoricalJourneyQuery = {
  readonly asOf: string;
  readonly cursor?: string;
  readonly limit?: number;
};

export type HistoricalKpiQuery = {
  readonly asOf: string;
  readonly from: string;
  readonly to: string;
  readonly granularity?: KpiGranularity;
};

const DEFAULT_PAGE = 100;

/**
 * What a customer or the business looked like at a past instant, answered
 * from the event history (see history-replay for what counts as of asOf)
 * with the same evolve functions and query-time computations as the live
 * read models. Framework-free; the HTTP layer validates its input.
 */
export class TimeTravelQueries {
  private readonly churnWindowDays: number;
  private readonly maxPeriods: number;
  private readonly replay: ReplayOptions;
  private readonly readModels: ReadStore | undefined;

  /**
   * @param aggregates the live KPI queries: a report whose asOf and bounds
   * are whole UTC days is read from the KPI counters (see `kpis`).
   */
  constructor(
    private readonly events: EventStore,
    options: TimeTravelOptions = {},
    private readonly aggregates?: KpiQueries,
  ) {
    this.readModels = options.readModels;
    this.churnWindowDays = options.churnWindowDays ?? DEFAULT_CHURN_WINDOW_DAYS;
    this.maxPeriods = options.maxPeriods ?? 400;
    this.replay = { budget: options.replayBudget };
  }

  /** The survivor the customer had been merged into at asOf; null when not merged then. */
  mergedInto(customerId: string, asOf: string): Promise<string | null> {
    return mergedIntoOf(this.events, customerId, Date.parse(canonicalInstant(asOf)));
  }

  /** The journey as it stood at asOf; null when the customer was not registered before asOf. */
  async journey(customerId: string, query: HistoricalJourneyQuery): Promise<JourneyView | null> {
    const asOf = canonicalInstant(query.asOf);
    const history = await customerHistory(this.events, customerId, { occurredBefore: asOf });
    if (history === null) return null;
    const timeline = timelinePage(history.timeline, query.cursor, query.limit ?? DEFAULT_PAGE);
    return journeyViewOf(history.journey, asOf, this.churnWindowDays, timeline);
  }

  /**
   * IDIC scores at asOf, ranked among the purchasers at asOf: at the start of
   * a UTC day from the customer's stream and the rank counters (scoresAsOfDay),
   * otherwise (or without read models) by folding the whole log.
   */
  async scores(customerId: string, asOf: string): Promise<ScoresView | null> {
    const at = canonicalInstant(asOf);
    const scores = await this.scoresWithoutKeys(customerId, at);
    if (scores === null) return null;
    // The identity keys are personal data, kept in no read model: folded from the decrypted stream as of asOf.
    const profile = await new CustomerProfiles(this.events, { cachedProfiles: 0 }).get(customerId, {
      occurredBefore: at,
    });
    const keys = profile === null ? { email: null, phone: null } : identityKeysOf(profile);
    return { ...scores, identify: { ...scores.identify, ...keys } };
  }

  private async scoresWithoutKeys(customerId: string, at: string): Promise<ScoresView | null> {
    if (this.readModels !== undefined) {
      const fromCounters = await scoresAsOfDay(this.events, this.readModels, customerId, at);
      if (fromCounters !== undefined) return fromCounters;
    }
    const { idic } = await populationAt(this.events, at, { idic: true }, this.replay);
    const doc = idic.get(customerId);
    if (doc === undefined) return null;
    const ranks = new PopulationRanker(idic.values(), at).ranksOf(doc);
    const unranked = { recencyLower: 0, frequencyLower: 0, monetaryLower: 0, purchasers: 0 };
    return { ...idicView(doc, at, ranks ?? unranked), ranks };
  }

  /**
   * The KPIs of periods ending at or before asOf, from the facts known at
   * asOf. With asOf and the bounds on whole UTC days they come from the KPI
   * counters: every figure of a period ending at or before asOf is made of
   * facts that occurred before its end, except first responses, survey
   * answers and SLA breaches, which count only when they occurred before
   * asOf (the counters keep the day of each); so the
   * counters answer exactly what a replay of the log would, without one
   * (docs/analytics.md names the import-only cases where a later fact
   * changes how an earlier one reads). Otherwise the log is replayed.
   * @throws RangeError when `to` is after asOf, the period is inverted
   * or has too many buckets.
   */
  async kpis(query: HistoricalKpiQuery): Promise<KpiReport> {
    const [asOf, from, to] = [query.asOf, query.from, query.to].map(canonicalInstant) as [
      string,
      string,
      string,
    ];
    if (from > to) throw new RangeError('from must not be after to');
    if (to > asOf) throw new RangeError(`the period must end at or before asOf (${asOf})`);
    const asOfDay = wholeDayOf(asOf);
    if (
      this.aggregates &&
      asOfDay !== null &&
      wholeDayOf(from) !== null &&
      wholeDayOf(to) !== null &&
      !(await mergedSince(this.events, Date.parse(asOf)))
    ) {
      return this.aggregates.get({ from, to, granularity: query.granularity }, { asOfDay });
    }
    const buckets = query.granularity === undefined ? [{ from, to }] : periodsOf(from, to, query.granularity);
    if (buckets.length > this.maxPeriods)
      throw new RangeError(`${buckets.length} periods requested; at most ${this.maxPeriods} per report`);
    const { kpiFacts } = await populationAt(this.events, asOf, { kpiFacts: true }, this.replay);
    const facts = [...kpiFacts.values()];
    const options = { churnWindowDays: this.churnWindowDays };
    return {
      from,
      to,
      granularity: query.granularity ?? null,
      periods: buckets.map((period) => ({ ...period, ...computeKpis(facts, period, options) })),
      total: computeKpis(facts, { from, to }, options),
    };
  }
}
