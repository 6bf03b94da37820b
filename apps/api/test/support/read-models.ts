import type { PayneFrowKpis } from '@crm/projections';
import { customerPath, type ErrorResponseBody, registerCustomer, type RecordedBody } from './api';
import type { TestApp, TestResponse } from './test-app';

/** Anything that serves the read routes: a TestApp, or an app booted on an existing data directory. */
export type Reader = { readonly get: TestApp['get'] };

/*
 * The read routes as a client sees them on the wire (declared here, not
 * imported from the libs, for the same reason as in api.ts; the KPI figures
 * excepted, see KpisBody), and builders for the touchpoints the read-model
 * suites record over and over.
 */

export type ReadMetaBody = { readonly position: number; readonly asOf: string };

export type StageReachedBody = { readonly stage: string; readonly reachedAt: string };

export type TimelineEntryBody = {
  readonly id: string;
  readonly customerId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly position: number;
  readonly channel: string | null;
  readonly inbound: boolean;
  readonly direction: string | null;
  readonly summary: Readonly<Record<string, unknown>>;
};

export type JourneyBody = {
  readonly customerId: string;
  readonly kind: string;
  readonly segment: string | null;
  readonly stage: string;
  readonly stageHistory: readonly StageReachedBody[];
  readonly status: 'active' | 'lapsed';
  readonly registeredAt: string;
  readonly firstTouchAt: string | null;
  readonly lastTouchAt: string | null;
  readonly touchpoints: number;
  readonly touchpointsByChannel: Readonly<Record<string, number>>;
  readonly firstPurchaseAt: string | null;
  readonly lastPurchaseAt: string | null;
  readonly daysToConvert: number | null;
  readonly timeline: { readonly items: readonly TimelineEntryBody[]; readonly nextCursor: string | null };
  readonly meta: ReadMetaBody;
};

export type RanksBody = {
  readonly recencyLower: number;
  readonly frequencyLower: number;
  readonly monetaryLower: number;
  readonly purchasers: number;
};

export type ScoresBody = {
  readonly customerId: string;
  readonly identify: {
    readonly email: string | null;
    readonly phone: string | null;
    readonly profileCompleteness: number;
  };
  readonly differentiate: {
    readonly value: {
      readonly netRevenue: number;
      readonly purchaseTotal: number;
      readonly refundTotal: number;
      readonly orders: number;
      readonly aov: number | null;
      readonly lastPurchaseAt: string | null;
      readonly daysSinceLastPurchase: number | null;
      readonly rfm: {
        readonly recency: number;
        readonly frequency: number;
        readonly monetary: number;
      } | null;
      readonly differentiationScore: number | null;
      readonly valueTier: string;
    };
    readonly needs: { readonly preferredChannel: string | null; readonly topCategory: string | null };
  };
  readonly interact: {
    readonly touchpoints: number;
    readonly touchpoints90d: number;
    readonly inboundShare: number | null;
  };
  readonly satisfaction: {
    readonly latestNps: number | null;
    readonly npsClass: string | null;
    readonly avgCsat: number | null;
  };
  readonly ranks: RanksBody | null;
  readonly meta: ReadMetaBody;
};

export type SegmentMemberBody = {
  readonly customerId: string;
  readonly name: string | null;
  readonly kind: string;
  readonly segment: string | null;
  readonly stage: string;
  readonly status: 'active' | 'lapsed';
  readonly valueTier: string;
  readonly netRevenue: number;
  readonly orders: number;
  readonly registeredAt: string;
  readonly lastPurchaseAt: string | null;
};

export type SegmentPageBody = {
  readonly items: readonly SegmentMemberBody[];
  readonly nextCursor: string | null;
  readonly meta: ReadMetaBody;
};

export type ProjectionLagBody = { readonly events: number; readonly seconds: number | null };

/**
 * The figures of one period: the library's type, which the route serializes as
 * is (a new KPI is not declared again here; the suites assert the values), and
 * the lag the route adds.
 */
export type KpisBody = Omit<PayneFrowKpis, 'informationManagement'> & {
  readonly informationManagement: PayneFrowKpis['informationManagement'] & {
    readonly projectionLag?: ProjectionLagBody;
  };
};

export type KpiPeriodBody = KpisBody & { readonly from: string; readonly to: string };

export type KpiReportBody = {
  readonly from: string;
  readonly to: string;
  readonly granularity: string | null;
  readonly periods: readonly KpiPeriodBody[];
  readonly total: KpisBody;
  readonly meta: { readonly position: number; readonly projectionLag: ProjectionLagBody };
};

/** A query string from the given parameters, undefined ones left out (values are URL-encoded). */
export function queryString(params: Readonly<Record<string, string | number | undefined>>): string {
  const pairs = Object.entries(params).flatMap(([key, value]) =>
    value === undefined ? [] : [`${key}=${encodeURIComponent(String(value))}`],
  );
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
}

