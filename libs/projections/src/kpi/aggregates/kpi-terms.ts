import { epochMs } from '../../shared/instant';
import { isPromoterScore } from '../../shared/score-fact';
import { compareFacts } from '../facts/fact-chronology';
import { FUNNEL_STAGES, type FunnelStage } from '../facts/funnel-stage';
import type { KpiFactRef, KpiFactsDocument, ProfileChangeFact } from '../facts/kpi-facts.document';
import { UNKNOWN_SEGMENT } from '../processes/segment-of';
import { type Day, dayOf, dayOfMs } from './kpi-days';
import type { KpiTermSink } from './kpi-term-sink';

/**
 * Metric names of the KPI aggregates. Each is a sum over customers of the
 * terms below; compute-kpis.ts is the definition they reproduce, and the
 * randomized spec checks them against it period by period.
 */
export const METRIC = {
  orders: 'ord',
  gross: 'gross',
  purchasers: 'buy',
  repeat: 'rep',
  activeAtTo: 'actT',
  activeAtFrom: 'actF',
  retained: 'ret',
  newcomers: 'newc',
  prospects: 'pros',
  touchingCustomers: 'tpc',
  multichannel: 'multi',
  customers: 'cust',
  fieldsPresent: 'fields',
  identified: 'ident',
  consenting: 'consent',
  npsAnswers: 'nps',
  promoters: 'nps+',
  detractors: 'nps-',
  csatAnswers: 'csat',
  csatSatisfied: 'csat+',
  cesAnswers: 'ces',
  cesSum: 'cesSum',
  resolved: 'res',
  resolvedFirstContact: 'res1',
} as const;

export const newCustomersMetric = (kind: string, segment: string): string => `new|${kind}|${segment}`;
export const revenueMetric = (segment: string): string => `rev|${segment}`;
export const transactionsMetric = (segment: string): string => `txn|${segment}`;
export const channelMetric = (channel: string): string => `tp|${channel}`;
export const funnelMetric = (stage: FunnelStage): string => `fun|${stage}`;

/**
 * The terms of one customer's KPI facts. Days are whole UTC days; "[y < T]"
 * reads "day y is before the period's end", which for a period bound on a
 * day's start is exactly "the instant is before the bound". Where a figure
 * depends on the segment as of `to`, the segment's pieces over time give it.
 */
export function kpiTerms(doc: KpiFactsDocument, churnWindowMs: number, sink: KpiTermSink): void {
  sink.countedWithWindow(churnWindowMs);
  const registered = dayOf(doc.registeredAt);
  const segments = segmentPieces(doc.profileChanges);
  atSegment(sink, segments, registered, 1, (segment) => newCustomersMetric(doc.kind, segment));
  revenueTerms(doc, segments, sink);
  purchaserTerms(doc, sink);
  retentionTerms(doc, registered, churnWindowMs, sink);
  touchpointTerms(doc, sink);
  informationTerms(doc, registered, sink);
  performanceTerms(doc, sink);
  funnelTerms(doc, registered, sink);
}

/** A segment from the day after `after` on (the statements of day `after` are before T = after + 1). */
type SegmentPiece = { readonly after: Day; readonly segment: string };

/** The segment as of each day: pieces in time order, the first from the beginning of time. */
function segmentPieces(changes: readonly ProfileChangeFact[]): SegmentPiece[] {
  const pieces: SegmentPiece[] = [{ after: Number.NEGATIVE_INFINITY, segment: UNKNOWN_SEGMENT }];
  let segment: string | null = null;
  forEachDay(changes, (day, ofDay) => {
    for (const change of ofDay) if (change.segment !== undefined) segment = change.segment;
    const current = segment ?? UNKNOWN_SEGMENT;
    if (pieces[pieces.length - 1]?.segment !== current) pieces.push({ after: day, segment: current });
  });
  return pieces;
}

/**
 * w·[F ≤ day < T] under the segment as of T. For the piece that holds T
 * (after < T ≤ next.after): [F ≤ day]·[day < T]·[after < T ≤ next] expands
 * into T-terms at max(day, after) and cross terms from `day`; pieces that
 * end before the day cancel out and are skipped.
 */
