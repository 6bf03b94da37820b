export * from './shared';
export * from './journey';
export * from './idic';
export * from './campaigns';
export {
  computeKpis,
  type ComputeKpisOptions,
  evolveKpiFacts,
  foldKpiFacts,
  FUNNEL_STAGES,
  type FunnelStage,
  type KpiGranularity,
  type KpiPeriod,
  KPI_PROCESSES,
  MARKETING_CONSENT_PURPOSE,
  periodsOf,
  wholeDayOf,
} from './kpi';
export type * from './kpi/facts/kpi-facts.document';
export type * from './kpi/payne-frow-kpis';
export type { KpiDefinition, KpiSchema } from './kpi/kpi-definition';
export * from './runner/projection';
export * from './runner/customer-projections';
export * from './runtime/log/projection-runner';
export { shareOf } from './runtime/log/customer-streams';
export * from './queries';
export * from './profile';
export * from './identity-index';
export * from './follow-ups';
export * from './runner/dead-letter';
export * from './versioning';
export * from './runtime/engine/dead-letter-store';
export type { FailedEvent } from './runtime/engine/failure-isolation';
export * from './runtime/engine/batch-applier';
export {
  serveProjectionWorker,
  type OpenWorkerStores,
  type ProjectionFactory,
  type WorkerStores,
} from './runtime/host/worker/serve-projection-worker';
export * from './merge';
export type { HistorySource } from './runtime/log/merged-histories';
export * from './portfolio';
