import {
  type CustomerRegistered,
  isInbound,
  isTouchpoint,
  type TouchpointEvent,
  touchpointChannel,
} from '@crm/domain';
import {
  addOrder,
  alreadyApplied,
  earlierInstant,
  type EventRef,
  fieldValue,
  insertByRef,
  isEarlierRef,
  keepTrimmed,
  laterInstant,
  type OrderFact,
  orderChannelLookup,
  type ProjectedEvent,
  refOf,
  type ScoreFact,
  stateProfileField,
  wholeDaysBetween,
} from '../shared';
import type { ChannelCounts, JourneyDocument, JourneyFacts } from './journey.document';
import { deriveStageHistory, stageOf } from './journey.stage-walk';

/** The fields derived from the facts; a fold derives them once, at its end, and only if the facts changed. */
type DerivedField =
  'segment' | 'stage' | 'stageHistory' | 'firstPurchaseAt' | 'lastPurchaseAt' | 'daysToConvert';
type DerivedFields = Pick<JourneyDocument, DerivedField>;

/** Called after each event a fold applied; see foldJourney. */
export type JourneyApplied = (e: ProjectedEvent, facts: JourneyFacts, customerId: string) => void;

/**
 * Applies one event from the global log to a customer's journey. Null until
 * the customer is registered (the domain rejects touchpoints before that);
 * an event the document already holds (position ≤ doc.position) changes
 * nothing, so redelivery and replay are harmless. The live path calls it
 * per event; it is a fold of one.
 */
export function evolveJourney(doc: JourneyDocument | null, e: ProjectedEvent): JourneyDocument | null {
  return foldJourney(doc, [e]);
}

/**
 * Applies a customer's events in log order: the same document as
 * `events.reduce(evolveJourney, doc)`, built on one private working copy
 * instead of one new document per event, with the stage walk run once at
 * the end (only if the facts changed). Neither `doc` nor the events are
 * mutated; `doc` itself is returned when no event applied, so a caller can
 * tell "unchanged" by reference.
 *
 * `onApplied` runs after each applied event with the customer's id and the
 * facts as they stand right after it: what the timeline needs, since a
 * refund takes the channel of its order as known at that moment. The facts
 * are the fold's working copy: read them during the call, do not keep them.
 *
 * Relies on what evolve keeps true of every journey document: orders and
 * NPS answers in history order (a new one is inserted, not sorted in).
 */
export function foldJourney(
  doc: JourneyDocument | null,
  events: readonly ProjectedEvent[],
  onApplied?: JourneyApplied,
): JourneyDocument | null {
  if (doc !== null) return foldFrom(doc, events, 0, onApplied);
  // Nothing happens before registration: the journey starts at the first one.
  const first = events.findIndex(isRegistration);
  const registration = events[first];
  if (registration === undefined || !isRegistration(registration)) return null;
  const journey = registered(registration);
  onApplied?.(registration, journey.facts, journey.customerId);
  return foldFrom(journey, events, first + 1, onApplied);
}

function foldFrom(
  doc: JourneyDocument,
  events: readonly ProjectedEvent[],
  from: number,
  onApplied: JourneyApplied | undefined,
): JourneyDocument {
  let draft: JourneyDraft | null = null;
  for (let index = from; index < events.length; index++) {
    const e = events[index] as ProjectedEvent;
    if (alreadyApplied(draft?.doc ?? doc, e)) continue;
    draft ??= draftOf(doc);
    apply(draft, e);
    onApplied?.(e, draft.doc.facts, draft.doc.customerId);
  }
  return draft === null ? doc : finished(draft);
}

type Registration = ProjectedEvent & { readonly event: CustomerRegistered };

function isRegistration(e: ProjectedEvent): e is Registration {
  return e.event.type === 'CustomerRegistered';
}

function registered(e: Registration): JourneyDocument {
  const at = refOf(e);
  const { customerId, kind, segment } = e.event.data;
  const base = {
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
  };
  return Object.assign(base, derivedFields(base.facts, base.registeredAt));
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };
type FactsDraft = Writable<JourneyFacts> & { orders: OrderFact[]; npsAnswers: ScoreFact[] };

