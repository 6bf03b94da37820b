/**
 * Payne & Frow KPIs over a period [from, to) by occurredAt, computed from
 * per-customer KPI facts (domain.md). Pure: no clock, no I/O.
 *
 * Interpretation choices where domain.md is silent:
 *
 * Period and populations
 * - Bounds are ISO-8601 instants; an unparseable bound, `from` after `to` or a
 *   negative or non-finite `churnWindowDays` throws RangeError. `from` equal
 *   to `to` is an empty period. A churn-window day is 24 hours (UTC).
 * - periodsOf cuts UTC calendar buckets (ISO weeks start Monday 00:00 UTC)
 *   and clips the first and last to [from, to), so buckets cover it exactly.
 * - Event totals (revenue, orders, touchpoints, surveys, support cases) count
 *   every fact whose occurredAt is in the period, whoever it belongs to.
 *   Every population "at t" (S, E, N, funnel, conversion, information
 *   management) is restricted to the customers at t (registered before t) and
 *   looks only at facts that occurred before t.
 * - A customer is reported under the segment stated last (by occurredAt,
 *   ties by log order) before `to`, or `unknown` when there is none; a blank
 *   segment clears it. The same segment is used for newCustomers.bySegment
 *   and revenueBySegment so the two tables join.
 *
 * Strategy development
 * - newCustomers: customers whose CustomerRegistered occurred in the period,
 *   by kind, by segment and by kind and segment; byKind and byKindAndSegment
 *   always list `person` and `company`. The segment is the one as of `to`
 *   (above), which for a customer whose segment never changes is the one
 *   given at registration (fixture C13).
 * - revenueBySegment: net revenue (below) per segment. Every segment with a
 *   purchase or refund in the period is listed, even when it nets to 0.
 *
 * Value creation
 * - revenue = Σ purchase amounts − Σ refund amounts whose occurredAt is in the
 *   period, wherever the refunded purchase fell; it can be negative.
 * - Amounts are summed in minor units as recorded, without conversion: the
 *   KPIs assume one reporting currency (the facts keep each currency).
 * - orders = distinct orderIds per customer purchased in the period.
 *   aov = Σ purchase amounts in the period / orders (gross, like IDIC's aov).
 *   Distinct purchasers = customers with ≥1 PurchaseCompleted in the period;
 *   repeatPurchaseRate counts those with more than one order in the period.
 * - Active at t: registered before t, with a purchase (refunded or not) in
 *   [t − churnWindowDays, t). N = customers at `to` whose first-ever purchase
 *   is in the period. retentionRate = (E − N) / S exactly as defined, so with
 *   a period longer than the churn window it can fall below 0 (a newcomer may
 *   have lapsed again by `to`). retained = active at both `from` and `to`.
 *
 * Multichannel integration
 * - touchpointsByChannel: every touchpoint event in the period, each of the
 *   three support events and campaign sends included; all 13 channels are
 *   listed, 0 when unused (the journey's per-customer map lists only the
 *   channels used). A refund counts under its purchase's channel.
 * - multichannelShare: channels are the distinct channels of a customer's
 *   touchpoints in the period.
 * - medianFirstResponseMinutes: cases whose SupportCaseOpened occurred in the
 *   period and that have a (first) SupportCaseResponded, whenever it came,
 *   even after `to`. Minutes are not rounded.
 * - slaBreachRate: cases opened in the period (as above) with a
 *   SupportCaseSlaBreached, whenever it came (domain.md P16).
 *
 * Information management (over the customers at `to`, as they stood then;
 * projectionLag is left to the caller, which knows the log head)
 * - A profile field is present when its latest statement is a non-blank
 *   string; profile updates may blank a field. avgProfileCompleteness is the
 *   mean share of {name, email, phone, segment} present.
 * - marketingConsentShare: customers whose latest `marketing_email`
 *   ConsentChanged before `to` grants it; no statement means no consent.
 * - identifiedShare: customers with an email or a phone present.
 *
 * Performance assessment
 * - nps, csat, ces: every SurveyAnswered in the period counts, so a customer
 *   answering twice counts twice. csat = % of CSAT answers ≥ 4.
 * - firstContactResolution: over the cases resolved in the period.
 * - funnel: each customer at `to` counted once, under the highest stage
 *   reached with the facts before `to` (not cumulative: the stages sum to the
 *   customers at `to`). It is the current stage, so a customer whose first
 *   touchpoint is a purchase counts under conversion. Loyalty is evaluated in occurredAt order, ties by
 *   log order, and is kept once reached; as in the journey projection, facts
 *   back-dated before the registration count as of the registration.
 * - conversionRate: customers at `to` with no purchase before `from`; the
 *   numerator is those of them whose first purchase is in the period.
 * - surveyResponseRate: SurveyRequested in the period, each once, answered by
 *   any SurveyAnswered naming its requestId whenever it came (domain.md P15).
 *
 * Facts the decider would reject (imports) still fold: the first purchase of
 * an orderId and the first statement of each support milestone win; a refund
 * folded before its purchase gets its touchpoint when the purchase arrives; a
 * response or resolution of an unknown case counts for firstContactResolution
 * but never for response time.
 */
import { DAY_MS } from '../shared/instant';
import type { KpiFactsDocument } from './facts/kpi-facts.document';
import { instantRangeOf, type KpiPeriod } from './kpi-period';
import { kpisFromFacts, type PayneFrowKpis } from './payne-frow-kpis';

export const DEFAULT_CHURN_WINDOW_DAYS = 180;

export type ComputeKpisOptions = {
  /** How long after their last purchase a customer still counts as active. */
  readonly churnWindowDays?: number;
};

export function computeKpis(
  facts: readonly KpiFactsDocument[],
  period: KpiPeriod,
  options: ComputeKpisOptions = {},
): PayneFrowKpis {
  const churnWindowMs = churnWindowMsOf(options.churnWindowDays ?? DEFAULT_CHURN_WINDOW_DAYS);
  return kpisFromFacts(facts, instantRangeOf(period), churnWindowMs);
}

function churnWindowMsOf(days: number): number {
  if (!Number.isFinite(days) || days < 0) {
    throw new RangeError(`churnWindowDays must be a non-negative number, got ${days}`);
  }
  return days * DAY_MS;
}
