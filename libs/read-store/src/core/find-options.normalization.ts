import {
  DEFAULT_LIMIT,
  MAX_LIMIT,
  type FindOptions,
  type Scalar,
  type Sort,
  type SortDirection,
} from '../read-store.port';
import { InvalidQueryError } from '../read-store.errors';
import { isPlainObject, normalizeFilter, type Predicate } from './filter.normalization';
import { assertName } from './names.validation';
import { decodeCursor, type SortKey } from './page-cursor.codec';
import { readFields } from './read-fields.validation';

/** A find request checked and completed: what every adapter compiles. */
export type FindPlan = {
  readonly predicates: readonly Predicate[];
  /** The requested sort, ending with the `id` tie-break. */
  readonly keys: readonly SortKey[];
  readonly limit: number;
  /** The sort values to continue after (one per key), or null for the first page. */
  readonly after: readonly Scalar[] | null;
  /** The fields to return (readFields), null for whole documents. */
  readonly fields: readonly string[] | null;
};

export function planFind(options: FindOptions = {}): FindPlan {
  const keys = sortKeys(options.sort ?? []);
  return {
    predicates: normalizeFilter(options.filter),
    keys,
    limit: pageLimit(options.limit),
    after: options.cursor === undefined ? null : decodeCursor(options.cursor, keys),
    fields: readFields(options.fields),
  };
}

/**
 * `id` is unique, so it ends the order: entries after it could never matter
 * and are dropped. Otherwise it is appended in the last entry's direction, so
 * an index on (field, id) can be read forwards or backwards.
 */
function sortKeys(sort: Sort): SortKey[] {
  if (!Array.isArray(sort)) throw new InvalidQueryError('the sort is not a list');
  const keys = sort.map(sortKey);
  const fields = keys.map((key) => key.field);
  if (new Set(fields).size !== fields.length) throw new InvalidQueryError('the sort names a field twice');
  const idAt = fields.indexOf('id');
  if (idAt >= 0) return keys.slice(0, idAt + 1);
  return [...keys, { field: 'id', direction: keys.at(-1)?.direction ?? 'asc' }];
}

function sortKey(entry: unknown): SortKey {
  if (!isPlainObject(entry)) throw new InvalidQueryError('a sort entry is not an object');
  const field = assertName('field', entry['field']);
  const direction = entry['direction'];
  if (!isDirection(direction))
    throw new InvalidQueryError(`the sort direction of ${field} is not asc or desc`);
  return { field, direction };
}

function isDirection(value: unknown): value is SortDirection {
  return value === 'asc' || value === 'desc';
}

function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIMIT) return limit;
  throw new InvalidQueryError(`the limit must be an integer from 1 to ${MAX_LIMIT}`);
}
