import { toCrmEvent } from '@crm/domain';
import type { RecordedEvent } from '@crm/event-store';
import {
  CUSTOMER_PROJECTIONS,
  type CustomerEvent,
  DEAD_LETTER_COLLECTION,
  DEAD_LETTER_COLLECTION_SPEC,
  type DeadLetterDocument,
  type Projection,
} from '@crm/projections';
import { type ReadStore, ReadStoreUnavailableError } from '@crm/read-store';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { type BackoffOptions, backoffDelay, pause, retrying, StoppedError, untilStopped } from './backoff';
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
import { ensureTopics, type KafkaTopology } from './kafka-topics';

export type KafkaProjectionConsumerOptions = KafkaTopology & {
  /** The client that creates the topics (default: the consumer's own); see KafkaRelayOptions.adminClient. */
  readonly adminClient?: Kafka;
  readonly groupId: string;
  /** Tries per event and projection before the event is dead-lettered. */
  readonly maxAttempts: number;
  /** Default: CUSTOMER_PROJECTIONS. */
  readonly projections?: readonly Projection[];
  /** Partitions this process works on at once, each in order (default 1). */
  readonly partitionsConsumedConcurrently?: number;
  /** Waits between attempts and while the read store is unavailable. */
  readonly backoff?: BackoffOptions;
  /** Turns the stored form into what projections read, e.g. decrypts personal fields. */
  readonly decodeData?: (event: RecordedEvent) => RecordedEvent | Promise<RecordedEvent>;
  readonly now?: () => Date;
  readonly onApplied?: (progress: {
    readonly partition: number;
    readonly position: number;
    readonly events: number;
  }) => void;
  readonly onDeadLetter?: (letter: DeadLetterDocument) => void;
  /** Failures that will be retried (a read-store outage, a failed attempt). */
  readonly onError?: (error: unknown) => void;
};

/** The read-store checkpoint of one projection fed from one partition: the highest log position applied. */
export function kafkaCheckpointName(projection: string, topic: string, partition: number): string {
  return `${projection}:kafka:${topic}:${partition}`;
}

type Decoded = { readonly offset: string; readonly failed: FailedMessage; readonly event: CustomerEvent };

/**
 * Projection workers fed from the event topic. All workers join one consumer
 * group; each partition is processed in order by one of them. For a run of
 * messages, every projection's writes are committed to the read store
 * (with a per-partition checkpoint), and only then is the Kafka offset
 * committed: a crash in between redelivers messages whose events the
 * documents already hold, and `evolve` skips them by position.
 *
 * An event that still fails after `maxAttempts` tries (or a message that is
 * not a valid event at all) is copied to the dead-letter topic, recorded in
 * `dead_letters`, and skipped, so the partition keeps flowing.
 */
export class KafkaProjectionConsumer {
  private consumer: Consumer | null = null;
  private producer: Producer | null = null;
  private readonly stopping = new AbortController();
  private readonly projections: readonly Projection[];

