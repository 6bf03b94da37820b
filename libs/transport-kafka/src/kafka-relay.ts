import { CUSTOMER_STREAM_PREFIX } from '@crm/domain';
import type { EventStore, RecordedEvent } from '@crm/event-store';
import type { ReadStore } from '@crm/read-store';
import { type BackoffOptions, retrying, StoppedError, untilStopped } from './backoff';
import type { MessageBroker, MessagePublisher } from './broker/message-broker';
import { partitionOf } from './broker/partitioner';
import { toEventMessage } from './event-message';
import {
  KAFKA_PROGRESS_COLLECTION,
  KAFKA_PROGRESS_SPEC,
  relayProgress,
  type RelayProgressDocument,
} from './kafka-progress';
import { ensureTopics, type KafkaTopology, type TopicLayout } from './kafka-topics';

export type KafkaRelayOptions = KafkaTopology & {
  /**
   * The broker that creates the topics (default: the relay's own). One whose
   * client tries each connection once lets the relay's backoff, not the
   * library's, wait out a broker that is down, so a stop never waits for a
   * connection.
   */
  readonly adminBroker?: MessageBroker;
  /** Events per produce request (default 500). */
  readonly batchSize?: number;
  readonly backoff?: BackoffOptions;
  /** Each failure the relay will retry (broker or store outage). */
  readonly onError?: (error: unknown) => void;
  /** What the event topic looks like once ensured (its partitions, a warning when they differ from the configured count). */
  readonly onTopic?: (layout: TopicLayout) => void;
};

export type KafkaRelayStatus = {
  readonly state: 'idle' | 'running' | 'stopped';
  readonly checkpoint: number;
  readonly published: number;
  /** The event topic's partition count (0 until the topic is ensured). */
  readonly partitions: number;
  readonly lastError: string | null;
};

const DEFAULT_BATCH = 500;

/** The read-store checkpoint of the relay that feeds `topic`. */
export function relayCheckpointName(topic: string): string {
  return `kafka-relay:${topic}`;
}

/**
 * Publishes the customer streams of the global log to Kafka, in log order,
 * at least once, each customer's events to the partition `partitionOf` the
 * customer (the one the API waits for). The checkpoint (the last position
 * the broker acknowledged) lives in the read store and moves only after the
 * whole batch was acknowledged by all in-sync replicas, in one unit with
 * the relay's progress (the last position published to each partition); a
 * failure re-sends the batch from the checkpoint, so an event may be
 * published twice (consumers drop it by position) but is never skipped, and
 * each partition sees its events first in log order.
 */
export class KafkaRelay {
  private producer: MessagePublisher | null = null;
  private status_: { -readonly [K in keyof KafkaRelayStatus]: KafkaRelayStatus[K] } = {
    state: 'idle',
    checkpoint: 0,
    published: 0,
    partitions: 0,
    lastError: null,
  };

  constructor(
    private readonly broker: MessageBroker,
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
      const admin = this.options.adminBroker ?? this.broker;
      const layout = await this.retry(() => untilStopped(ensureTopics(admin, this.options), signal), signal);
      this.status_.partitions = layout.partitions;
      this.options.onTopic?.(layout);
      let { checkpoint, published } = await this.retry(() => this.resume(layout.partitions), signal);
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
        const next = [...published];
        await this.retry(() => this.publish(page, next, signal), signal);
        const progress = relayProgress(this.options.topic, last.position, next);
        await this.retry(
          () =>
            this.readStore.commit({
              projection: this.checkpointName,
              position: last.position,
              writes: [progress],
            }),
          signal,
        );
        checkpoint = last.position;
        published = next;
        this.status_.checkpoint = checkpoint;
        this.status_.published += page.length;
      }
    } catch (error) {
      if (!(error instanceof StoppedError)) throw error;
    } finally {
      this.status_.state = 'stopped';
      await this.dropProducer();
    }
  }

  /**
   * Where to go on from: the checkpoint, and the last position published to
   * each partition. Without progress for this partition count (a relay of an
   * earlier version, or partitions added), every partition is taken to have
   * had an event at the checkpoint: a claim that only makes reads wait
   * longer, until each partition's next event is published.
   */
  private async resume(partitions: number): Promise<{ checkpoint: number; published: number[] }> {
    await this.readStore.ensureCollections([KAFKA_PROGRESS_SPEC]);
    const checkpoint = await this.readStore.checkpoint(this.checkpointName);
    const stored = await this.readStore.get<RelayProgressDocument>(
      KAFKA_PROGRESS_COLLECTION,
      relayProgress(this.options.topic, 0, []).document.id,
    );
    if (stored && stored.partitions === partitions && stored.position >= checkpoint) {
      return { checkpoint, published: [...stored.published] };
    }
    return { checkpoint, published: Array.from({ length: partitions }, () => checkpoint) };
  }

  /** Sends a page, each event to its customer's partition, noting in `published` the last position each partition got. */
  private async publish(
    page: readonly RecordedEvent[],
    published: number[],
    signal: AbortSignal,
  ): Promise<void> {
    const messages = page.map((event) => {
      const message = toEventMessage(event);
      const partition = partitionOf(message.key, published.length);
      published[partition] = event.position;
      return { ...message, partition };
    });
    try {
      this.producer ??= await untilStopped(this.broker.publisher(), signal, (late) => {
        void late.close().catch(() => undefined);
      });
      await this.producer.send(this.options.topic, messages);
    } catch (error) {
      // A fresh producer (and producer id) after a failure: the old one's
      // sequence numbers may no longer match what the broker has.
      await this.dropProducer();
      throw error;
    }
  }

  private async dropProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await producer?.close().catch(() => undefined);
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
