import { computeKpis, type ComputeKpisOptions } from '../compute-kpis';
import type { KpiFactsDocument } from '../facts/kpi-facts.document';
import { at, customerFacts, MARCH_2024 } from '../testing/kpi-facts.fixture';

/**
 * March 2024 with a 30-day churn window: active at `from` means a purchase in
 * [2024-01-31, 2024-03-01), active at `to` a purchase in [2024-03-02, 2024-04-01).
 */
const WINDOW = { churnWindowDays: 30 };

const valueCreation = (facts: readonly KpiFactsDocument[], options: ComputeKpisOptions = WINDOW) =>
  computeKpis(facts, MARCH_2024, options).valueCreation;

/** Active at from and at to. */
const retained = customerFacts({ id: 'retained', registeredAt: '2023-12-01' }, (f) => [
  f.purchaseCompleted({ orderId: 'r-1', amount: 2_000 }, at('2024-02-15')),
  f.purchaseCompleted({ orderId: 'r-2', amount: 3_000 }, at('2024-03-20')),
  f.purchaseRefunded({ orderId: 'r-1', amount: 500 }, at('2024-03-03')),
]);
/** Active at from, no purchase since: lapsed by `to`. */
const lapsed = customerFacts({ id: 'lapsed', registeredAt: '2023-12-01' }, (f) => [
  f.purchaseCompleted({ orderId: 'l-1', amount: 1_000 }, at('2024-02-10')),
]);
/** First purchase inside the period, two orders. */
const newcomer = customerFacts({ id: 'newcomer', registeredAt: '2024-03-02' }, (f) => [
  f.purchaseCompleted({ orderId: 'n-1', amount: 1_000 }, at('2024-03-05')),
  f.purchaseCompleted({ orderId: 'n-2', amount: 2_000 }, at('2024-03-25')),
  f.purchaseRefunded({ orderId: 'n-1', amount: 1_000 }, at('2024-04-02')),
]);
/** Bought long ago, lapsed at `from`, back in the period: active at `to` but not new. */
const reactivated = customerFacts({ id: 'reactivated', registeredAt: '2023-06-01' }, (f) => [
  f.purchaseCompleted({ orderId: 'x-1', amount: 800 }, at('2023-07-01')),
  f.purchaseCompleted({ orderId: 'x-2', amount: 6_000 }, at('2024-03-10')),
]);
const prospect = customerFacts({ id: 'prospect', registeredAt: '2024-01-01' }, (f) => [f.callLogged()]);

const everyone = [retained, lapsed, newcomer, reactivated, prospect];

describe('value creation KPIs', () => {
  it('nets the refunds of the period against its purchases, whenever the refunded order was placed', () => {
    // Purchases in March 3 000 + 1 000 + 2 000 + 6 000; the refund of February's r-1 occurred in March,
    // the refund of n-1 in April.
    expect(valueCreation(everyone).revenue).toBe(12_000 - 500);
  });

  it('lets a refund alone make a period negative', () => {
    const refundOnly = customerFacts({ id: 'r', registeredAt: '2024-01-01' }, (f) => [
      f.purchaseCompleted({ orderId: 'o', amount: 900 }, at('2024-02-20')),
      f.purchaseRefunded({ orderId: 'o', amount: 900 }, at('2024-03-01')),
    ]);
    expect(valueCreation([refundOnly]).revenue).toBe(-900);
  });

  it('counts the distinct orders placed in the period and their gross average value', () => {
    const kpis = valueCreation(everyone);
    expect(kpis.orders).toBe(4);
    expect(kpis.aov).toBe(12_000 / 4);
  });

  it('divides orders by distinct purchasers and counts those with more than one order', () => {
    // Purchasers in March: retained (1 order), newcomer (2), reactivated (1).
    const kpis = valueCreation(everyone);
    expect(kpis.purchaseFrequency).toBeCloseTo(4 / 3, 12);
    expect(kpis.repeatPurchaseRate).toBeCloseTo(1 / 3, 12);
  });

  it('computes retention as (E − N) / S and churn as (S − retained) / S', () => {
    // S = {retained, lapsed}; E = {retained, newcomer, reactivated}; N = {newcomer}; retained = {retained}.
    const kpis = valueCreation(everyone);
    expect(kpis.retentionRate).toBe((3 - 1) / 2);
    expect(kpis.churnRate).toBe((2 - 1) / 2);
  });

  it('counts a purchase exactly churnWindowDays before t as active and one at t as not yet', () => {
    const edge = customerFacts({ id: 'edge', registeredAt: '2023-01-01' }, (f) => [
      f.purchaseCompleted({ orderId: 'e-1' }, at('2024-01-31T00:00:00Z')),
      f.purchaseCompleted({ orderId: 'e-2' }, at('2024-04-01T00:00:00Z')),
    ]);
    // Active at from (e-1 is exactly 30 days before); not active at to (e-2 is at `to`, outside the period).
    expect(valueCreation([edge])).toMatchObject({ retentionRate: 0, churnRate: 1 });
  });

  it('uses a 180-day churn window by default', () => {
    const longAgo = customerFacts({ id: 'long-ago', registeredAt: '2023-01-01' }, (f) => [
      f.purchaseCompleted({ orderId: 'o' }, at('2023-09-15')),
    ]);
    // 168 days before `from` and 199 before `to`: with 180 days it is in S and churns by `to`;
    // with 30 days S is empty.
    expect(valueCreation([longAgo], {}).churnRate).toBe(1);
    expect(valueCreation([longAgo]).churnRate).toBeNull();
  });

  it('leaves out of S a customer registered after their back-dated purchase', () => {
    const importedLate = customerFacts({ id: 'late', registeredAt: '2024-03-15' }, (f) => [
      f.purchaseCompleted({ orderId: 'o' }, at('2024-02-20')),
    ]);
    expect(valueCreation([importedLate]).churnRate).toBeNull();
  });

  it('has null for every ratio when nobody bought and nobody was active', () => {
    expect(valueCreation([prospect])).toEqual({
      revenue: 0,
      orders: 0,
      aov: null,
      purchaseFrequency: null,
      repeatPurchaseRate: null,
      retentionRate: null,
      churnRate: null,
    });
  });
});
