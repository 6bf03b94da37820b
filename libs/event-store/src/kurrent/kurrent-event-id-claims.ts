import { randomUUID } from 'node:crypto';
import type { JSONEventData } from '@kurrent/kurrentdb-client';

/**
 * KurrentDB has no index by event id across streams, so the adapter keeps one
 * of its own: before an event is written, its id is claimed by appending a
 * marker to the stream `crm.event-id-<eventId>` with expected state
 * `no_stream`. The server lets exactly one claim per id succeed; a later claim
 * fails and reads the marker to learn which stream owns the id.
 */
export const CLAIM_STREAM_PREFIX = 'crm.event-id-';
export const CLAIM_EVENT_TYPE = 'crm.event-id-claimed';

export function claimStreamOf(eventId: string): string {
  return `${CLAIM_STREAM_PREFIX}${eventId}`;
}

/**
 * The marker gets a fresh id on every attempt: were it the event's id, the
 * server's own idempotency would let a second claim from another stream
 * "succeed" as a repeat of the first.
 */
export function claimEvent(ownerStreamId: string): JSONEventData {
  return {
    id: randomUUID(),
    contentType: 'application/json',
    type: CLAIM_EVENT_TYPE,
    data: { streamId: ownerStreamId },
    metadata: undefined,
  };
}

/** The owning stream a marker names, or undefined if the record is not a marker. */
export function claimOwner(record: { readonly type: string; readonly data: unknown }): string | undefined {
  if (record.type !== CLAIM_EVENT_TYPE) return undefined;
  const { data } = record;
  if (typeof data !== 'object' || data === null || !('streamId' in data)) return undefined;
  return typeof data.streamId === 'string' ? data.streamId : undefined;
}

export function isClaimStream(streamId: string): boolean {
  return streamId.startsWith(CLAIM_STREAM_PREFIX);
}