function atSegment(
  sink: KpiTermSink,
  pieces: readonly SegmentPiece[],
  day: Day,
  w: number,
  metricOf: (segment: string) => string,
): void {
  pieces.forEach((piece, index) => {
    const next = pieces[index + 1];
    if (next !== undefined && next.after <= day) return;
    const metric = metricOf(piece.segment);
    const start = Math.max(day, piece.after);
    // The usual piece, begun by the day of the fact: [day < T] − [day < F], one W counter.
    if (start === day) sink.within(day, metric, w);
    else {
      sink.atTo(start, metric, w);
      sink.cross(day, start, metric, -w);
    }
    if (next === undefined) return;
    sink.atTo(next.after, metric, -w);
    sink.cross(day, next.after, metric, w);
  });
}

function revenueTerms(doc: KpiFactsDocument, segments: readonly SegmentPiece[], sink: KpiTermSink): void {
  for (const purchase of doc.purchases) {
    const day = dayOf(purchase.at);
    atSegment(sink, segments, day, purchase.amount, revenueMetric);
    atSegment(sink, segments, day, 1, transactionsMetric);
    sink.within(day, METRIC.orders, 1);
    sink.within(day, METRIC.gross, purchase.amount);
  }
  for (const refund of doc.refunds) {
    const day = dayOf(refund.at);
    atSegment(sink, segments, day, -refund.amount, revenueMetric);
    atSegment(sink, segments, day, 1, transactionsMetric);
  }
}

/**
 * Distinct customers with a fact in the period, from consecutive facts: a
 * customer counts once, at their first fact in the period, which is the one
 * whose predecessor is before F: [prev < F]·[F ≤ day < T].
 */
function firstInPeriodTerms(days: readonly Day[], metric: string, sink: KpiTermSink): void {
  days.forEach((day, index) => {
    const previous = days[index - 1];
    // [prev < F]·[d < T] − [d < F] = ([prev < F] − [d < F])·[d < T], as prev ≤ d ≤ T.
    if (previous === undefined) sink.within(day, metric, 1);
    else sink.crossDifference(previous, day, day, metric, 1);
  });
}

/**
 * Pairs (start, end) in order, each inside the period when F ≤ start and
 * end < T; counts the customers with at least one pair inside: the first
 * pair inside is the one whose predecessor starts before F.
 */
function firstPairInPeriodTerms(
  pairs: readonly { readonly start: Day; readonly end: Day }[],
  metric: string,
  sink: KpiTermSink,
): void {
  pairs.forEach((pair, index) => {
    const previous = pairs[index - 1];
    if (previous === undefined) {
      sink.atTo(pair.end, metric, 1);
      sink.cross(pair.start, pair.end, metric, -1);
    } else sink.crossDifference(previous.start, pair.start, pair.end, metric, 1);
  });
}

function purchaserTerms(doc: KpiFactsDocument, sink: KpiTermSink): void {
  const days = doc.purchases.map((purchase) => dayOf(purchase.at));
  firstInPeriodTerms(days, METRIC.purchasers, sink);
  // More than one order in the period: a pair of consecutive orders inside it.
  const pairs = days.slice(1).map((end, index) => ({ start: days[index] as Day, end }));
  firstPairInPeriodTerms(pairs, METRIC.repeat, sink);
}

/**
 * Active at t: registered before t with a purchase in [t − window, t). For
 * a day t that is every t in [max(day(p), registered) + 1, ⌊(p + window) / day⌋]:
 * the purchases give intervals, merged. Retained (active at F and at T) is
 * Σ over pairs of intervals i ≤ k of [F ∈ I_i]·[T ∈ I_k].
 */
function retentionTerms(
  doc: KpiFactsDocument,
  registered: Day,
  churnWindowMs: number,
  sink: KpiTermSink,
): void {
  const intervals = activeIntervals(doc, registered, churnWindowMs);
  for (const { start, end } of intervals) {
    sink.atTo(start - 1, METRIC.activeAtTo, 1);
    sink.atTo(end, METRIC.activeAtTo, -1);
    sink.atFrom(start - 1, METRIC.activeAtFrom, 1);
    sink.atFrom(end, METRIC.activeAtFrom, -1);
  }
  intervals.forEach((first, i) => {
    // i = k: [start ≤ F]·[T ≤ end], as F ≤ T.
    sink.atFrom(first.start - 1, METRIC.retained, 1);
    sink.cross(first.start - 1, first.end, METRIC.retained, -1);
    for (const second of intervals.slice(i + 1)) {
      sink.cross(first.start - 1, second.start - 1, METRIC.retained, 1);
      sink.cross(first.start - 1, second.end, METRIC.retained, -1);
      sink.cross(first.end, second.start - 1, METRIC.retained, -1);
      sink.cross(first.end, second.end, METRIC.retained, 1);
    }
  });
  // Newcomers: at T with their first purchase in [F, T); prospects: at T, no purchase before F.
  sink.atTo(registered, METRIC.prospects, 1);
  const first = doc.purchases[0];
  if (first === undefined) return;
  const firstDay = dayOf(first.at);
  sink.atTo(Math.max(registered, firstDay), METRIC.newcomers, 1);
  sink.cross(firstDay, registered, METRIC.newcomers, -1);
  sink.cross(firstDay, registered, METRIC.prospects, -1);
}

