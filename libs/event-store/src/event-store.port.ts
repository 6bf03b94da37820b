/**
 * The event store port. Adapters (embedded SQLite, KurrentDB) live beside it
 * and all pass the shared contract suite in `./testing`.
 *
 * Revisions are per stream and start at 0. Positions are global, strictly
 * increasing in commit order (gaps allowed), and opaque beyond that: compare
 * them, store them as checkpoints, never do arithmetic on them.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'exists' | number;

export type EventToAppend = {
  /** UUID. Appending an eventId the stream already holds is an idempotent no-op. */
  readonly eventId: string;
  readonly type: string;
  readonly version: number;
  /** ISO-8601, when it happened in the world. */
  readonly occurredAt: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
};

export type RecordedEvent = EventToAppend & {
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  /** ISO-8601, when the store committed it. */
  readonly recordedAt: string;
};

export type AppendedEventRef = {
  readonly eventId: string;
  readonly revision: number;
  readonly position: number;
  /** True when the store already held this eventId and nothing was written for it. */
  readonly duplicate: boolean;
};

export type AppendResult = {
  readonly streamId: string;
  /** Revision of the stream's last event after this append. */
  readonly streamRevision: number;
  /** Global position of the last event this append wrote (or, if all were duplicates, of the last original). */
  readonly position: number;
  /** One entry per event given, in order. */
  readonly events: readonly AppendedEventRef[];
  /** True when every event was already stored: nothing was written. */
  readonly duplicate: boolean;
};

export type AppendOptions = { readonly expectedRevision?: ExpectedRevision };

export type ReadStreamOptions = {
  /** Inclusive; default 0. */
  readonly fromRevision?: number;
  /** At most this many events (of the asked types, when `types` is given). */
  readonly limit?: number;
  /**
   * Only these event types. Revisions keep their values, so a page of a
   * filtered read is continued from its last revision + 1.
   */
  readonly types?: readonly string[];
};

export type ReadAllOptions = {
  /** Exclusive: events with a position strictly greater. Default: from the start. */
  readonly after?: number;
  readonly limit?: number;
  /** Only these event types (server-side filter). */
  readonly types?: readonly string[];
  /** Only streams with this prefix, e.g. `customer-`. */
  readonly streamPrefix?: string;
};

export type FollowOptions = Omit<ReadAllOptions, 'limit'> & {
  /** Stops the subscription; the iterator then returns. */
  readonly signal?: AbortSignal;
  /** Page size for catch-up reads. */
  readonly batchSize?: number;
};

export interface EventStore {
  /**
   * Appends atomically: either every new event of the call is stored, or none.
   * Events whose eventId the stream already holds are skipped and reported as
   * duplicates; if all are duplicates the expected revision is not checked and
   * the original result is returned.
   *
   * @throws WrongExpectedRevisionError when the stream is not at `expectedRevision`.
   * @throws EventIdConflictError when an eventId is already used by another stream.
   */
  append(streamId: string, events: readonly EventToAppend[], options?: AppendOptions): Promise<AppendResult>;

  /** Events of one stream in revision order; empty when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** Current revision of a stream, or null when it does not exist. */
  streamRevision(streamId: string): Promise<number | null>;

  /**
   * Current revisions of several streams (SQLite: one statement), keyed by
   * stream id; a stream that does not exist is absent.
   */
  streamRevisions(streamIds: readonly string[]): Promise<Map<string, number>>;

  /** A page of the global log in position order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  /** Catches up from `after`, then follows the log live until the signal aborts. */
  follow(options?: FollowOptions): AsyncIterable<RecordedEvent>;

  /** Position of the last committed event, 0 when the log is empty. */
  headPosition(): Promise<number>;

  close(): Promise<void>;
}

/** DI token for the configured adapter, as the product uses it (personal fields in plaintext). */
export const EVENT_STORE = Symbol('EVENT_STORE');

/**
 * DI token for the adapter as written to disk: personal fields encrypted
 * (docs/privacy.md). For whatever must not see plaintext, such as a relay
 * publishing the log to Kafka.
 */
export const RAW_EVENT_STORE = Symbol('RAW_EVENT_STORE');
