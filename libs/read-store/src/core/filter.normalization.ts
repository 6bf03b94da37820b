import type { Bound, Filter, Scalar } from '../read-store.port';
import { InvalidQueryError } from '../read-store.errors';
import { assertName } from './names.validation';

export type Comparison = '$eq' | '$ne' | '$gt' | '$gte' | '$lt' | '$lte';
export type Range = '$gt' | '$gte' | '$lt' | '$lte';

/** One operator on one field; a filter is the conjunction of its predicates. */
export type Predicate =
  | { readonly field: string; readonly op: '$eq' | '$ne'; readonly value: Scalar }
  | { readonly field: string; readonly op: Range; readonly value: Bound }
  | { readonly field: string; readonly op: '$in'; readonly values: readonly Scalar[] };

const RANGES: ReadonlySet<string> = new Set<Range>(['$gt', '$gte', '$lt', '$lte']);

/**
 * Checks a filter and flattens it into predicates, so that every adapter
 * compiles the same, already validated shape. Checked at run time because
 * filters are built from query strings.
 */
export function normalizeFilter(filter: Filter | undefined): Predicate[] {
  if (filter === undefined) return [];
  if (!isPlainObject(filter)) throw new InvalidQueryError('the filter is not an object');
  return Object.entries(filter).flatMap(([field, condition]) => normalizeCondition(field, condition));
}

function normalizeCondition(field: string, condition: unknown): Predicate[] {
  assertName('field', field);
  if (condition === undefined) return [];
  if (isScalar(condition)) return [{ field, op: '$eq', value: condition }];
  if (!isPlainObject(condition)) throw new InvalidQueryError(`the condition on ${field} is not a scalar`);
  return Object.entries(condition)
    .filter(([, value]) => value !== undefined)
    .map(([op, value]) => normalizeOperator(field, op, value));
}

function normalizeOperator(field: string, op: string, value: unknown): Predicate {
  if (op === '$eq' || op === '$ne') return { field, op, value: scalar(field, op, value) };
  if (RANGES.has(op)) return { field, op: op as Range, value: bound(field, op, value) };
  if (op === '$in') return { field, op, values: scalars(field, value) };
  throw new InvalidQueryError(`unknown operator ${op} on ${field}`);
}

function scalar(field: string, op: string, value: unknown): Scalar {
  if (isScalar(value)) return value;
  throw new InvalidQueryError(`${field}.${op} is not a string, finite number, boolean or null`);
}

function bound(field: string, op: string, value: unknown): Bound {
  if (value !== null && isScalar(value)) return value;
  throw new InvalidQueryError(`${field}.${op} is not a string, finite number or boolean`);
}

function scalars(field: string, value: unknown): Scalar[] {
  if (!Array.isArray(value)) throw new InvalidQueryError(`${field}.$in is not an array`);
  return value.map((item: unknown) => scalar(field, '$in', item));
}

export function isScalar(value: unknown): value is Scalar {
  if (typeof value === 'number') return Number.isFinite(value);
  return value === null || typeof value === 'string' || typeof value === 'boolean';
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
