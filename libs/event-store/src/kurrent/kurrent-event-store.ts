import { BACKWARDS, END, KurrentDBClient } from '@kurrent/kurrentdb-client';
import type { AllStreamSubscription, Position } from '@kurrent/kurrentdb-client';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  FollowOptions,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from '../event-store.port';
import { EventStoreUnavailableError } from '../event-store.errors';
import { validateAppend } from './kurrent-append.validation';
import { decodeRecord, readPositionAfter, type StoredRecord } from './kurrent-event-codec';
import { isStreamNotFound, toAppendError, toReadError } from './kurrent-error-mapping';
import { toSafeNumber } from './kurrent-expected-revision';
import { matchesFilter, serverFilter, type LogFilter } from './kurrent-filter';
import { KurrentIdempotentAppend } from './kurrent-idempotent-append';

export type KurrentEventStoreOptions = {
  /** e.g. `kurrentdb://127.0.0.1:2113?tls=false` (`EVENTSTORE_URL`). */
  readonly connectionString: string;
};

/** Largest page of one log read; a page is one server round trip. */
const READ_PAGE = 500;
const DEFAULT_FOLLOW_BUFFER = 500;
const REVISION_READS_IN_FLIGHT = 16;
const ABORTED = Symbol('aborted');

type Resolved = { readonly event?: StoredRecord };

/** The production adapter: the port on a KurrentDB (EventStoreDB) server. See docs/event-store.md. */
export class KurrentEventStore implements EventStore {
  private readonly appender: KurrentIdempotentAppend;
  private readonly subscriptions = new Set<AllStreamSubscription>();
  private closing: Promise<void> | undefined;

  private constructor(private readonly client: KurrentDBClient) {
    this.appender = new KurrentIdempotentAppend(client);
  }

  /** Parses the connection string; the client connects on first use, so an unreachable server shows on the first call. */
  static open(options: KurrentEventStoreOptions): Promise<KurrentEventStore> {
    try {
      return Promise.resolve(
        new KurrentEventStore(KurrentDBClient.connectionString(options.connectionString)),
      );
    } catch (cause) {
      return Promise.reject(new EventStoreUnavailableError('Invalid KurrentDB connection string', { cause }));
    }
  }

  async append(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    this.assertOpen();
    const valid = validateAppend(streamId, events, options.expectedRevision ?? 'any');
    try {
      return await this.appender.append(streamId, valid.events, valid.expectedRevision);
    } catch (error) {
      throw toAppendError(error, streamId, valid.expectedRevision);
    }
  }

  /**
   * KurrentDB filters a stream read by nothing but revision: with `types`, the
   * stream is read from `fromRevision` and the other types are skipped here,
   * until `limit` events of the asked types are found.
   */
  readStream(
    streamId: string,
    { fromRevision = 0, limit, types }: ReadStreamOptions = {},
  ): Promise<RecordedEvent[]> {
    if (limit === 0) return Promise.resolve([]);
    const wanted = limit === undefined || limit < 0 ? Number.MAX_SAFE_INTEGER : limit;
    const ofType = types === undefined ? undefined : new Set(types);
    return this.read(async () => {
      const events: RecordedEvent[] = [];
      const reading = this.client.readStream(streamId, {
        fromRevision: BigInt(Math.max(0, Math.trunc(fromRevision))),
        maxCount: ofType === undefined ? wanted : Number.MAX_SAFE_INTEGER,
      });
      for await (const resolved of reading) {
        const event = decoded(resolved);
        if (event === undefined || (ofType !== undefined && !ofType.has(event.type))) continue;
        events.push(event);
        if (events.length >= wanted) break;
      }
      return events;
    }, []);
  }

  /** One backwards read of one event per stream, a few at a time. */
  async streamRevisions(streamIds: readonly string[]): Promise<Map<string, number>> {
    const revisions = new Map<string, number>();
    const unique = [...new Set(streamIds)];
    for (let start = 0; start < unique.length; start += REVISION_READS_IN_FLIGHT) {
      const batch = unique.slice(start, start + REVISION_READS_IN_FLIGHT);
      const found = await Promise.all(batch.map((streamId) => this.streamRevision(streamId)));
      batch.forEach((streamId, index) => {
        const revision = found[index];
        if (revision !== null && revision !== undefined) revisions.set(streamId, revision);
      });
    }
    return revisions;
  }

