import { integerParam, isValidInstant, RequestValidationError, singleParam } from '@crm/platform';
import type { KpiGranularity } from '@crm/projections';

/**
 * Query parameters of the read routes (live, time travel, admin), parsed in
 * one place so each one fails the same way everywhere: 400 VALIDATION.FAILED
 * with the field, a stable code and a message. Fastify hands over a string,
 * an array (`?a=1&a=2`) or undefined, hence the `unknown` inputs.
 */

export { integerParam, singleParam };

/** The `now` of instants a route requires: never used, since an absent one is refused first. */
const EPOCH = new Date(0);

/** An instant from the query string (`asOf`, `from`, `to`), validated; defaults to `now`. */
export function parseInstant(field: string, raw: unknown, now: Date): string {
  const value = singleParam(field, raw);
  if (value === undefined) return now.toISOString();
  if (!isValidInstant(value)) {
    throw new RequestValidationError([
      {
        field,
        code: 'isISO8601',
        message: `${field} is an ISO-8601 instant with an offset, e.g. 2025-06-01T00:00:00Z`,
      },
    ]);
  }
  return new Date(value).toISOString();
}

/** An optional instant that bounds something (`from`, `lastTouchBefore`): null when absent or empty. */
export function optionalInstant(field: string, raw: unknown): string | null {
  const value = singleParam(field, raw);
  return value === undefined || value === '' ? null : parseInstant(field, value, EPOCH);
}

export function parseAsOf(raw: unknown, now: Date): string {
  return parseInstant('asOf', raw, now);
}

/** An instant the route cannot do without (time travel's `asOf`). */
export function requiredInstant(field: string, raw: unknown): string {
  if (singleParam(field, raw) === undefined) throw missing([field]);
  return parseInstant(field, raw, EPOCH);
}

export function parseLimit(rawLimit: unknown, fallback: number, max: number): number {
  const raw = singleParam('limit', rawLimit);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > max) {
    throw new RequestValidationError([
      { field: 'limit', code: 'isInt', message: `limit is an integer from 1 to ${max}` },
    ]);
  }
  return value;
}

/** One of `allowed`, or undefined when absent. */
export function choiceParam<T extends string>(
  field: string,
  raw: unknown,
  allowed: readonly T[],
): T | undefined {
  const value = singleParam(field, raw);
  if (value === undefined) return undefined;
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) {
    throw new RequestValidationError([
      { field, code: 'isIn', message: `${field} is one of ${allowed.join(', ')}` },
    ]);
  }
  return match;
}

/** Read-your-writes' `minPosition`: a log position, or undefined when absent. */
export function parseMinPosition(raw: unknown): number | undefined {
  const value = singleParam('minPosition', raw);
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value)) {
    throw new RequestValidationError([
      { field: 'minPosition', code: 'isInt', message: 'minPosition is a non-negative integer' },
    ]);
  }
  return Number(value);
}

export const KPI_GRANULARITIES: readonly KpiGranularity[] = ['day', 'week', 'month'];

/** What a KPI report is asked for: [from, to), split by `granularity` when given. */
export type KpiPeriodParams = {
  readonly from: string;
  readonly to: string;
  readonly granularity: KpiGranularity | undefined;
};

/** GET /kpis: `from` and `to` required, from ≤ to, `granularity` optional. */
export function parseKpiPeriod(query: {
  readonly from: unknown;
  readonly to: unknown;
  readonly granularity: unknown;
}): KpiPeriodParams {
  requirePresent({ from: query.from, to: query.to });
  const from = parseInstant('from', query.from, EPOCH);
  const to = parseInstant('to', query.to, EPOCH);
  rejectAll(orderProblems(from, to));
  return { from, to, granularity: parseGranularity(query.granularity) };
}

/** The KPIs as known at `asOf` (time travel): `asOf` required too, and `to` at or before it. */
export function parseKpiPeriodAsOf(query: {
  readonly asOf: unknown;
  readonly from: unknown;
  readonly to: unknown;
  readonly granularity: unknown;
}): KpiPeriodParams & { readonly asOf: string } {
  requirePresent({ asOf: query.asOf, from: query.from, to: query.to });
  const asOf = parseInstant('asOf', query.asOf, EPOCH);
  const from = parseInstant('from', query.from, EPOCH);
  const to = parseInstant('to', query.to, EPOCH);
  rejectAll([
    ...orderProblems(from, to),
    ...(to > asOf ? [{ field: 'to', code: 'notAfterAsOf', message: 'to must be at or before asOf' }] : []),
  ]);
  return { asOf, from, to, granularity: parseGranularity(query.granularity) };
}

type Problem = { readonly field: string; readonly code: string; readonly message: string };

/** Every required instant that is absent, named at once. */
function requirePresent(raw: Readonly<Record<string, unknown>>): void {
  const absent = Object.keys(raw).filter((field) => raw[field] === undefined || raw[field] === '');
  if (absent.length > 0) throw missing(absent);
}

function missing(fields: readonly string[]): RequestValidationError {
  return new RequestValidationError(
    fields.map((field) => ({ field, code: 'isDefined', message: `${field} is required (ISO-8601 instant)` })),
  );
}

function orderProblems(from: string, to: string): Problem[] {
  return from > to ? [{ field: 'from', code: 'beforeTo', message: 'from must not be after to' }] : [];
}

function rejectAll(problems: readonly Problem[]): void {
  if (problems.length > 0) throw new RequestValidationError(problems);
}

function parseGranularity(raw: unknown): KpiGranularity | undefined {
  const value = singleParam('granularity', raw);
  if (value === undefined) return undefined;
  const granularity = KPI_GRANULARITIES.find((candidate) => candidate === value);
  if (granularity === undefined) {
    throw new RequestValidationError([
      { field: 'granularity', code: 'isIn', message: 'granularity is day, week or month' },
    ]);
  }
  return granularity;
}
