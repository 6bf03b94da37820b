import { type CrmEvent, isTouchpoint } from '@crm/domain';
import { canonicalInstant, compareInstants } from '../shared/instant';
import type { ProjectedEvent } from '../shared/projected-event';
import type {
  CampaignCustomerDocument,
  CampaignFactRef,
  CampaignConsentFact,
  CampaignInteractionFact,
  CampaignMoneyFact,
} from './campaign-facts.document';

/** Negative when `a` happened first: occurredAt, then log position (domain.md, "latest"). */
export function compareCampaignFacts(a: CampaignFactRef, b: CampaignFactRef): number {
  return compareInstants(a.at, b.at) || a.position - b.position;
}

/** Puts `fact` into a list the fold owns, in history order (a back-dated fact lands where it belongs). */
function insertInOrder<T extends CampaignFactRef>(facts: T[], fact: T): void {
  let index = facts.length;
  while (index > 0 && compareCampaignFacts(facts[index - 1] as T, fact) > 0) index--;
  facts.splice(index, 0, fact);
}

type Draft = {
  id: string;
  position: number;
  erased: boolean;
  lastMerge: { position: number };
  lastTouchAt: string | null;
  consents: CampaignConsentFact[];
  interactions: CampaignInteractionFact[];
  purchases: CampaignMoneyFact[];
  refunds: CampaignMoneyFact[];
};

/**
 * Folds a customer's events (log order) into their campaign facts: null
 * until CustomerRegistered; events at or below the document's position (a
 * replay, a redelivery) are skipped, and `doc` itself is returned when none
 * applied. Pure: never mutates `doc` or the events.
 */
export function foldCampaignFacts(
  doc: CampaignCustomerDocument | null,
  events: readonly ProjectedEvent[],
): CampaignCustomerDocument | null {
  let draft: Draft | null = null;
  for (const e of events) {
    if (draft === null) {
      if (doc === null) {
        if (e.event.type === 'CustomerRegistered') draft = registered(e.event.data.customerId, e.position);
        continue;
      }
      if (e.position <= doc.position) continue;
      draft = copyOf(doc);
    } else if (e.position <= draft.position) continue;
    apply(draft, e);
  }
  return draft === null ? doc : draft;
}

function registered(customerId: string, position: number): Draft {
  return {
    id: customerId,
    position,
    erased: false,
    lastMerge: { position: 0 },
    lastTouchAt: null,
    consents: [],
    interactions: [],
    purchases: [],
    refunds: [],
  };
}

function copyOf(doc: CampaignCustomerDocument): Draft {
  return {
    id: doc.id,
    position: doc.position,
    erased: doc.erased,
    lastMerge: doc.lastMerge,
    lastTouchAt: doc.lastTouchAt,
    consents: [...doc.consents],
    interactions: [...doc.interactions],
    purchases: [...doc.purchases],
    refunds: [...doc.refunds],
  };
}

function apply(draft: Draft, e: ProjectedEvent): void {
  draft.position = e.position;
  const ref: CampaignFactRef = { at: canonicalInstant(e.event.occurredAt), position: e.position };
  const { event } = e;
  if (isTouchpoint(event) && (draft.lastTouchAt === null || compareInstants(ref.at, draft.lastTouchAt) > 0))
    draft.lastTouchAt = ref.at;
  applyFact(draft, event, ref);
}

function applyFact(draft: Draft, event: CrmEvent, ref: CampaignFactRef): void {
  switch (event.type) {
    case 'CampaignInteraction': {
      const { campaignId, action } = event.data;
      return insertInOrder(draft.interactions, { at: ref.at, position: ref.position, campaignId, action });
    }
    case 'PurchaseCompleted': {
      const { orderId, amount } = event.data;
      // A repeated orderId keeps the first purchase recorded, as every projection does (P10).
      if (draft.purchases.some((purchase) => purchase.orderId === orderId)) return;
      return insertInOrder(draft.purchases, { at: ref.at, position: ref.position, orderId, amount });
    }
    case 'PurchaseRefunded': {
      const { orderId, amount } = event.data;
      return insertInOrder(draft.refunds, { at: ref.at, position: ref.position, orderId, amount });
    }
    case 'ConsentChanged':
      return latestConsent(draft, { ...ref, purpose: event.data.purpose, granted: event.data.granted });
    case 'CustomersMerged':
      // Only the survivor's own merge reaches a document (the merged side's is deleted by the runner).
      if (event.data.survivorId === draft.id) draft.lastMerge = { position: ref.position };
      return;
    case 'CustomerErased':
      // The facts kept here are no personal data; erasure only leaves the customer out of audiences.
      draft.erased = true;
      return;
    default:
      return;
  }
}

/** Keeps the latest statement per purpose (occurredAt, ties by log order), the list sorted by purpose. */
function latestConsent(draft: Draft, consent: CampaignConsentFact): void {
  const index = draft.consents.findIndex((known) => known.purpose === consent.purpose);
  const known = draft.consents[index];
  if (known === undefined) {
    draft.consents.push(consent);
    draft.consents.sort((a, b) => (a.purpose < b.purpose ? -1 : a.purpose > b.purpose ? 1 : 0));
  } else if (compareCampaignFacts(consent, known) > 0) {
    draft.consents[index] = consent;
  }
}

/** Whether the customer's latest statement for `purpose` grants it (no statement: not granted). */
export function consentGranted(doc: Pick<CampaignCustomerDocument, 'consents'>, purpose: string): boolean {
  return doc.consents.find((consent) => consent.purpose === purpose)?.granted === true;
}