function activeIntervals(
  doc: KpiFactsDocument,
  registered: Day,
  churnWindowMs: number,
): { start: Day; end: Day }[] {
  const merged: { start: Day; end: Day }[] = [];
  for (const purchase of doc.purchases) {
    const ms = epochMs(purchase.at);
    const start = Math.max(dayOfMs(ms), registered) + 1;
    const end = dayOfMs(ms + churnWindowMs);
    if (end < start) continue;
    const last = merged[merged.length - 1];
    if (last !== undefined && start <= last.end + 1) last.end = Math.max(last.end, end);
    else merged.push({ start, end });
  }
  return merged;
}

function touchpointTerms(doc: KpiFactsDocument, sink: KpiTermSink): void {
  const days = doc.touchpoints.map((touchpoint) => dayOf(touchpoint.at));
  doc.touchpoints.forEach((touchpoint, index) =>
    sink.within(days[index] as Day, channelMetric(touchpoint.channel), 1),
  );
  firstInPeriodTerms(days, METRIC.touchingCustomers, sink);
  // Two channels in the period: two consecutive touchpoints of different channels inside it.
  const switches = doc.touchpoints.flatMap((touchpoint, index) => {
    const next = doc.touchpoints[index + 1];
    return next !== undefined && next.channel !== touchpoint.channel
      ? [{ start: days[index] as Day, end: days[index + 1] as Day }]
      : [];
  });
  firstPairInPeriodTerms(switches, METRIC.multichannel, sink);
}

/**
 * A value of the customer's as of each day after registration (0 before),
 * as T-terms of its changes: `steps` has one entry per day, ascending, the
 * value at the end of that day. A customer counts from T = registered + 1.
 */
function stepTerms(
  registered: Day,
  steps: readonly { readonly day: Day; readonly value: number }[],
  metric: string,
  sink: KpiTermSink,
): void {
  let current = 0;
  let index = 0;
  for (; index < steps.length && (steps[index] as { day: Day }).day <= registered; index++) {
    current = (steps[index] as { value: number }).value;
  }
  sink.atTo(registered, metric, current);
  for (const { day, value } of steps.slice(index)) {
    sink.atTo(day, metric, value - current);
    current = value;
  }
}

function informationTerms(doc: KpiFactsDocument, registered: Day, sink: KpiTermSink): void {
  sink.atTo(registered, METRIC.customers, 1);
  const fields: { day: Day; value: number }[] = [];
  const identified: { day: Day; value: number }[] = [];
  const profile = { name: false, email: false, phone: false, segment: false };
  forEachDay(doc.profileChanges, (day, ofDay) => {
    for (const change of ofDay) {
      if (change.name !== undefined) profile.name = change.name;
      if (change.email !== undefined) profile.email = change.email;
      if (change.phone !== undefined) profile.phone = change.phone;
      if (change.segment !== undefined) profile.segment = change.segment !== null;
    }
    fields.push({
      day,
      value: [profile.name, profile.email, profile.phone, profile.segment].filter(Boolean).length,
    });
    identified.push({ day, value: profile.email || profile.phone ? 1 : 0 });
  });
  stepTerms(registered, fields, METRIC.fieldsPresent, sink);
  stepTerms(registered, identified, METRIC.identified, sink);
  const consent: { day: Day; value: number }[] = [];
  forEachDay(doc.marketingConsents, (day, ofDay) =>
    consent.push({ day, value: ofDay[ofDay.length - 1]?.granted === true ? 1 : 0 }),
  );
  stepTerms(registered, consent, METRIC.consenting, sink);
}

