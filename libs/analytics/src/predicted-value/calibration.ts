import { DAY_MS, type FitUnit, type PurchaseHistoryDocument } from '@crm/projections';

export const UNIT_DAYS: Readonly<Record<FitUnit, number>> = { day: 1, week: 7 };

/** What the models see of one customer at a calibration end (domain.md, "Portfolio analysis"), in the fit's unit. */
export type CalibrationSummary = {
  readonly customerId: string;
  readonly erased: boolean;
  /** Purchase days − 1. */
  readonly x: number;
  /** Last purchase day − first purchase day. */
  readonly tx: number;
  /** Calibration end − start of the first purchase day. */
  readonly T: number;
  /** Mean net value of the repeat purchase days (the first day left out), minor units; null when x = 0. */
  readonly meanRepeatValue: number | null;
};

/**
 * A customer's summary at `calibrationEnd` (epoch ms), or null without a
 * purchase before it. Purchases and refunds count when they occurred before
 * the calibration end; a purchase day is a UTC calendar day with a
 * PurchaseCompleted, its value the day's purchases net of the refunds of
 * those orders (a refund nets against the day of the purchase it refunds,
 * whenever it came). Times are measured on the day grid: a purchase
 * counts at the start of its day, so t_x is a whole number of days and T
 * the time from the first day's start to the calibration end.
 */
export function calibrationSummary(
  doc: PurchaseHistoryDocument,
  calibrationEnd: number,
  unit: FitUnit,
): CalibrationSummary | null {
  const dayOfOrder = new Map<string, number>();
  const value = new Map<number, number>();
  for (const purchase of doc.purchases) {
    if (purchase.at >= calibrationEnd) break; // in occurredAt order
    const day = Math.floor(purchase.at / DAY_MS);
    dayOfOrder.set(purchase.orderId, day);
    value.set(day, (value.get(day) ?? 0) + purchase.amount);
  }
  if (value.size === 0) return null;
  for (const refund of doc.refunds) {
    if (refund.at >= calibrationEnd) break;
    const day = dayOfOrder.get(refund.orderId);
    if (day !== undefined) value.set(day, (value.get(day) ?? 0) - refund.amount);
  }
  const days = [...value.keys()].sort((a, b) => a - b);
  const first = days[0] as number;
  const last = days[days.length - 1] as number;
  const unitMs = UNIT_DAYS[unit] * DAY_MS;
  const x = days.length - 1;
  let repeatTotal = 0;
  for (const day of days.slice(1)) repeatTotal += value.get(day) ?? 0;
  return {
    customerId: doc.customerId,
    erased: doc.erased,
    x,
    tx: ((last - first) * DAY_MS) / unitMs,
    T: (calibrationEnd - first * DAY_MS) / unitMs,
    meanRepeatValue: x === 0 ? null : repeatTotal / x,
  };
}
