import type { CustomerKind } from '@crm/domain';
import { dayOf } from '../aggregates/kpi-days';
import { atSegment, segmentPieces } from '../aggregates/term-shapes';
import { type InstantRange, isWithin } from '../facts/fact-chronology';
import type { KpiFactsDocument } from '../facts/kpi-facts.document';
import { COUNT, COUNTS, type PeriodCounters, type ProcessDefinition } from '../kpi-definition';
import { totalsBy } from '../kpi-math';
import { segmentAt } from './segment-of';
import { netRevenueWithin, REVENUE_FAMILY, TRANSACTIONS_FAMILY } from './value-creation.kpis';

/** Counts or amounts per segment; `unknown` collects customers without one. */
export type BySegment = Readonly<Record<string, number>>;

export type NewCustomers = {
  readonly total: number;
  readonly byKind: Readonly<Record<CustomerKind, number>>;
  readonly bySegment: BySegment;
  /** Both kinds always present; under each, only the segments with new customers. */
  readonly byKindAndSegment: Readonly<Record<CustomerKind, BySegment>>;
};

/** The tables are figures in their own right: each path builds them (from documents, or from counters by segment). */
type Inputs = { readonly newCustomers: NewCustomers; readonly revenueBySegment: BySegment };

const newCustomersMetric = (kind: string, segment: string): string => `new|${kind}|${segment}`;
const NEW_CUSTOMERS_FAMILY = 'new|';

export const STRATEGY_DEVELOPMENT = {
  measure: (facts, range) => ({
    newCustomers: newCustomers(facts, range),
    revenueBySegment: revenueBySegment(facts, range),
  }),
  read: (counters) => ({
    newCustomers: newCustomersOf(counters),
    revenueBySegment: revenueBySegmentOf(counters),
  }),
  terms: (doc, _churnWindowMs, sink) => {
    // Net revenue by segment is value creation's (revenueMetric), read here by segment.
    const segments = segmentPieces(doc.profileChanges);
    atSegment(sink, segments, dayOf(doc.registeredAt), 1, (segment) => newCustomersMetric(doc.kind, segment));
  },
  kpis: {
    newCustomers: {
      description: 'Customers registered in the period, by kind, by segment and by kind and segment',
      schema: {
        type: 'object',
        required: ['total', 'byKind', 'bySegment', 'byKindAndSegment'],
        properties: {
          total: COUNT,
          byKind: COUNTS,
          bySegment: COUNTS,
          byKindAndSegment: { type: 'object', additionalProperties: COUNTS },
        },
      },
      formula: (n) => n.newCustomers,
    },
    revenueBySegment: {
      description: 'Net revenue (minor units) by segment as of `to`',
      schema: COUNTS,
      formula: (n) => n.revenueBySegment,
    },
  },
} satisfies ProcessDefinition<Inputs>;

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

/** Segments with a purchase or refund in the period, even when they net to 0. Keys are client data: Map first. */
function revenueBySegmentOf(counters: PeriodCounters): Record<string, number> {
  const transactions = counters.family(TRANSACTIONS_FAMILY);
  const revenue = counters.family(REVENUE_FAMILY);
  const listed = new Map<string, number>();
  for (const [segment, count] of transactions) if (count > 0) listed.set(segment, revenue.get(segment) ?? 0);
  return Object.fromEntries(listed);
}

function newCustomersOf(counters: PeriodCounters): NewCustomers {
  const byKindAndSegment: Record<CustomerKind, Map<string, number>> = {
    person: new Map(),
    company: new Map(),
  };
  const bySegment = new Map<string, number>();
  for (const [key, count] of counters.family(NEW_CUSTOMERS_FAMILY)) {
    if (count === 0) continue;
    const split = key.indexOf('|');
    const kind = key.slice(0, split) as CustomerKind;
    const segment = key.slice(split + 1);
    byKindAndSegment[kind]?.set(segment, count);
    bySegment.set(segment, (bySegment.get(segment) ?? 0) + count);
  }
  const total = (map: ReadonlyMap<string, number>): number => [...map.values()].reduce((a, b) => a + b, 0);
  return {
    total: total(bySegment),
    byKind: { person: total(byKindAndSegment.person), company: total(byKindAndSegment.company) },
    bySegment: Object.fromEntries(bySegment),
    byKindAndSegment: {
      person: Object.fromEntries(byKindAndSegment.person),
      company: Object.fromEntries(byKindAndSegment.company),
    },
  };
}
