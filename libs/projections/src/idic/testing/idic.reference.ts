/**
 * REFERENCE SEMANTICS, test-only: the event-by-event IDIC evolve as it was
 * before the batch fold (idic.projection.ts) replaced it, one new immutable
 * document per event with every derived field recomputed. Kept verbatim,
 * readable rather than fast, so the fold specs compare the fold with an
 * independent implementation and not with itself. The idic.needs helpers the
 * fold work rewrote are frozen at the bottom for the same reason. Do not
 * optimise it; change it only together with the documented semantics
 * (docs/, domain.md).
 */
import {
  type CustomerProfileUpdatedData,
  type CustomerRegistered,
  type PurchaseItem,
  isInbound,
  isTouchpoint,
  type PurchaseCompleted,
  type SurveyAnswered,
  type TouchpointChannel,
  type TouchpointEvent,
  touchpointChannel,
} from '@crm/domain';
import {
  alreadyApplied,
  compareRefs,
  type EventRef,
  fieldValue,
  hasOrder,
  isLaterRef,
  keepTrimmed,
  orderChannelLookup,
  type ProfileFieldFact,
  type ProjectedEvent,
  refOf,
  sortedByRef,
  stateProfileField,
  utcDay,
} from '../../shared';
import type {
  CategoryAmount,
  ChannelActivities,
  ChannelActivity,
  IdicDocument,
  IdicFacts,
  IdicOrderFact,
  ProfileFacts,
} from '../idic.document';
import { presenceOnly, profileCompleteness } from '../idic.identity';
import { compareNames, topCategory } from '../idic.needs';

/** The fields recomputed from the rest on every evolve. */
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
 * (position ≤ doc.position) changes nothing.
 */
export function referenceEvolveIdic(doc: IdicDocument | null, e: ProjectedEvent): IdicDocument | null {
  if (doc === null) return e.event.type === 'CustomerRegistered' ? registered(e.event, refOf(e)) : null;
  if (alreadyApplied(doc, e)) return doc;
  return withDerivedFields({ ...applyFact(doc, e), position: e.position });
}

