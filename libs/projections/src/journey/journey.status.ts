import { type AsOf, DAY_MS, epochMs } from '../shared';
import type { JourneyDocument } from './journey.document';

export type JourneyStatus = 'active' | 'lapsed';

export const DEFAULT_CHURN_WINDOW_DAYS = 180;

/**
 * domain.md: lapsed if converted and the last purchase is more than
 * churnWindowDays before asOf, else active. Derived at query time because it
 * changes with the passing of time, not with events. A purchase exactly
 * churnWindowDays before asOf still counts as active, matching the KPI
 * window [t − churnWindowDays, t).
 */
export function journeyStatus(
  doc: Pick<JourneyDocument, 'lastPurchaseAt'>,
  asOf: AsOf,
  churnWindowDays: number = DEFAULT_CHURN_WINDOW_DAYS,
): JourneyStatus {
  if (doc.lastPurchaseAt === null) return 'active';
  const cutoff = epochMs(asOf) - churnWindowDays * DAY_MS;
  return epochMs(doc.lastPurchaseAt) < cutoff ? 'lapsed' : 'active';
}
