import type { Database } from 'better-sqlite3';

/**
 * One table is the whole log. AUTOINCREMENT (not a plain rowid) so a position
 * is never handed out twice, even after the newest rows are removed.
 * UNIQUE(stream_id, revision) is the optimistic concurrency check: two writers
 * cannot both claim the next revision of a stream.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id   TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  event_id    TEXT    NOT NULL UNIQUE,
  type        TEXT    NOT NULL,
  version     INTEGER NOT NULL,
  occurred_at TEXT    NOT NULL,
  recorded_at TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE INDEX IF NOT EXISTS events_type_position ON events (type, position);
`;

export function applyPragmas(db: Database, busyTimeoutMs: number): void {
  // WAL lets readers (followers, other processes) run while a flush writes.
  db.pragma('journal_mode = WAL');
  // FULL fsyncs the WAL on every commit: an acknowledged append survives power loss.
  db.pragma('synchronous = FULL');
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
}

export function createSchema(db: Database): void {
  db.exec(SCHEMA);
}
