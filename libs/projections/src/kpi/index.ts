export * from './facts/kpi-facts.document';
export { evolveKpiFacts, foldKpiFacts, MARKETING_CONSENT_PURPOSE } from './facts/kpi-facts.evolve';
export { FUNNEL_STAGES, type FunnelStage } from './facts/funnel-stage';
export * from './payne-frow-kpis';
export type { KpiDefinition, KpiSchema } from './kpi-definition';
export { type KpiGranularity, type KpiPeriod, periodsOf } from './kpi-period';
export { computeKpis, type ComputeKpisOptions, DEFAULT_CHURN_WINDOW_DAYS } from './compute-kpis';
export * from './aggregates';