function performanceTerms(doc: KpiFactsDocument, sink: KpiTermSink): void {
  for (const survey of doc.surveys) {
    const day = dayOf(survey.at);
    if (survey.type === 'nps') {
      sink.within(day, METRIC.npsAnswers, 1);
      if (survey.score >= 9) sink.within(day, METRIC.promoters, 1);
      if (survey.score <= 6) sink.within(day, METRIC.detractors, 1);
    } else if (survey.type === 'csat') {
      sink.within(day, METRIC.csatAnswers, 1);
      if (survey.score >= 4) sink.within(day, METRIC.csatSatisfied, 1);
    } else {
      sink.within(day, METRIC.cesAnswers, 1);
      sink.within(day, METRIC.cesSum, survey.score);
    }
  }
  for (const supportCase of doc.supportCases) {
    if (supportCase.resolvedAt !== undefined) {
      const day = dayOf(supportCase.resolvedAt);
      sink.within(day, METRIC.resolved, 1);
      if (supportCase.firstContact === true) sink.within(day, METRIC.resolvedFirstContact, 1);
    }
    if (supportCase.openedAt !== undefined && supportCase.respondedAt !== undefined) {
      const responseMs = epochMs(supportCase.respondedAt) - epochMs(supportCase.openedAt);
      sink.firstResponse(dayOf(supportCase.openedAt), dayOf(supportCase.respondedAt), responseMs);
    }
  }
}

type FunnelStep = KpiFactRef &
  (
    | { readonly kind: 'registered' }
    | { readonly kind: 'order'; readonly orderId: string }
    | { readonly kind: 'nps'; readonly score: number }
    | { readonly kind: 'inbound' }
  );

/**
 * The stage as of each day after registration (funnel-stage.ts): the facts
 * walked once in history order, loyalty checked after each of them, the
 * stage read at the end of each day.
 */
function funnelTerms(doc: KpiFactsDocument, registered: Day, sink: KpiTermSink): void {
  const steps: FunnelStep[] = [
    { at: doc.registeredAt, position: 0, kind: 'registered' } as const,
    ...doc.purchases.map(({ at, position, orderId }): FunnelStep => ({
      at,
      position,
      kind: 'order',
      orderId,
    })),
    ...doc.surveys
      .filter((survey) => survey.type === 'nps')
      .map(({ at, position, score }): FunnelStep => ({ at, position, kind: 'nps', score })),
    ...doc.touchpoints
      .filter((touchpoint) => touchpoint.inbound)
      .map(({ at, position }): FunnelStep => ({ at, position, kind: 'inbound' })),
  ].sort(compareFacts);
  const orders = new Set<string>();
  let isRegistered = false;
  let latestNps: number | undefined;
  let loyal = false;
  let inbound = false;
  const stages: { day: Day; value: number }[] = [];
  forEachDay(steps, (day, ofDay) => {
    for (const step of ofDay) {
      if (step.kind === 'registered') isRegistered = true;
      else if (step.kind === 'order') orders.add(step.orderId);
      else if (step.kind === 'nps') latestNps = step.score;
      else inbound = true;
      if (isRegistered && orders.size >= 2 && latestNps !== undefined && isPromoterScore(latestNps))
        loyal = true;
    }
    const stage: FunnelStage = loyal
      ? 'loyalty'
      : orders.size >= 2
        ? 'retention'
        : orders.size === 1
          ? 'conversion'
          : inbound
            ? 'acquisition'
            : 'reach';
    stages.push({ day, value: FUNNEL_STAGES.indexOf(stage) });
  });
  // One counter per stage: the customer moves from one to the next on the day it changes.
  for (const [index, stage] of FUNNEL_STAGES.entries()) {
    const inStage = stages.map(({ day, value }) => ({ day, value: value === index ? 1 : 0 }));
    stepTerms(registered, inStage, funnelMetric(stage), sink);
  }
}

/** Calls `visit` once per day of the facts (history order), with that day's facts. */
function forEachDay<T extends KpiFactRef>(
  facts: readonly T[],
  visit: (day: Day, ofDay: readonly T[]) => void,
): void {
  let day: Day | undefined;
  let ofDay: T[] = [];
  for (const fact of facts) {
    const factDay = dayOf(fact.at);
    if (day !== undefined && factDay !== day) {
      visit(day, ofDay);
      ofDay = [];
    }
    day = factDay;
    ofDay.push(fact);
  }
  if (day !== undefined) visit(day, ofDay);
}
