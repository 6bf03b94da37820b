import type { Database } from 'better-sqlite3';
import type { CheckedIndex, CheckedSpec } from '../core/collection-spec.validation';
import { sqlField } from './sqlite-field.sql';

export type SqliteSynchronous = 'full' | 'normal';

/**
 * Collection tables are `rm_<name>`; this one cannot collide with them.
 * STRICT so a bug can never store a position as text.
 */
const CHECKPOINTS = `
CREATE TABLE IF NOT EXISTS read_store_checkpoints (
  projection TEXT    NOT NULL PRIMARY KEY,
  position   INTEGER NOT NULL
) STRICT;
`;

export function applyPragmas(db: Database, busyTimeoutMs: number, synchronous: SqliteSynchronous): void {
  // WAL lets the API read while a projection commits, also from other processes.
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  // Replaced and deleted documents are zeroed, not left in free space: read models hold personal
  // data until an erasure is projected, and no copy of it may outlive that (docs/privacy.md).
  db.pragma('secure_delete = ON');
}

export function createCheckpointsTable(db: Database): void {
  db.exec(CHECKPOINTS);
}

/** Quoted, though checked names need no quoting: keeps SQL keywords usable as collection names. */
export function tableOf(collection: string): string {
  return `"rm_${collection}"`;
}

/** A counters collection's table: `rc_<name>`, so document operations on it find no collection. */
export function counterTableOf(collection: string): string {
  return `"rc_${collection}"`;
}

export function tableExists(
  db: Database,
  collection: string,
  kind: 'documents' | 'counters' = 'documents',
): boolean {
  const row = db
    .prepare<[string], { found: 1 }>("SELECT 1 AS found FROM sqlite_schema WHERE type = 'table' AND name = ?")
    .get(`${kind === 'documents' ? 'rm' : 'rc'}_${collection}`);
  return row !== undefined;
}

/**
 * One row per counter: an increment is an upsert adding to `value`, so no
 * document is read, parsed or rewritten, and the primary key (set, counter)
 * serves both a set's counters and a range of sets.
 */
function counterDdl(name: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${counterTableOf(name)} (
    set_id  TEXT    NOT NULL,
    counter TEXT    NOT NULL,
    value   INTEGER NOT NULL,
    PRIMARY KEY (set_id, counter)
  ) STRICT, WITHOUT ROWID`,
  ];
}

/**
 * The document keeps its id and position too, so a read is one JSON.parse;
 * the columns exist for the primary key and the write guard. Each declared
 * field gets an index on (field, id): the id tie-break of every sort is then
 * read from the index too, in either direction. An index that carries fields
 * adds the field's JSON type and each carried field's type and value: those
 * are what a filter compiles to (sqlite-filter.compiler guards every
 * comparison by type), so SQLite checks the whole filter in the index and
 * reads only the documents that pass.
 */
export function collectionDdl(spec: CheckedSpec): string[] {
  if (spec.kind === 'counters') return counterDdl(spec.name);
  const table = tableOf(spec.name);
  const create = `CREATE TABLE IF NOT EXISTS ${table} (
    id       TEXT    NOT NULL PRIMARY KEY,
    position INTEGER NOT NULL,
    doc      TEXT    NOT NULL
  ) STRICT`;
  const indexes = spec.indexes.map(
    (index) =>
      `CREATE INDEX IF NOT EXISTS "${indexName(spec.name, index)}" ON ${table} (${indexColumns(index).join(', ')})`,
  );
  return [create, ...indexes];
}

/** A column (id, position) has a constant type: only JSON fields add theirs. */
function indexColumns({ field, carries }: CheckedIndex): string[] {
  const key = [sqlField(field).value, 'id'];
  if (carries.length === 0) return key;
  const typed = (name: string): string[] => {
    const column = sqlField(name);
    return column.nullable ? [column.type] : [];
  };
  return [...key, ...typed(field), ...carries.flatMap((name) => [...typed(name), sqlField(name).value])];
}

/**
 * The index a field had before its declaration changed (plain, or carrying
 * other fields): dropped, or SQLite might go on choosing it. Names are
 * `ix:rm_<collection>:<field>` plus `+<carried>` for each carried field;
 * `+` is in no field name, so a field's names share one prefix.
 */
export function replacedIndexDdl(db: Database, spec: CheckedSpec): string[] {
  if (spec.kind === 'counters' || spec.indexes.length === 0) return [];
  const names = db
    .prepare<[string], { name: string }>(
      "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?",
    )
    .all(`rm_${spec.name}`)
    .map((row) => row.name);
  return spec.indexes.flatMap((index) => {
    const declared = indexName(spec.name, index);
    const field = indexName(spec.name, { field: index.field, carries: [] });
    return names
      .filter((name) => name !== declared && (name === field || name.startsWith(`${field}+`)))
      .map((name) => `DROP INDEX "${name}"`);
  });
}

/**
 * SQLite index names ignore case but JSON fields do not: `netRevenue` and
 * `netrevenue` would share a name, and IF NOT EXISTS would skip the second.
 * Marking each capital keeps the names apart.
 */
function indexName(collection: string, { field, carries }: CheckedIndex): string {
  const marked = (name: string): string => name.replace(/[A-Z]/g, (capital) => `^${capital}`);
  return [`ix:rm_${collection}:${marked(field)}`, ...carries.map(marked)].join('+');
}
