import {
  type CustomerProfileUpdatedData,
  type CustomerRegistered,
  isInbound,
  isTouchpoint,
  type PurchaseCompleted,
  type SurveyAnswered,
  type TouchpointEvent,
  touchpointChannel,
} from '@crm/domain';
import {
  alreadyApplied,
  type EventRef,
  fieldValue,
  hasOrder,
  insertByRef,
  isLaterRef,
  keepTrimmed,
  orderChannelLookup,
  type ProfileFieldFact,
  type ProjectedEvent,
  refOf,
  stateProfileField,
} from '../shared';
import type {
  ChannelActivities,
  IdicDocument,
  IdicFacts,
  IdicOrderFact,
  ProfileFacts,
} from './idic.document';
import { presenceOnly, profileCompleteness } from './idic.identity';
import {
  addCategoryAmounts,
  categoryAmounts,
  channelTouched,
  preferredChannel,
  sortedCategoryAmounts,
  topCategory,
} from './idic.needs';
import { valueClassOf } from './idic.scores';

/** The fields derived from the rest; a fold derives them once, at its end. */
type DerivedField =
  | 'segment'
  | 'profileCompleteness'
  | 'netRevenue'
  | 'valueClass'
  | 'orders'
  | 'aov'
  | 'lastPurchaseAt'
  | 'preferredChannel'
  | 'topCategory'
  | 'inboundShare'
  | 'avgCsat';
type IdicBase = Omit<IdicDocument, DerivedField>;

/**
 * Applies one event from the global log to a customer's IDIC document. Null
 * until the customer is registered; an event the document already holds
 * (position ≤ doc.position) changes nothing. The live path calls it per
 * event; it is a fold of one.
 */
export function evolveIdic(doc: IdicDocument | null, e: ProjectedEvent): IdicDocument | null {
  return foldIdic(doc, [e]);
}

/**
 * Applies a customer's events in log order: the same document as
 * `events.reduce(evolveIdic, doc)`, built on one private working copy
 * instead of one new document per event, with the derived fields computed
 * once at the end. Neither `doc` nor the events are mutated; `doc` itself is
 * returned when no event applied, so a caller can tell "unchanged" by
 * reference.
 *
 * Relies on what evolve keeps true of every IDIC document: orders in
 * history order (a new one is inserted, not sorted in).
 */
export function foldIdic(doc: IdicDocument | null, events: readonly ProjectedEvent[]): IdicDocument | null {
  if (doc !== null) return foldFrom(doc, events, 0);
  // Nothing is known of a customer before registration: the document starts at the first one.
  const first = events.findIndex(isRegistration);
  const registration = events[first];
  if (registration === undefined || !isRegistration(registration)) return null;
  return foldFrom(registered(registration.event, refOf(registration)), events, first + 1);
}

function foldFrom(doc: IdicDocument, events: readonly ProjectedEvent[], from: number): IdicDocument {
  let draft: IdicDraft | null = null;
  for (let index = from; index < events.length; index++) {
    const e = events[index] as ProjectedEvent;
    if (alreadyApplied(draft?.doc ?? doc, e)) continue;
    draft ??= draftOf(doc);
    apply(draft, e);
  }
  return draft === null ? doc : finished(draft);
}

type Registration = ProjectedEvent & { readonly event: CustomerRegistered };

function isRegistration(e: ProjectedEvent): e is Registration {
  return e.event.type === 'CustomerRegistered';
}

function registered(event: CustomerRegistered, at: EventRef): IdicDocument {
  const { customerId, kind } = event.data;
  const base: IdicBase = {
    id: customerId,
    position: at.position,
    customerId,
    kind,
    purchaseTotal: 0,
    refundTotal: 0,
    channels: {},
    categories: [],
    touchpoints: 0,
    inboundTouchpoints: 0,
    touchpointsByDay: {},
    latestNps: null,
    csat: { sum: 0, count: 0 },
    facts: {
      profile: stateProfile(EMPTY_PROFILE, event.data, at),
      orders: [],
      registrations: [at],
      repeatedOrders: [],
      refunds: [],
    },
  };
  return Object.assign(base, derivedFields(base));
}

const EMPTY_PROFILE: ProfileFacts = { name: null, email: null, phone: null, segment: null };

