/**
 * The parts of the API's responses the console reads (the full schemas are
 * in the OpenAPI document, GET /docs/json). Amounts are in minor units.
 */
export type Role = 'ingest' | 'read' | 'analyst' | 'admin';

export type CurrentKey = { readonly keyId: string; readonly name: string; readonly roles: readonly Role[] };

export type Granularity = 'day' | 'week' | 'month';

export type Funnel = Readonly<Record<Stage, number>>;

export type PayneFrowKpis = {
  readonly strategyDevelopment: {
    readonly newCustomers: { readonly total: number; readonly byKind: Readonly<Record<string, number>> };
    readonly revenueBySegment: Readonly<Record<string, number>>;
  };
  readonly valueCreation: {
    readonly revenue: number;
    readonly orders: number;
    readonly aov: number | null;
    readonly purchaseFrequency: number | null;
    readonly repeatPurchaseRate: number | null;
    readonly retentionRate: number | null;
    readonly churnRate: number | null;
  };
  readonly multichannelIntegration: {
    readonly touchpointsByChannel: Readonly<Record<string, number>>;
    readonly multichannelShare: number | null;
    readonly medianFirstResponseMinutes: number | null;
  };
  readonly informationManagement: {
    readonly avgProfileCompleteness: number | null;
    readonly marketingConsentShare: number | null;
    readonly identifiedShare: number | null;
    readonly projectionLag?: { readonly events: number; readonly seconds: number | null };
  };
  readonly performanceAssessment: {
    readonly nps: number | null;
    readonly csat: number | null;
    readonly ces: number | null;
    readonly firstContactResolution: number | null;
    readonly funnel: Funnel;
    readonly conversionRate: number | null;
  };
};

export type KpiPeriod = PayneFrowKpis & { readonly from: string; readonly to: string };

export type KpiReport = {
  readonly from: string;
  readonly to: string;
  readonly granularity: Granularity | null;
  readonly periods: readonly KpiPeriod[];
  readonly total: PayneFrowKpis;
};

export const STAGES = ['reach', 'acquisition', 'conversion', 'retention', 'loyalty'] as const;
export type Stage = (typeof STAGES)[number];

export const VALUE_TIERS = ['mvc', 'core', 'low', 'below_zero', 'prospect'] as const;
export type ValueTier = (typeof VALUE_TIERS)[number];

export type CustomerListItem = {
  readonly customerId: string;
  readonly name: string | null;
  readonly kind: string;
  readonly segment: string | null;
  readonly stage: Stage;
  readonly status: string;
  readonly valueTier: ValueTier;
  readonly netRevenue: number;
  readonly orders: number;
  readonly lastPurchaseAt: string | null;
};

export type Page<T> = { readonly items: readonly T[]; readonly nextCursor: string | null };

export type CustomerProfile = {
  readonly customerId: string;
  readonly kind: string;
  readonly registeredAt: string;
  readonly erasedAt: string | null;
  readonly profile: Readonly<Record<string, unknown>>;
  readonly consents: Readonly<Record<string, unknown>>;
  readonly stage: Stage | null;
  readonly valueTier: ValueTier | null;
};

export type TimelineItem = {
  readonly id: string;
  readonly occurredAt: string;
  readonly channel: string;
  readonly inbound: boolean;
  readonly type: string;
  readonly summary: Readonly<Record<string, unknown>>;
};

export type Journey = {
  readonly customerId: string;
  readonly asOf: string;
  readonly stage: Stage;
  readonly status: string;
  readonly stageHistory: readonly { readonly stage: Stage; readonly reachedAt: string }[];
  readonly touchpoints: number;
  readonly touchpointsByChannel: Readonly<Record<string, number>>;
  readonly daysToConvert: number | null;
  readonly timeline: Page<TimelineItem>;
};

export type Scores = {
  readonly customerId: string;
  readonly asOf: string;
  readonly identify: { readonly profileCompleteness: number };
  readonly differentiate: {
    readonly value: {
      readonly netRevenue: number;
      readonly orders: number;
      readonly aov: number | null;
      readonly daysSinceLastPurchase: number | null;
      readonly rfm: {
        readonly recency: number;
        readonly frequency: number;
        readonly monetary: number;
      } | null;
      readonly differentiationScore: number | null;
      readonly valueTier: ValueTier;
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
  /** Issue 21's predictions, shown when the API carries them. */
  readonly probabilityAlive?: number | null;
  readonly predictedValue?: number | Readonly<Record<string, unknown>> | null;
};

export type ProjectionOverview = {
  readonly name: string;
  readonly version: number;
  readonly state: string;
  readonly checkpoint: number;
  readonly headPosition: number;
  readonly eventsPerSecond: number | null;
  readonly lag: { readonly events: number; readonly seconds: number | null };
  readonly errors: { readonly lastError: string | null; readonly deadLettersOpen: number };
  readonly rebuild: unknown;
};

export type DeadLetter = {
  readonly id: string;
  readonly projection: string;
  readonly eventId: string;
  readonly customerId: string;
  readonly type: string;
  readonly error: string;
  readonly attempts: number;
  readonly lastFailedAt: string;
  readonly status: 'open' | 'retried' | 'skipped';
};

export type StoredEvent = {
  readonly eventId: string;
  readonly revision: number;
  readonly position: number;
  readonly type: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly data: unknown;
  readonly metadata: unknown;
};

export type StreamInspection = {
  readonly streamId: string;
  readonly revision: number;
  readonly events: readonly StoredEvent[];
  readonly nextRevision: number | null;
};
