import { toCrmEvent } from '@crm/domain';
import type { RecordedEvent } from '@crm/event-store';
import {
  BatchApplier,
  type BatchUnit,
  CUSTOMER_PROJECTIONS,
  type CustomerEvent,
  DEAD_LETTER_COLLECTION,
  DEAD_LETTER_COLLECTION_SPEC,
  type Projection,
  type ProjectionFailure,
} from '@crm/projections';
import { type ReadStore, ReadStoreUnavailableError } from '@crm/read-store';
import { type BackoffOptions, backoffDelay, pause, retrying, StoppedError, untilStopped } from './backoff';
import type {
  ConsumedMessage,
  GroupMember,
  MessageBroker,
  MessagePublisher,
  PartitionBatch,
} from './broker/message-broker';
import { fromEventMessage } from './event-message';
import {
  DECODE_STAGE,
  deadLetterDocument,
  deadLetterMessage,
  type FailedEventRef,
  type FailedMessage,
  type Failure,
  refFromHeaders,
} from './kafka-dead-letter';
import { KAFKA_PROGRESS_SPEC, partitionProgress } from './kafka-progress';
import { ensureTopics, type KafkaTopology, type TopicLayout } from './kafka-topics';

export type KafkaProjectionConsumerOptions = KafkaTopology & {
  /** The broker that creates the topics (default: the consumer's own); see KafkaRelayOptions.adminBroker. */
  readonly adminBroker?: MessageBroker;
  readonly groupId: string;
  /** Tries per event and projection before the event is dead-lettered. */
  readonly maxAttempts: number;
  /** Default: CUSTOMER_PROJECTIONS. */
  readonly projections?: readonly Projection[];
  /** Partitions this process works on at once, each in order (KAFKA_CONSUMER_CONCURRENCY). */
  readonly consumerConcurrency: number;
  /** How long the group waits for a silent member (default: the client's, 30 s). */
  readonly sessionTimeoutMs?: number;
  /** Waits between attempts and while the read store is unavailable. */
  readonly backoff?: BackoffOptions;
  /** Turns the stored form into what projections read, e.g. decrypts personal fields. */
  readonly decodeData?: (event: RecordedEvent) => RecordedEvent | Promise<RecordedEvent>;
  readonly now?: () => Date;
  /** An event dead-lettered: for a projection that failed on it, or (DECODE_STAGE) a message no projection could read. */
  readonly onDeadLetter?: (letter: {
    readonly projection: string;
    readonly eventId: string;
    readonly type: string;
    readonly position: number;
    readonly error: string;
  }) => void;
  /** Failures that will be retried (a read-store outage, a failed attempt). */
  readonly onError?: (error: unknown) => void;
  /** What the event topic looks like once ensured. */
  readonly onTopic?: (layout: TopicLayout) => void;
};

/** The read-store checkpoint of one projection fed from one partition: the highest log position applied. */
export function kafkaCheckpointName(projection: string, topic: string, partition: number): string {
  return `${projection}:kafka:${topic}:${partition}`;
}

type Decoded = { readonly failed: FailedMessage; readonly event: CustomerEvent };

/**
 * Projection workers fed from the event topic. All workers join one consumer
 * group; each partition is processed in order by one of them. A run of
 * messages is applied by the BatchApplier, the engine the log runner uses:
 * every projection's writes are committed to the read store with a
 * per-partition checkpoint, the last unit also raising the partition's
 * progress (kafka_progress: what reads wait for), and only then is the
 * Kafka offset committed: a crash in between redelivers messages whose
 * events the documents already hold, and `evolve` skips them by position.
 *
 * An event a projection still fails on after `maxAttempts` tries is copied
 * to the dead-letter topic, recorded in `dead_letters`, and left out for
 * that projection, so the partition keeps flowing; a message that is not a
 * valid event at all is dead-lettered at once.
 */
export class KafkaProjectionConsumer {
  private member: GroupMember | null = null;
  private producer: MessagePublisher | null = null;
  private readonly stopping = new AbortController();
  private readonly projections: readonly Projection[];

