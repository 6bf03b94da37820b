import type { StoredDocument } from '@crm/read-store';
import {
  campaignPerformanceProjection,
  campaignPerformanceProjectionFor,
  DEFAULT_ATTRIBUTION_WINDOW_DAYS,
} from '../campaigns';
import {
  foldIdic,
  IDIC_RANK_HISTORY_COLLECTION,
  IDIC_RANKS_COLLECTION,
  countRankChange,
  type IdicDocument,
  RankTally,
} from '../idic';
import { followUpsProjection } from '../follow-ups/follow-ups.projection';
import { BlindIndex, identityIndexProjection } from '../identity-index';
import { foldJourney, type JourneyDocument } from '../journey';
import {
  DEFAULT_CHURN_WINDOW_DAYS,
  foldKpiFacts,
  incrementWrites,
  KpiCounters,
  KPI_PERIOD_COLLECTION,
  KPI_RESPONSES_COLLECTION,
  KPI_TOTALS_COLLECTION,
  type KpiFactsDocument,
  KpiTermSink,
  kpiTerms,
} from '../kpi';
import { purchaseHistoryProjection } from '../portfolio/purchase-history.projection';
import { DAY_MS } from '../shared/instant';
import { changeWrites, foldChanges, type Projection } from './projection';

export const JOURNEY_COLLECTION = 'journeys';
export const IDIC_COLLECTION = 'idic';
export const KPI_FACTS_COLLECTION = 'kpi_facts';

type Doc<T> = T & StoredDocument;

/**
 * Customer journey: one document per customer. Its timeline is read from the
 * customer's stream (see customerHistory), not stored a second time.
 */
export const journeyProjection: Projection = {
  name: 'customer-journey',
  perCustomer: true,
  collections: [{ name: JOURNEY_COLLECTION, indexes: ['stage', 'registeredAt', 'lastPurchaseAt'] }],
  async project(batch, reader) {
    const journeys = await foldChanges<Doc<JourneyDocument>>(
      batch,
      reader,
      JOURNEY_COLLECTION,
      (doc, events) => foldJourney(doc, events),
    );
    return changeWrites(JOURNEY_COLLECTION, journeys);
  },
};

/**
 * IDIC differentiation: per-customer value and needs facts, and every
 * purchaser counted by value into shared rank counters, today's
 * (idic_ranks) and as of any day (idic_rank_history), so population ranks
 * and value tiers are read from a few counter sets (docs/projections.md,
 * "Ranks from counters"). The increments are the change of each customer's
 * counters from the stored document to the new one, in the same unit: a
 * replayed batch finds the documents already changed and adds nothing.
 */
export const idicProjection: Projection = {
  name: 'idic-scores',
  perCustomer: true,
  collections: [
    {
      name: IDIC_COLLECTION,
      // A value tier's page in id order is a valueClass kept to a netRevenue range (tierFilter).
      indexes: ['netRevenue', 'orders', 'lastPurchaseAt', { field: 'valueClass', carries: ['netRevenue'] }],
    },
    { name: IDIC_RANKS_COLLECTION, indexes: [], kind: 'counters' },
    { name: IDIC_RANK_HISTORY_COLLECTION, indexes: [], kind: 'counters' },
  ],
  async project(batch, reader) {
    const changes = await foldChanges<Doc<IdicDocument>>(batch, reader, IDIC_COLLECTION, foldIdic);
    const increments = new RankTally();
    for (const { before, after } of changes) countRankChange(increments, before, after);
    return [...changeWrites(IDIC_COLLECTION, changes), ...increments.writes()];
  },
  async retract(customerIds, reader) {
    const stored = await reader.getMany<Doc<IdicDocument>>(IDIC_COLLECTION, customerIds);
    const increments = new RankTally();
    for (const doc of stored) increments.count(doc, -1);
    return increments.writes();
  },
};

/** Adds a customer's KPI terms (see kpi/aggregates) to `into`, or with −1 takes them out. */
function countKpiTerms(
  doc: KpiFactsDocument | null,
  churnWindowMs: number,
  into: KpiCounters,
  sign: 1 | -1,
): void {
  if (doc !== null) kpiTerms(doc, churnWindowMs, new KpiTermSink(into, sign));
}

