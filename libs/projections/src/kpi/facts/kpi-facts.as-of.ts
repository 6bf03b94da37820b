import { epochMs } from '../../shared/instant';
import { factsBefore, type InstantRange, isBefore, isWithin, latestFact } from './fact-chronology';
import type { KpiFactsDocument, ProfileChangeFact } from './kpi-facts.document';

/** The profile as it stood: presence of name, email and phone, and the segment. */
export type ProfileSnapshot = {
  readonly name: boolean;
  readonly email: boolean;
  readonly phone: boolean;
  readonly segment: string | null;
};

const EMPTY_PROFILE: ProfileSnapshot = { name: false, email: false, phone: false, segment: null };

/** Folds the profile statements made before `t`, in history order; each key carried overrides. */
export function profileAt(changes: readonly ProfileChangeFact[], t: number): ProfileSnapshot {
  return factsBefore(changes, t).reduce<ProfileSnapshot>(
    (profile, { at: _at, position: _position, ...stated }) => ({ ...profile, ...stated }),
    EMPTY_PROFILE,
  );
}

/** "Customers at t" (domain.md): registered with occurredAt < t. */
export function isCustomerAt(doc: KpiFactsDocument, t: number): boolean {
  return isBefore(doc.registeredAt, t);
}

export function profileOf(doc: KpiFactsDocument, t: number): ProfileSnapshot {
  return profileAt(doc.profileChanges, t);
}

/** Whether the latest marketing_email consent stated before `t` grants it; none means no consent. */
export function hasMarketingConsentAt(doc: KpiFactsDocument, t: number): boolean {
  return latestFact(factsBefore(doc.marketingConsents, t))?.granted ?? false;
}

/** Epoch ms of the earliest purchase, undefined for a customer who never bought. */
export function firstPurchaseMs(doc: KpiFactsDocument): number | undefined {
  const times = doc.purchases.map((purchase) => epochMs(purchase.at));
  return times.length === 0 ? undefined : Math.min(...times);
}

export function firstPurchaseWithin(doc: KpiFactsDocument, range: InstantRange): boolean {
  const first = firstPurchaseMs(doc);
  return first !== undefined && first >= range.from && first < range.to;
}

/** "Active at t" (domain.md): converted, with a purchase in [t − churnWindow, t). */
export function isActiveAt(doc: KpiFactsDocument, t: number, churnWindowMs: number): boolean {
  const window = { from: t - churnWindowMs, to: t };
  return doc.purchases.some((purchase) => isWithin(purchase.at, window));
}

export function distinctOrderCount(purchases: readonly { readonly orderId: string }[]): number {
  return new Set(purchases.map((purchase) => purchase.orderId)).size;
}
