import {
  type ConsentChanged,
  type CrmEvent,
  type CustomerProfile,
  type CustomerRegistered,
  isInbound,
  isTouchpoint,
  type PurchaseCompleted,
  type PurchaseRefunded,
  type SurveyAnswered,
  type TouchpointChannel,
  touchpointChannel,
  type TouchpointEvent,
} from '@crm/domain';
import { canonicalInstant } from '../../shared/instant';
import { alreadyApplied, type ProjectedEvent } from '../../shared/projected-event';
import { withFactInOrder } from './fact-chronology';
import { withSupportCaseMilestone } from './support-case.facts';
import { profileAt } from './kpi-facts.as-of';
import type {
  KpiFactRef,
  KpiFactsDocument,
  ProfileChangeFact,
  PurchaseFact,
  TouchpointFact,
} from './kpi-facts.document';

export const MARKETING_CONSENT_PURPOSE = 'marketing_email';

/**
 * Folds one log event into a customer's KPI facts. Pure and total: null until
 * CustomerRegistered, and an event at or below the document's position (a
 * replay or redelivery) returns the document unchanged.
 */
export function evolveKpiFacts(doc: KpiFactsDocument | null, e: ProjectedEvent): KpiFactsDocument | null {
  if (doc === null)
    return e.event.type === 'CustomerRegistered' ? registeredFacts(e.event, e.position) : null;
  if (alreadyApplied(doc, e)) return doc;
  return { ...withEvent(doc, e.event, refOf(e)), position: e.position };
}

/** Rebuilds a document from a stream, in log order. */
export function foldKpiFacts(events: readonly ProjectedEvent[]): KpiFactsDocument | null {
  return events.reduce<KpiFactsDocument | null>(evolveKpiFacts, null);
}

function refOf(e: ProjectedEvent): KpiFactRef {
  return { at: canonicalInstant(e.event.occurredAt), position: e.position };
}

function registeredFacts(event: CustomerRegistered, position: number): KpiFactsDocument {
  const ref: KpiFactRef = { at: canonicalInstant(event.occurredAt), position };
  const empty: KpiFactsDocument = {
    id: event.data.customerId,
    position,
    registeredAt: ref.at,
    kind: event.data.kind,
    segment: null,
    profile: { name: false, email: false, phone: false, segment: false },
    profileChanges: [],
    marketingConsents: [],
    purchases: [],
    refunds: [],
    touchpoints: [],
    surveys: [],
    supportCases: [],
  };
  return withProfileChange(empty, profileChangeOf(event.data, ref));
}

function withEvent(doc: KpiFactsDocument, event: CrmEvent, ref: KpiFactRef): KpiFactsDocument {
  switch (event.type) {
    case 'CustomerRegistered':
      // The first registration wins; the decider rejects a second one.
      return doc;
    case 'CustomerProfileUpdated':
      return withProfileChange(doc, profileChangeOf(event.data, ref));
    case 'ConsentChanged':
      return withConsent(doc, event, ref);
    default:
      return isTouchpoint(event) ? withTouchpointEvent(doc, event, ref) : doc;
  }
}

function withTouchpointEvent(
  doc: KpiFactsDocument,
  event: TouchpointEvent,
  ref: KpiFactRef,
): KpiFactsDocument {
  const withFacts = withSpecificFacts(doc, event, ref);
  const channel = touchpointChannel(event, (orderId) => orderChannel(withFacts, orderId));
  // A refund of a purchase not yet folded gets its touchpoint when the purchase arrives.
  return channel === undefined ? withFacts : withTouchpoint(withFacts, touchpointOf(event, ref, channel));
}

function withSpecificFacts(doc: KpiFactsDocument, event: TouchpointEvent, ref: KpiFactRef): KpiFactsDocument {
  switch (event.type) {
    case 'PurchaseCompleted':
      return withPurchase(doc, event, ref);
    case 'PurchaseRefunded':
      return withRefund(doc, event, ref);
    case 'SurveyAnswered':
      return withSurvey(doc, event, ref);
    case 'SupportCaseOpened':
    case 'SupportCaseResponded':
    case 'SupportCaseResolved':
      return { ...doc, supportCases: withSupportCaseMilestone(doc.supportCases, event, ref) };
    default:
      return doc;
  }
}

