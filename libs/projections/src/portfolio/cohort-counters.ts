import type { IncrementWrite } from '@crm/read-store';
import { DAY_MS } from '../shared/instant';
import { COHORT_COUNTERS_COLLECTION, type PurchaseHistoryDocument } from './purchase-history.document';

/** Counter names in a cohort's set: its size, and per month offset k the customers who purchased in month cohort+k. */
export const COHORT_SIZE = 'size';
export const retentionCounter = (k: number): string => `k:${k}`;

/** Months since 1970-01 (UTC) of an instant. */
export function monthIndex(ms: number): number {
  const date = new Date(ms);
  return date.getUTCFullYear() * 12 + date.getUTCMonth() - 1970 * 12;
}

/** `YYYY-MM` of a month index: the cohort's counter set id (string order is month order). */
export function monthId(index: number): string {
  const year = 1970 + Math.floor(index / 12);
  const month = index - (year - 1970) * 12 + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** The month index of a `YYYY-MM` id. */
export function monthOfId(id: string): number {
  const [year = 'NaN', month = 'NaN'] = id.split('-');
  return (Number(year) - 1970) * 12 + Number(month) - 1;
}

/**
 * Adds a customer's place in the cohort counters into `into` (set id →
 * counter → increment) with `sign`: the cohort is the month of their first
 * purchase (domain.md, "Portfolio analysis"); they count once in its size
 * and once in `k:<k>` for each month cohort+k with a purchase. Refunds do
 * not take a purchase back out: a refunded purchase was still a purchase.
 */
export function countCohort(
  doc: PurchaseHistoryDocument | null,
  into: Map<string, Map<string, number>>,
  sign: 1 | -1,
): void {
  const first = doc?.purchases[0];
  if (doc === null || first === undefined) return;
  const cohort = monthIndex(first.at);
  const months = new Set(doc.purchases.map((p) => monthIndex(p.at) - cohort));
  const set = into.get(monthId(cohort)) ?? new Map<string, number>();
  into.set(monthId(cohort), set);
  const add = (name: string) => set.set(name, (set.get(name) ?? 0) + sign);
  add(COHORT_SIZE);
  for (const k of months) add(retentionCounter(k));
}

export function cohortWrites(increments: Map<string, Map<string, number>>): IncrementWrite[] {
  const writes: IncrementWrite[] = [];
  for (const [id, counters] of increments) {
    const nonZero = new Map([...counters].filter(([, n]) => n !== 0));
    if (nonZero.size > 0)
      writes.push({ kind: 'increment', collection: COHORT_COUNTERS_COLLECTION, id, counters: nonZero });
  }
  return writes;
}

/** The UTC day number (days since 1970-01-01) of an instant. */
export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}