function registered(event: CustomerRegistered, at: EventRef): IdicDocument {
  const { customerId, kind } = event.data;
  return withDerivedFields({
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
  });
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

function applyFact(doc: IdicBase, e: ProjectedEvent): IdicBase {
  const { event } = e;
  const at = refOf(e);
  if (event.type === 'CustomerProfileUpdated') {
    return { ...doc, facts: { ...doc.facts, profile: stateProfile(doc.facts.profile, event.data, at) } };
  }
  if (event.type === 'CustomerErased')
    return { ...doc, facts: { ...doc.facts, profile: erased(doc.facts.profile) } };
  // A second registration is kept for time travel only.
  if (event.type === 'CustomerRegistered')
    return { ...doc, facts: { ...doc.facts, registrations: [...doc.facts.registrations, at] } };
  // A consent change says nothing IDIC measures.
  if (!isTouchpoint(event)) return doc;
  return applyTouchpointKind(countTouchpoint(doc, event, at), event, at);
}

function countTouchpoint(doc: IdicBase, event: TouchpointEvent, at: EventRef): IdicBase {
  // Counted before a purchase adds its order: a purchase's channel is its own, a refund's is its order's.
  const channel = touchpointChannel(event, orderChannelLookup(doc.facts.orders));
  const day = utcDay(at.occurredAt);
  return {
    ...doc,
    touchpoints: doc.touchpoints + 1,
    inboundTouchpoints: doc.inboundTouchpoints + (isInbound(event) ? 1 : 0),
    channels: channel === undefined ? doc.channels : withChannelTouch(doc.channels, channel, at),
    touchpointsByDay: { ...doc.touchpointsByDay, [day]: (doc.touchpointsByDay[day] ?? 0) + 1 },
  };
}

function applyTouchpointKind(doc: IdicBase, event: TouchpointEvent, at: EventRef): IdicBase {
  switch (event.type) {
    case 'PurchaseCompleted':
      return purchaseCompleted(doc, event, at);
    case 'PurchaseRefunded':
      return {
        ...doc,
        refundTotal: doc.refundTotal + event.data.amount,
        facts: { ...doc.facts, refunds: [...doc.facts.refunds, { ...at, amount: event.data.amount }] },
      };
    case 'SurveyAnswered':
      return surveyAnswered(doc, event, at);
    default:
      return doc;
  }
}

/** A repeated orderId is ignored entirely (first recorded wins), so it cannot double the revenue. */
function purchaseCompleted(doc: IdicBase, event: PurchaseCompleted, at: EventRef): IdicBase {
  const { orderId, channel, amount } = event.data;
  const order: IdicOrderFact = { ...at, orderId, channel, amount };
  if (hasOrder(doc.facts.orders, orderId))
    return { ...doc, facts: { ...doc.facts, repeatedOrders: [...doc.facts.repeatedOrders, order] } };
  const facts: IdicFacts = { ...doc.facts, orders: sortedByRef([...doc.facts.orders, order]) };
  return {
    ...doc,
    facts,
    purchaseTotal: doc.purchaseTotal + event.data.amount,
    categories: withCategoryAmounts(doc.categories, event.data.items ?? []),
  };
}

function surveyAnswered(doc: IdicBase, event: SurveyAnswered, at: EventRef): IdicBase {
  const { surveyType, score } = event.data;
  if (surveyType === 'nps') {
    return isLaterRef(at, doc.latestNps) ? { ...doc, latestNps: { ...at, score } } : doc;
  }
  if (surveyType === 'csat')
    return { ...doc, csat: { sum: doc.csat.sum + score, count: doc.csat.count + 1 } };
  // CES measures the process, not this customer's value or needs; the KPI projection reads it.
  return doc;
}

function withDerivedFields(base: IdicBase): IdicDocument {
  const { profile, orders } = base.facts;
  return {
    ...base,
    segment: fieldValue(profile.segment),
    profileCompleteness: profileCompleteness(profile),
    netRevenue: base.purchaseTotal - base.refundTotal,
    orders: orders.length,
    valueClass:
      orders.length === 0
        ? 'prospect'
        : base.purchaseTotal - base.refundTotal <= 0
          ? 'below_zero'
          : 'positive',
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

// Frozen copies of the idic.needs helpers the fold work rewrote.

function withChannelTouch(
  channels: ChannelActivities,
  channel: TouchpointChannel,
  at: EventRef,
): ChannelActivities {
  const current = channels[channel];
  const latest = current === undefined || isLaterRef(at, current) ? at : current;
  const activity: ChannelActivity = {
    occurredAt: latest.occurredAt,
    position: latest.position,
    count: (current?.count ?? 0) + 1,
  };
  return { ...channels, [channel]: activity };
}

function withCategoryAmounts(
  categories: readonly CategoryAmount[],
  items: readonly PurchaseItem[],
): CategoryAmount[] {
  const amounts = new Map(categories.map(({ category, amount }) => [category, amount]));
  for (const item of items) {
    amounts.set(item.category, (amounts.get(item.category) ?? 0) + item.quantity * item.unitAmount);
  }
  return [...amounts]
    .map(([category, amount]) => ({ category, amount }))
    .sort((a, b) => compareNames(a.category, b.category));
}

/** domain.md: most touchpoints; a tie goes to the channel used most recently. */
function preferredChannel(channels: ChannelActivities): TouchpointChannel | null {
  let best: [TouchpointChannel, ChannelActivity] | null = null;
  for (const entry of channelEntries(channels)) {
    if (best === null || beats(entry[1], best[1])) best = entry;
  }
  return best?.[0] ?? null;
}

function beats(candidate: ChannelActivity, best: ChannelActivity): boolean {
  return candidate.count > best.count || (candidate.count === best.count && compareRefs(candidate, best) > 0);
}

function channelEntries(channels: ChannelActivities): [TouchpointChannel, ChannelActivity][] {
  return (Object.keys(channels) as TouchpointChannel[]).flatMap((channel) => {
    const activity = channels[channel];
    return activity === undefined ? [] : [[channel, activity]];
  });
}
