/**
 * How a top-level field reads in SQL: its value, and its JSON type (as
 * `json_type` names it) so comparisons can stay within one type.
 */
export type SqlField = {
  readonly value: string;
  readonly type: string;
  /** False for the columns: knowing a value is never NULL keeps paging conditions simple enough to seek. */
  readonly nullable: boolean;
};

/**
 * `id` and `position` are columns (the primary key and the write guard); any
 * other field is extracted from the JSON document. The field name is embedded
 * in the path literally, never bound, so that the expression is the same text
 * as the index's and SQLite uses the index. That is safe only because the
 * name has been checked against FIELD_NAME (letters, digits, `_`).
 */
export function sqlField(field: string): SqlField {
  if (field === 'id') return { value: 'id', type: "'text'", nullable: false };
  if (field === 'position') return { value: 'position', type: "'integer'", nullable: false };
  const path = `'$.${field}'`;
  return { value: `json_extract(doc, ${path})`, type: `json_type(doc, ${path})`, nullable: true };
}

/**
 * What a read selects as `doc`: the stored JSON, or for `fields` a JSON
 * object of id, position and each field (`->` hands the value over as JSON,
 * so a nested object stays an object; a missing field is NULL, hence null).
 * The names are embedded as in sqlField, checked against FIELD_NAME.
 */
export function docColumn(fields: readonly string[] | null): string {
  if (fields === null) return 'doc';
  const pairs = fields.map((field) => `'${field}', doc -> '$.${field}'`);
  return `json_object(${["'id', id", "'position', position", ...pairs].join(', ')}) AS doc`;
}
