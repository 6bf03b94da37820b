import type { Bound, Scalar } from '../read-store.port';
import type { Predicate } from '../core/filter.normalization';
import { sqlField, type SqlField } from './sqlite-field.sql';
import { FALSE, and, fragment, or, toParam, type SqlFragment } from './sql-fragment';

type JsonKind = 'number' | 'string' | 'boolean';

/**
 * The json_type names of each kind. SQLite compares across storage classes
 * (and json_extract turns true into 1), so every comparison is guarded by the
 * type to get MongoDB's semantics: `10` never matches `'10'`, `true` never `1`.
 */
const JSON_TYPES: Readonly<Record<JsonKind, string>> = {
  number: "('integer', 'real')",
  string: "('text')",
  boolean: "('true', 'false')",
};

const OPERATORS = { $eq: '=', $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' } as const;

/** The WHERE condition of a filter; TRUE when there is none. */
export function compileFilter(predicates: readonly Predicate[]): SqlFragment {
  return and(predicates.map(compilePredicate));
}

function compilePredicate(predicate: Predicate): SqlFragment {
  const field = sqlField(predicate.field);
  switch (predicate.op) {
    case '$eq':
      return equals(field, predicate.value);
    case '$ne':
      return notEquals(field, predicate.value);
    case '$in':
      return oneOf(field, predicate.values);
    default:
      return compare(field, OPERATORS[predicate.op], predicate.value);
  }
}

/** json_extract gives NULL for both a JSON null and a missing field, which is exactly "equals null". */
function equals(field: SqlField, value: Scalar): SqlFragment {
  return value === null ? fragment(`${field.value} IS NULL`) : compare(field, '=', value);
}

/** COALESCE because the guarded comparison is NULL on a missing field, and NOT NULL would not match it. */
function notEquals(field: SqlField, value: Scalar): SqlFragment {
  if (value === null) return fragment(`${field.value} IS NOT NULL`);
  const equal = compare(field, '=', value);
  return { sql: `NOT COALESCE(${equal.sql}, 0)`, params: equal.params };
}

function compare(field: SqlField, operator: string, value: Bound): SqlFragment {
  return fragment(
    `(${field.type} IN ${JSON_TYPES[kindOf(value)]} AND ${field.value} ${operator} ?)`,
    toParam(value),
  );
}

/** One bound JSON array per kind, unpacked by json_each: the SQL text does not grow with the list. */
function oneOf(field: SqlField, values: readonly Scalar[]): SqlFragment {
  const parts = (['number', 'string', 'boolean'] as const).map((kind) => {
    const group = values.filter((value): value is Bound => value !== null && kindOf(value) === kind);
    if (group.length === 0) return FALSE;
    return fragment(
      `(${field.type} IN ${JSON_TYPES[kind]} AND ${field.value} IN (SELECT value FROM json_each(?)))`,
      JSON.stringify(group.map(toParam)),
    );
  });
  const nulls = values.includes(null) ? fragment(`${field.value} IS NULL`) : FALSE;
  return or([nulls, ...parts]);
}

function kindOf(value: Bound): JsonKind {
  if (typeof value === 'number') return 'number';
  return typeof value === 'string' ? 'string' : 'boolean';
}