  constructor(
    private readonly kafka: Kafka,
    private readonly readStore: ReadStore,
    private readonly options: KafkaProjectionConsumerOptions,
  ) {
    this.projections = options.projections ?? CUSTOMER_PROJECTIONS;
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
      await this.readStore.ensureCollections([DEAD_LETTER_COLLECTION_SPEC]);
    });
    const admin = this.options.adminClient ?? this.kafka;
    await retrying(() => untilStopped(ensureTopics(admin, this.options), signal), signal, retryOptions);
    await retrying(() => this.join(signal), signal, retryOptions);
  }

  /** Connects a producer (for dead letters) and a group member; on failure or stop, neither is left open. */
  private async join(signal: AbortSignal): Promise<void> {
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    const consumer = this.kafka.consumer({ groupId: this.options.groupId, allowAutoTopicCreation: false });
    const disconnect = async (): Promise<void> => {
      await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
    };
    const connected = (async () => {
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({ topics: [this.options.topic], fromBeginning: true });
    })();
    try {
      await untilStopped(connected, signal);
    } catch (error) {
      // Stopped while connecting: whatever connects later is closed then.
      if (error instanceof StoppedError) void connected.then(disconnect, disconnect);
      else await disconnect();
      throw error;
    }
    this.producer = producer;
    this.consumer = consumer;
    try {
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
        eachBatch: (payload) => this.eachBatch(payload),
      });
    } catch (error) {
      // Unless stop() took them over already, they are ours to close before the next try.
      if (this.consumer === consumer) this.consumer = null;
      if (this.producer === producer) this.producer = null;
      await disconnect();
      throw error;
    }
  }

  /**
   * Lets the batches in flight finish (their offsets committed), then leaves
   * the group. Waits between attempts end at once: such an event is left to
   * the next owner of its partition.
   */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    const producer = this.producer;
    this.consumer = null;
    this.producer = null;
    this.stopping.abort();
    await consumer?.disconnect();
    await producer?.disconnect();
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const commit = async (offset: string): Promise<void> => {
      payload.resolveOffset(offset);
      const next = (BigInt(offset) + 1n).toString();
      await payload.commitOffsetsIfNecessary({
        topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }],
      });
    };
    let run: Decoded[] = [];
    const flush = async (): Promise<void> => {
      const last = run[run.length - 1];
      if (!last) return;
      await this.applyRun(batch.partition, run);
      run = [];
      await commit(last.offset);
      await payload.heartbeat();
    };
    for (const message of batch.messages) {
      if (payload.isStale()) return;
      const failed: FailedMessage = {
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        message,
      };
      try {
        run.push({ offset: message.offset, failed, event: await this.decode(message) });
      } catch (error) {
        // Everything before the poison message is applied first: the partition stays in order.
        await flush();
        const at = this.now().toISOString();
        const failure = {
          projection: DECODE_STAGE,
          error: messageOf(error),
          attempts: 1,
          firstFailedAt: at,
          lastFailedAt: at,
        };
        await this.deadLetter(failed, refFromHeaders(failed), [failure]);
        await commit(message.offset);
      }
    }
    await flush();
  }

  private async decode(message: KafkaMessage): Promise<CustomerEvent> {
    const { customerId, recorded } = fromEventMessage(message);
    const decoded = this.options.decodeData ? await this.options.decodeData(recorded) : recorded;
    return { customerId, position: decoded.position, event: toCrmEvent(decoded) };
  }

  /** Applies a run of events to every projection; isolates the failing events when a projection fails. */
  private async applyRun(partition: number, run: readonly Decoded[]): Promise<void> {
    const events = uniqueByPosition(run.map((item) => item.event));
    try {
      await this.whileUnavailable(async () => {
        for (const projection of this.projections) await this.apply(projection, partition, events);
      });
    } catch (error) {
      if (error instanceof StoppedError) throw error;
      this.options.onError?.(error);
      for (const item of run) await this.applyOne(partition, item);
    }
    const last = events[events.length - 1];
    if (last) this.options.onApplied?.({ partition, position: last.position, events: events.length });
  }

  /** One event, each projection up to maxAttempts times; the projections it still fails for dead-letter it. */
  private async applyOne(partition: number, item: Decoded): Promise<void> {
    const failures: Failure[] = [];
    for (const projection of this.projections) {
      const firstFailedAt = this.now().toISOString();
      for (let attempt = 1; ; attempt++) {
        try {
          await this.whileUnavailable(() => this.apply(projection, partition, [item.event]));
          break;
        } catch (error) {
          this.options.onError?.(error);
          if (attempt >= this.options.maxAttempts) {
            const lastFailedAt = this.now().toISOString();
            failures.push({
              projection: projection.name,
              error: messageOf(error),
              attempts: attempt,
              firstFailedAt,
              lastFailedAt,
            });
            break;
          }
          await pause(backoffDelay(attempt, this.options.backoff), this.stopping.signal);
        }
      }
    }
    if (failures.length === 0) return;
    const { event, customerId, position } = item.event;
    const ref: FailedEventRef = {
      eventId: event.eventId,
      streamId: `customer-${customerId}`,
      customerId,
      type: event.type,
      position,
    };
    await this.deadLetter(item.failed, ref, failures, partition);
  }

  private async apply(
    projection: Projection,
    partition: number,
    events: readonly CustomerEvent[],
  ): Promise<void> {
    const last = events[events.length - 1];
    if (!last) return;
    const writes = await projection.project(events, this.readStore);
    await this.readStore.commit({
      projection: kafkaCheckpointName(projection.name, this.options.topic, partition),
      position: last.position,
      writes,
    });
  }

  /**
   * Copies the message to the dead-letter topic, then records one letter per
   * failed projection; each letter is committed with that projection's
   * checkpoint, which the skipped event moves past.
   */
  private async deadLetter(
    failed: FailedMessage,
    ref: FailedEventRef,
    failures: readonly Failure[],
    partition = failed.partition,
  ): Promise<void> {
    if (!this.producer) throw new Error('the consumer is not started');
    await this.producer.send({
      topic: this.options.dlqTopic,
      acks: -1,
      messages: [deadLetterMessage(failed, failures)],
    });
    for (const failure of failures) {
      const letter = deadLetterDocument(ref, failure);
      await this.whileUnavailable(() =>
        this.readStore.commit({
          projection: kafkaCheckpointName(failure.projection, this.options.topic, partition),
          position: letter.position,
          writes: [{ kind: 'put', collection: DEAD_LETTER_COLLECTION, document: letter }],
        }),
      );
      this.options.onDeadLetter?.(letter);
    }
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

/** A relay retry can publish a stretch of the log twice; within one run, the first copy is enough. */
function uniqueByPosition(events: readonly CustomerEvent[]): CustomerEvent[] {
  const seen = new Set<number>();
  return events.filter((e) => !seen.has(e.position) && (seen.add(e.position), true));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
