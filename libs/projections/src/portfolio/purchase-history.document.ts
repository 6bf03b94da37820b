import type { ProjectionDocument } from '../shared/projected-event';

export const PURCHASE_HISTORY_COLLECTION = 'purchase_histories';
export const COHORT_COUNTERS_COLLECTION = 'cohort_counters';

/** A purchase or a refund as portfolio analysis needs it: the order, when (epoch ms, occurredAt) and how much (minor units). */
export type MoneyFact = { readonly orderId: string; readonly at: number; readonly amount: number };

/**
 * One customer's purchases and refunds (no personal data: order ids,
 * instants and amounts), kept whole so that a fit can cut them at any
 * calibration end. Purchases are distinct orders (the first recorded wins,
 * as everywhere) in occurredAt order, ties by log order; refunds likewise.
 */
export type PurchaseHistoryDocument = ProjectionDocument & {
  readonly customerId: string;
  readonly purchases: readonly MoneyFact[];
  readonly refunds: readonly MoneyFact[];
  /** Erased customers still count in cohorts and in the fit (anonymous figures), never in a targeting list. */
  readonly erased: boolean;
};
