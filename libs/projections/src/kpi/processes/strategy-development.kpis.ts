import type { CustomerKind } from '@crm/domain';
import { type InstantRange, isWithin } from '../facts/fact-chronology';
import type { KpiFactsDocument } from '../facts/kpi-facts.document';
import { totalsBy } from '../kpi-math';
import type { NewCustomers, StrategyDevelopmentKpis } from '../payne-frow-kpis';
import { segmentAt } from './segment-of';
import { netRevenueWithin } from './value-creation.kpis';

export function strategyDevelopmentKpis(
  facts: readonly KpiFactsDocument[],
  range: InstantRange,
): StrategyDevelopmentKpis {
  return { newCustomers: newCustomers(facts, range), revenueBySegment: revenueBySegment(facts, range) };
}

function newCustomers(facts: readonly KpiFactsDocument[], range: InstantRange): NewCustomers {
  const registered = facts.filter((doc) => isWithin(doc.registeredAt, range));
  const ofKind = (kind: CustomerKind): KpiFactsDocument[] => registered.filter((doc) => doc.kind === kind);
  const bySegment = (docs: readonly KpiFactsDocument[]): Record<string, number> =>
    totalsBy(docs, (doc) => segmentAt(doc, range.to));
  return {
    total: registered.length,
    byKind: { person: ofKind('person').length, company: ofKind('company').length },
    bySegment: bySegment(registered),
    byKindAndSegment: { person: bySegment(ofKind('person')), company: bySegment(ofKind('company')) },
  };
}

/** Every customer with a purchase or refund in the period appears, even when they net to 0. */
function revenueBySegment(facts: readonly KpiFactsDocument[], range: InstantRange): Record<string, number> {
  const transacting = facts.filter(
    (doc) =>
      doc.purchases.some((purchase) => isWithin(purchase.at, range)) ||
      doc.refunds.some((refund) => isWithin(refund.at, range)),
  );
  return totalsBy(
    transacting,
    (doc) => segmentAt(doc, range.to),
    (doc) => netRevenueWithin(doc, range),
  );
}
