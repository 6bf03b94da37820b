import type { EventToAppend, ExpectedRevision } from '../event-store.port';
import { InvalidAppendError } from '../event-store.errors';
import { isClaimStream } from './kurrent-event-id-claims';
import { isExpectedRevision } from './kurrent-expected-revision';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Rejects malformed calls before anything reaches the server, and returns the
 * events with data and metadata as plain JSON (what the server will store),
 * so a write never fails halfway through for a reason of the caller's.
 */
export function validateAppend(
  streamId: string,
  events: readonly EventToAppend[],
  expectedRevision: unknown,
): { readonly expectedRevision: ExpectedRevision; readonly events: EventToAppend[] } {
  if (streamId === '') throw new InvalidAppendError(streamId, 'the stream id is empty');
  // System streams are invisible to readAll and follow; claim streams are the adapter's own.
  if (streamId.startsWith('$') || isClaimStream(streamId)) {
    throw new InvalidAppendError(streamId, 'the stream id is reserved');
  }
  if (events.length === 0) throw new InvalidAppendError(streamId, 'there are no events to append');
  if (!isExpectedRevision(expectedRevision)) {
    throw new InvalidAppendError(streamId, `expectedRevision ${String(expectedRevision)} is not valid`);
  }
  return { expectedRevision, events: events.map((event) => validEvent(streamId, event)) };
}

function validEvent(streamId: string, event: EventToAppend): EventToAppend {
  // KurrentDB stores event ids as UUIDs and would refuse anything else mid-write.
  if (!UUID.test(event.eventId))
    throw new InvalidAppendError(streamId, `eventId ${event.eventId} is not a UUID`);
  if (event.type === '' || event.type.startsWith('$')) {
    throw new InvalidAppendError(streamId, `event type '${event.type}' is empty or reserved`);
  }
  return {
    ...event,
    // Stored lower-case, as the server returns it, so a repeat in another case is still a repeat.
    eventId: event.eventId.toLowerCase(),
    data: asJsonObject(streamId, event.data, 'data'),
    metadata: asJsonObject(streamId, event.metadata, 'metadata'),
  };
}

function asJsonObject(streamId: string, value: unknown, field: string): Record<string, unknown> {
  try {
    const json = JSON.stringify(value);
    const parsed: unknown = typeof json === 'string' ? JSON.parse(json) : undefined;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // Falls through to the typed error below (cycles, BigInt).
  }
  throw new InvalidAppendError(streamId, `event ${field} is not a JSON-serializable object`);
}
