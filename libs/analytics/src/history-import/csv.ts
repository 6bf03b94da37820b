/**
 * CSV for historical touchpoints (docs/analytics.md): a header row naming
 * the columns, one record per physical line. Fields may be quoted ("a, b"),
 * a quote inside quotes is doubled (""); a line break inside a field is not
 * supported, so line numbers stay those of the file.
 */
export function parseCsvLine(line: string): string[] | { error: string } {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < line.length) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else {
      field += ch;
    }
    i++;
  }
  if (quoted) return { error: 'an unterminated quoted field' };
  fields.push(field);
  return fields;
}

/** Columns that are not event data. */
export const CSV_ENVELOPE_COLUMNS = ['customerId', 'type', 'eventId', 'occurredAt'] as const;

const NUMBER_FIELDS = new Set(['durationSeconds', 'durationMinutes', 'amount', 'score']);
const BOOLEAN_FIELDS = new Set(['firstContact', 'granted']);
const JSON_FIELDS = new Set(['items', 'attributes']);

/**
 * A data cell as the JSON value the HTTP body would carry: numbers and
 * booleans by field name, `items` and `attributes` as JSON text, the rest as
 * strings. A value that does not convert is passed on as the raw string, so
 * the DTO reports it exactly as it would over HTTP.
 */
export function csvValue(column: string, raw: string): unknown {
  if (NUMBER_FIELDS.has(column)) return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  if (BOOLEAN_FIELDS.has(column)) return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (JSON_FIELDS.has(column)) {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }
  return raw;
}
