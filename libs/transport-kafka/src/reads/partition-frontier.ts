import { partitionOf } from '../broker/partitioner';

/** A customer event of the log, as far as partitions are concerned. */
export type LoggedEvent = {
  readonly customerId: string;
  readonly position: number;
  /** When the store committed it, epoch ms. */
  readonly recordedAtMs: number;
};

/** What the read store says at one moment (kafka_progress). */
export type ProgressSnapshot = {
  /** Relay: every customer event up to `position` published; `published[k]` the last one partition k got. */
  readonly relay: { readonly position: number; readonly published: readonly number[] };
  /** Partition → every event of it up to this position applied by every projection. */
  readonly applied: ReadonlyMap<number, number>;
};

/**
 * Every event of a partition up to `covered` is applied; `pending` are its
 * events after that which are not (in the log, up to where it was read).
 */
export type PartitionState = {
  readonly partition: number;
  readonly covered: number;
  readonly pending: number;
  /** recordedAt (epoch ms) of the oldest pending event; null when none is. */
  readonly oldestPendingMs: number | null;
};

/**
 * Which partition each event not applied yet belongs to, and from that, how
 * far each partition is applied without gaps. A partition's positions are
 * not contiguous (the others' events lie between them), so "partition k has
 * applied position a" says nothing about a position b > a by itself: b may
 * belong to another partition, or to k and not be applied yet. The frontier
 * answers it exactly by reading the log itself: it keeps, per partition, the
 * positions of the events after its applied position (`applied[k]`, from
 * the consumers' progress), found by reading the log forward from where
 * nothing is known; a partition is then covered up to just before its first
 * pending event, or up to where the log has been read when it has none.
 *
 * Where to start reading comes from the relay's progress: a partition whose
 * last published event is applied (applied[k] ≥ published[k]) has no event
 * in (applied[k], relay position], so the log needs reading for it only
 * from the relay's position; any other from its applied position.
 */
export class PartitionFrontier {
  private readonly applied: number[];
  /** Per partition, ascending: the events read from the log that the partition has not applied. */
  private readonly pending: { position: number; recordedAtMs: number }[][];
  /** Per partition, a position up to which it is known to be applied without reading the log. */
  private readonly floor: number[];
  private pendingTotal = 0;

  private constructor(
    readonly partitions: number,
    snapshot: ProgressSnapshot,
    /** The log has been read up to here; every event of interest after it is still to be read. */
    private readUpTo: number,
  ) {
    this.applied = Array.from({ length: partitions }, (_, k) => snapshot.applied.get(k) ?? 0);
    this.pending = Array.from({ length: partitions }, () => []);
    const relay = snapshot.relay;
    this.floor = this.applied.map((applied, k) =>
      applied >= (relay.published[k] ?? Infinity) ? Math.max(applied, relay.position) : applied,
    );
  }

  /** A frontier for this snapshot, and the log position to read forward from. */
  static start(snapshot: ProgressSnapshot): PartitionFrontier {
    const partitions = snapshot.relay.published.length;
    if (partitions < 1) throw new RangeError('The relay published to no partition');
    const from = Math.min(
      snapshot.relay.position,
      ...Array.from({ length: partitions }, (_, k) => {
        const applied = snapshot.applied.get(k) ?? 0;
        return applied >= (snapshot.relay.published[k] ?? Infinity) ? Infinity : applied;
      }),
    );
    return new PartitionFrontier(partitions, snapshot, from);
  }

  /** Where the log is to be read from next (exclusive). */
  get readPosition(): number {
    return this.readUpTo;
  }

  /** Events pending in all partitions: a bound on memory that the caller checks before reading more. */
  get pendingEvents(): number {
    return this.pendingTotal;
  }

  /** Takes in what the consumers applied since (positions only rise). */
  progress(applied: ReadonlyMap<number, number>): void {
    for (const [partition, position] of applied) {
      if (partition < 0 || partition >= this.partitions) continue;
      if (position <= (this.applied[partition] ?? 0)) continue;
      this.applied[partition] = position;
      const list = this.pending[partition] ?? [];
      let drop = 0;
      while (drop < list.length && (list[drop]?.position ?? Infinity) <= position) drop++;
      if (drop > 0) {
        list.splice(0, drop);
        this.pendingTotal -= drop;
      }
    }
  }

  /**
   * Takes in the log's customer events after `readPosition`, in log order,
   * read up to `upTo` (every event up to it is among them).
   */
  read(events: readonly LoggedEvent[], upTo: number): void {
    for (const event of events) {
      if (event.position <= this.readUpTo) continue;
      const partition = partitionOf(event.customerId, this.partitions);
      if (event.position <= (this.applied[partition] ?? 0)) continue;
      if (event.position <= (this.floor[partition] ?? 0)) continue;
      this.pending[partition]?.push({ position: event.position, recordedAtMs: event.recordedAtMs });
      this.pendingTotal++;
    }
    this.readUpTo = Math.max(this.readUpTo, upTo);
  }

  /** Every event of `partition` up to the returned position is applied. */
  covered(partition: number): number {
    const first = this.pending[partition]?.[0];
    // Positions are integers: everything below the first pending one is applied.
    const upTo = first ? first.position - 1 : this.readUpTo;
    return Math.max(this.applied[partition] ?? 0, this.floor[partition] ?? 0, upTo);
  }

  /** The partition a customer's events go to. */
  partitionOf(customerId: string): number {
    return partitionOf(customerId, this.partitions);
  }

  /** Every event up to the returned position is applied, in every partition. */
  coveredEverywhere(): number {
    let lowest = Infinity;
    for (let k = 0; k < this.partitions; k++) lowest = Math.min(lowest, this.covered(k));
    return lowest;
  }

  states(): PartitionState[] {
    return Array.from({ length: this.partitions }, (_, partition) => {
      const list = this.pending[partition] ?? [];
      return {
        partition,
        covered: this.covered(partition),
        pending: list.length,
        oldestPendingMs: list[0]?.recordedAtMs ?? null,
      };
    });
  }
}
