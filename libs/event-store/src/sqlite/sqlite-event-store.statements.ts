import type { Database, Statement } from 'better-sqlite3';
import type { RecordedEvent } from '../event-store.port';

/** A row of `events` exactly as SQLite returns it. */
export type EventRow = {
  readonly position: number;
  readonly stream_id: string;
  readonly revision: number;
  readonly event_id: string;
  readonly type: string;
  readonly version: number;
  readonly occurred_at: string;
  readonly recorded_at: string;
  readonly data: string;
  readonly metadata: string;
};

export type NewEventRow = Omit<EventRow, 'position'>;

/**
 * A read row as an array, in COLUMNS order: better-sqlite3 builds arrays
 * (`raw` mode) in about half the time it builds objects, and reading the log
 * is most of a rebuild.
 */
export type EventTuple = readonly [
  position: number,
  streamId: string,
  revision: number,
  eventId: string,
  type: string,
  version: number,
  occurredAt: string,
  recordedAt: string,
  data: string,
  metadata: string,
];

export type EventIdOwnerRow = Pick<EventRow, 'stream_id' | 'revision' | 'position'>;

export type ReadAllParams = {
  readonly after: number;
  /** SQLite reads a negative LIMIT as "no limit". */
  readonly limit: number;
  /** JSON array of type names, unpacked by json_each so one statement serves any list. */
  readonly types?: string;
  readonly prefix?: string;
};

type ReadStreamParams = { readonly streamId: string; readonly fromRevision: number; readonly limit: number };
type ReadStreamOfTypesParams = ReadStreamParams & {
  /** JSON array of type names, as for readAll. */
  readonly types: string;
};

const COLUMNS =
  'position, stream_id, revision, event_id, type, version, occurred_at, recorded_at, data, metadata';

/** One statement per filter combination, so each gets a plan that fits it. */
function readAllSql(byType: boolean, byPrefix: boolean): string {
  const filters = [
    'position > @after',
    ...(byType ? ['type IN (SELECT value FROM json_each(@types))'] : []),
    // Exact, case-sensitive prefix match; LIKE would fold ASCII case and need escaping.
    ...(byPrefix ? ['substr(stream_id, 1, length(@prefix)) = @prefix'] : []),
  ];
  return `SELECT ${COLUMNS} FROM events WHERE ${filters.join(' AND ')} ORDER BY position LIMIT @limit`;
}

export type SqliteStatements = ReturnType<typeof prepareStatements>;

/** Prepared once per connection; better-sqlite3 re-binds them on every call. */
export function prepareStatements(db: Database) {
  const readAll = (byType: boolean, byPrefix: boolean): Statement<[ReadAllParams], EventTuple> =>
    db.prepare<[ReadAllParams], EventTuple>(readAllSql(byType, byPrefix)).raw(true);
  return {
    insert: db.prepare<[NewEventRow], never>(
      `INSERT INTO events (stream_id, revision, event_id, type, version, occurred_at, recorded_at, data, metadata)
       VALUES (@stream_id, @revision, @event_id, @type, @version, @occurred_at, @recorded_at, @data, @metadata)`,
    ),
    eventIdOwner: db.prepare<[string], EventIdOwnerRow>(
      'SELECT stream_id, revision, position FROM events WHERE event_id = ?',
    ),
    streamRevision: db.prepare<[string], { revision: number | null }>(
      'SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
    ),
    // One seek to the last entry of each stream's (stream_id, revision) index, not a walk of its entries.
    streamRevisions: db.prepare<[string], { stream_id: string; revision: number | null }>(
      'SELECT j.value AS stream_id, ' +
        '(SELECT revision FROM events WHERE stream_id = j.value ORDER BY revision DESC LIMIT 1) AS revision ' +
        'FROM json_each(?) j',
    ),
    revisionExists: db.prepare<[string, number], { found: 1 }>(
      'SELECT 1 AS found FROM events WHERE stream_id = ? AND revision = ?',
    ),
    readStream: db
      .prepare<[ReadStreamParams], EventTuple>(
        `SELECT ${COLUMNS} FROM events WHERE stream_id = @streamId AND revision >= @fromRevision
       ORDER BY revision LIMIT @limit`,
      )
      .raw(true),
    // `+type`: the stream's own index, never the (type, position) one, whatever the statistics say.
    readStreamOfTypes: db
      .prepare<[ReadStreamOfTypesParams], EventTuple>(
        `SELECT ${COLUMNS} FROM events WHERE stream_id = @streamId AND revision >= @fromRevision
       AND +type IN (SELECT value FROM json_each(@types))
       ORDER BY revision LIMIT @limit`,
      )
      .raw(true),
    readAll: {
      plain: readAll(false, false),
      byType: readAll(true, false),
      byPrefix: readAll(false, true),
      byTypeAndPrefix: readAll(true, true),
    },
    headPosition: db.prepare<[], { position: number }>(
      'SELECT COALESCE(MAX(position), 0) AS position FROM events',
    ),
  };
}

export function toRecordedEvent(row: EventTuple): RecordedEvent {
  const [position, streamId, revision, eventId, type, version, occurredAt, recordedAt, data, metadata] = row;
  return {
    eventId,
    streamId,
    revision,
    position,
    type,
    version,
    occurredAt,
    recordedAt,
    data: JSON.parse(data) as Record<string, unknown>,
    metadata: JSON.parse(metadata) as Record<string, unknown>,
  };
}
