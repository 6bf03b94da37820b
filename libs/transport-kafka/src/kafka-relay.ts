import { CUSTOMER_STREAM_PREFIX } from '@crm/domain';
import type { EventStore, RecordedEvent } from '@crm/event-store';
import type { ReadStore } from '@crm/read-store';
import type { Kafka, Producer } from 'kafkajs';
import { type BackoffOptions, retrying, StoppedError, untilStopped } from './backoff';
import { toEventMessage } from './event-message';
import { ensureTopics, type KafkaTopology } from './kafka-topics';

export type KafkaRelayOptions = KafkaTopology & {
  /**
   * The client that creates the topics (default: the relay's own). One made
   * with `retries: 0` lets the relay's backoff, not kafkajs', wait out a
   * broker that is down, so a stop never waits for a connection.
   */
  readonly adminClient?: Kafka;
  /** Events per produce request (default 500). */
  readonly batchSize?: number;
  readonly backoff?: BackoffOptions;
  /** After the broker acknowledged a batch and the checkpoint moved. */
  readonly onPublished?: (progress: { readonly position: number; readonly events: number }) => void;
  /** Each failure the relay will retry (broker or store outage). */
  readonly onError?: (error: unknown) => void;
};

export type KafkaRelayStatus = {
  readonly state: 'idle' | 'running' | 'stopped';
  readonly checkpoint: number;
  readonly published: number;
  readonly lastError: string | null;
};

const DEFAULT_BATCH = 500;

/** The read-store checkpoint of the relay that feeds `topic`. */
export function relayCheckpointName(topic: string): string {
  return `kafka-relay:${topic}`;
}

/**
 * Publishes the customer streams of the global log to Kafka, in log order,
 * at least once. The checkpoint (the last position the broker acknowledged)
 * lives in the read store and moves only after the whole batch was
 * acknowledged by all in-sync replicas; a failure re-sends the batch from
 * the checkpoint, so an event may be published twice (consumers drop it by
 * position) but is never skipped.
 */
export class KafkaRelay {
  private producer: Producer | null = null;
  private status_: { -readonly [K in keyof KafkaRelayStatus]: KafkaRelayStatus[K] } = {
    state: 'idle',
    checkpoint: 0,
    published: 0,
    lastError: null,
  };

  constructor(
    private readonly kafka: Kafka,
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly options: KafkaRelayOptions,
  ) {}

  get checkpointName(): string {
    return relayCheckpointName(this.options.topic);
  }

  status(): KafkaRelayStatus {
    return { ...this.status_ };
  }

  /** Creates the topics, then publishes from the checkpoint and follows the log until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    this.status_.state = 'running';
    try {
      // Connecting holds nothing to drain: a stop does not wait for a broker that is down.
      const admin = this.options.adminClient ?? this.kafka;
      await this.retry(() => untilStopped(ensureTopics(admin, this.options), signal), signal);
      let checkpoint = await this.retry(() => this.readStore.checkpoint(this.checkpointName), signal);
      this.status_.checkpoint = checkpoint;
      while (!signal.aborted) {
        const page = await this.retry(
          () =>
            this.events.readAll({
              after: checkpoint,
              limit: this.options.batchSize ?? DEFAULT_BATCH,
              streamPrefix: CUSTOMER_STREAM_PREFIX,
            }),
          signal,
        );
        const last = page[page.length - 1];
        if (!last) {
          const after = checkpoint;
          await this.retry(() => this.nextEvent(after, signal), signal);
          continue;
        }
        await this.retry(() => this.publish(page, signal), signal);
        await this.retry(
          () =>
            this.readStore.commit({ projection: this.checkpointName, position: last.position, writes: [] }),
          signal,
        );
        checkpoint = last.position;
        this.status_.checkpoint = checkpoint;
        this.status_.published += page.length;
        this.options.onPublished?.({ position: checkpoint, events: page.length });
      }
    } catch (error) {
      if (!(error instanceof StoppedError)) throw error;
    } finally {
      this.status_.state = 'stopped';
      await this.dropProducer();
    }
  }

  private async publish(page: readonly RecordedEvent[], signal: AbortSignal): Promise<void> {
    try {
      this.producer ??= await untilStopped(this.connectProducer(), signal, (late) => {
        void late.disconnect().catch(() => undefined);
      });
      await this.producer.send({ topic: this.options.topic, acks: -1, messages: page.map(toEventMessage) });
    } catch (error) {
      // A fresh producer (and producer id) after a failure: the old one's
      // sequence numbers may no longer match what the broker has.
      await this.dropProducer();
      throw error;
    }
  }

  private async connectProducer(): Promise<Producer> {
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    return producer;
  }

  private async dropProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await producer?.disconnect().catch(() => undefined);
  }

  private retry<T>(attempt: () => Promise<T>, signal: AbortSignal): Promise<T> {
    return retrying(attempt, signal, {
      ...this.options.backoff,
      onError: (error) => {
        this.status_.lastError = error instanceof Error ? error.message : String(error);
        this.options.onError?.(error);
      },
    });
  }

  /** Waits until the log has a customer event after `after`, or the signal aborts. */
  private async nextEvent(after: number, signal: AbortSignal): Promise<void> {
    for await (const event of this.events.follow({ after, signal, streamPrefix: CUSTOMER_STREAM_PREFIX })) {
      void event;
      return;
    }
  }
}
