export { type AggregateReportOptions, type DayPeriod, kpisFromAggregates } from './kpi-aggregate-report';
export { type Day, dayOf, wholeDayOf } from './kpi-days';
export {
  churnWindowCounter,
  incrementWrites,
  KpiCounters,
  KPI_META_SET,
  KPI_PERIOD_COLLECTION,
  KPI_RESPONSES_COLLECTION,
  KPI_TOTALS_COLLECTION,
  KpiTermSink,
} from './kpi-term-sink';
export { kpiTerms } from './kpi-terms';
