import type { MessageBroker } from './broker/message-broker';

/** The two topics of the transport and how the relay creates them. */
export type KafkaTopology = {
  readonly topic: string;
  readonly dlqTopic: string;
  readonly partitions: number;
  readonly replicationFactor: number;
};

/** How the event topic turned out: its partition count, and what to tell the operator about it. */
export type TopicLayout = {
  readonly partitions: number;
  /** Set when the topic existed with another partition count than KAFKA_PARTITIONS. */
  readonly warning: string | null;
};

/**
 * Creates the event and dead-letter topics if missing; existing topics are
 * left as they are (Kafka can only add partitions, and adding them moves
 * customers to other partitions), and a partition count other than the
 * configured one is reported in the layout's warning.
 */
export async function ensureTopics(broker: MessageBroker, topology: KafkaTopology): Promise<TopicLayout> {
  const counts = await broker.admin((admin) =>
    admin.ensureTopics(
      [topology.topic, topology.dlqTopic].map((topic) => ({
        topic,
        partitions: topology.partitions,
        replicationFactor: topology.replicationFactor,
      })),
    ),
  );
  const partitions = counts.get(topology.topic) ?? 0;
  if (partitions < 1) throw new Error(`the topic ${topology.topic} has no partitions`);
  return { partitions, warning: partitionsWarning(topology, partitions) };
}

export function partitionsWarning(topology: KafkaTopology, partitions: number): string | null {
  if (partitions === topology.partitions) return null;
  const fewer = partitions < topology.partitions;
  return (
    `the topic ${topology.topic} has ${partitions} partitions, ${fewer ? 'fewer' : 'more'} than ` +
    `KAFKA_PARTITIONS=${topology.partitions}; it is used as it is` +
    (fewer
      ? `, so at most ${partitions} projector processes share the work. To use ${topology.partitions}, ` +
        'drain the consumers and add partitions (kafka-topics.sh --alter), or move to a new KAFKA_TOPIC'
      : '')
  );
}
