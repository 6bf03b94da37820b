import { type Day, dayOf } from '../aggregates/kpi-days';
import type { KpiTermSink } from '../aggregates/kpi-term-sink';
import { RETENTION_METRIC, retentionTerms } from '../aggregates/retention-terms';
import {
  atSegment,
  firstInPeriodTerms,
  firstPairInPeriodTerms,
  segmentPieces,
} from '../aggregates/term-shapes';
import { factsWithin, type InstantRange } from '../facts/fact-chronology';
import { distinctOrderCount, firstPurchaseWithin, isActiveAt, isCustomerAt } from '../facts/kpi-facts.as-of';
import type { KpiFactsDocument } from '../facts/kpi-facts.document';
import { COUNT, counterValues, type ProcessDefinition, RATE } from '../kpi-definition';
import { ratio, sum } from '../kpi-math';

/** What the figures are formulas of; both paths measure the same. */
type Inputs = {
  /** Purchases minus refunds in the period, minor units. */
  readonly revenue: number;
  readonly orders: number;
  /** Σ purchase amounts in the period. */
  readonly gross: number;
  /** Customers with a purchase in the period. */
  readonly purchasers: number;
  /** Of them, those with more than one order in the period. */
  readonly repeat: number;
  /** S, E, N and retained of domain.md. */
  readonly activeAtFrom: number;
  readonly activeAtTo: number;
  readonly newcomers: number;
  readonly retained: number;
};

/** The metrics of the counters (kpi/aggregates): each a sum over customers of their terms. */
const METRIC = { orders: 'ord', gross: 'gross', purchasers: 'buy', repeat: 'rep' } as const;
/** Net revenue and purchases or refunds under the customer's segment as of `to` (strategy development reads them too). */
export const revenueMetric = (segment: string): string => `rev|${segment}`;
export const transactionsMetric = (segment: string): string => `txn|${segment}`;
export const REVENUE_FAMILY = revenueMetric('');
export const TRANSACTIONS_FAMILY = transactionsMetric('');

export const VALUE_CREATION = {
  measure: (facts, range, churnWindowMs) => {
    const ordersPerPurchaser = facts
      .map((doc) => distinctOrderCount(factsWithin(doc.purchases, range)))
      .filter((orders) => orders > 0);
    return {
      revenue: sum(facts.map((doc) => netRevenueWithin(doc, range))),
      orders: sum(ordersPerPurchaser),
      gross: sum(facts.flatMap((doc) => factsWithin(doc.purchases, range).map((p) => p.amount))),
      purchasers: ordersPerPurchaser.length,
      repeat: ordersPerPurchaser.filter((n) => n > 1).length,
      ...retentionPopulations(facts, range, churnWindowMs),
    };
  },
  read: (counters) => ({
    revenue: sum([...counters.family(REVENUE_FAMILY).values()]),
    ...counterValues(counters, METRIC),
    ...counterValues(counters, {
      activeAtFrom: RETENTION_METRIC.activeAtFrom,
      activeAtTo: RETENTION_METRIC.activeAtTo,
      newcomers: RETENTION_METRIC.newcomers,
      retained: RETENTION_METRIC.retained,
    }),
  }),
  terms: (doc, churnWindowMs, sink) => {
    revenueTerms(doc, sink);
    const days = doc.purchases.map((purchase) => dayOf(purchase.at));
    firstInPeriodTerms(days, METRIC.purchasers, sink);
    // More than one order in the period: a pair of consecutive orders inside it.
    const pairs = days.slice(1).map((end, index) => ({ start: days[index] as Day, end }));
    firstPairInPeriodTerms(pairs, METRIC.repeat, sink);
    retentionTerms(doc, dayOf(doc.registeredAt), churnWindowMs, sink);
  },
  kpis: {
    revenue: {
      description: 'Net: purchases minus refunds, minor units',
      schema: { type: 'integer' },
      formula: (n) => n.revenue,
    },
    orders: {
      description: 'Distinct orders purchased in the period',
      schema: COUNT,
      formula: (n) => n.orders,
    },
    aov: {
      description: 'Average order value: Σ purchase amounts / orders, minor units',
      schema: RATE,
      formula: (n) => ratio(n.gross, n.orders),
    },
    purchaseFrequency: {
      description: 'Orders / distinct purchasers',
      schema: RATE,
      formula: (n) => ratio(n.orders, n.purchasers),
    },
    repeatPurchaseRate: {
      description: 'Purchasers with more than one order in the period / distinct purchasers',
      schema: RATE,
      formula: (n) => ratio(n.repeat, n.purchasers),
    },
    retentionRate: {
      description: '(E − N) / S: active at `to` less first purchases in the period, over active at `from`',
      schema: RATE,
      formula: (n) => ratio(n.activeAtTo - n.newcomers, n.activeAtFrom),
    },
    churnRate: {
      description: '(S − retained) / S: active at `from` but not at `to`, over active at `from`',
      schema: RATE,
      formula: (n) => ratio(n.activeAtFrom - n.retained, n.activeAtFrom),
    },
  },
} satisfies ProcessDefinition<Inputs>;

/** Purchases minus refunds that occurred in the period, minor units. */
export function netRevenueWithin(doc: KpiFactsDocument, range: InstantRange): number {
  const purchased = sum(factsWithin(doc.purchases, range).map((purchase) => purchase.amount));
  const refunded = sum(factsWithin(doc.refunds, range).map((refund) => refund.amount));
  return purchased - refunded;
}

/** S, E, N and retained, exactly as domain.md defines them. */
function retentionPopulations(
  facts: readonly KpiFactsDocument[],
  range: InstantRange,
  churnWindowMs: number,
): Pick<Inputs, 'activeAtFrom' | 'activeAtTo' | 'newcomers' | 'retained'> {
  const activeAt = (doc: KpiFactsDocument, t: number): boolean =>
    isCustomerAt(doc, t) && isActiveAt(doc, t, churnWindowMs);
  const start = facts.filter((doc) => activeAt(doc, range.from));
  return {
    activeAtFrom: start.length,
    activeAtTo: facts.filter((doc) => activeAt(doc, range.to)).length,
    newcomers: facts.filter((doc) => isCustomerAt(doc, range.to) && firstPurchaseWithin(doc, range)).length,
    retained: start.filter((doc) => activeAt(doc, range.to)).length,
  };
}

/** Under the segment as of `to`: net revenue and a transaction per purchase or refund; orders and gross. */
function revenueTerms(doc: KpiFactsDocument, sink: KpiTermSink): void {
  const segments = segmentPieces(doc.profileChanges);
  for (const purchase of doc.purchases) {
    const day = dayOf(purchase.at);
    atSegment(sink, segments, day, purchase.amount, revenueMetric);
    atSegment(sink, segments, day, 1, transactionsMetric);
    sink.within(day, METRIC.orders, 1);
    sink.within(day, METRIC.gross, purchase.amount);
  }
  for (const refund of doc.refunds) {
    const day = dayOf(refund.at);
    atSegment(sink, segments, day, -refund.amount, revenueMetric);
    atSegment(sink, segments, day, 1, transactionsMetric);
  }
}
