import { factsWithin, type InstantRange } from '../facts/fact-chronology';
import { distinctOrderCount, firstPurchaseWithin, isActiveAt, isCustomerAt } from '../facts/kpi-facts.as-of';
import type { KpiFactsDocument } from '../facts/kpi-facts.document';
import { ratio, sum } from '../kpi-math';
import type { ValueCreationKpis } from '../payne-frow-kpis';

/** Purchases minus refunds that occurred in the period, minor units. */
export function netRevenueWithin(doc: KpiFactsDocument, range: InstantRange): number {
  const purchased = sum(factsWithin(doc.purchases, range).map((purchase) => purchase.amount));
  const refunded = sum(factsWithin(doc.refunds, range).map((refund) => refund.amount));
  return purchased - refunded;
}

export function valueCreationKpis(
  facts: readonly KpiFactsDocument[],
  range: InstantRange,
  churnWindowMs: number,
): ValueCreationKpis {
  const ordersPerPurchaser = facts
    .map((doc) => distinctOrderCount(factsWithin(doc.purchases, range)))
    .filter((orders) => orders > 0);
  const orders = sum(ordersPerPurchaser);
  const purchased = sum(facts.flatMap((doc) => factsWithin(doc.purchases, range).map((p) => p.amount)));
  return {
    revenue: sum(facts.map((doc) => netRevenueWithin(doc, range))),
    orders,
    aov: ratio(purchased, orders),
    purchaseFrequency: ratio(orders, ordersPerPurchaser.length),
    repeatPurchaseRate: ratio(ordersPerPurchaser.filter((n) => n > 1).length, ordersPerPurchaser.length),
    ...retentionKpis(facts, range, churnWindowMs),
  };
}

/** retentionRate = (E − N) / S and churnRate = (S − retained) / S, exactly as domain.md defines them. */
function retentionKpis(
  facts: readonly KpiFactsDocument[],
  range: InstantRange,
  churnWindowMs: number,
): Pick<ValueCreationKpis, 'retentionRate' | 'churnRate'> {
  const activeAt = (doc: KpiFactsDocument, t: number): boolean =>
    isCustomerAt(doc, t) && isActiveAt(doc, t, churnWindowMs);
  const start = facts.filter((doc) => activeAt(doc, range.from));
  const end = facts.filter((doc) => activeAt(doc, range.to)).length;
  const newcomers = facts.filter(
    (doc) => isCustomerAt(doc, range.to) && firstPurchaseWithin(doc, range),
  ).length;
  const retained = start.filter((doc) => activeAt(doc, range.to)).length;
  return {
    retentionRate: ratio(end - newcomers, start.length),
    churnRate: ratio(start.length - retained, start.length),
  };
}
