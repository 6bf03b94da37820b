import type { Document } from 'mongodb';
import type { Predicate } from '../core/filter.normalization';
import { mongoField } from './mongo-field';

/**
 * The port's filter semantics are MongoDB's own (type brackets, null matching
 * missing), so a predicate translates one to one. Predicates on one field
 * merge into one operator object; normalizeFilter keeps at most one predicate
 * per operator and field, so nothing is overwritten.
 */
export function compileFilter(predicates: readonly Predicate[]): Document {
  const filter: Record<string, Record<string, unknown>> = {};
  for (const predicate of predicates) {
    const field = mongoField(predicate.field);
    const operators = (filter[field] ??= {});
    operators[predicate.op] = predicate.op === '$in' ? [...predicate.values] : predicate.value;
  }
  return filter;
}

/** Both conditions, without nesting an `$and` when one of them is empty. */
export function bothOf(left: Document, right: Document): Document {
  if (Object.keys(left).length === 0) return right;
  if (Object.keys(right).length === 0) return left;
  return { $and: [left, right] };
}
