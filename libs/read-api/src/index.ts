export * from './read-api.module';
export * from './shared/read-consistency';
export { kpiReportError } from './get-kpis/kpi-report-errors';
export { JourneyViewResponse } from './get-customer-journey/journey.response';
export { ScoresViewResponse } from './get-customer-scores/scores.response';
export { KpiReportResponse } from './get-kpis/kpis.response';
