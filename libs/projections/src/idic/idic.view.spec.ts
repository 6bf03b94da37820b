import { type CrmEvent } from '@crm/domain';
import { createEventFactory } from '@crm/domain/testing';
import { present, project } from '../shared/testing/projection-log.fixture';
import type { IdicDocument } from './idic.document';
import { evolveIdic } from './idic.projection';
import { rankAmong, recencyDays } from './idic.scores';
import { type IdicRanks, type IdicView, idicView } from './idic.view';

const AS_OF = '2024-07-01T00:00:00.000Z';
const at = (occurredAt: string) => ({ occurredAt });
const idicOf = (events: CrmEvent[]): IdicDocument => present(project(evolveIdic, events));

/** One purchaser history: orders o-0, o-1, … of 10 000 at the given instants, then refunds by order index. */
function purchaser(customerId: string, purchases: string[], refunds: [number, number][] = []): IdicDocument {
  const f = createEventFactory({ customerId });
  const events: CrmEvent[] = [f.customerRegistered({}, at('2024-01-01T00:00:00.000Z'))];
  purchases.forEach((occurredAt, index) =>
    events.push(f.purchaseCompleted({ orderId: `o-${index}` }, at(occurredAt))),
  );
  refunds.forEach(([index, amount]) =>
    events.push(f.purchaseRefunded({ orderId: `o-${index}`, amount }, at(AS_OF))),
  );
  return idicOf(events);
}

const customerA = (() => {
  const f = createEventFactory({ customerId: 'a' });
  return idicOf([
    f.customerRegistered({ name: 'Ada', email: 'Ada@Example.com' }, at('2024-01-01T00:00:00.000Z')),
    f.purchaseCompleted({ orderId: 'o-1' }, at('2024-02-01T00:00:00.000Z')),
    f.purchaseCompleted({ orderId: 'o-2' }, at('2024-04-01T00:00:00.000Z')),
    f.callLogged({ direction: 'inbound' }, at('2024-05-01T00:00:00.000Z')),
    f.purchaseCompleted({ orderId: 'o-3' }, at('2024-06-20T00:00:00.000Z')),
    f.surveyAnswered({ surveyType: 'nps', score: 9 }, at('2024-06-21T00:00:00.000Z')),
    f.surveyAnswered({ surveyType: 'csat', score: 4 }, at('2024-06-22T00:00:00.000Z')),
  ]);
})();
const customerB = purchaser('b', ['2024-01-10T00:00:00.000Z'], [[0, 5_000]]);
const customerC = purchaser('c', ['2024-06-20T00:00:00.000Z'], [[0, 5_000]]);
const customerD = purchaser(
  'd',
  ['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
  [
    [0, 10_000],
    [1, 10_000],
  ],
);
const customerE = purchaser('e', [
  '2024-06-30T00:00:00.000Z',
  ...Array<string>(4).fill('2024-06-01T00:00:00.000Z'),
]);
const prospect = idicOf([createEventFactory({ customerId: 'p' }).customerRegistered()]);

const purchasers = [customerA, customerB, customerC, customerD, customerE];

/** The ranks a read side would compute over the population, cross-checked with rankAmong. */
function ranksOf(doc: IdicDocument, population: IdicDocument[]): IdicRanks {
  const recency = (d: IdicDocument) => -recencyDays(present(d.lastPurchaseAt), AS_OF);
  const withPurchase = population.filter((d) => d.orders > 0);
  return {
    recencyLower: doc.orders === 0 ? 0 : rankAmong(withPurchase.map(recency), recency(doc)),
    frequencyLower: rankAmong(
      withPurchase.map((d) => d.orders),
      doc.orders,
    ),
    monetaryLower: rankAmong(
      withPurchase.map((d) => d.netRevenue),
      doc.netRevenue,
    ),
    purchasers: withPurchase.length,
  };
}

const viewOf = (doc: IdicDocument) => idicView(doc, AS_OF, ranksOf(doc, [...purchasers, prospect]));

describe('idicView', () => {
  it('assembles the scores response for a customer', () => {
    expect(viewOf(customerA)).toEqual<IdicView>({
      customerId: 'a',
      asOf: AS_OF,
      identify: { email: null, phone: null, profileCompleteness: 0.5 },
      differentiate: {
        value: {
          netRevenue: 30_000,
          purchaseTotal: 30_000,
          refundTotal: 0,
          orders: 3,
          aov: 10_000,
          lastPurchaseAt: '2024-06-20T00:00:00.000Z',
          daysSinceLastPurchase: 11,
          rfm: { recency: 3, frequency: 4, monetary: 4 },
          differentiationScore: 67,
          valueTier: 'core',
        },
        needs: { preferredChannel: 'web', topCategory: 'books' },
      },
      interact: { touchpoints: 6, touchpoints90d: 4, inboundShare: 0.5 },
      satisfaction: { latestNps: 9, npsClass: 'promoter', avgCsat: 4 },
    });
  });

  it('ranks recency by days since the last purchase: fewer days score higher', () => {
    expect(ranksOf(customerA, purchasers).recencyLower).toBe(2);
    expect(viewOf(customerE).differentiate.value.rfm?.recency).toBe(5);
    expect(viewOf(customerB).differentiate.value.rfm?.recency).toBe(1);
  });

  it('lets customers with equal values share an RFM score', () => {
    // A and C both bought 11 days before asOf; B and C both net 5 000.
    expect(viewOf(customerC).differentiate.value.rfm).toEqual({ recency: 3, frequency: 1, monetary: 2 });
    expect(viewOf(customerB).differentiate.value.rfm).toEqual({ recency: 1, frequency: 1, monetary: 2 });
  });

  it('tiers customers by their share of lower net revenue among purchasers', () => {
    expect(viewOf(customerE).differentiate.value).toMatchObject({
      valueTier: 'mvc',
      differentiationScore: 100,
    });
    expect(viewOf(customerA).differentiate.value.valueTier).toBe('core');
    expect(viewOf(customerB).differentiate.value.valueTier).toBe('low');
  });

  it('puts a customer whose refunds cancel their purchases below zero', () => {
    expect(customerD.netRevenue).toBe(0);
    expect(viewOf(customerD).differentiate.value).toMatchObject({
      valueTier: 'below_zero',
      rfm: { recency: 2, frequency: 3, monetary: 1 },
      differentiationScore: 25,
    });
  });

  it('gives a prospect no RFM, no differentiation score and null ratios', () => {
    expect(viewOf(prospect)).toMatchObject({
      differentiate: {
        value: {
          orders: 0,
          aov: null,
          lastPurchaseAt: null,
          daysSinceLastPurchase: null,
          rfm: null,
          differentiationScore: null,
          valueTier: 'prospect',
        },
      },
      interact: { touchpoints: 0, touchpoints90d: 0, inboundShare: null },
      satisfaction: { latestNps: null, npsClass: null, avgCsat: null },
    });
  });

  it('counts touchpoints of the 90 days before asOf, not one at asOf itself', () => {
    const alone: IdicRanks = { recencyLower: 0, frequencyLower: 0, monetaryLower: 0, purchasers: 1 };
    expect(idicView(customerE, '2024-06-30T00:00:00.000Z', alone).interact).toEqual({
      touchpoints: 5,
      touchpoints90d: 4,
      inboundShare: 0,
    });
  });
});
