import type { AppendResult, AppendedEventRef, ExpectedRevision } from '../event-store.port';
import { EventIdConflictError, WrongExpectedRevisionError } from '../event-store.errors';
import type { SqliteStatements } from './sqlite-event-store.statements';
import type { StreamHeads } from './stream-heads';

/** An event already validated and serialized, so a flush cannot fail on bad input. */
export type SerializedEvent = {
  readonly eventId: string;
  readonly type: string;
  readonly version: number;
  readonly occurredAt: string;
  readonly data: string;
  readonly metadata: string;
};

export type AppendRequest = {
  readonly streamId: string;
  readonly events: readonly SerializedEvent[];
  readonly expectedRevision: ExpectedRevision;
};

/**
 * Applies one append inside the caller's transaction (a savepoint during a
 * flush). Throws the port's typed errors; the caller rolls the savepoint back.
 */
export function applyAppend(
  sql: SqliteStatements,
  request: AppendRequest,
  recordedAt: string,
  heads?: StreamHeads,
): AppendResult {
  const known = request.events.map((event) => findStoredDuplicate(sql, request.streamId, event.eventId));
  if (known.every((ref): ref is AppendedEventRef => ref !== undefined)) {
    return resultOf(request.streamId, known, true);
  }

  let revision = firstNewRevision(sql, request, heads);
  const written = new Map<string, AppendedEventRef>();
  const refs = request.events.map((event, index): AppendedEventRef => {
    const stored = known[index];
    if (stored) return stored;
    const earlier = written.get(event.eventId);
    if (earlier) return { ...earlier, duplicate: true };
    const ref = insertEvent(sql, request, event, revision++, recordedAt);
    written.set(event.eventId, ref);
    return ref;
  });
  return resultOf(request.streamId, [...written.values()], false, refs);
}

function findStoredDuplicate(
  sql: SqliteStatements,
  streamId: string,
  eventId: string,
): AppendedEventRef | undefined {
  const owner = sql.eventIdOwner.get(eventId);
  if (!owner) return undefined;
  if (owner.stream_id !== streamId) throw new EventIdConflictError(eventId, streamId, owner.stream_id);
  return { eventId, revision: owner.revision, position: owner.position, duplicate: true };
}

/**
 * Where the new events go. Only the checks a unique index cannot make are made
 * here (the stream must exist / be at least at n); "someone already wrote
 * there" is left to UNIQUE(stream_id, revision) on insert.
 */
function firstNewRevision(
  sql: SqliteStatements,
  { streamId, expectedRevision }: AppendRequest,
  heads: StreamHeads | undefined,
): number {
  if (expectedRevision === 'no_stream') return 0;
  const known = heads?.get(streamId);
  if (typeof expectedRevision === 'number') {
    const exists =
      known === undefined
        ? sql.revisionExists.get(streamId, expectedRevision) !== undefined
        : expectedRevision <= known;
    if (!exists) throw wrongRevision(sql, streamId, expectedRevision);
    return expectedRevision + 1;
  }
  if (known !== undefined) return known + 1;
  const current = currentRevision(sql, streamId);
  if (current !== null) heads?.set(streamId, current);
  if (current === null && expectedRevision === 'exists') throw wrongRevision(sql, streamId, expectedRevision);
  return current === null ? 0 : current + 1;
}

function insertEvent(
  sql: SqliteStatements,
  request: AppendRequest,
  event: SerializedEvent,
  revision: number,
  recordedAt: string,
): AppendedEventRef {
  try {
    const { lastInsertRowid } = sql.insert.run({
      stream_id: request.streamId,
      revision,
      event_id: event.eventId,
      type: event.type,
      version: event.version,
      occurred_at: event.occurredAt,
      recorded_at: recordedAt,
      data: event.data,
      metadata: event.metadata,
    });
    return { eventId: event.eventId, revision, position: Number(lastInsertRowid), duplicate: false };
  } catch (error) {
    throw translateInsertError(error, sql, request, event.eventId);
  }
}

function translateInsertError(
  error: unknown,
  sql: SqliteStatements,
  { streamId, expectedRevision }: AppendRequest,
  eventId: string,
): unknown {
  const violation = uniqueViolation(error);
  if (!violation) return error;
  if (violation.message.includes('events.stream_id')) return wrongRevision(sql, streamId, expectedRevision);
  const owner = sql.eventIdOwner.get(eventId);
  return owner ? new EventIdConflictError(eventId, streamId, owner.stream_id) : error;
}

/**
 * By shape, not `instanceof SqliteError` (or even `Error`): the native addon
 * binds its error class once per process, so a second copy of the module or
 * another realm (jest runs each test file in its own) would not recognise it.
 */
function uniqueViolation(error: unknown): { readonly message: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof message === 'string' ? { message } : undefined;
}

function wrongRevision(
  sql: SqliteStatements,
  streamId: string,
  expected: ExpectedRevision,
): WrongExpectedRevisionError {
  return new WrongExpectedRevisionError(streamId, expected, currentRevision(sql, streamId));
}

function currentRevision(sql: SqliteStatements, streamId: string): number | null {
  return sql.streamRevision.get(streamId)?.revision ?? null;
}

/**
 * The result points at the newest event this call wrote or, when it wrote
 * nothing, at the newest original, so a retry gets the result it missed.
 */
function resultOf(
  streamId: string,
  lastCandidates: readonly AppendedEventRef[],
  duplicate: boolean,
  events: readonly AppendedEventRef[] = lastCandidates,
): AppendResult {
  const last = lastCandidates.reduce((newest, ref) => (ref.position > newest.position ? ref : newest));
  return { streamId, streamRevision: last.revision, position: last.position, events, duplicate };
}