  constructor(
    private readonly broker: MessageBroker,
    private readonly readStore: ReadStore,
    private readonly options: KafkaProjectionConsumerOptions,
  ) {
    this.projections = options.projections ?? CUSTOMER_PROJECTIONS;
    if (this.projections.length === 0) throw new RangeError('A consumer needs at least one projection');
  }

  /**
   * Creates collections and topics if missing, joins the group and starts
   * consuming. Outages of the read store or the brokers are waited out, so
   * this resolves only once consuming has begun; it throws StoppedError when
   * `stop()` comes first (without waiting for a broker that is down).
   */
  async start(): Promise<void> {
    const signal = this.stopping.signal;
    const retryOptions = { ...this.options.backoff, onError: this.options.onError };
    await this.whileUnavailable(async () => {
      for (const projection of this.projections)
        await this.readStore.ensureCollections(projection.collections);
      await this.readStore.ensureCollections([DEAD_LETTER_COLLECTION_SPEC, KAFKA_PROGRESS_SPEC]);
    });
    const admin = this.options.adminBroker ?? this.broker;
    const layout = await retrying(
      () => untilStopped(ensureTopics(admin, this.options), signal),
      signal,
      retryOptions,
    );
    this.options.onTopic?.(layout);
    await retrying(() => this.join(signal), signal, retryOptions);
  }

  /** Connects a publisher (for dead letters) and a group member; on failure or stop, neither is left open. */
  private async join(signal: AbortSignal): Promise<void> {
    const member = this.broker.groupMember({
      topic: this.options.topic,
      groupId: this.options.groupId,
      concurrency: this.options.consumerConcurrency,
      ...(this.options.sessionTimeoutMs !== undefined && { sessionTimeoutMs: this.options.sessionTimeoutMs }),
    });
    let producer: MessagePublisher | null = null;
    const close = async (): Promise<void> => {
      await Promise.allSettled([member.stop(), producer?.close()]);
    };
    const connected = (async () => {
      producer = await this.broker.publisher();
      this.producer = producer;
      this.member = member;
      await member.start((batch) => this.eachBatch(batch));
    })();
    try {
      await untilStopped(connected, signal);
    } catch (error) {
      // Stopped while connecting: whatever connects later is closed then.
      if (error instanceof StoppedError) void connected.then(close, close);
      else {
        // Unless stop() took them over already, they are ours to close before the next try.
        if (this.member === member) this.member = null;
        if (this.producer === producer) this.producer = null;
        await close();
      }
      throw error;
    }
  }

  /**
   * Lets the batches in flight finish (their offsets committed), then leaves
   * the group. Waits between attempts end at once: such an event is left to
   * the next owner of its partition.
   */
  async stop(): Promise<void> {
    const member = this.member;
    const producer = this.producer;
    this.member = null;
    this.producer = null;
    this.stopping.abort();
    await member?.stop();
    await producer?.close();
  }

  private async eachBatch(batch: PartitionBatch): Promise<void> {
    let run: Decoded[] = [];
    let lastOffset: string | null = null;
    const flush = async (): Promise<void> => {
      if (run.length === 0 || lastOffset === null) return;
      await this.applyRun(batch.partition, run);
      run = [];
      await batch.commit(lastOffset);
      await batch.heartbeat();
    };
    for (const message of batch.messages) {
      if (batch.isStale()) return;
      const failed: FailedMessage = {
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        message,
      };
      try {
        run.push({ failed, event: await this.decode(message) });
        lastOffset = message.offset;
      } catch (error) {
        // Everything before the poison message is applied first: the partition stays in order.
        await flush();
        await this.deadLetterPoison(failed, error);
        await batch.commit(message.offset);
      }
    }
    await flush();
  }

  private async decode(message: ConsumedMessage): Promise<CustomerEvent> {
    const { customerId, recorded } = fromEventMessage(message);
    const decoded = this.options.decodeData ? await this.options.decodeData(recorded) : recorded;
    return { customerId, position: decoded.position, event: toCrmEvent(decoded) };
  }

