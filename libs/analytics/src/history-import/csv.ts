import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';

/**
 * CSV for historical touchpoints (docs/analytics.md), read by csv-parse as
 * RFC 4180: a header row naming the columns, fields optionally double-quoted,
 * a quote inside quotes doubled (""), line breaks (LF or CRLF) allowed inside
 * a quoted field, a leading BOM ignored.
 */

/** One record with the physical line it starts on (1-based, the header is line 1). */
export type CsvRecord = { readonly line: number; readonly cells: readonly string[] };

/** The file is not well-formed CSV from `line` on (a quote that does not close, text after a closing quote). */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'CsvSyntaxError';
  }
}

/**
 * The file's records in order, blank lines left out. Line numbers are counted
 * here rather than taken from the parser's own `lines`, which counts a CRLF
 * twice: each record moves the count by one plus the line breaks kept inside
 * its quoted fields. A syntax error ends the file, because once a quote is
 * broken the later record boundaries cannot be trusted.
 */
export async function* readCsvRecords(input: Readable): AsyncGenerator<CsvRecord> {
  let nextLine = 1;
  // The start line of each record parsed and not yet handed out, in order.
  const startLines: number[] = [];
  const parser = parse({
    bom: true,
    // The header/row field counts are compared by the importer, per record, to name the line.
    relax_column_count: true,
    // RFC 4180 says CRLF; files saved on Unix use LF, and some mix the two.
    record_delimiter: ['\r\n', '\n'],
    // Called for every record as it is parsed, also those not yet handed out when an error stops the stream.
    on_record: (cells: string[]) => {
      startLines.push(nextLine);
      nextLine += 1 + cells.reduce((breaks, cell) => breaks + lineBreaksIn(cell), 0);
      return cells;
    },
  });
  input.on('error', (error) => parser.destroy(error));
  try {
    for await (const cells of input.pipe(parser) as AsyncIterable<string[]>) {
      const line = startLines.shift() ?? nextLine;
      if (!isBlank(cells)) yield { line, cells };
    }
  } catch (error) {
    if (error instanceof CsvError) throw new CsvSyntaxError(nextLine, reasonOf(error));
    throw error;
  } finally {
    input.destroy();
  }
}

function lineBreaksIn(cell: string): number {
  let breaks = 0;
  for (let at = cell.indexOf('\n'); at !== -1; at = cell.indexOf('\n', at + 1)) breaks++;
  return breaks;
}

/** An empty or whitespace-only line: one cell with nothing in it. */
function isBlank(cells: readonly string[]): boolean {
  return cells.length === 1 && (cells[0] ?? '').trim() === '';
}

/** csv-parse's error codes in the words of docs/analytics.md (its messages quote parser internals). */
const REASONS: Readonly<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed before the end of the file',
  CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by text before the next comma or line end',
  // Spelled without the CSV_ prefix by csv-parse, and missing from its CsvErrorCode type.
  INVALID_OPENING_QUOTE:
    'a quote inside a field that does not start with one (quote the field, double the quote)',
};

function reasonOf(error: CsvError): string {
  return REASONS[error.code] ?? error.message;
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
