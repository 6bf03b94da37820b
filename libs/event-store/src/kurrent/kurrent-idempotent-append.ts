import { NO_STREAM } from '@kurrent/kurrentdb-client';
import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import type { AppendResult, AppendedEventRef, EventToAppend, ExpectedRevision } from '../event-store.port';
import {
  EventIdConflictError,
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
} from '../event-store.errors';
import { decodeRecord, encodeEvent } from './kurrent-event-codec';
import { claimEvent, claimOwner, claimStreamOf } from './kurrent-event-id-claims';
import { isStreamNotFound, isWrongExpectedVersion } from './kurrent-error-mapping';
import { toSafeNumber, toStreamState } from './kurrent-expected-revision';

type Claim = { readonly eventId: string; readonly owner: string; readonly fresh: boolean };
type RefsById = ReadonlyMap<string, AppendedEventRef>;

/**
 * The port's idempotent append on KurrentDB, for events already validated:
 *
 * 1. claim every eventId (see kurrent-event-id-claims): an id owned by another
 *    stream is EventIdConflictError, before anything is written;
 * 2. ids this stream had claimed before may already be in it: they are looked
 *    up in the stream (a full read, only on this path) and reported as
 *    duplicates with their original revision and position;
 * 3. the rest is written in one append with the expected revision, and read
 *    back for its positions (the append answers with one position only).
 *
 * A claim whose append then failed stays behind: the same stream may still
 * write the id later, another stream never can.
 */
export class KurrentIdempotentAppend {
  constructor(private readonly client: KurrentDBClient) {}

  async append(
    streamId: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const unique = [...new Map(events.map((event) => [event.eventId, event])).values()];
    const claims = await Promise.all(unique.map((event) => this.claim(event.eventId, streamId)));
    const foreign = claims.find((claim) => claim.owner !== streamId);
    if (foreign) throw new EventIdConflictError(foreign.eventId, streamId, foreign.owner);

    const reclaimed = claims.filter((claim) => !claim.fresh).map((claim) => claim.eventId);
    const stored = reclaimed.length > 0 ? await this.findInStream(streamId, reclaimed) : new Map();
    const fresh = unique.filter((event) => !stored.has(event.eventId));
    const written = fresh.length > 0 ? await this.write(streamId, fresh, expected) : new Map();
    return appendResultOf(streamId, events, stored, written);
  }

  /** Claims an id for a stream; when it is already claimed, says by whom. */
  private async claim(eventId: string, streamId: string): Promise<Claim> {
    try {
      const result = await this.client.appendToStream(claimStreamOf(eventId), claimEvent(streamId), {
        streamState: NO_STREAM,
      });
      if (result.success) return { eventId, owner: streamId, fresh: true };
    } catch (error) {
      if (!isWrongExpectedVersion(error)) throw error;
    }
    return { eventId, owner: await this.ownerOf(eventId), fresh: false };
  }

  private async ownerOf(eventId: string): Promise<string> {
    for await (const resolved of this.client.readStream(claimStreamOf(eventId), { maxCount: 1 })) {
      const owner = resolved.event && claimOwner(resolved.event);
      if (owner !== undefined) return owner;
    }
    throw new EventStoreUnavailableError(`The claim of eventId ${eventId} is unreadable`);
  }

  private async write(
    streamId: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): Promise<RefsById> {
    const result = await this.client.appendToStream(streamId, events.map(encodeEvent), {
      streamState: toStreamState(expected),
    });
    if (!result.success) {
      // Only reached when the connection string sets throwOnAppendFailure=false.
      const actual =
        result.nextExpectedRevision < 0n ? null : toSafeNumber(result.nextExpectedRevision, 'revision');
      throw new WrongExpectedRevisionError(streamId, expected, actual);
    }
    const ids = events.map((event) => event.eventId);
    const last = toSafeNumber(result.nextExpectedRevision, 'stream revision');
    const tail = await this.readRefs(streamId, BigInt(Math.max(0, last - ids.length + 1)), ids.length, ids);
    // Normally the tail is exactly what was written; after the server accepted the call as an idempotent repeat it may not be.
    const refs = tail.size === ids.length ? tail : await this.findInStream(streamId, ids);
    if (refs.size !== ids.length) {
      throw new EventStoreUnavailableError(`The events just appended to ${streamId} could not be read back`);
    }
    return new Map([...refs].map(([id, ref]) => [id, { ...ref, duplicate: false }]));
  }

  private findInStream(streamId: string, ids: readonly string[]): Promise<RefsById> {
    return this.readRefs(streamId, 'start', Number.MAX_SAFE_INTEGER, ids);
  }

  private async readRefs(
    streamId: string,
    fromRevision: bigint | 'start',
    maxCount: number,
    ids: readonly string[],
  ): Promise<RefsById> {
    const wanted = new Set(ids);
    const refs = new Map<string, AppendedEventRef>();
    try {
      for await (const resolved of this.client.readStream(streamId, { fromRevision, maxCount })) {
        const event = resolved.event && decodeRecord(resolved.event);
        if (!event || !wanted.has(event.eventId)) continue;
        const { eventId, revision, position } = event;
        refs.set(eventId, { eventId, revision, position, duplicate: true });
        if (refs.size === wanted.size) break;
      }
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
    }
    return refs;
  }
}

/**
 * One ref per event given, in order. The result points at the newest event
 * this call wrote or, when it wrote nothing, at the newest original, so a
 * retry gets the result it missed.
 */
export function appendResultOf(
  streamId: string,
  events: readonly EventToAppend[],
  stored: RefsById,
  written: RefsById,
): AppendResult {
  const seen = new Set<string>();
  const refs = events.map((event): AppendedEventRef => {
    const ref = stored.get(event.eventId) ?? written.get(event.eventId);
    if (!ref) throw new Error(`No stored or written ref for eventId ${event.eventId}`);
    const repeat = seen.has(event.eventId);
    seen.add(event.eventId);
    return repeat ? { ...ref, duplicate: true } : ref;
  });
  const duplicate = written.size === 0;
  const last = [...(duplicate ? stored : written).values()].reduce((newest, ref) =>
    ref.position > newest.position ? ref : newest,
  );
  return { streamId, streamRevision: last.revision, position: last.position, events: refs, duplicate };
}
