import type { JSONEventData, Position } from '@kurrent/kurrentdb-client';
import type { EventToAppend, RecordedEvent } from '../event-store.port';
import { toSafeNumber } from './kurrent-expected-revision';

/**
 * What an event's KurrentDB metadata holds. `data` is the event's data as is;
 * the envelope fields the server has no slot for (`version`, `occurredAt`) sit
 * beside the port's metadata, which is kept whole under its own key so no key
 * of it can ever collide with ours.
 */
export type StoredMetadata = {
  readonly version: number;
  readonly occurredAt: string;
  readonly metadata: Record<string, unknown>;
};

/** The fields of a client-side recorded event this adapter reads. */
export type StoredRecord = {
  readonly streamId: string;
  readonly id: string;
  readonly type: string;
  readonly revision: bigint;
  readonly created: Date;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: Position;
};

/** An event as the client sends it. Data must already be checked JSON (see `toJsonObject`). */
export function encodeEvent(event: EventToAppend): JSONEventData {
  const metadata: StoredMetadata = {
    version: event.version,
    occurredAt: event.occurredAt,
    metadata: { ...event.metadata },
  };
  return {
    id: event.eventId,
    contentType: 'application/json',
    type: event.type,
    data: { ...event.data },
    metadata,
  };
}

/**
 * The port's view of a stored event, or undefined for a record this adapter
 * did not write (binary, or without the metadata layout): such records are
 * not events of this application and reads skip them.
 */
export function decodeRecord(record: StoredRecord): RecordedEvent | undefined {
  const stored = storedMetadata(record.metadata);
  if (!record.isJson || !isPlainObject(record.data) || !stored) return undefined;
  // Servers before 22.6 send no position with stream reads; the port cannot do without one.
  if (!record.position) throw new Error(`The server sent no log position for event ${record.id}`);
  return {
    eventId: record.id,
    type: record.type,
    version: stored.version,
    occurredAt: stored.occurredAt,
    data: record.data,
    metadata: stored.metadata,
    streamId: record.streamId,
    revision: toSafeNumber(record.revision, 'stream revision'),
    position: toSafeNumber(record.position.commit, 'commit position'),
    recordedAt: record.created.toISOString(),
  };
}

/**
 * Where a read of the log starts for an exclusive `after`. Reads from a
 * position are inclusive, so the event at `after` comes back too and callers
 * drop it; for events appended through the client a commit position equals
 * the prepare position, which makes `{after, after}` an exact record address.
 */
export function readPositionAfter(after: number | undefined): Position | 'start' {
  if (after === undefined || after <= 0) return 'start';
  const position = BigInt(after);
  return { commit: position, prepare: position };
}

function storedMetadata(value: unknown): StoredMetadata | undefined {
  if (!isPlainObject(value)) return undefined;
  const { version, occurredAt, metadata } = value;
  if (typeof version !== 'number' || typeof occurredAt !== 'string' || !isPlainObject(metadata)) {
    return undefined;
  }
  return { version, occurredAt, metadata };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}
