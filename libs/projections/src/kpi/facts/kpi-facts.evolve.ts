import {
  type CustomerProfileUpdatedData,
  type CustomerRegistered,
  isInbound,
  type PurchaseCompleted,
  touchpointChannel,
  type TouchpointEvent,
} from '@crm/domain';
import { canonicalInstant } from '../../shared/instant';
import { alreadyApplied, type ProjectedEvent } from '../../shared/projected-event';
import { KpiFactsDraft } from './kpi-facts.draft';
import type { KpiFactRef, KpiFactsDocument, ProfileChangeFact } from './kpi-facts.document';
import { withSupportCaseMilestone } from './support-case.facts';
import { answersARequest, withSurveyRequestStatement } from './survey-request.facts';

export const MARKETING_CONSENT_PURPOSE = 'marketing_email';

// Facts are written out field by field, never as `{ ...ref, more }`: on Node 20
// a spread that adds keys measured ~30x slower than the literal, and with it
// the spreads, not the folding, took most of a rebuild's time.

/**
 * Folds one log event into a customer's KPI facts (the live path). Pure and
 * total: null until CustomerRegistered, and an event at or below the
 * document's position (a replay or redelivery) returns the document itself.
 */
export function evolveKpiFacts(doc: KpiFactsDocument | null, e: ProjectedEvent): KpiFactsDocument | null {
  return foldKpiFacts(doc, [e]);
}

/**
 * Folds a customer's events, in log order, into their KPI facts: the same
 * document as `events.reduce(evolveKpiFacts, doc)`, built in one pass over
 * one private working copy instead of a new document per event (a rebuild
 * folds every event of the log). Events before the registration and at or
 * below the document's position are skipped. Never mutates `doc` or the
 * events; returns `doc` itself when no event applied.
 */
export function foldKpiFacts(
  doc: KpiFactsDocument | null,
  events: readonly ProjectedEvent[],
): KpiFactsDocument | null {
  let draft: KpiFactsDraft | undefined;
  for (const e of events) {
    if (draft !== undefined) {
      if (draft.isNew(e.position)) apply(draft, e);
    } else if (doc === null) {
      if (e.event.type === 'CustomerRegistered') draft = registeredDraft(e.event, e.position);
    } else if (!alreadyApplied(doc, e)) {
      draft = new KpiFactsDraft(doc);
      apply(draft, e);
    }
  }
  return draft === undefined ? doc : draft.toDocument();
}

function registeredDraft(event: CustomerRegistered, position: number): KpiFactsDraft {
  const ref: KpiFactRef = { at: canonicalInstant(event.occurredAt), position };
  const draft = new KpiFactsDraft({
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
    surveyRequests: [],
  });
  draft.addProfileChange(profileChangeOf(event.data, ref));
  return draft;
}

function apply(draft: KpiFactsDraft, e: ProjectedEvent): void {
  draft.advanceTo(e.position);
  const ref: KpiFactRef = { at: canonicalInstant(e.event.occurredAt), position: e.position };
  const { event } = e;
  switch (event.type) {
    case 'CustomerRegistered':
      // The first registration wins; the decider rejects a second one.
      return;
    case 'CustomerProfileUpdated':
      return draft.addProfileChange(profileChangeOf(event.data, ref));
    case 'ConsentChanged':
      if (event.data.purpose === MARKETING_CONSENT_PURPOSE)
        draft.addMarketingConsent({ at: ref.at, position: ref.position, granted: event.data.granted });
      return;
    case 'CustomerErased':
      // Erasure changes no KPI fact, only the position (runner/erasure.spec.ts).
      return;
    case 'CustomersMerged':
      // The merged history is folded from nothing by the runner (runtime/log/merge-history.ts).
      return;
    case 'FollowUpScheduled':
    case 'FollowUpReassigned':
    case 'FollowUpCompleted':
    case 'FollowUpCancelled':
      // Not touchpoints (domain.md, "Follow-ups"), and no figure reads them.
      return;
    // Not touchpoints either (domain.md, "Automations"): facts of surveyResponseRate and slaBreachRate only.
    case 'SurveyRequested':
      return draft.updateSurveyRequest(event.data.requestId, (current) =>
        withSurveyRequestStatement(current, event, ref),
      );
    case 'SupportCaseSlaBreached':
      return draft.updateSupportCase(event.data.caseId, (current) =>
        withSupportCaseMilestone(current, event, ref),
      );
    default:
      return applyTouchpoint(draft, event, ref);
  }
}

function applyTouchpoint(draft: KpiFactsDraft, event: TouchpointEvent, ref: KpiFactRef): void {
  applySpecificFacts(draft, event, ref);
  const channel = touchpointChannel(event, draft.orderChannel);
  // A refund of a purchase not yet folded gets its touchpoint when the purchase arrives.
  if (channel !== undefined)
    draft.addTouchpoint({ at: ref.at, position: ref.position, channel, inbound: isInbound(event) });
}

function applySpecificFacts(draft: KpiFactsDraft, event: TouchpointEvent, ref: KpiFactRef): void {
  switch (event.type) {
    case 'PurchaseCompleted':
      return applyPurchase(draft, event, ref);
    case 'PurchaseRefunded': {
      const { orderId, amount, currency } = event.data;
      return draft.addRefund({ at: ref.at, position: ref.position, orderId, amount, currency });
    }
    case 'SurveyAnswered': {
      const { surveyType: type, score } = event.data;
      if (answersARequest(event))
        draft.updateSurveyRequest(event.data.requestId, (current) =>
          withSurveyRequestStatement(current, event, ref),
        );
      return draft.addSurvey({ at: ref.at, position: ref.position, type, score });
    }
    case 'SupportCaseOpened':
    case 'SupportCaseResponded':
    case 'SupportCaseResolved':
      return draft.updateSupportCase(event.data.caseId, (current) =>
        withSupportCaseMilestone(current, event, ref),
      );
    default:
      return;
  }
}

function applyPurchase(draft: KpiFactsDraft, event: PurchaseCompleted, ref: KpiFactRef): void {
  const { orderId, amount, currency, channel } = event.data;
  // A repeated orderId keeps the first purchase, as the domain's own evolve does.
  if (!draft.addPurchase({ at: ref.at, position: ref.position, orderId, amount, currency, channel })) return;
  // Refunds folded before their purchase (imports only; the decider forbids it) get their touchpoint now.
  for (const refund of draft.takeRefundsAwaitingPurchase(orderId))
    draft.addTouchpoint({ at: refund.at, position: refund.position, channel, inbound: false });
}

/** An absent key is no statement (updates carry changed fields only); a blank value clears the field. */
function profileChangeOf(data: CustomerProfileUpdatedData, ref: KpiFactRef): ProfileChangeFact {
  const change: Writable<ProfileChangeFact> = { at: ref.at, position: ref.position };
  if (data.name !== undefined) change.name = nonBlank(data.name) !== null;
  if (data.email !== undefined) change.email = nonBlank(data.email) !== null;
  if (data.phone !== undefined) change.phone = nonBlank(data.phone) !== null;
  if (data.segment !== undefined) change.segment = nonBlank(data.segment);
  return change;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

function nonBlank(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : null;
}