/**
 * Payne & Frow KPIs: per-customer facts, and the customers' terms added into
 * day and month counters shared by all (kpi_totals, kpi_period), so a KPI
 * read of any whole-day period touches counters, not customers. The
 * increments are the change of each customer's terms from the stored
 * document to the new one, in the same unit: a replayed batch finds the
 * documents already changed and adds nothing. Active customers depend on the
 * churn window, so the counters hold the window they were counted with.
 */
export function kpiFactsProjectionFor(churnWindowDays: number = DEFAULT_CHURN_WINDOW_DAYS): Projection {
  const churnWindowMs = churnWindowDays * DAY_MS;
  return {
    name: 'payne-frow-kpis',
    perCustomer: true,
    collections: [
      { name: KPI_FACTS_COLLECTION, indexes: ['registeredAt'] },
      { name: KPI_TOTALS_COLLECTION, indexes: [], kind: 'counters' },
      { name: KPI_PERIOD_COLLECTION, indexes: [], kind: 'counters' },
      { name: KPI_RESPONSES_COLLECTION, indexes: [], kind: 'counters' },
    ],
    async project(batch, reader) {
      const changes = await foldChanges<Doc<KpiFactsDocument>>(
        batch,
        reader,
        KPI_FACTS_COLLECTION,
        foldKpiFacts,
      );
      const increments = new KpiCounters();
      for (const { before, after } of changes) {
        countKpiTerms(after, churnWindowMs, increments, 1);
        countKpiTerms(before, churnWindowMs, increments, -1);
      }
      return [...changeWrites(KPI_FACTS_COLLECTION, changes), ...incrementWrites(increments)];
    },
    async retract(customerIds, reader) {
      const stored = await reader.getMany<Doc<KpiFactsDocument>>(KPI_FACTS_COLLECTION, customerIds);
      const increments = new KpiCounters();
      for (const doc of stored) countKpiTerms(doc, churnWindowMs, increments, -1);
      return incrementWrites(increments);
    },
  };
}

export const kpiFactsProjection: Projection = kpiFactsProjectionFor();

export const CUSTOMER_PROJECTIONS: readonly Projection[] = [
  journeyProjection,
  idicProjection,
  kpiFactsProjection,
  followUpsProjection,
  campaignPerformanceProjection,
  purchaseHistoryProjection,
];

/**
 * The customer projections with the configured churn window (CHURN_WINDOW_DAYS),
 * the campaign attribution window (CAMPAIGN_ATTRIBUTION_WINDOW_DAYS) and, given the blind index key (BLIND_INDEX_KEY), the identity index that
 * lookups by email, phone and name prefix read (without it, as in tests of
 * the other projections, there is none).
 *
 * The churn window:
 * the KPI counters of active customers are counted with it, so changing it
 * takes a rebuild of payne-frow-kpis (until then KPI reads compute from the
 * facts, within their scan limit). The attribution window likewise: the
 * campaign members hold the attribution made with it, so changing it takes a
 * rebuild of campaign-performance.
 */
export function customerProjections(
  churnWindowDays: number = DEFAULT_CHURN_WINDOW_DAYS,
  blindIndexKey: Uint8Array | null = null,
  attributionWindowDays: number = DEFAULT_ATTRIBUTION_WINDOW_DAYS,
): readonly Projection[] {
  const projections =
    churnWindowDays === DEFAULT_CHURN_WINDOW_DAYS && attributionWindowDays === DEFAULT_ATTRIBUTION_WINDOW_DAYS
      ? CUSTOMER_PROJECTIONS
      : [
          journeyProjection,
          idicProjection,
          kpiFactsProjectionFor(churnWindowDays),
          followUpsProjection,
          campaignPerformanceProjectionFor(attributionWindowDays),
          purchaseHistoryProjection,
        ];
  return blindIndexKey === null
    ? projections
    : [...projections, identityIndexProjection(new BlindIndex(blindIndexKey))];
}
