import type { ProjectedEvent } from '../shared/projected-event';
import { epochMs } from '../shared/instant';
import type { MoneyFact, PurchaseHistoryDocument } from './purchase-history.document';

/**
 * A customer's purchase history after their events (log order): the new
 * document, `doc` itself when no event changes it, null while the customer
 * has no purchase and no refund. Events the document holds (position) are
 * skipped, so a replayed batch changes nothing.
 *
 * - A PurchaseCompleted of a known orderId is left out (the decider refuses
 *   it on one stream; from a merged customer, the first recorded keeps it).
 * - CustomerErased only marks the document.
 * - CustomersMerged: the survivor's merged history is folded from nothing
 *   by the runner (runner/projection.ts, foldWithMerges).
 */
export function foldPurchaseHistory(
  customerId: string,
  doc: PurchaseHistoryDocument | null,
  events: readonly ProjectedEvent[],
): PurchaseHistoryDocument | null {
  let purchases: MoneyFact[] | null = null;
  let refunds: MoneyFact[] | null = null;
  let erased = doc?.erased ?? false;
  let position = doc?.position ?? -1;
  let changed = false;
  for (const { event, position: at } of events) {
    if (at <= position) continue;
    position = at;
    changed = true;
    switch (event.type) {
      case 'PurchaseCompleted': {
        purchases ??= [...(doc?.purchases ?? [])];
        const { orderId, amount } = event.data;
        if (!purchases.some((p) => p.orderId === orderId))
          insertByTime(purchases, { orderId, at: epochMs(event.occurredAt), amount });
        break;
      }
      case 'PurchaseRefunded': {
        refunds ??= [...(doc?.refunds ?? [])];
        const { orderId, amount } = event.data;
        insertByTime(refunds, { orderId, at: epochMs(event.occurredAt), amount });
        break;
      }
      case 'CustomerErased':
        erased = true;
        break;
      default:
        break;
    }
  }
  if (!changed) return doc;
  const next = {
    id: customerId,
    position,
    customerId,
    purchases: purchases ?? doc?.purchases ?? [],
    refunds: refunds ?? doc?.refunds ?? [],
    erased,
  };
  return doc === null && next.purchases.length === 0 && next.refunds.length === 0 ? null : next;
}

/** After every fact at or before `fact.at` (so equal instants keep log order). */
function insertByTime(facts: MoneyFact[], fact: MoneyFact): void {
  let index = facts.length;
  while (index > 0 && (facts[index - 1] as MoneyFact).at > fact.at) index--;
  facts.splice(index, 0, fact);
}
