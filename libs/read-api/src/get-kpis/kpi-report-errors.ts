import { ApiError, RequestValidationError } from '@crm/platform';
import { KpiScanTooLargeError } from '@crm/projections';

/**
 * What a KPI report's failures say to a client: too many buckets is a bad
 * `granularity`; a report the counters cannot serve and a scan may not
 * (bounds inside a day at scale, or counters of another churn window) is a
 * 422 that says what to do instead.
 */
export function kpiReportError(error: unknown): unknown {
  if (error instanceof KpiScanTooLargeError) {
    const details =
      error.reason === 'bounds-inside-a-day'
        ? (['from', 'to'] as const).map((field) => ({
            field,
            code: 'wholeDay',
            message: 'use the start of a UTC day (…T00:00:00Z) to read the KPI counters',
          }))
        : [];
    return new ApiError(422, error.code, error.message, details);
  }
  if (error instanceof RangeError) {
    return new RequestValidationError([
      { field: 'granularity', code: 'tooManyPeriods', message: error.message },
    ]);
  }
  return error;
}
