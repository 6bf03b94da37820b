import { randomUUID } from 'node:crypto';
import { Partitioners, type PartitionerArgs } from 'kafkajs';
import { murmur2, partitionOf } from './partitioner';

/** kafkajs' default partitioner for a keyed message on a topic of `partitions` partitions. */
function kafkajsPartition(key: string, partitions: number): number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId,
    leader: 0,
  })) as PartitionerArgs['partitionMetadata'];
  return partitioner({ topic: 't', partitionMetadata, message: { key, value: null } });
}

describe('partitionOf', () => {
  it("matches Kafka's murmur2 on the reference vectors of the Java client", () => {
    // org.apache.kafka.common.utils.UtilsTest#testMurmur2
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of cases) expect(murmur2(Buffer.from(key))).toBe(hash);
  });

  it('puts every customer where kafkajs would, for any partition count', () => {
    const ids = [
      ...Array.from({ length: 300 }, () => randomUUID()),
      'cust-01',
      'a',
      'Zoë-Ünïcode-客户',
      'x'.repeat(129),
    ];
    for (const partitions of [1, 3, 6, 12, 64]) {
      for (const id of ids) expect(partitionOf(id, partitions)).toBe(kafkajsPartition(id, partitions));
    }
  });

  it('refuses a partition count below one', () => {
    expect(() => partitionOf('a', 0)).toThrow(RangeError);
  });
});
