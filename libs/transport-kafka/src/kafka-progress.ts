import {
  type CollectionSpec,
  MAX_LIMIT,
  type PutWrite,
  type ReadStore,
  type StoredDocument,
} from '@crm/read-store';

/**
 * What the relay and the consumers commit to the read store, with their
 * checkpoints and documents, so that a process that sees neither (an API)
 * knows how far each partition is applied: the facts behind read-your-writes
 * under Kafka (see KafkaReadPositions and docs/kafka.md). Each document only
 * ever moves forward (its `position` guards the put), and each states
 * something that stays true, so the order in which processes write them
 * does not matter.
 */
export const KAFKA_PROGRESS_COLLECTION = 'kafka_progress';

export const KAFKA_PROGRESS_SPEC: CollectionSpec = { name: KAFKA_PROGRESS_COLLECTION, indexes: ['topic'] };

/**
 * The relay's progress on a topic: every customer event up to `position` is
 * published, and `published[k]` is the last position it published to
 * partition k (0: none), so no event of partition k lies in
 * (published[k], position]. Committed in one unit with the relay's checkpoint.
 */
export type RelayProgressDocument = StoredDocument & {
  readonly kind: 'relay';
  readonly topic: string;
  readonly partitions: number;
  readonly published: readonly number[];
};

/**
 * A partition's progress: every event of partition `partition` up to
 * `position` is applied by every projection (or dead-lettered). Committed
 * in the unit of the last projection of a run, after the others.
 */
export type PartitionProgressDocument = StoredDocument & {
  readonly kind: 'partition';
  readonly topic: string;
  readonly partition: number;
};

export function relayProgress(
  topic: string,
  position: number,
  published: readonly number[],
): PutWrite & { document: RelayProgressDocument } {
  return {
    kind: 'put',
    collection: KAFKA_PROGRESS_COLLECTION,
    document: {
      id: `relay:${topic}`,
      position,
      kind: 'relay',
      topic,
      partitions: published.length,
      published: [...published],
    },
  };
}

export function partitionProgress(topic: string, partition: number, position: number): PutWrite {
  const document: PartitionProgressDocument = {
    id: `partition:${topic}:${partition}`,
    position,
    kind: 'partition',
    topic,
    partition,
  };
  return { kind: 'put', collection: KAFKA_PROGRESS_COLLECTION, document };
}

export type TopicProgress = {
  readonly relay: RelayProgressDocument | null;
  /** Partition → the position up to which it is applied (absent: nothing yet). */
  readonly applied: ReadonlyMap<number, number>;
};

/** Every progress document of a topic. */
export async function readTopicProgress(store: ReadStore, topic: string): Promise<TopicProgress> {
  let relay: RelayProgressDocument | null = null;
  const applied = new Map<number, number>();
  let cursor: string | undefined;
  do {
    const page = await store.find<RelayProgressDocument | PartitionProgressDocument>(
      KAFKA_PROGRESS_COLLECTION,
      {
        filter: { topic },
        limit: MAX_LIMIT,
        cursor,
      },
    );
    for (const doc of page.items) {
      if (doc.kind === 'relay') relay = doc;
      else applied.set(doc.partition, doc.position);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return { relay, applied };
}
