import { isPromoterScore } from '../../shared/score-fact';
import { compareFacts, factsBefore } from './fact-chronology';
import { distinctOrderCount } from './kpi-facts.as-of';
import type { KpiFactRef, KpiFactsDocument } from './kpi-facts.document';

/** The five stages of relationship management, lowest first (domain.md). */
export type FunnelStage = 'reach' | 'acquisition' | 'conversion' | 'retention' | 'loyalty';

export const FUNNEL_STAGES: readonly FunnelStage[] = [
  'reach',
  'acquisition',
  'conversion',
  'retention',
  'loyalty',
];

/**
 * The highest stage the customer reached with the facts that occurred before
 * `t`. Reach, acquisition, conversion and retention only ever accumulate;
 * loyalty is the one that depends on order, so it alone is replayed.
 */
export function funnelStageAt(doc: KpiFactsDocument, t: number): FunnelStage {
  if (reachedLoyaltyBefore(doc, t)) return 'loyalty';
  const orders = distinctOrderCount(factsBefore(doc.purchases, t));
  if (orders >= 2) return 'retention';
  if (orders === 1) return 'conversion';
  return factsBefore(doc.touchpoints, t).some((touchpoint) => touchpoint.inbound) ? 'acquisition' : 'reach';
}

type LoyaltyStep = KpiFactRef &
  (
    | { readonly kind: 'registered' }
    | { readonly kind: 'order'; readonly orderId: string }
    | { readonly kind: 'nps'; readonly score: number }
  );

/**
 * Walks registration, purchases and NPS answers in occurredAt order (ties:
 * log order). Loyalty is reached the first time the registered customer has
 * two distinct orders and their latest NPS so far is 9–10, and it is never
 * lost afterwards. As in the journey projection, facts back-dated before the
 * registration count at the registration.
 */
function reachedLoyaltyBefore(doc: KpiFactsDocument, t: number): boolean {
  const orders = new Set<string>();
  let registered = false;
  let latestNps: number | undefined;
  for (const step of loyaltySteps(doc, t)) {
    if (step.kind === 'registered') registered = true;
    else if (step.kind === 'order') orders.add(step.orderId);
    else latestNps = step.score;
    if (registered && orders.size >= 2 && latestNps !== undefined && isPromoterScore(latestNps)) return true;
  }
  return false;
}

function loyaltySteps(doc: KpiFactsDocument, t: number): LoyaltyStep[] {
  // Registration opens the stream, so it precedes every other fact logged at the same instant.
  const registration: LoyaltyStep = { at: doc.registeredAt, position: 0, kind: 'registered' };
  const orders = doc.purchases.map(({ at, position, orderId }): LoyaltyStep => ({
    at,
    position,
    kind: 'order',
    orderId,
  }));
  const answers = doc.surveys
    .filter((survey) => survey.type === 'nps')
    .map(({ at, position, score }): LoyaltyStep => ({ at, position, kind: 'nps', score }));
  return factsBefore([registration, ...orders, ...answers], t).sort(compareFacts);
}