/** GETs a read route and fails the test unless it answers 200. */
export async function readOk<T>(app: Reader, url: string): Promise<T> {
  const response: TestResponse<T | ErrorResponseBody> = await app.get<T | ErrorResponseBody>(url);
  if (response.statusCode !== 200) {
    throw new Error(`GET ${url} failed: ${response.statusCode} ${JSON.stringify(response.body)}`);
  }
  return response.body as T;
}

export type ReadParams = Readonly<Record<string, string | number | undefined>>;

export function journeyOf(app: Reader, customerId: string, params: ReadParams = {}): Promise<JourneyBody> {
  return readOk<JourneyBody>(app, customerPath(customerId, `/journey${queryString(params)}`));
}

export function scoresOf(app: Reader, customerId: string, params: ReadParams = {}): Promise<ScoresBody> {
  return readOk<ScoresBody>(app, customerPath(customerId, `/scores${queryString(params)}`));
}

export function segmentPage(app: Reader, params: ReadParams = {}): Promise<SegmentPageBody> {
  return readOk<SegmentPageBody>(app, `/customers${queryString(params)}`);
}

export function kpisOf(app: Reader, params: ReadParams): Promise<KpiReportBody> {
  return readOk<KpiReportBody>(app, `/kpis${queryString(params)}`);
}

/** Guards the paging loops below against a cursor that never ends. */
const MAX_PAGES = 1000;

/** Every timeline entry, following nextCursor with pages of `limit`. */
export async function wholeTimeline(
  app: Reader,
  customerId: string,
  limit: number,
  params: ReadParams = {},
): Promise<{ readonly items: TimelineEntryBody[]; readonly pages: number }> {
  const items: TimelineEntryBody[] = [];
  let cursor: string | undefined;
  for (let pages = 1; pages <= MAX_PAGES; pages++) {
    const { timeline } = await journeyOf(app, customerId, { ...params, limit, cursor });
    expect(timeline.items.length).toBeLessThanOrEqual(limit);
    items.push(...timeline.items);
    if (timeline.nextCursor === null) return { items, pages };
    cursor = timeline.nextCursor;
  }
  throw new Error(`The timeline of ${customerId} did not end within ${MAX_PAGES} pages`);
}

/** Every member of a segment, following nextCursor (a page may be short and still have a next one). */
export async function wholeSegment(app: Reader, params: ReadParams): Promise<SegmentMemberBody[]> {
  const items: SegmentMemberBody[] = [];
  let cursor: string | undefined;
  for (let pages = 1; pages <= MAX_PAGES; pages++) {
    const page = await segmentPage(app, { ...params, cursor });
    items.push(...page.items);
    if (page.nextCursor === null) return items;
    cursor = page.nextCursor;
  }
  throw new Error(`The segment ${JSON.stringify(params)} did not end within ${MAX_PAGES} pages`);
}

/** Registers a customer at a given instant (registration instants matter to journeys and KPIs). */
export function registerAt(
  app: TestApp,
  customerId: string,
  occurredAt: string,
  extra: Readonly<Record<string, unknown>> = {},
): Promise<string> {
  return registerCustomer(app, customerId, { occurredAt, ...extra });
}

/** Registers and returns the write's result, for its globalPosition. */
export async function registerRecorded(
  app: TestApp,
  body: Readonly<Record<string, unknown>>,
): Promise<RecordedBody> {
  const response = await app.post<RecordedBody | ErrorResponseBody>('/customers', {
    kind: 'person',
    name: 'Test Customer',
    ...body,
  });
  if (response.statusCode !== 201) {
    throw new Error(`Registering failed: ${response.statusCode} ${JSON.stringify(response.body)}`);
  }
  return response.body as RecordedBody;
}

type Extra = Readonly<Record<string, unknown>>;

export function purchase(orderId: string, amount: number, occurredAt: string, extra: Extra = {}) {
  return {
    type: 'PurchaseCompleted',
    orderId,
    amount,
    currency: 'EUR',
    channel: 'web',
    occurredAt,
    ...extra,
  };
}

export function refund(orderId: string, amount: number, occurredAt: string, extra: Extra = {}) {
  return { type: 'PurchaseRefunded', orderId, amount, currency: 'EUR', occurredAt, ...extra };
}

export function survey(surveyType: 'nps' | 'csat' | 'ces', score: number, occurredAt: string) {
  return { type: 'SurveyAnswered', surveyType, score, occurredAt };
}

export function call(direction: 'inbound' | 'outbound', occurredAt: string, extra: Extra = {}) {
  return { type: 'CallLogged', direction, durationSeconds: 60, outcome: 'connected', occurredAt, ...extra };
}

export function email(direction: 'inbound' | 'outbound', occurredAt: string) {
  return { type: 'EmailLogged', direction, occurredAt };
}

/** `days` whole days after an instant, as a canonical ISO string (plus `ms` milliseconds). */
export function daysAfter(instant: string, days: number, ms = 0): string {
  return new Date(Date.parse(instant) + days * 86_400_000 + ms).toISOString();
}