  streamRevision(streamId: string): Promise<number | null> {
    return this.read(async () => {
      const reading = this.client.readStream(streamId, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      });
      for await (const resolved of reading) {
        if (resolved.event) return toSafeNumber(resolved.event.revision, 'stream revision');
      }
      return null;
    }, null);
  }

  readAll({ after, limit, ...filter }: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    // "Only these types" with no types selects nothing, rather than silently everything.
    if (filter.types?.length === 0 || limit === 0) return Promise.resolve([]);
    const wanted = limit === undefined || limit < 0 ? Infinity : limit;
    return this.read(() => this.readLog(after ?? -1, wanted, filter), []);
  }

  /**
   * A catch-up subscription to `$all` with the server-side filter: it reads
   * from `after`, then turns live, in commit order, so nothing is skipped or
   * repeated. `batchSize` bounds the events buffered ahead of the consumer.
   */
  async *follow(options: FollowOptions = {}): AsyncGenerator<RecordedEvent> {
    const { signal, batchSize = DEFAULT_FOLLOW_BUFFER, after, ...filter } = options;
    if (signal?.aborted) return;
    this.assertOpen();
    const subscription = this.client.subscribeToAll(
      { fromPosition: readPositionAfter(after), filter: serverFilter(filter) },
      { highWaterMark: Math.max(1, Math.trunc(batchSize)) },
    );
    this.subscriptions.add(subscription);
    const aborted = whenAborted(signal);
    const iterator = subscription[Symbol.asyncIterator]();
    let cursor = after ?? -1;
    try {
      for (;;) {
        const next = await Promise.race([iterator.next(), aborted.promise]);
        if (next === ABORTED) return;
        if (next.done)
          throw new EventStoreUnavailableError(
            this.closing ? 'The event store is closed' : 'The subscription to the log ended',
          );
        const event = decoded(next.value);
        if (!event || event.position <= cursor) continue;
        cursor = event.position;
        if (matchesFilter(event, filter)) yield event;
        if (signal?.aborted) return;
      }
    } catch (error) {
      if (signal?.aborted) return;
      throw toReadError(error);
    } finally {
      aborted.dispose();
      this.subscriptions.delete(subscription);
      await subscription.unsubscribe().catch(() => undefined);
    }
  }

  /** The newest event of the application, skipping system events and claim markers; 0 when there is none. */
  headPosition(): Promise<number> {
    return this.read(async () => {
      const reading = this.client.readAll({
        direction: BACKWARDS,
        fromPosition: END,
        filter: serverFilter({}),
      });
      for await (const resolved of reading) {
        const event = decoded(resolved);
        if (event && matchesFilter(event, {})) return event.position;
      }
      return 0;
    }, 0);
  }

  /** Ends live subscriptions (their iterators throw EventStoreUnavailableError) and disconnects. */
  async close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((subscription) => subscription.unsubscribe()));
      await this.client.dispose();
    })();
    return this.closing;
  }

  /**
   * Pages through the log from `after` (exclusive). Filters the server cannot
   * apply are applied here, so a page can come back short and the next one
   * continues from the last position seen, filtered or not.
   */
  private async readLog(after: number, wanted: number, filter: LogFilter): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    // One more than wanted: reads from a position include the event at it.
    const pageSize = Math.max(2, Math.min(wanted + 1, READ_PAGE));
    let cursor = after;
    for (;;) {
      let received = 0;
      const page = this.client.readAll({
        fromPosition: readPositionAfter(cursor),
        maxCount: pageSize,
        filter: serverFilter(filter),
      });
      for await (const resolved of page) {
        received += 1;
        const position = commitPosition(resolved.event?.position);
        if (position === undefined || position <= cursor) continue;
        cursor = position;
        const event = decoded(resolved);
        if (event && matchesFilter(event, filter)) events.push(event);
        if (events.length >= wanted) return events;
      }
      if (received < pageSize) return events;
    }
  }

  /** Runs a read with the port's error types; a missing stream gives `whenMissing`. */
  private async read<T>(run: () => Promise<T>, whenMissing: T): Promise<T> {
    this.assertOpen();
    try {
      return await run();
    } catch (error) {
      if (isStreamNotFound(error)) return whenMissing;
      throw toReadError(error);
    }
  }

  private assertOpen(): void {
    if (this.closing) throw new EventStoreUnavailableError('The event store is closed');
  }
}

function decoded(resolved: Resolved): RecordedEvent | undefined {
  return resolved.event && decodeRecord(resolved.event);
}

function commitPosition(position: Position | undefined): number | undefined {
  return position && toSafeNumber(position.commit, 'commit position');
}

/** A promise that settles when the signal aborts (never, without one), and a way to stop listening. */
function whenAborted(signal: AbortSignal | undefined): {
  readonly promise: Promise<typeof ABORTED>;
  readonly dispose: () => void;
} {
  let dispose = (): void => undefined;
  const promise = new Promise<typeof ABORTED>((resolve) => {
    if (!signal) return;
    const onAbort = (): void => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    dispose = () => signal.removeEventListener('abort', onAbort);
  });
  return { promise, dispose };
}
