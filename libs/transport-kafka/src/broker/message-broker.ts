/**
 * The broker as the transport uses it: a port, so that the Kafka client
 * library can be swapped without touching the relay or the consumers. The
 * kafkajs adapter (./kafkajs) is the one in use; docs/kafka.md says what
 * another must honour.
 */

/** Header values as a broker hands them over: text or bytes, possibly repeated. */
export type MessageHeaders = Readonly<
  Record<string, string | Buffer | readonly (string | Buffer)[] | undefined>
>;

/** A message as it leaves. */
export type OutgoingMessage = {
  readonly key: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers?: Readonly<Record<string, string | Buffer>>;
  /** The partition it goes to, chosen by the sender (never left to the library's partitioner). */
  readonly partition?: number;
};

/** A message as it arrives; structural, so tests need no broker. */
export type IncomingMessage = {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: MessageHeaders;
};

export type ConsumedMessage = IncomingMessage & { readonly offset: string };

/** Sends to one topic. */
export interface MessagePublisher {
  /**
   * Resolves once every in-sync replica has every message; each partition
   * gets its messages in the order given, none twice however often the
   * library retries within the call (an idempotent producer). Rejects as a
   * whole: the caller sends again, and some messages may then be there twice.
   */
  send(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

/** What one member of a consumer group fetched from one of its partitions. */
export type PartitionBatch = {
  readonly topic: string;
  readonly partition: number;
  /** In offset order. */
  readonly messages: readonly ConsumedMessage[];
  /** True once the partition was taken from this member (a rebalance): stop, its next owner goes on. */
  isStale(): boolean;
  /** Tells the group this member is alive during a long batch. */
  heartbeat(): Promise<void>;
  /** Commits the group's offset: every message up to and including `offset` is done with. */
  commit(offset: string): Promise<void>;
};

/** One member of a consumer group on one topic. */
export interface GroupMember {
  /**
   * Joins the group and calls `eachBatch` for what it fetches: each partition
   * in offset order, never two batches of one partition at once, from the
   * group's committed offset (the topic's start when none). Resolves once
   * consuming has begun; nothing is committed but what `commit` commits.
   */
  start(eachBatch: (batch: PartitionBatch) => Promise<void>): Promise<void>;
  /** Lets the batches in flight finish, then leaves the group. */
  stop(): Promise<void>;
}

export type TopicSpec = {
  readonly topic: string;
  readonly partitions: number;
  readonly replicationFactor: number;
};

export type PartitionOffsets = {
  readonly partition: number;
  /** The group's next offset to read, or the partition's start when it has committed none. */
  readonly committed: string;
  /** The partition's end (high watermark). */
  readonly end: string;
};

export interface TopicAdmin {
  /** Creates the topics that are missing; returns every topic's partition count, existing ones as they are. */
  ensureTopics(specs: readonly TopicSpec[]): Promise<ReadonlyMap<string, number>>;
  /** The topic's partition count; 0 when it does not exist. */
  partitionCount(topic: string): Promise<number>;
  /** Per partition, where a consumer group stands against the partition's end. */
  groupOffsets(topic: string, groupId: string): Promise<PartitionOffsets[]>;
}

export type GroupMemberOptions = {
  readonly topic: string;
  readonly groupId: string;
  /** Partitions this member works on at once, each in order. */
  readonly concurrency: number;
  /** How long the group waits for a silent member before moving its partitions (default: the client's, 30 s). */
  readonly sessionTimeoutMs?: number;
};

export interface MessageBroker {
  /** An admin session: connects, runs `work`, disconnects. */
  admin<T>(work: (admin: TopicAdmin) => Promise<T>): Promise<T>;
  /** A connected publisher. */
  publisher(): Promise<MessagePublisher>;
  /** A member that joins when started. */
  groupMember(options: GroupMemberOptions): GroupMember;
}
