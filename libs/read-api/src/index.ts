export * from './read-api.module';
export * from './shared/read-consistency';
export { kpiReportError } from './get-kpis/kpi-report-errors';