/** An absent key is no statement (updates carry changed fields only); a blank value clears the field. */
function profileChangeOf(data: CustomerProfile, ref: KpiFactRef): ProfileChangeFact {
  const present = (value: unknown): boolean => nonBlank(value) !== null;
  return {
    ...ref,
    ...(data.name === undefined ? {} : { name: present(data.name) }),
    ...(data.email === undefined ? {} : { email: present(data.email) }),
    ...(data.phone === undefined ? {} : { phone: present(data.phone) }),
    ...(data.segment === undefined ? {} : { segment: nonBlank(data.segment) }),
  };
}

function nonBlank(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : null;
}

function withProfileChange(doc: KpiFactsDocument, change: ProfileChangeFact): KpiFactsDocument {
  const profileChanges = withFactInOrder(doc.profileChanges, change);
  const latest = profileAt(profileChanges, Number.POSITIVE_INFINITY);
  const profile = {
    name: latest.name,
    email: latest.email,
    phone: latest.phone,
    segment: latest.segment !== null,
  };
  return { ...doc, profileChanges, profile, segment: latest.segment };
}

function withConsent(doc: KpiFactsDocument, event: ConsentChanged, ref: KpiFactRef): KpiFactsDocument {
  if (event.data.purpose !== MARKETING_CONSENT_PURPOSE) return doc;
  const fact = { ...ref, granted: event.data.granted };
  return { ...doc, marketingConsents: withFactInOrder(doc.marketingConsents, fact) };
}

function withPurchase(doc: KpiFactsDocument, event: PurchaseCompleted, ref: KpiFactRef): KpiFactsDocument {
  const { orderId, amount, currency, channel } = event.data;
  // A repeated orderId keeps the first purchase, as the domain's own evolve does.
  if (doc.purchases.some((purchase) => purchase.orderId === orderId)) return doc;
  const purchase: PurchaseFact = { ...ref, orderId, amount, currency, channel };
  return withRefundTouchpointsOf({ ...doc, purchases: withFactInOrder(doc.purchases, purchase) }, purchase);
}

/** Refunds folded before their purchase (imports only; the decider forbids it) get their touchpoint now. */
function withRefundTouchpointsOf(doc: KpiFactsDocument, purchase: PurchaseFact): KpiFactsDocument {
  return doc.refunds
    .filter((refund) => refund.orderId === purchase.orderId)
    .reduce(
      (current, refund) =>
        withTouchpoint(current, {
          at: refund.at,
          position: refund.position,
          channel: purchase.channel,
          inbound: false,
        }),
      doc,
    );
}

function withRefund(doc: KpiFactsDocument, event: PurchaseRefunded, ref: KpiFactRef): KpiFactsDocument {
  const { orderId, amount, currency } = event.data;
  return { ...doc, refunds: withFactInOrder(doc.refunds, { ...ref, orderId, amount, currency }) };
}

function withSurvey(doc: KpiFactsDocument, event: SurveyAnswered, ref: KpiFactRef): KpiFactsDocument {
  const fact = { ...ref, type: event.data.surveyType, score: event.data.score };
  return { ...doc, surveys: withFactInOrder(doc.surveys, fact) };
}

function touchpointOf(event: TouchpointEvent, ref: KpiFactRef, channel: TouchpointChannel): TouchpointFact {
  return { ...ref, channel, inbound: isInbound(event) };
}

function withTouchpoint(doc: KpiFactsDocument, touchpoint: TouchpointFact): KpiFactsDocument {
  return { ...doc, touchpoints: withFactInOrder(doc.touchpoints, touchpoint) };
}

function orderChannel(doc: KpiFactsDocument, orderId: string): PurchaseFact['channel'] | undefined {
  return doc.purchases.find((purchase) => purchase.orderId === orderId)?.channel;
}
