import type { CustomerKind, TouchpointChannel } from '@crm/domain';
import type { FunnelStage } from './facts/funnel-stage';

/** Counts or amounts per segment; `unknown` collects customers without one. */
export type BySegment = Readonly<Record<string, number>>;

export type NewCustomers = {
  readonly total: number;
  readonly byKind: Readonly<Record<CustomerKind, number>>;
  readonly bySegment: BySegment;
  /** Both kinds always present; under each, only the segments with new customers. */
  readonly byKindAndSegment: Readonly<Record<CustomerKind, BySegment>>;
};

export type StrategyDevelopmentKpis = {
  readonly newCustomers: NewCustomers;
  /** Net revenue (minor units) by segment. */
  readonly revenueBySegment: BySegment;
};

export type ValueCreationKpis = {
  /** Net: purchases minus refunds in the period, minor units. */
  readonly revenue: number;
  readonly orders: number;
  readonly aov: number | null;
  readonly purchaseFrequency: number | null;
  readonly repeatPurchaseRate: number | null;
  readonly retentionRate: number | null;
  readonly churnRate: number | null;
};

export type MultichannelIntegrationKpis = {
  readonly touchpointsByChannel: Readonly<Record<TouchpointChannel, number>>;
  readonly multichannelShare: number | null;
  readonly medianFirstResponseMinutes: number | null;
};

/** `projectionLag` is the caller's to add: it depends on the log head, not on the facts. */
export type InformationManagementKpis = {
  readonly avgProfileCompleteness: number | null;
  readonly marketingConsentShare: number | null;
  readonly identifiedShare: number | null;
};

export type PerformanceAssessmentKpis = {
  /** −100…100. */
  readonly nps: number | null;
  /** 0…100. */
  readonly csat: number | null;
  readonly ces: number | null;
  readonly firstContactResolution: number | null;
  /** Customers per stage at the end of the period. */
  readonly funnel: Readonly<Record<FunnelStage, number>>;
  readonly conversionRate: number | null;
};

/** The Payne & Frow KPIs of one period, grouped by the five CRM processes (domain.md). */
export type PayneFrowKpis = {
  readonly strategyDevelopment: StrategyDevelopmentKpis;
  readonly valueCreation: ValueCreationKpis;
  readonly multichannelIntegration: MultichannelIntegrationKpis;
  readonly informationManagement: InformationManagementKpis;
  readonly performanceAssessment: PerformanceAssessmentKpis;
};
