import type { ErrorDetail } from '@crm/domain';
import { RequestValidationError } from '@crm/platform';
import { type CohortQuery, monthId, monthIndex, monthOfId } from '@crm/projections';

export const COHORT_PARAMS = ['from', 'to', 'months', 'format'] as const;
export const COHORT_FORMATS = ['json', 'csv'] as const;
export type CohortFormat = (typeof COHORT_FORMATS)[number];
export const MAX_COHORT_MONTHS = 120;
export const DEFAULT_COHORT_MONTHS = 12;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * GET /analytics/cohorts: `from` (inclusive) and `to` (exclusive) cohort
 * months as `YYYY-MM` (default: the twelve months up to and including the
 * current one), `months` offsets per cohort (1–120, default 12), `format`
 * json or csv. Anything else is 400 VALIDATION.FAILED naming the field.
 */
export function parseCohortQuery(
  raw: Readonly<Record<string, unknown>>,
  now: Date,
): CohortQuery & { format: CohortFormat } {
  const problems: ErrorDetail[] = [];
  for (const field of Object.keys(raw))
    if (!(COHORT_PARAMS as readonly string[]).includes(field))
      problems.push({
        field,
        code: 'whitelistValidation',
        message: `unknown query parameter ${field}; known: ${COHORT_PARAMS.join(', ')}`,
      });
  const month = (field: 'from' | 'to', fallback: number): number => {
    const value = raw[field];
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !MONTH.test(value)) {
      problems.push({ field, code: 'isYearMonth', message: `${field} is a month, YYYY-MM` });
      return fallback;
    }
    return monthOfId(value);
  };
  const to = month('to', monthIndex(now.getTime()) + 1);
  const from = month('from', to - 12);
  if (from >= to)
    problems.push({ field: 'to', code: 'afterFrom', message: 'to must be a later month than from' });
  let months = DEFAULT_COHORT_MONTHS;
  if (raw.months !== undefined) {
    const value =
      typeof raw.months === 'string' && /^\d+$/.test(raw.months) ? Number(raw.months) : Number.NaN;
    if (!(value >= 1 && value <= MAX_COHORT_MONTHS))
      problems.push({
        field: 'months',
        code: 'isInt',
        message: `months is an integer from 1 to ${MAX_COHORT_MONTHS}`,
      });
    else months = value;
  }
  let format: CohortFormat = 'json';
  if (raw.format !== undefined) {
    if (typeof raw.format === 'string' && (COHORT_FORMATS as readonly string[]).includes(raw.format))
      format = raw.format as CohortFormat;
    else
      problems.push({
        field: 'format',
        code: 'isIn',
        message: `format is one of ${COHORT_FORMATS.join(', ')}`,
      });
  }
  if (problems.length > 0) throw new RequestValidationError(problems);
  return { from: monthId(from), to: monthId(to), months, asOf: now, format };
}