/** Registration and updates are both statements about the profile; the latest per field wins. */
function stateProfile(profile: ProfileFacts, data: CustomerProfileUpdatedData, at: EventRef): ProfileFacts {
  return {
    name: stateProfileField(profile.name, data.name, at, presenceOnly),
    email: stateProfileField(profile.email, data.email, at, presenceOnly),
    phone: stateProfileField(profile.phone, data.phone, at, presenceOnly),
    segment: stateProfileField(profile.segment, data.segment, at, keepTrimmed),
  };
}

/**
 * Erasure drops the values (none is kept: name, email and phone are presence only) and
 * keeps their presence, so completeness and the KPIs built on it do not move.
 * A rebuild gets here too: it reads the shredded fields as ERASED_VALUE first.
 */
function erased(profile: ProfileFacts): ProfileFacts {
  const valueDropped = (fact: ProfileFieldFact | null) => fact && { ...fact, value: null };
  return {
    ...profile,
    name: valueDropped(profile.name),
    email: valueDropped(profile.email),
    phone: valueDropped(profile.phone),
  };
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The fold's private working copy: a shallow copy of the document, changed
 * in place. Its nested parts are shared with the caller's document until
 * first written, then copied once (copy on write), so an event costs a few
 * assignments instead of a new document.
 */
type IdicDraft = {
  readonly doc: Writable<IdicDocument>;
  /** Set once doc.channels is the fold's own copy. */
  channels: Writable<ChannelActivities> | null;
  /** Set once doc.touchpointsByDay is the fold's own copy. */
  touchpointsByDay: Record<string, number> | null;
  /** Set once doc.facts.orders is the fold's own copy. */
  orders: IdicOrderFact[] | null;
  /** The log-order lists of doc.facts the fold appended to (each copied once). */
  readonly appended: Set<AppendedFacts>;
  /** The category amounts being added to; stored back, sorted, at the end. */
  categories: Map<string, number> | null;
};

function draftOf(doc: IdicDocument): IdicDraft {
  return {
    doc: { ...doc },
    channels: null,
    touchpointsByDay: null,
    orders: null,
    categories: null,
    appended: new Set(),
  };
}

function ownChannels(draft: IdicDraft): Writable<ChannelActivities> {
  draft.channels ??= { ...draft.doc.channels };
  draft.doc.channels = draft.channels;
  return draft.channels;
}

function ownTouchpointsByDay(draft: IdicDraft): Record<string, number> {
  draft.touchpointsByDay ??= { ...draft.doc.touchpointsByDay };
  draft.doc.touchpointsByDay = draft.touchpointsByDay;
  return draft.touchpointsByDay;
}

function ownOrders(draft: IdicDraft): IdicOrderFact[] {
  if (draft.orders === null) {
    draft.orders = [...draft.doc.facts.orders];
    draft.doc.facts = { ...draft.doc.facts, orders: draft.orders };
  }
  return draft.orders;
}

type AppendedFacts = 'registrations' | 'repeatedOrders' | 'refunds';

/** Appends a fact to one of the log-order lists of doc.facts, copying the list the first time. */
function appendFact<K extends AppendedFacts>(draft: IdicDraft, key: K, fact: IdicFacts[K][number]): void {
  const facts = draft.doc.facts;
  if (!draft.appended.has(key)) {
    draft.appended.add(key);
    draft.doc.facts = { ...facts, [key]: [...facts[key], fact] };
    return;
  }
  (facts[key] as IdicFacts[K][number][]).push(fact);
}

function ownCategories(draft: IdicDraft): Map<string, number> {
  draft.categories ??= categoryAmounts(draft.doc.categories);
  return draft.categories;
}

function setProfile(draft: IdicDraft, profile: ProfileFacts): void {
  draft.doc.facts = { ...draft.doc.facts, profile };
}

function finished(draft: IdicDraft): IdicDocument {
  const { doc } = draft;
  if (draft.categories !== null) doc.categories = sortedCategoryAmounts(draft.categories);
  return Object.assign(doc, derivedFields(doc));
}

function apply(draft: IdicDraft, e: ProjectedEvent): void {
  const { event } = e;
  draft.doc.position = e.position;
  if (event.type === 'CustomerProfileUpdated') {
    setProfile(draft, stateProfile(draft.doc.facts.profile, event.data, refOf(e)));
  } else if (event.type === 'CustomerErased') {
    setProfile(draft, erased(draft.doc.facts.profile));
  } else if (event.type === 'CustomerRegistered') {
    // Ignored as a profile (the first one wins), kept for time travel: as of an earlier day it may be the one.
    appendFact(draft, 'registrations', refOf(e));
  } else if (isTouchpoint(event)) {
    const at = refOf(e);
    countTouchpoint(draft, event, at);
    applyTouchpointKind(draft, event, at);
  }
  // A consent change says nothing IDIC measures.
}

function countTouchpoint(draft: IdicDraft, event: TouchpointEvent, at: EventRef): void {
  const { doc } = draft;
  // Counted before a purchase adds its order: a purchase's channel is its own, a refund's is its order's.
  const channel = touchpointChannel(event, orderChannelLookup(doc.facts.orders));
  // refOf made the instant canonical, so its first ten characters are its UTC day (utcDay, without the check).
  const day = at.occurredAt.slice(0, 10);
  doc.touchpoints += 1;
  if (isInbound(event)) doc.inboundTouchpoints += 1;
  if (channel !== undefined) {
    const channels = ownChannels(draft);
    channels[channel] = channelTouched(channels[channel], at);
  }
  const byDay = ownTouchpointsByDay(draft);
  byDay[day] = (byDay[day] ?? 0) + 1;
}

function applyTouchpointKind(draft: IdicDraft, event: TouchpointEvent, at: EventRef): void {
  switch (event.type) {
    case 'PurchaseCompleted':
      return purchaseCompleted(draft, event, at);
    case 'PurchaseRefunded':
      draft.doc.refundTotal += event.data.amount;
      appendFact(draft, 'refunds', { ...at, amount: event.data.amount });
      return;
    case 'SurveyAnswered':
      return surveyAnswered(draft, event, at);
    default:
      return;
  }
}

/** A repeated orderId is ignored entirely (first recorded wins), so it cannot double the revenue. */
function purchaseCompleted(draft: IdicDraft, event: PurchaseCompleted, at: EventRef): void {
  const { orderId, channel, amount } = event.data;
  const order: IdicOrderFact = { occurredAt: at.occurredAt, position: at.position, orderId, channel, amount };
  if (hasOrder(draft.doc.facts.orders, orderId)) {
    appendFact(draft, 'repeatedOrders', order);
    return;
  }
  insertByRef(ownOrders(draft), order);
  draft.doc.purchaseTotal += event.data.amount;
  addCategoryAmounts(ownCategories(draft), event.data.items ?? []);
}

function surveyAnswered(draft: IdicDraft, event: SurveyAnswered, at: EventRef): void {
  const { doc } = draft;
  const { surveyType, score } = event.data;
  if (surveyType === 'nps' && isLaterRef(at, doc.latestNps)) {
    doc.latestNps = { occurredAt: at.occurredAt, position: at.position, score };
  }
  if (surveyType === 'csat') doc.csat = { sum: doc.csat.sum + score, count: doc.csat.count + 1 };
  // CES measures the process, not this customer's value or needs; the KPI projection reads it.
}

function derivedFields(base: IdicBase): Pick<IdicDocument, DerivedField> {
  const { profile, orders } = base.facts;
  return {
    segment: fieldValue(profile.segment),
    profileCompleteness: profileCompleteness(profile),
    netRevenue: base.purchaseTotal - base.refundTotal,
    orders: orders.length,
    valueClass: valueClassOf(orders.length, base.purchaseTotal - base.refundTotal),
    aov: ratio(base.purchaseTotal, orders.length),
    lastPurchaseAt: orders[orders.length - 1]?.occurredAt ?? null,
    preferredChannel: preferredChannel(base.channels),
    topCategory: topCategory(base.categories),
    inboundShare: ratio(base.inboundTouchpoints, base.touchpoints),
    avgCsat: ratio(base.csat.sum, base.csat.count),
  };
}

/** domain.md: a ratio with an empty denominator is null, never 0 or NaN. */
function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}
