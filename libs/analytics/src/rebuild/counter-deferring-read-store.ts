import {
  type CollectionSpec,
  counterEntries,
  type CounterPairSum,
  type CounterRange,
  type CounterSet,
  type Filter,
  type FindOptions,
  type IncrementWrite,
  type Page,
  type ReadOptions,
  type ReadStore,
  type StoredDocument,
  type UnitOfWork,
  type Write,
} from '@crm/read-store';

/**
 * Counters held at most before they are written with the next unit: bounds
 * the memory of a rebuild (a held counter costs ~150–250 bytes: its name,
 * its map entry) to some tens of MB per thread whatever the size of the
 * log; a log of 5,000,000 events for 100,000 customers has ~3,800,000.
 */
export const MAX_HELD_COUNTERS = 250_000;

/** collection → counter set → counter → summed delta. */
type Held = Map<string, Map<string, Map<string, number>>>;

/**
 * The read store as a rebuild by customer writes it: every unit's documents
 * are committed at once, but its increments are summed in memory and
 * written later, all together, with the unit that takes the held counters
 * past `maxHeld` or by `flush()`.
 *
 * Why: a counter (a day's KPI totals, a rank bucket) is shared by many
 * customers, so the units of a rebuild, a few hundred customers each,
 * increment the same counters again and again: 1.4 counter upserts per
 * event, ~60 times per counter. Summed first, each counter is written once
 * per flush, and the rebuild runs at the speed of its documents again.
 *
 * Only for a rebuild that starts from empty collections and, when it
 * fails, is started again from empty collections (`crm rebuild` resets
 * them first): between two flushes the documents of a customer are stored
 * without their counters, which a rebuild resumed from where it stopped
 * would not redo. Nothing reads counters while the customers are built
 * (projections derive increments from their own documents only), so
 * holding them back changes no document.
 */
export class CounterDeferringReadStore implements ReadStore {
  private held: Held = new Map();
  private heldCounters = 0;
  private last: { readonly projection: string; readonly position: number } | null = null;

  constructor(
    private readonly store: ReadStore,
    private readonly maxHeld: number = MAX_HELD_COUNTERS,
  ) {}

  /** Counters summed and not yet written. */
  get holding(): number {
    return this.heldCounters;
  }

  async commit(unit: UnitOfWork): Promise<void> {
    const writes: Write[] = [];
    for (const write of unit.writes) {
      if (write.kind === 'increment') this.hold(write);
      else writes.push(write);
    }
    if (this.heldCounters > this.maxHeld) writes.push(...this.release());
    this.last = { projection: unit.projection, position: unit.position };
    await this.store.commit({ ...unit, writes });
  }

  /** Writes every held counter, in one unit under the last unit's name and position. */
  async flush(): Promise<void> {
    const writes = this.release();
    if (writes.length === 0 || this.last === null) return;
    await this.store.commit({ ...this.last, writes });
  }

  ensureCollections(specs: readonly CollectionSpec[]): Promise<void> {
    return this.store.ensureCollections(specs);
  }

  get<T extends StoredDocument = StoredDocument>(collection: string, id: string): Promise<T | null> {
    return this.store.get<T>(collection, id);
  }

  getMany<T extends StoredDocument = StoredDocument>(
    collection: string,
    ids: readonly string[],
    options?: ReadOptions,
  ): Promise<T[]> {
    return this.store.getMany<T>(collection, ids, options);
  }

  find<T extends StoredDocument = StoredDocument>(
    collection: string,
    options?: FindOptions,
  ): Promise<Page<T>> {
    return this.store.find<T>(collection, options);
  }

  count(collection: string, filter?: Filter): Promise<number> {
    return this.store.count(collection, filter);
  }

  getCounters(collection: string, ids: readonly string[]): Promise<CounterSet[]> {
    return this.store.getCounters(collection, ids);
  }

  sumCounters(collection: string, sums: readonly CounterPairSum[]): Promise<number[]> {
    return this.store.sumCounters(collection, sums);
  }

  rangeCounters(collection: string, range: CounterRange): Promise<CounterSet[]> {
    return this.store.rangeCounters(collection, range);
  }

  checkpoint(projection: string): Promise<number> {
    return this.store.checkpoint(projection);
  }

  resetProjection(projection: string, collections: readonly string[]): Promise<void> {
    this.held = new Map();
    this.heldCounters = 0;
    return this.store.resetProjection(projection, collections);
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private hold(write: IncrementWrite): void {
    let sets = this.held.get(write.collection);
    if (sets === undefined) {
      sets = new Map();
      this.held.set(write.collection, sets);
    }
    let counters = sets.get(write.id);
    if (counters === undefined) {
      counters = new Map();
      sets.set(write.id, counters);
    }
    for (const [name, delta] of counterEntries(write.counters)) {
      const before = counters.get(name);
      if (before === undefined) this.heldCounters++;
      counters.set(name, (before ?? 0) + delta);
    }
  }

  /** The held counters as increments, each set's Map as it is (the store leaves out zeros), and nothing held any more. */
  private release(): IncrementWrite[] {
    const writes: IncrementWrite[] = [];
    for (const [collection, sets] of this.held)
      for (const [id, counters] of sets) writes.push({ kind: 'increment', collection, id, counters });
    this.held = new Map();
    this.heldCounters = 0;
    return writes;
  }
}
