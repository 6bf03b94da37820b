import type { Scalar } from '../read-store.port';

/** What better-sqlite3 binds: it refuses booleans, so they travel as 0 and 1, as json_extract returns them. */
export type SqlParam = string | number | null;

/** A piece of SQL and the values of its `?` placeholders, in order. Values never enter the SQL text. */
export type SqlFragment = { readonly sql: string; readonly params: readonly SqlParam[] };

export const TRUE: SqlFragment = { sql: '1', params: [] };
export const FALSE: SqlFragment = { sql: '0', params: [] };

export function fragment(sql: string, ...params: SqlParam[]): SqlFragment {
  return { sql, params };
}

export function toParam(value: Scalar): SqlParam {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

export function and(parts: readonly SqlFragment[]): SqlFragment {
  if (parts.includes(FALSE)) return FALSE;
  return join(
    parts.filter((part) => part !== TRUE),
    ' AND ',
    TRUE,
  );
}

export function or(parts: readonly SqlFragment[]): SqlFragment {
  if (parts.includes(TRUE)) return TRUE;
  return join(
    parts.filter((part) => part !== FALSE),
    ' OR ',
    FALSE,
  );
}

function join(parts: readonly SqlFragment[], separator: string, empty: SqlFragment): SqlFragment {
  const [only] = parts;
  if (only === undefined) return empty;
  if (parts.length === 1) return only;
  return {
    sql: `(${parts.map((part) => part.sql).join(separator)})`,
    params: parts.flatMap((part) => part.params),
  };
}