  /**
   * Applies a run of events to every projection through the engine, under
   * per-partition checkpoints; the last unit raises the partition's progress
   * to the highest position of the run, once the others are committed.
   */
  private async applyRun(partition: number, run: readonly Decoded[]): Promise<void> {
    const events = run.map((item) => item.event);
    const position = Math.max(...events.map((e) => e.position));
    const units = this.projections.map((projection, i): BatchUnit => ({
      projection,
      events,
      checkpoint: kafkaCheckpointName(projection.name, this.options.topic, partition),
      position,
      alsoWrite:
        i === this.projections.length - 1
          ? [partitionProgress(this.options.topic, partition, position)]
          : undefined,
    }));
    const engine = new BatchApplier(this.readStore, {
      attempts: this.options.maxAttempts,
      betweenAttempts: (failures) =>
        pause(backoffDelay(failures, this.options.backoff), this.stopping.signal),
      now: this.options.now,
      source: 'kafka',
      onDeadLetters: (failures) => this.publishDeadLetters(run, failures),
    });
    await this.whileUnavailable(() => engine.apply(units));
  }

  /** One message on the dead-letter topic per failed event, naming every projection it failed for. */
  private async publishDeadLetters(
    run: readonly Decoded[],
    failures: readonly ProjectionFailure[],
  ): Promise<void> {
    const byPosition = new Map<number, ProjectionFailure[]>();
    for (const failure of failures) {
      const list = byPosition.get(failure.event.position) ?? [];
      list.push(failure);
      byPosition.set(failure.event.position, list);
    }
    const at = this.now().toISOString();
    const messages = [...byPosition].flatMap(([position, failed]) => {
      const item = run.find((candidate) => candidate.event.position === position);
      if (!item) return [];
      const reasons: Failure[] = failed.map((f) => ({
        projection: f.projection,
        error: f.error,
        attempts: f.attempts,
        firstFailedAt: at,
        lastFailedAt: at,
      }));
      return [deadLetterMessage(item.failed, reasons)];
    });
    await this.publisher().send(this.options.dlqTopic, messages);
    for (const { projection, event, error } of failures)
      this.options.onDeadLetter?.({
        projection,
        eventId: event.event.eventId,
        type: event.event.type,
        position: event.position,
        error,
      });
  }

  /**
   * A message no projection can read: copied to the dead-letter topic, then
   * recorded under the DECODE_STAGE checkpoint of its partition.
   */
  private async deadLetterPoison(failed: FailedMessage, error: unknown): Promise<void> {
    const at = this.now().toISOString();
    const failure: Failure = {
      projection: DECODE_STAGE,
      error: messageOf(error),
      attempts: 1,
      firstFailedAt: at,
      lastFailedAt: at,
    };
    const ref: FailedEventRef = refFromHeaders(failed);
    await this.publisher().send(this.options.dlqTopic, [deadLetterMessage(failed, [failure])]);
    const letter = deadLetterDocument(ref, failure);
    await this.whileUnavailable(() =>
      this.readStore.commit({
        projection: kafkaCheckpointName(DECODE_STAGE, this.options.topic, failed.partition),
        position: letter.position,
        writes: [{ kind: 'put', collection: DEAD_LETTER_COLLECTION, document: letter }],
      }),
    );
    this.options.onDeadLetter?.({ ...ref, projection: DECODE_STAGE, error: failure.error });
  }

  private publisher(): MessagePublisher {
    if (!this.producer) throw new Error('the consumer is not started');
    return this.producer;
  }

  /** A read-store outage is waited out, never counted as a failed attempt. */
  private whileUnavailable<T>(attempt: () => Promise<T>): Promise<T> {
    return retrying(attempt, this.stopping.signal, {
      ...this.options.backoff,
      retryable: (error) => error instanceof ReadStoreUnavailableError,
      onError: this.options.onError,
    });
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
