/**
 * REFERENCE SEMANTICS, test-only: the event-by-event journey evolve as it
 * was before the batch fold (journey.projection.ts) replaced it, one new
 * immutable document per event. Kept verbatim, readable rather than fast, so
 * the fold specs compare the fold with an independent implementation and not
 * with itself. Do not optimise it; change it only together with the
 * documented semantics (docs/, domain.md).
 */
import {
  type CustomerProfileUpdated,
  type CustomerRegistered,
  isInbound,
  isTouchpoint,
  type TouchpointEvent,
  touchpointChannel,
} from '@crm/domain';
import {
  alreadyApplied,
  earlierInstant,
  type EventRef,
  fieldValue,
  isEarlierRef,
  keepTrimmed,
  laterInstant,
  orderChannelLookup,
  type ProjectedEvent,
  refOf,
  sortedByRef,
  stateProfileField,
  wholeDaysBetween,
  withOrder,
} from '../../shared';
import type { ChannelCounts, JourneyDocument, JourneyFacts } from '../journey.document';
import { deriveStageHistory, stageOf } from '../journey.stage-walk';

/** The fields recomputed from the facts on every evolve. */
type DerivedField =
  'segment' | 'stage' | 'stageHistory' | 'firstPurchaseAt' | 'lastPurchaseAt' | 'daysToConvert';
type JourneyBase = Omit<JourneyDocument, DerivedField>;

/**
 * Applies one event from the global log to a customer's journey. Null until
 * the customer is registered (the domain rejects touchpoints before that);
 * an event the document already holds (position ≤ doc.position) changes
 * nothing, so redelivery and replay are harmless.
 */
export function referenceEvolveJourney(
  doc: JourneyDocument | null,
  e: ProjectedEvent,
): JourneyDocument | null {
  if (doc === null) return e.event.type === 'CustomerRegistered' ? registered(e.event, refOf(e)) : null;
  if (alreadyApplied(doc, e)) return doc;
  const base = { ...applyFact(doc, e), position: e.position };
  // Most touchpoints change counts only; the stage walk reruns only when its facts changed.
  return base.facts === doc.facts ? keepDerivedFields(base, doc) : withDerivedFields(base);
}

function keepDerivedFields(base: JourneyBase, previous: JourneyDocument): JourneyDocument {
  const { segment, stage, stageHistory, firstPurchaseAt, lastPurchaseAt, daysToConvert } = previous;
  return { ...base, segment, stage, stageHistory, firstPurchaseAt, lastPurchaseAt, daysToConvert };
}

function registered(event: CustomerRegistered, at: EventRef): JourneyDocument {
  const { customerId, kind, segment } = event.data;
  return withDerivedFields({
    id: customerId,
    position: at.position,
    customerId,
    kind,
    registeredAt: at.occurredAt,
    firstTouchAt: null,
    lastTouchAt: null,
    touchpoints: 0,
    touchpointsByChannel: {},
    facts: {
      registration: at,
      segment: stateProfileField(null, segment, at, keepTrimmed),
      firstInbound: null,
      orders: [],
      npsAnswers: [],
    },
  });
}

function applyFact(doc: JourneyBase, e: ProjectedEvent): JourneyBase {
  const { event } = e;
  if (event.type === 'CustomerProfileUpdated') return profileUpdated(doc, event, refOf(e));
  // A second registration or a consent change says nothing about the journey.
  if (!isTouchpoint(event)) return doc;
  const at = refOf(e);
  const counted = countTouchpoint(doc, event, at);
  return { ...counted, facts: touchpointFacts(counted.facts, event, at) };
}

function profileUpdated(doc: JourneyBase, event: CustomerProfileUpdated, at: EventRef): JourneyBase {
  const segment = stateProfileField(doc.facts.segment, event.data.segment, at, keepTrimmed);
  return { ...doc, facts: { ...doc.facts, segment } };
}

function countTouchpoint(doc: JourneyBase, event: TouchpointEvent, at: EventRef): JourneyBase {
  // A purchase is counted after its own order is known, so its channel is its own.
  const channel = touchpointChannel(event, orderChannelLookup(doc.facts.orders));
  return {
    ...doc,
    touchpoints: doc.touchpoints + 1,
    touchpointsByChannel: channel === undefined ? doc.touchpointsByChannel : increment(doc, channel),
    firstTouchAt: earlierInstant(doc.firstTouchAt, at.occurredAt),
    lastTouchAt: laterInstant(doc.lastTouchAt, at.occurredAt),
  };
}

function increment(doc: JourneyBase, channel: keyof ChannelCounts): ChannelCounts {
  return { ...doc.touchpointsByChannel, [channel]: (doc.touchpointsByChannel[channel] ?? 0) + 1 };
}

function touchpointFacts(facts: JourneyFacts, event: TouchpointEvent, at: EventRef): JourneyFacts {
  const withInbound =
    isInbound(event) && isEarlierRef(at, facts.firstInbound) ? { ...facts, firstInbound: at } : facts;
  if (event.type === 'PurchaseCompleted') {
    return { ...withInbound, orders: withOrder(facts.orders, event, at) };
  }
  if (event.type === 'SurveyAnswered' && event.data.surveyType === 'nps') {
    return {
      ...withInbound,
      npsAnswers: sortedByRef([...facts.npsAnswers, { ...at, score: event.data.score }]),
    };
  }
  return withInbound;
}

function withDerivedFields(base: JourneyBase): JourneyDocument {
  const { facts } = base;
  const stageHistory = deriveStageHistory(facts);
  const firstPurchaseAt = facts.orders[0]?.occurredAt ?? null;
  return {
    ...base,
    segment: fieldValue(facts.segment),
    stage: stageOf(stageHistory),
    stageHistory,
    firstPurchaseAt,
    lastPurchaseAt: facts.orders[facts.orders.length - 1]?.occurredAt ?? null,
    daysToConvert: firstPurchaseAt === null ? null : daysToConvert(base.registeredAt, firstPurchaseAt),
  };
}

/** Imported history can predate registration; such a customer converted on signing up, not before. */
function daysToConvert(registeredAt: string, firstPurchaseAt: string): number {
  return Math.max(0, wholeDaysBetween(registeredAt, firstPurchaseAt));
}
