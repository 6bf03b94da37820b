import type { PortfolioQueries } from '@crm/projections';
import { UNIT_DAYS } from '../predicted-value/calibration';
import { expectedPurchases } from '../predicted-value/model/bg-nbd';

export type HorizonCustomer = {
  readonly customerId: string;
  readonly probabilityAlive: number;
  readonly expectedPurchases: number;
  readonly predictedValue: number | null;
};

/** What the latest predicted-value fit expects over another horizon, for the what-if's page of customers. */
export type WhatIfHorizon = {
  readonly horizonDays: number;
  /** Null before the first fit: then there is nothing to expect with. */
  readonly fitId: string | null;
  readonly calibrationEnd: string | null;
  /** Over every customer of the fit (not only the page). */
  readonly summary: {
    readonly customers: number;
    readonly expectedPurchases: number;
    readonly predictedValue: number;
  };
  /** The page's customers the fit covers, in the page's order. */
  readonly items: HorizonCustomer[];
};

/**
 * Expected purchases and value over `horizonDays` after the latest fit's
 * calibration end: BG/NBD with the fit's parameters on each customer's
 * stored (x, t_x, T), times the customer's stored expected value per
 * purchase day (which does not depend on the horizon).
 */
export async function horizonOf(
  portfolio: PortfolioQueries,
  horizonDays: number,
  customerIds: readonly string[],
): Promise<WhatIfHorizon> {
  const fit = await portfolio.latestFit();
  const empty = { customers: 0, expectedPurchases: 0, predictedValue: 0 };
  if (fit === null) return { horizonDays, fitId: null, calibrationEnd: null, summary: empty, items: [] };
  const t = horizonDays / UNIT_DAYS[fit.unit];
  const onPage = new Set(customerIds);
  const page = new Map<string, HorizonCustomer>();
  const summary = { ...empty };
  for (const prediction of await portfolio.predictions()) {
    const expected = expectedPurchases(fit.bgnbd, prediction, t);
    const value =
      prediction.expectedAverageValue === null ? null : expected * prediction.expectedAverageValue;
    summary.customers += 1;
    summary.expectedPurchases += expected;
    summary.predictedValue += value ?? 0;
    if (onPage.has(prediction.id))
      page.set(prediction.id, {
        customerId: prediction.id,
        probabilityAlive: prediction.probabilityAlive,
        expectedPurchases: expected,
        predictedValue: value,
      });
  }
  return {
    horizonDays,
    fitId: fit.fitId,
    calibrationEnd: fit.calibrationEnd,
    summary,
    items: customerIds.flatMap((id) => page.get(id) ?? []),
  };
}
