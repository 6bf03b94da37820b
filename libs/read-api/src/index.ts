export * from './read-api.module';
export * from './projection-runtime/projection-runtime';
export * from './shared/read-consistency';
export * from './projection-runtime/projection-admin.errors';
export { kpiReportError } from './get-kpis/kpi-report-errors';
