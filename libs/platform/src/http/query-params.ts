import { RequestValidationError } from './api-error';

/**
 * The basic query parameters every route reads the same way: 400
 * VALIDATION.FAILED with the field, a stable code and a message. Fastify
 * hands over a string, an array (`?a=1&a=2`) or undefined, hence the
 * `unknown` inputs. The read routes' own parameters (instants, KPI periods,
 * minPosition) build on these in `libs/read-api/src/shared/query-params.ts`.
 */

/** A query parameter given once, or undefined when absent or empty. */
export function singleParam(field: string, raw: unknown): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') {
    throw new RequestValidationError([{ field, code: 'single', message: `${field} may be given once` }]);
  }
  return raw;
}

/** An integer query parameter in [min, max] (digits only, a safe integer), or `fallback` when absent. */
export function integerParam(
  field: string,
  raw: unknown,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = singleParam(field, raw);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new RequestValidationError([
      { field, code: 'isInt', message: `${field} is an integer from ${min} to ${max}` },
    ]);
  }
  return parsed;
}
