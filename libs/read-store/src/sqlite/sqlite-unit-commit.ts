import type { Database } from 'better-sqlite3';
import type { CheckedUnit, CheckedWrite } from '../core/unit-of-work.validation';
import type { SqliteStatementCache } from './sqlite-statement-cache';
import { tableOf } from './sqlite-read-store.schema';

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
 * One IMMEDIATE transaction per unit: writes and checkpoint land together or
 * not at all, and taking the write lock up front avoids the deadlock of two
 * connections both upgrading a read lock.
 */
export function createUnitCommitter(
  db: Database,
  statements: SqliteStatementCache,
): (unit: CheckedUnit) => void {
  const apply = (write: CheckedWrite): void => {
    const table = tableOf(write.collection);
    if (write.kind === 'put') {
      statements.get(putSql(table)).run(write.id, write.position, JSON.stringify(write.document));
    } else {
      statements.get(deleteSql(table)).run(write.id, write.position);
    }
  };
  const commit = db.transaction((unit: CheckedUnit) => {
    unit.writes.forEach(apply);
    statements.get(RAISE_CHECKPOINT).run(unit.projection, unit.position);
  });
  return (unit) => commit.immediate(unit);
}
