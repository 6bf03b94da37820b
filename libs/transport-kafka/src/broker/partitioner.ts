/**
 * Which partition of `partitions` a customer's events go to: Kafka's
 * default for keyed messages (murmur2 of the key's UTF-8 bytes, made
 * positive, modulo the partition count), as the Java client and kafkajs
 * compute it. The relay sets every message's partition with it, and the
 * API uses the same function to know which partition a customer's reads
 * wait for (read-your-writes), whatever client library is in use.
 */
export function partitionOf(customerId: string, partitions: number): number {
  if (!Number.isSafeInteger(partitions) || partitions < 1) {
    throw new RangeError(`A topic has at least one partition, got ${partitions}`);
  }
  return (murmur2(Buffer.from(customerId, 'utf8')) & 0x7fffffff) % partitions;
}

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), in 32-bit integer arithmetic. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k =
      (data[i] ?? 0) | ((data[i + 1] ?? 0) << 8) | ((data[i + 2] ?? 0) << 16) | ((data[i + 3] ?? 0) << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  // The last one to three bytes, as the Java switch falls through its cases.
  const tail = length % 4;
  if (tail >= 3) h ^= (data[whole + 2] ?? 0) << 16;
  if (tail >= 2) h ^= (data[whole + 1] ?? 0) << 8;
  if (tail >= 1) h = Math.imul(h ^ (data[whole] ?? 0), M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}