/**
 * The fold's private working copy: a shallow copy of the document, changed
 * in place. Its nested parts are shared with the caller's document until
 * first written, then copied once (copy on write), so an event costs a few
 * assignments instead of a new document.
 */
type JourneyDraft = {
  readonly doc: Writable<JourneyDocument>;
  /** Set once doc.touchpointsByChannel is the fold's own copy. */
  counts: Writable<ChannelCounts> | null;
  /** Set once doc.facts is the fold's own copy; then the derived fields must be derived again. */
  facts: FactsDraft | null;
};

function draftOf(doc: JourneyDocument): JourneyDraft {
  return { doc: { ...doc }, counts: null, facts: null };
}

function ownCounts(draft: JourneyDraft): Writable<ChannelCounts> {
  draft.counts ??= { ...draft.doc.touchpointsByChannel };
  draft.doc.touchpointsByChannel = draft.counts;
  return draft.counts;
}

function ownFacts(draft: JourneyDraft): FactsDraft {
  const { facts } = draft.doc;
  draft.facts ??= { ...facts, orders: [...facts.orders], npsAnswers: [...facts.npsAnswers] };
  draft.doc.facts = draft.facts;
  return draft.facts;
}

function finished(draft: JourneyDraft): JourneyDocument {
  const { doc } = draft;
  // Unchanged facts give the same derived fields: keep the ones the document has.
  if (draft.facts !== null) Object.assign(doc, derivedFields(draft.facts, doc.registeredAt));
  return doc;
}

function apply(draft: JourneyDraft, e: ProjectedEvent): void {
  const { event } = e;
  draft.doc.position = e.position;
  if (event.type === 'CustomerProfileUpdated') {
    const facts = ownFacts(draft);
    facts.segment = stateProfileField(facts.segment, event.data.segment, refOf(e), keepTrimmed);
  } else if (isTouchpoint(event)) {
    const at = refOf(e);
    countTouchpoint(draft, event, at);
    addTouchpointFacts(draft, event, at);
  }
  // A second registration or a consent change says nothing about the journey.
}

function countTouchpoint(draft: JourneyDraft, event: TouchpointEvent, at: EventRef): void {
  const { doc } = draft;
  const channel = touchpointChannel(event, orderChannelLookup(doc.facts.orders));
  doc.touchpoints += 1;
  if (channel !== undefined) {
    const counts = ownCounts(draft);
    counts[channel] = (counts[channel] ?? 0) + 1;
  }
  doc.firstTouchAt = earlierInstant(doc.firstTouchAt, at.occurredAt);
  doc.lastTouchAt = laterInstant(doc.lastTouchAt, at.occurredAt);
}

/** Only what can move a stage is kept as a fact. */
function addTouchpointFacts(draft: JourneyDraft, event: TouchpointEvent, at: EventRef): void {
  if (isInbound(event) && isEarlierRef(at, draft.doc.facts.firstInbound)) ownFacts(draft).firstInbound = at;
  // Even a repeated orderId counts as a change of facts: the per-event evolve re-derived then too.
  if (event.type === 'PurchaseCompleted') addOrder(ownFacts(draft).orders, event, at);
  if (event.type === 'SurveyAnswered' && event.data.surveyType === 'nps') {
    const answer = { occurredAt: at.occurredAt, position: at.position, score: event.data.score };
    insertByRef(ownFacts(draft).npsAnswers, answer);
  }
}

function derivedFields(facts: JourneyFacts, registeredAt: string): DerivedFields {
  const stageHistory = deriveStageHistory(facts);
  const firstPurchaseAt = facts.orders[0]?.occurredAt ?? null;
  return {
    segment: fieldValue(facts.segment),
    stage: stageOf(stageHistory),
    stageHistory,
    firstPurchaseAt,
    lastPurchaseAt: facts.orders[facts.orders.length - 1]?.occurredAt ?? null,
    daysToConvert: firstPurchaseAt === null ? null : daysToConvert(registeredAt, firstPurchaseAt),
  };
}

/** Imported history can predate registration; such a customer converted on signing up, not before. */
function daysToConvert(registeredAt: string, firstPurchaseAt: string): number {
  return Math.max(0, wholeDaysBetween(registeredAt, firstPurchaseAt));
}
