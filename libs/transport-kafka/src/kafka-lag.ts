import type { Kafka } from 'kafkajs';

export type PartitionLag = {
  readonly partition: number;
  /** The group's next offset to read (its committed offset), or the log start when it has none. */
  readonly committed: string;
  /** The partition's end (high watermark). */
  readonly end: string;
  /** Messages published but not yet applied and committed by the group. */
  readonly lag: number;
};

/** How far the consumer group is behind on the topic, per partition and in total. */
export async function consumerGroupLag(
  kafka: Kafka,
  topic: string,
  groupId: string,
): Promise<{ readonly partitions: PartitionLag[]; readonly total: number }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [group] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committed = new Map((group?.partitions ?? []).map((p) => [p.partition, p.offset]));
    const partitions = ends.map(({ partition, high, low }) => {
      const own = committed.get(partition);
      const from = own === undefined || BigInt(own) < 0n ? low : own;
      return { partition, committed: from, end: high, lag: Number(BigInt(high) - BigInt(from)) };
    });
    return { partitions, total: partitions.reduce((sum, p) => sum + p.lag, 0) };
  } finally {
    await admin.disconnect();
  }
}
