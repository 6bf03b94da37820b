import { DAY_MS, epochMs } from '../shared/instant';
import type {
  CampaignCustomerDocument,
  CampaignInteractionFact,
  CampaignMoneyFact,
} from './campaign-facts.document';

export const DEFAULT_ATTRIBUTION_WINDOW_DAYS = 7;

/**
 * Last-click attribution (domain.md, "Campaign performance"): the campaign
 * of the customer's latest `clicked` interaction at or before the purchase
 * and at most `windowDays` before it, latest by occurredAt, ties by log
 * order (the later logged click wins). A click at the purchase instant and
 * one exactly `windowDays` before it both count; a click logged after the
 * purchase but back-dated before it counts too, since order is occurredAt.
 * Recomputed from the customer's facts on every change, so an import that
 * delivers the click after the purchase attributes the purchase all the same.
 *
 * @returns orderId → campaignId, for the attributed purchases only.
 */
export function attributePurchases(
  doc: Pick<CampaignCustomerDocument, 'interactions' | 'purchases'>,
  windowDays: number,
): Map<string, string> {
  const clicks = doc.interactions.filter((fact) => fact.action === 'clicked');
  const attributed = new Map<string, string>();
  if (clicks.length === 0) return attributed;
  const windowMs = windowDays * DAY_MS;
  for (const purchase of doc.purchases) {
    const click = lastClickFor(clicks, purchase, windowMs);
    if (click !== undefined) attributed.set(purchase.orderId, click.campaignId);
  }
  return attributed;
}

/** The last click (clicks in history order) at or before the purchase and not before the window opens. */
function lastClickFor(
  clicks: readonly CampaignInteractionFact[],
  purchase: CampaignMoneyFact,
  windowMs: number,
): CampaignInteractionFact | undefined {
  const purchaseMs = epochMs(purchase.at);
  const opensMs = purchaseMs - windowMs;
  // Binary search for the first click after the purchase instant; the one before it is the candidate.
  let low = 0;
  let high = clicks.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (epochMs((clicks[middle] as CampaignInteractionFact).at) <= purchaseMs) low = middle + 1;
    else high = middle;
  }
  const candidate = clicks[low - 1];
  return candidate !== undefined && epochMs(candidate.at) >= opensMs ? candidate : undefined;
}
