import type { MessageBroker } from './broker/message-broker';

export type PartitionOffsetLag = {
  readonly partition: number;
  /** The group's next offset to read (its committed offset), or the log start when it has none. */
  readonly committed: string;
  /** The partition's end (high watermark). */
  readonly end: string;
  /** Messages published but not yet applied and committed by the group. */
  readonly lag: number;
};

/** How far the consumer group is behind on the topic in Kafka's own terms (messages), per partition and in total. */
export async function consumerGroupLag(
  broker: MessageBroker,
  topic: string,
  groupId: string,
): Promise<{ readonly partitions: PartitionOffsetLag[]; readonly total: number }> {
  const offsets = await broker.admin((admin) => admin.groupOffsets(topic, groupId));
  const partitions = offsets.map(({ partition, committed, end }) => ({
    partition,
    committed,
    end,
    lag: Number(BigInt(end) - BigInt(committed)),
  }));
  return { partitions, total: partitions.reduce((sum, p) => sum + p.lag, 0) };
}
