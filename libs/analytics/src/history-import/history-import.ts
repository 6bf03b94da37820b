import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  commandFor,
  type CrmEvent,
  type CustomerState,
  customerStreamId,
  decide,
  DomainError,
  evolve,
  initialState,
  toCrmEvent,
} from '@crm/domain';
import { EventIdConflictError, type EventStore } from '@crm/event-store';
import type { CustomerRepository } from '@crm/ingestion';
import { type Candidate, csvRecord, type ImportRecord, type ImportRecordValidator } from './import-record';
import { type CsvRecord, CsvSyntaxError, readCsvRecords } from './csv';

export type ImportFormat = 'ndjson' | 'csv';

/** A rejected line (for CSV, the line its record starts on): printed as `line N: field: message`. */
export type ImportProblem = { readonly line: number; readonly field: string; readonly message: string };

export type ImportSummary = {
  /** Non-blank data lines read (the CSV header excluded; a CSV record over several lines counts once). */
  readonly lines: number;
  readonly written: number;
  /** Lines whose eventId the store already held: nothing written (a re-run). */
  readonly duplicates: number;
  readonly customersImported: number;
  /** Customers with at least one bad line: nothing of theirs was written. */
  readonly customersRejected: number;
  readonly rejectedLines: number;
};

export type ImportProgress = { readonly phase: 'validate' | 'write'; readonly lines: number };

export type ImportOptions = {
  readonly file: string;
  readonly format: ImportFormat;
  readonly events: EventStore;
  readonly customers: CustomerRepository;
  readonly validator: ImportRecordValidator;
  readonly onProblem?: (problem: ImportProblem) => void;
  readonly onProgress?: (progress: ImportProgress) => void;
};

/** The file cannot be read as the format at all (e.g. a CSV without the required header). */
export class ImportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFormatError';
  }
}

/** Events per append while writing: consecutive lines of one customer are appended together. */
const RUN_LIMIT = 1000;

type DryRun = { state: CustomerState; known: Set<string>; bad: boolean; lines: number };
type Line = { readonly line: number; readonly candidate: Candidate | null; readonly problem?: ImportProblem };

/**
 * Imports historical events in two passes over the file.
 *
 * 1. Validate: every line with the HTTP DTO rules, then every customer's
 *    lines through the decider, on the state the store already holds. A
 *    customer with any bad line is marked; nothing is written yet.
 * 2. Write: the lines of the customers without a bad line, in file order,
 *    through the CustomerRepository (the decider again, optimistic append).
 *    Consecutive lines of one customer are one append; file order is kept so
 *    that re-importing an export gives the same log positions, hence the same
 *    read models.
 *
 * Idempotent: an eventId the stream holds is skipped, so a re-run (also after
 * an interruption in pass 2) writes only what is missing.
 */
