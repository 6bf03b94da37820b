import type { Document, Sort as MongoSort } from 'mongodb';
import type { Scalar } from '../read-store.port';
import { InvalidQueryError } from '../read-store.errors';
import { isScalar } from '../core/filter.normalization';
import type { FindPlan } from '../core/find-options.normalization';
import type { SortKey } from '../core/page-cursor.codec';
import { mongoField } from './mongo-field';
import { bothOf, compileFilter } from './mongo-filter.compiler';

/** What one find sends: the filter (with the cursor condition), sort and limit. */
export type MongoFind = { readonly filter: Document; readonly sort: MongoSort; readonly limit: number };

/** Asks one document more than the limit, to know whether another page exists without a second query. */
export function compileFind(plan: FindPlan): MongoFind {
  const filter = compileFilter(plan.predicates);
  return {
    filter: plan.after ? bothOf(filter, afterCursor(plan.keys, plan.after)) : filter,
    sort: plan.keys.map((key): [string, 1 | -1] => [mongoField(key.field), key.direction === 'asc' ? 1 : -1]),
    limit: plan.limit + 1,
  };
}

/**
 * Keyset paging: documents strictly after the cursor in the sort order, i.e.
 * for some key i, equal on every key before i and beyond the cursor on key i.
 * Null stands for null and missing alike, as in MongoDB's sort; comparisons
 * stay within the value's type, so a field must hold one type (as the port
 * asks) for paging to cross every value.
 */
function afterCursor(keys: readonly SortKey[], values: readonly Scalar[]): Document {
  const disjuncts: Document[] = [];
  keys.forEach((key, index) => {
    const beyondKey = beyond(key, values[index] ?? null);
    if (beyondKey === null) return;
    const equalBefore = keys.slice(0, index).map((before, at) => same(before, values[at] ?? null));
    disjuncts.push(equalBefore.length === 0 ? beyondKey : { $and: [...equalBefore, beyondKey] });
  });
  // Only after the very last document of a descending order on nulls: nothing can follow.
  if (disjuncts.length === 0) return { _id: { $in: [] } };
  return disjuncts.length === 1 && disjuncts[0] ? disjuncts[0] : { $or: disjuncts };
}

function same(key: SortKey, value: Scalar): Document {
  return { [mongoField(key.field)]: { $eq: value } };
}

/** The condition "beyond `value` on this key", or null when nothing can be. */
function beyond(key: SortKey, value: Scalar): Document | null {
  const field = mongoField(key.field);
  if (key.direction === 'asc') return { [field]: value === null ? { $ne: null } : { $gt: value } };
  if (value === null) return null;
  return { $or: [{ [field]: { $lt: value } }, { [field]: { $eq: null } }] };
}

/** The sort values of a document as the cursor keeps them: null for a missing field. */
export function sortValuesOf(
  document: Readonly<Record<string, unknown>>,
  keys: readonly SortKey[],
): Scalar[] {
  return keys.map((key) => {
    const value = document[key.field] ?? null;
    if (isScalar(value)) return value;
    throw new InvalidQueryError(`${key.field} holds an object or array, which a page cursor cannot mark`);
  });
}
