import type { Database } from 'better-sqlite3';
import type { CollectionSpec } from '../read-store.port';
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
 * read from the index too, in either direction.
 */
export function collectionDdl(spec: CollectionSpec): string[] {
  if (spec.kind === 'counters') return counterDdl(spec.name);
  const table = tableOf(spec.name);
  const create = `CREATE TABLE IF NOT EXISTS ${table} (
    id       TEXT    NOT NULL PRIMARY KEY,
    position INTEGER NOT NULL,
    doc      TEXT    NOT NULL
  ) STRICT`;
  const indexes = spec.indexes
    .filter((field) => field !== 'id')
    .map(
      (field) =>
        `CREATE INDEX IF NOT EXISTS ${indexName(spec.name, field)} ON ${table} (${sqlField(field).value}, id)`,
    );
  return [create, ...indexes];
}

/**
 * SQLite index names ignore case but JSON fields do not: `netRevenue` and
 * `netrevenue` would share a name, and IF NOT EXISTS would skip the second.
 * Marking each capital keeps the names apart.
 */
function indexName(collection: string, field: string): string {
  return `"ix:rm_${collection}:${field.replace(/[A-Z]/g, (capital) => `^${capital}`)}"`;
}
