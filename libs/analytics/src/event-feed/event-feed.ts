import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { customerStreamId, type CrmEventType } from '@crm/domain';
import type { EventStore, RecordedEvent } from '@crm/event-store';
import { toExportLine } from '../event-log/event-log.scan';

/** What a feed hands out: the log after a position, of some types, of one customer. */
export type FeedFilter = {
  /** position > this; 0 is the whole log. */
  readonly after: number;
  readonly types?: readonly CrmEventType[];
  readonly customerId?: string;
};

export type FeedTiming = {
  /** A comment frame after this long without an event. */
  readonly heartbeatMs: number;
  /** The client took no write for this long: the feed is cut. */
  readonly stallMs: number;
};

/** Why a feed ended, as its last frame says (the client closing is the only silent end). */
export type FeedEnd = 'closed' | 'slow-consumer' | 'shutdown';

/** How long a client waits before reconnecting, sent once as `retry`. */
const RETRY_MS = 1000;
/** Events read from the log per page while catching up. */
const PAGE = 500;

/**
 * One Server-Sent Events frame per recorded event: `id` is its position, so
 * a reconnecting client's `Last-Event-ID` resumes exactly after it; `data`
 * is the line `GET /events` gives. One line of JSON: no newline inside.
 */
export function eventFrame(event: RecordedEvent): string {
  return `id: ${event.position}\ndata: ${toExportLine(event).trimEnd()}\n\n`;
}

/** The frame that ends a feed on our side: a named event the client can tell apart, then the close. */
export function endFrame(reason: Exclude<FeedEnd, 'closed'>, lastPosition: number): string {
  return `event: end\ndata: ${JSON.stringify({ reason, lastPosition })}\n\n`;
}

/** One frame, and the log position it carries (none for retry and heartbeats). */
export type FeedFrame = { readonly frame: string; readonly position?: number };

/**
 * The frames of a feed: `retry`, then one frame per item of `source` as it
 * comes, with a comment frame whenever `heartbeatMs` pass without one. Ends
 * when `signal` aborts or the source does. Pulled one frame at a time, so a
 * consumer that waits (backpressure) holds the source where it is.
 */
export async function* liveFrames<T>(
  source: AsyncIterable<T>,
  frameOf: (item: T) => FeedFrame,
  heartbeatMs: number,
  signal: AbortSignal,
): AsyncGenerator<FeedFrame> {
  yield { frame: `retry: ${RETRY_MS}\n: connected\n\n` };
  const items = source[Symbol.asyncIterator]();
  const stop = new Promise<'stopped'>((resolve) => {
    if (signal.aborted) resolve('stopped');
    signal.addEventListener('abort', () => resolve('stopped'), { once: true });
  });
  try {
    let next = items.next();
    for (;;) {
      const beat = new AbortController();
      const got = await Promise.race([
        next,
        stop,
        sleep(heartbeatMs, 'heartbeat' as const, { signal: beat.signal }).catch(() => 'stopped' as const),
      ]);
      beat.abort();
      if (got === 'stopped') return;
      if (got === 'heartbeat') {
        yield { frame: ': heartbeat\n\n' };
        continue;
      }
      if (got.done === true) return;
      next = items.next();
      yield frameOf(got.value);
    }
  } finally {
    void items.return?.(undefined);
  }
}

/** The log after `filter.after`, live, of the filter's types and customer. */
export async function* followedEvents(
  store: EventStore,
  filter: FeedFilter,
  signal: AbortSignal,
): AsyncGenerator<RecordedEvent> {
  const stream = filter.customerId === undefined ? undefined : customerStreamId(filter.customerId);
  const events = store.follow({
    after: filter.after,
    types: filter.types,
    streamPrefix: stream,
    batchSize: PAGE,
    signal,
  });
  for await (const event of events) {
    // The prefix also matches longer ids (customer-ab for customer-a): keep the stream itself.
    if (stream === undefined || event.streamId === stream) yield event;
  }
}

/** The event feed's frames (GET /events/stream). */
export function feedFrames(
  store: EventStore,
  filter: FeedFilter,
  heartbeatMs: number,
  signal: AbortSignal,
): AsyncGenerator<FeedFrame> {
  return liveFrames(
    followedEvents(store, filter, signal),
    (event) => ({ frame: eventFrame(event), position: event.position }),
    heartbeatMs,
    signal,
  );
}

/**
 * Writes frames to a client with backpressure: the next frame is pulled only
 * once the last one was taken, so a slow client never grows our memory
 * beyond one frame and the socket's buffers. A client that takes nothing
 * for `stallMs` gets the end frame (queued behind what it has not read),
 * and the connection is dropped if it still reads nothing for another
 * `stallMs`; it reconnects with Last-Event-ID and loses nothing.
 */
export async function pumpFeed(
  frames: AsyncIterable<FeedFrame>,
  out: Writable,
  filter: FeedFilter,
  timing: FeedTiming,
  ending: () => FeedEnd | undefined,
): Promise<{ readonly end: FeedEnd; readonly lastPosition: number; readonly events: number }> {
  let lastPosition = filter.after;
  let events = 0;
  const closed = new Promise<'closed'>((resolve) => {
    if (out.destroyed || out.writableEnded) resolve('closed');
    out.once('close', () => resolve('closed'));
  });
  const finish = (reason: Exclude<FeedEnd, 'closed'>) => {
    if (!out.destroyed) out.end(endFrame(reason, lastPosition));
    return { end: reason, lastPosition, events };
  };
  for await (const { frame, position } of frames) {
    if (out.destroyed || out.writableEnded) return { end: 'closed', lastPosition, events };
    const drained = out.write(frame);
    if (position !== undefined) {
      lastPosition = position;
      events++;
    }
    if (!drained) {
      const waited = new AbortController();
      const result = await Promise.race([
        once(out, 'drain', { signal: waited.signal }).then(() => 'drained' as const),
        sleep(timing.stallMs, 'stalled' as const, { signal: waited.signal }),
        closed,
      ]).finally(() => waited.abort());
      if (result === 'closed') return { end: 'closed', lastPosition, events };
      if (result === 'stalled') {
        // The end frame waits behind what the client has not read; a client that never reads again is
        // dropped one more stallMs later.
        const dropped = setTimeout(() => out.destroy(), timing.stallMs);
        dropped.unref();
        out.once('close', () => clearTimeout(dropped));
        return finish('slow-consumer');
      }
    }
    const reason = ending();
    if (reason !== undefined && reason !== 'closed') return finish(reason);
  }
  const reason = ending();
  if (reason === 'shutdown' || reason === 'slow-consumer') return finish(reason);
  return { end: 'closed', lastPosition, events };
}
