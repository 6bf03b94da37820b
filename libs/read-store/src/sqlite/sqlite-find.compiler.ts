import type { Scalar } from '../read-store.port';
import type { Predicate } from '../core/filter.normalization';
import type { FindPlan } from '../core/find-options.normalization';
import type { SortKey } from '../core/page-cursor.codec';
import { docColumn, sqlField } from './sqlite-field.sql';
import { compileFilter } from './sqlite-filter.compiler';
import { FALSE, TRUE, and, fragment, or, toParam, type SqlFragment } from './sql-fragment';

type BoundKey = SortKey & { readonly expression: string; readonly nullable: boolean; readonly value: Scalar };

/**
 * Selects one row more than the limit, to know whether another page exists
 * without a second query, and each sort key as `k<i>`, so the cursor holds
 * the values exactly as SQLite compared them (true as 1, for instance).
 * With fields, `doc` is the picked object; the conditions and the order
 * still read the stored column (SQLite resolves a name to the table's
 * column before an alias).
 */
export function compileFind(table: string, plan: FindPlan): SqlFragment {
  const expressions = plan.keys.map((key) => sqlField(key.field).value);
  const columns = expressions.map((expression, index) => `${expression} AS k${index}`).join(', ');
  const order = plan.keys.map((key, index) => `${expressions[index]} ${key.direction.toUpperCase()}`);
  const where = and([compileFilter(plan.predicates), plan.after ? afterCursor(plan.keys, plan.after) : TRUE]);
  return {
    sql: `SELECT ${docColumn(plan.fields)}, ${columns} FROM ${table} WHERE ${where.sql} ORDER BY ${order.join(', ')} LIMIT ?`,
    params: [...where.params, plan.limit + 1],
  };
}

export function compileCount(table: string, predicates: readonly Predicate[]): SqlFragment {
  const where = compileFilter(predicates);
  return { sql: `SELECT COUNT(*) AS count FROM ${table} WHERE ${where.sql}`, params: where.params };
}

/**
 * Keyset paging: rows strictly after the cursor in the sort order, i.e. for
 * some key i, equal on every key before i and beyond the cursor on key i.
 * Written out (not as a row-value comparison) because directions may be
 * mixed and NULL, which sorts lowest, must compare like a value.
 */
function afterCursor(keys: readonly SortKey[], values: readonly Scalar[]): SqlFragment {
  const bound: BoundKey[] = keys.map((key, index) => {
    const { value: expression, nullable } = sqlField(key.field);
    return { ...key, expression, nullable, value: values[index] ?? null };
  });
  const disjuncts = bound.map((key, index) => and([...bound.slice(0, index).map(same), beyond(key)]));
  const [first] = bound;
  return and([first ? seek(first) : TRUE, or(disjuncts)]);
}

/** `IS` is `=` that treats NULL as a value. */
function same(key: BoundKey): SqlFragment {
  return fragment(`${key.expression} IS ?`, toParam(key.value));
}

function beyond(key: BoundKey): SqlFragment {
  if (key.direction === 'asc') {
    return key.value === null
      ? fragment(`${key.expression} IS NOT NULL`)
      : fragment(`${key.expression} > ?`, toParam(key.value));
  }
  if (key.value === null) return FALSE;
  const below = fragment(`${key.expression} < ?`, toParam(key.value));
  return key.nullable ? or([below, fragment(`${key.expression} IS NULL`)]) : below;
}

/**
 * Redundant with the disjunction, but a plain range on the first key lets
 * SQLite start the index scan at the cursor instead of re-reading every
 * earlier page. Only where one simple term is exact: after a non-null value
 * in descending order come the NULLs of a JSON field, which no range on the
 * index admits, so such pages scan the index from its end.
 */
function seek(key: BoundKey): SqlFragment {
  if (key.value === null) return key.direction === 'asc' ? TRUE : fragment(`${key.expression} IS NULL`);
  if (key.direction === 'asc') return fragment(`${key.expression} >= ?`, toParam(key.value));
  return key.nullable ? TRUE : fragment(`${key.expression} <= ?`, toParam(key.value));
}
