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
  isPromoterScore,
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
import {
  type ChannelCounts,
  JOURNEY_STAGES,
  type JourneyDocument,
  type JourneyFacts,
  type JourneyStage,
  type StageReached,
} from '../journey.document';
import { stageOf, stageRank } from '../journey.stage-walk';

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

// Frozen copy of the stage walk (journey.stage-walk.ts) as it was before the fold work sped it up.

/** One fact that can move a stage, placed in history. */
type Step = EventRef &
  (
    | { readonly kind: 'registered' }
    | { readonly kind: 'inbound' }
    | { readonly kind: 'order' }
    | { readonly kind: 'nps'; readonly score: number }
  );

type WalkState = {
  readonly registered: boolean;
  readonly inbound: boolean;
  readonly orders: number;
  /** The latest NPS answer so far in the walk, i.e. as of the current moment. */
  readonly latestNps: number | null;
};

const START: WalkState = { registered: false, inbound: false, orders: 0, latestNps: null };

/** Each stage's own condition (domain.md); loyalty includes retention by definition. */
const CONDITIONS: Readonly<Record<JourneyStage, (state: WalkState) => boolean>> = {
  reach: (state) => state.registered,
  acquisition: (state) => state.inbound,
  conversion: (state) => state.orders >= 1,
  retention: (state) => state.orders >= 2,
  loyalty: (state) => state.orders >= 2 && state.latestNps !== null && isPromoterScore(state.latestNps),
};

/**
 * Replays the stage-moving facts in occurredAt order (ties by log order) and
 * records each climb. Because it starts from the facts every time, a
 * back-dated event yields the same history as if it had been logged in
 * order, and replay yields the same history again.
 */
function deriveStageHistory(facts: JourneyFacts): StageReached[] {
  const history: StageReached[] = [];
  let state = START;
  for (const step of stepsOf(facts)) {
    state = applyStep(state, step);
    // Nothing happens in the journey before the customer exists in it; earlier facts count at registration.
    if (state.registered) history.push(...climbs(state, history, step.occurredAt));
  }
  return history;
}

function stepsOf(facts: JourneyFacts): Step[] {
  const steps: Step[] = [
    { ...facts.registration, kind: 'registered' },
    ...facts.orders.map((order): Step => ({ ...refPart(order), kind: 'order' })),
    ...facts.npsAnswers.map((answer): Step => ({ ...refPart(answer), kind: 'nps', score: answer.score })),
  ];
  if (facts.firstInbound !== null) steps.push({ ...facts.firstInbound, kind: 'inbound' });
  return sortedByRef(steps);
}

function refPart(ref: EventRef): EventRef {
  return { occurredAt: ref.occurredAt, position: ref.position };
}

function applyStep(state: WalkState, step: Step): WalkState {
  switch (step.kind) {
    case 'registered':
      return { ...state, registered: true };
    case 'inbound':
      return { ...state, inbound: true };
    case 'order':
      return { ...state, orders: state.orders + 1 };
    case 'nps':
      return { ...state, latestNps: step.score };
  }
}

/**
 * The stages climbed at this instant: every stage above the current one up
 * to the highest whose own condition now holds. A stage jumped over is
 * recorded too, at the same instant as the event that jumped it (fixture
 * choice C5): a purchase with no inbound touchpoint before it reaches
 * acquisition and conversion together, so the history always lists each
 * stage up to the current one, in order, exactly once.
 */
function climbs(state: WalkState, history: readonly StageReached[], at: string): StageReached[] {
  const current = history.length === 0 ? -1 : stageRank(stageOf(history));
  const holding = JOURNEY_STAGES.filter((stage) => CONDITIONS[stage](state)).map(stageRank);
  const highest = Math.max(-1, ...holding);
  return JOURNEY_STAGES.slice(current + 1, highest + 1).map((stage) => ({ stage, reachedAt: at }));
}
