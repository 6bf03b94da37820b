import {
  type ConsentChanged,
  type CrmEvent,
  type CustomerProfileUpdatedData,
  type CustomerRegistered,
  isInbound,
  isTouchpoint,
  type PurchaseCompleted,
  type PurchaseRefunded,
  type SupportCaseOpened,
  type SupportCaseResolved,
  type SupportCaseResponded,
  type SurveyAnswered,
  type TouchpointChannel,
  touchpointChannel,
  type TouchpointEvent,
} from '@crm/domain';
import { canonicalInstant, epochMs } from '../../shared/instant';
import { alreadyApplied, type ProjectedEvent } from '../../shared/projected-event';
import type {
  KpiFactRef,
  KpiFactsDocument,
  ProfileChangeFact,
  PurchaseFact,
  SupportCaseFact,
  TouchpointFact,
} from '../facts/kpi-facts.document';

/**
 * THE READABLE REFERENCE, for tests only. This is the per-event evolve of the
 * KPI facts as it was before the batch fold (foldKpiFacts), kept as it was
 * with the helpers it used copied in (so later changes to the production
 * helpers cannot leak into it): every event builds a new
 * immutable document and every list is re-sorted whole. It is quadratic per
 * customer, hence too slow for a rebuild, but obviously right; the fold's
 * specs check the fast code against it. Do not optimise it and do not use it
 * outside tests.
 */
export function referenceEvolveKpiFacts(
  doc: KpiFactsDocument | null,
  e: ProjectedEvent,
): KpiFactsDocument | null {
  if (doc === null)
    return e.event.type === 'CustomerRegistered' ? registeredFacts(e.event, e.position) : null;
  if (alreadyApplied(doc, e)) return doc;
  return { ...withEvent(doc, e.event, refOf(e)), position: e.position };
}

/** `events.reduce(referenceEvolveKpiFacts, doc)`: what foldKpiFacts(doc, events) must equal. */
export function referenceFoldKpiFacts(
  doc: KpiFactsDocument | null,
  events: readonly ProjectedEvent[],
): KpiFactsDocument | null {
  return events.reduce<KpiFactsDocument | null>(referenceEvolveKpiFacts, doc);
}

const MARKETING_CONSENT_PURPOSE = 'marketing_email';

function compareFacts(a: KpiFactRef, b: KpiFactRef): number {
  return epochMs(a.at) - epochMs(b.at) || a.position - b.position;
}

function withFactInOrder<T extends KpiFactRef>(facts: readonly T[], fact: T): readonly T[] {
  return [...facts, fact].sort(compareFacts);
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

function profileChangeOf(data: CustomerProfileUpdatedData, ref: KpiFactRef): ProfileChangeFact {
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

type ProfileSnapshot = {
  readonly name: boolean;
  readonly email: boolean;
  readonly phone: boolean;
  readonly segment: string | null;
};

function latestProfile(changes: readonly ProfileChangeFact[]): ProfileSnapshot {
  return changes
    .filter((change) => epochMs(change.at) < Number.POSITIVE_INFINITY)
    .reduce<ProfileSnapshot>(
      (profile, { at: _at, position: _position, ...stated }) => ({ ...profile, ...stated }),
      { name: false, email: false, phone: false, segment: null },
    );
}

function withProfileChange(doc: KpiFactsDocument, change: ProfileChangeFact): KpiFactsDocument {
  const profileChanges = withFactInOrder(doc.profileChanges, change);
  const latest = latestProfile(profileChanges);
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
  if (doc.purchases.some((purchase) => purchase.orderId === orderId)) return doc;
  const purchase: PurchaseFact = { ...ref, orderId, amount, currency, channel };
  return withRefundTouchpointsOf({ ...doc, purchases: withFactInOrder(doc.purchases, purchase) }, purchase);
}

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

type SupportCaseEvent = SupportCaseOpened | SupportCaseResponded | SupportCaseResolved;

function withSupportCaseMilestone(
  cases: readonly SupportCaseFact[],
  event: SupportCaseEvent,
  ref: KpiFactRef,
): readonly SupportCaseFact[] {
  const { caseId } = event.data;
  const current = cases.find((supportCase) => supportCase.caseId === caseId) ?? { caseId };
  const next = withMilestone(current, event, ref);
  return [...cases.filter((supportCase) => supportCase.caseId !== caseId), next].sort(compareCases);
}

function withMilestone(current: SupportCaseFact, event: SupportCaseEvent, ref: KpiFactRef): SupportCaseFact {
  switch (event.type) {
    case 'SupportCaseOpened':
      return current.openedAt === undefined ? { ...current, openedAt: ref.at } : current;
    case 'SupportCaseResponded':
      return current.respondedAt === undefined ? { ...current, respondedAt: ref.at } : current;
    case 'SupportCaseResolved':
      return current.resolvedAt === undefined
        ? { ...current, resolvedAt: ref.at, firstContact: event.data.firstContact }
        : current;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

function compareCases(a: SupportCaseFact, b: SupportCaseFact): number {
  return openedMs(a) - openedMs(b) || (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0);
}

function openedMs(supportCase: SupportCaseFact): number {
  return supportCase.openedAt === undefined ? Number.MAX_SAFE_INTEGER : epochMs(supportCase.openedAt);
}
