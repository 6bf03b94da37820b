import type { Consumer, EachBatchPayload, Kafka, Message } from 'kafkajs';
import type {
  GroupMember,
  GroupMemberOptions,
  MessageBroker,
  MessagePublisher,
  OutgoingMessage,
  PartitionBatch,
  PartitionOffsets,
  TopicAdmin,
  TopicSpec,
} from '../message-broker';

/** The broker port over a kafkajs client (see createKafkaClient). */
export function kafkajsBroker(kafka: Kafka): MessageBroker {
  return {
    async admin(work) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        return await work(topicAdmin(admin));
      } finally {
        await admin.disconnect();
      }
    },
    async publisher() {
      const producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
      });
      await producer.connect();
      return {
        async send(topic, messages) {
          await producer.send({ topic, acks: -1, messages: messages.map(toKafkajs) });
        },
        close: () => producer.disconnect(),
      } satisfies MessagePublisher;
    },
    groupMember: (options) => new KafkajsGroupMember(kafka, options),
  };
}

type KafkajsAdmin = ReturnType<Kafka['admin']>;

function topicAdmin(admin: KafkajsAdmin): TopicAdmin {
  const partitionCount = async (topic: string): Promise<number> => {
    if (!(await admin.listTopics()).includes(topic)) return 0;
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return topics[0]?.partitions.length ?? 0;
  };
  return {
    async ensureTopics(specs: readonly TopicSpec[]) {
      const existing = new Set(await admin.listTopics());
      const missing = specs.filter((spec) => !existing.has(spec.topic));
      if (missing.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((spec) => ({
            topic: spec.topic,
            numPartitions: spec.partitions,
            replicationFactor: spec.replicationFactor,
          })),
        });
      }
      const counts = new Map<string, number>();
      for (const spec of specs) counts.set(spec.topic, await partitionCount(spec.topic));
      return counts;
    },
    partitionCount,
    async groupOffsets(topic, groupId): Promise<PartitionOffsets[]> {
      const ends = await admin.fetchTopicOffsets(topic);
      const [group] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const committed = new Map((group?.partitions ?? []).map((p) => [p.partition, p.offset]));
      return ends.map(({ partition, high, low }) => {
        const own = committed.get(partition);
        return { partition, committed: own === undefined || BigInt(own) < 0n ? low : own, end: high };
      });
    },
  };
}

function toKafkajs(message: OutgoingMessage): Message {
  return {
    key: message.key,
    value: message.value,
    ...(message.headers && { headers: { ...message.headers } }),
    ...(message.partition !== undefined && { partition: message.partition }),
  };
}

/** A kafkajs consumer: manual commits only, each batch handed over as the port's PartitionBatch. */
class KafkajsGroupMember implements GroupMember {
  private readonly consumer: Consumer;

  constructor(
    kafka: Kafka,
    private readonly options: GroupMemberOptions,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      ...(options.sessionTimeoutMs !== undefined && {
        sessionTimeout: options.sessionTimeoutMs,
        // Kafka's rule of thumb: heartbeats at a third of the session timeout at most.
        heartbeatInterval: Math.min(3000, Math.floor(options.sessionTimeoutMs / 3)),
      }),
    });
  }

  async start(eachBatch: (batch: PartitionBatch) => Promise<void>): Promise<void> {
    try {
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: [this.options.topic], fromBeginning: true });
      await this.consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.concurrency,
        eachBatch: (payload) => eachBatch(partitionBatch(payload)),
      });
    } catch (error) {
      await this.consumer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}

function partitionBatch(payload: EachBatchPayload): PartitionBatch {
  const { batch } = payload;
  return {
    topic: batch.topic,
    partition: batch.partition,
    messages: batch.messages.map((m) => ({
      key: m.key,
      value: m.value,
      headers: m.headers,
      offset: m.offset,
    })),
    isStale: () => payload.isStale(),
    heartbeat: () => payload.heartbeat(),
    async commit(offset) {
      payload.resolveOffset(offset);
      const next = (BigInt(offset) + 1n).toString();
      await payload.commitOffsetsIfNecessary({
        topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }],
      });
    },
  };
}
