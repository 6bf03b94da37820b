import type { Kafka } from 'kafkajs';

/** The two topics of the transport and how the relay creates them. */
export type KafkaTopology = {
  readonly topic: string;
  readonly dlqTopic: string;
  readonly partitions: number;
  readonly replicationFactor: number;
};

/** Creates the event and dead-letter topics if missing; existing topics are left as they are. */
export async function ensureTopics(kafka: Kafka, topology: KafkaTopology): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [topology.topic, topology.dlqTopic].filter((topic) => !existing.has(topic));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: topology.partitions,
        replicationFactor: topology.replicationFactor,
      })),
    });
  } finally {
    await admin.disconnect();
  }
}
