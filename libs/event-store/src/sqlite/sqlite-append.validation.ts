import type { EventToAppend, ExpectedRevision } from '../event-store.port';
import { InvalidAppendError } from '../event-store.errors';
import type { AppendRequest, SerializedEvent } from './sqlite-append-writer';

/**
 * Rejects malformed calls before they are queued: a flush must only fail for
 * reasons of the store, never because one caller sent something unwritable.
 */
export function validateAppend(
  streamId: string,
  events: readonly EventToAppend[],
  expectedRevision: ExpectedRevision,
): AppendRequest {
  if (streamId === '') throw new InvalidAppendError(streamId, 'the stream id is empty');
  if (events.length === 0) throw new InvalidAppendError(streamId, 'there are no events to append');
  if (!isExpectedRevision(expectedRevision)) {
    throw new InvalidAppendError(streamId, `expectedRevision ${String(expectedRevision)} is not valid`);
  }
  return { streamId, expectedRevision, events: events.map((event) => serialize(streamId, event)) };
}

/** Checked at run time too: JavaScript callers and deserialized commands bypass the type. */
function isExpectedRevision(value: unknown): value is ExpectedRevision {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0;
  return value === 'any' || value === 'no_stream' || value === 'exists';
}

function serialize(streamId: string, event: EventToAppend): SerializedEvent {
  if (event.eventId === '') throw new InvalidAppendError(streamId, 'an event has an empty eventId');
  return {
    eventId: event.eventId,
    type: event.type,
    version: event.version,
    occurredAt: event.occurredAt,
    data: toJson(streamId, event.data, 'data'),
    metadata: toJson(streamId, event.metadata, 'metadata'),
  };
}

function toJson(streamId: string, value: unknown, field: string): string {
  try {
    const json = JSON.stringify(value);
    if (typeof json === 'string') return json;
  } catch {
    // Falls through to the typed error below (cycles, BigInt).
  }
  throw new InvalidAppendError(streamId, `event ${field} is not JSON-serializable`);
}
