/**
 * What a read depends on: one customer's documents, or the whole population
 * (KPIs, segments, ranks), which every customer's events feed.
 */
export type ReadScope = 'population' | { readonly customerId: string };

/** How far one partition of a partitioned transport (Kafka) is behind the log. */
export type PartitionLag = {
  readonly partition: number;
  /** Every event of the partition up to this log position is applied by every projection. */
  readonly position: number;
  /** Events of the partition in the log that some projection has not applied yet. */
  readonly events: number;
  /** Age of the oldest of them; 0 when there is none. */
  readonly seconds: number;
};

/**
 * Read-your-writes: how far the read models are, as a read sees them. With
 * the direct transport one runner applies the log in order, so one position
 * says it all. With Kafka each partition is applied on its own, and a read
 * of one customer needs only that customer's partition to have caught up.
 */
export interface ReadPositions {
  /** The log position `scope` reflects: every event up to it that its read models depend on is applied. */
  position(scope: ReadScope): number;
  /** Resolves true once `scope` reflects `position`, false after `timeoutMs`. */
  waitFor(position: number, scope: ReadScope, timeoutMs: number): Promise<boolean>;
  /**
   * The projections `scope` depends on that an operator paused before
   * `position` (logical names): waiting cannot reach it until they resume.
   * Empty where pauses are not visible to this process (Kafka, run mode `api`).
   */
  pausedBelow(position: number, scope: ReadScope): readonly string[];
  /** Per partition, for a partitioned transport; empty otherwise. */
  partitions(): readonly PartitionLag[];
}

/** DI token: the ReadPositions of this process (ProjectionsModule picks the transport's or the runtime's). */
export const READ_POSITIONS = Symbol('READ_POSITIONS');

/**
 * DI token a transport module provides when reads cannot follow one
 * checkpoint (Kafka: per-partition progress in the read store).
 */
export const TRANSPORT_READ_POSITIONS = Symbol('TRANSPORT_READ_POSITIONS');