export async function importHistory(options: ImportOptions): Promise<ImportSummary> {
  const customers = new Map<string, DryRun>();
  let lines = 0;
  let rejectedLines = 0;
  let duplicates = 0;
  const report = (problem: ImportProblem): void => {
    options.onProblem?.(problem);
  };

  for await (const { line, candidate, problem } of readLines(options)) {
    lines++;
    if (lines % 1000 === 0) options.onProgress?.({ phase: 'validate', lines });
    if (problem) {
      rejectedLines++;
      report(problem);
    }
    if (candidate === null) continue;
    if (!candidate.ok) {
      rejectedLines++;
      for (const detail of candidate.details) report({ line, field: detail.field, message: detail.message });
      if (candidate.customerId !== null) (await dryRunOf(candidate.customerId)).bad = true;
      continue;
    }
    const run = await dryRunOf(candidate.customerId);
    run.lines++;
    if (run.known.has(candidate.event.eventId)) {
      duplicates++;
      continue;
    }
    if (run.bad) continue;
    try {
      for (const event of decide(commandFor(candidate.event), run.state))
        run.state = evolve(run.state, event);
      run.known.add(candidate.event.eventId);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      rejectedLines++;
      run.bad = true;
      const details = error.details.length > 0 ? error.details : [{ field: 'type', message: error.message }];
      for (const detail of details)
        report({ line, field: detail.field, message: `${detail.message} (${error.code})` });
    }
  }

  let written = 0;
  let processed = 0;
  let pending: { customerId: string; events: CrmEvent[]; lines: number[] } | null = null;
  const flush = async (): Promise<void> => {
    if (pending === null) return;
    const { customerId, events, lines: at } = pending;
    pending = null;
    try {
      const outcome = await options.customers.record(customerId, events.map(commandFor));
      written += outcome.events.filter((ref) => !ref.duplicate).length;
    } catch (error) {
      if (!(error instanceof EventIdConflictError)) throw error;
      const index = events.findIndex((event) => event.eventId === error.eventId);
      rejectedLines++;
      report({ line: at[index] ?? at[0] ?? 0, field: 'eventId', message: error.message });
    }
  };
  for await (const { line, candidate } of readLines(options)) {
    processed++;
    if (processed % 1000 === 0) options.onProgress?.({ phase: 'write', lines: processed });
    if (candidate === null || !candidate.ok) continue;
    const run = customers.get(candidate.customerId);
    if (run === undefined || run.bad) continue;
    if (
      pending !== null &&
      (pending.customerId !== candidate.customerId || pending.events.length >= RUN_LIMIT)
    )
      await flush();
    pending ??= { customerId: candidate.customerId, events: [], lines: [] };
    pending.events.push(candidate.event);
    pending.lines.push(line);
  }
  await flush();

  const all = [...customers.values()];
  return {
    lines,
    written,
    duplicates,
    customersImported: all.filter((run) => !run.bad && run.lines > 0).length,
    customersRejected: all.filter((run) => run.bad).length,
    rejectedLines,
  };

  async function dryRunOf(customerId: string): Promise<DryRun> {
    const known = customers.get(customerId);
    if (known) return known;
    const run: DryRun = { state: initialState(), known: new Set(), bad: false, lines: 0 };
    for (let fromRevision = 0; ;) {
      const page = await options.events.readStream(customerStreamId(customerId), {
        fromRevision,
        limit: 1000,
      });
      for (const recorded of page) {
        run.state = evolve(run.state, toCrmEvent(recorded));
        run.known.add(recorded.eventId);
      }
      const last = page[page.length - 1];
      if (last === undefined) break;
      fromRevision = last.revision + 1;
    }
    customers.set(customerId, run);
    return run;
  }
}

/** The file's data records, each validated into a candidate (null for a record that cannot be one). */
async function* readLines(options: ImportOptions): AsyncGenerator<Line> {
  const rows = options.format === 'csv' ? csvRows(options.file) : ndjsonRows(options.file);
  for await (const { line, parsed } of rows) {
    if ('problem' in parsed) yield { line, candidate: null, problem: { line, ...parsed.problem } };
    else yield { line, candidate: options.validator.validate(parsed.record) };
  }
}

type Parsed = { record: ImportRecord } | { problem: { field: string; message: string } };
type Row = { readonly line: number; readonly parsed: Parsed };

/** One JSON object per non-blank line. */
async function* ndjsonRows(file: string): AsyncGenerator<Row> {
  const input = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let line = 0;
  for await (const text of input) {
    line++;
    if (text.trim() !== '') yield { line, parsed: ndjsonLine(text) };
  }
}

function ndjsonLine(text: string): Parsed {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return { problem: { field: '(line)', message: 'must be a JSON object' } };
    return { record: value };
  } catch {
    return { problem: { field: '(line)', message: 'is not valid JSON' } };
  }
}

/** The header record, then one row per data record, numbered by the line it starts on. */
async function* csvRows(file: string): AsyncGenerator<Row> {
  let header: string[] | null = null;
  try {
    for await (const record of readCsvRecords(createReadStream(file))) {
      if (header === null) header = csvHeader(record);
      else yield { line: record.line, parsed: csvLine(header, record.cells) };
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError)
      throw new ImportFormatError(`the file is not valid CSV: ${error.message}`);
    throw error;
  }
}

function csvHeader(record: CsvRecord): string[] {
  const header = record.cells.map((cell) => cell.trim());
  const missing = ['customerId', 'type', 'occurredAt'].filter((column) => !header.includes(column));
  if (missing.length > 0)
    throw new ImportFormatError(`the CSV header lacks the column(s) ${missing.join(', ')}`);
  return header;
}

function csvLine(header: readonly string[], cells: readonly string[]): Parsed {
  if (cells.length !== header.length)
    return {
      problem: { field: '(line)', message: `has ${cells.length} fields; the header has ${header.length}` },
    };
  return { record: csvRecord(header, cells) };
}
