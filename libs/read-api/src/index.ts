export * from './read-api.module';
export {
  awaitPosition,
  ProjectionNotCaughtUpError,
  ProjectionPausedError,
  type ReadMeta,
} from './shared/read-consistency';
export * from './shared/query-params';
export { kpiReportError } from './get-kpis/kpi-report-errors';
export { JourneyViewResponse } from './get-customer-journey/journey.response';
export { ScoresViewResponse } from './get-customer-scores/scores.response';
export { KpiReportResponse } from './get-kpis/kpis.response';
