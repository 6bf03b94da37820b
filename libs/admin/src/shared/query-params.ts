import { RequestValidationError } from '@crm/platform';
import { singleParam } from '@crm/read-api';

/** An integer query parameter in [min, max], or `fallback` when absent. */
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
  if (!/^\d{1,15}$/.test(value) || parsed < min || parsed > max) {
    throw new RequestValidationError([
      { field, code: 'isInt', message: `${field} is an integer from ${min} to ${max}` },
    ]);
  }
  return parsed;
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
