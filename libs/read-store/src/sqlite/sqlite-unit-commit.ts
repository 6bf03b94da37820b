import type { Database } from 'better-sqlite3';
import type { CheckedIncrement, CheckedUnit, CheckedWrite } from '../core/unit-of-work.validation';
import { InvalidWriteError } from '../read-store.errors';
import type { SqliteStatementCache } from './sqlite-statement-cache';
import { counterTableOf, tableOf } from './sqlite-read-store.schema';

/**
 * The position guard lives in the SQL, not in a read-then-write, so it holds
 * whoever else writes the file: an upsert that only replaces an older
 * document, a delete that only removes an older one, a checkpoint that only
 * rises.
 */
const RAISE_CHECKPOINT = `INSERT INTO read_store_checkpoints (projection, position) VALUES (?, ?)
  ON CONFLICT (projection) DO UPDATE SET position = excluded.position
  WHERE excluded.position > read_store_checkpoints.position`;

function putSql(table: string): string {
  return `INSERT INTO ${table} (id, position, doc) VALUES (?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET position = excluded.position, doc = excluded.doc
    WHERE excluded.position > ${table}.position`;
}

function deleteSql(table: string): string {
  return `DELETE FROM ${table} WHERE id = ? AND position < ?`;
}

/**
 * A set's increments as one statement over a JSON list of [counter, delta]:
 * json_each does the looping in SQLite, not a statement per counter. A
 * counter back at 0 keeps its row (reads leave it out): deleting it would
 * cost a second statement on every unit for rows that are few and bounded
 * by the counters that exist at all.
 */
function incrementSql(table: string): string {
  return `INSERT INTO ${table} (set_id, counter, value)
    SELECT ?, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?) WHERE true
    ON CONFLICT (set_id, counter) DO UPDATE SET value = value + excluded.value
    RETURNING value`;
}

/** A write as SQLite takes it: the document (or the counters) already serialized. */
type Row = {
  readonly sql: string;
  readonly params: readonly [string, number] | readonly [string, number, string] | readonly [string, string];
};

/** A set's increments, serialized before the write lock is taken. */
type IncrementRow = {
  readonly sql: string;
  readonly id: string;
  readonly counters: string;
  readonly set: string;
};

function incrementRow(increment: CheckedIncrement): IncrementRow[] {
  if (increment.counters.size === 0) return [];
  return [
    {
      sql: incrementSql(counterTableOf(increment.collection)),
      id: increment.id,
      counters: JSON.stringify([...increment.counters]),
      set: `${increment.collection}/${increment.id}`,
    },
  ];
}

/**
 * Adds a set's increments and checks the totals they leave: SQLite sums
 * past 2^63 in floating point, and past 2^53 a total is no longer exact, so
 * a unit that takes a counter there is refused (InvalidWriteError, the whole
 * transaction rolled back) for its writer to take apart (the projections
 * dead-letter the customer at fault). The totals come back from the upsert
 * itself (RETURNING), one number per counter, so the check reads nothing more.
 */
function addSafely(statements: SqliteStatementCache, increment: IncrementRow): void {
  const totals = statements.get<unknown>(increment.sql).pluck().all(increment.id, increment.counters);
  for (const total of totals) {
    if (typeof total === 'number' && Math.abs(total) > Number.MAX_SAFE_INTEGER) {
      throw new InvalidWriteError(
        `a counter of ${increment.set} would reach ${total}, beyond the safe integers`,
      );
    }
  }
}

/**
 * One IMMEDIATE transaction per unit: writes and checkpoint land together or
 * not at all, and taking the write lock up front avoids the deadlock of two
 * connections both upgrading a read lock. The documents are serialized
 * (and the counters) before `hold` is asked for the file (a ThreadWriteLock shared with other
 * threads' connections), so only SQLite's own work happens while others wait.
 */
export function createUnitCommitter(
  db: Database,
  statements: SqliteStatementCache,
  hold: <T>(write: () => T) => T = (write) => write(),
): (unit: CheckedUnit) => void {
  const rowOf = (write: CheckedWrite): Row => {
    const table = tableOf(write.collection);
    return write.kind === 'put'
      ? { sql: putSql(table), params: [write.id, write.position, JSON.stringify(write.document)] }
      : { sql: deleteSql(table), params: [write.id, write.position] };
  };
  const commit = db.transaction(
    (rows: readonly Row[], increments: readonly IncrementRow[], unit: CheckedUnit) => {
      for (const row of rows) statements.get(row.sql).run(...row.params);
      // A throw rolls the whole unit back: no counter is left past the safe integers.
      for (const increment of increments) addSafely(statements, increment);
      statements.get(RAISE_CHECKPOINT).run(unit.projection, unit.position);
    },
  );
  return (unit) => {
    const rows = unit.writes.map(rowOf);
    const increments = unit.increments.flatMap(incrementRow);
    hold(() => commit.immediate(rows, increments, unit));
  };
}
