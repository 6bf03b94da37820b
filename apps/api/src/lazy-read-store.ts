import {
  type CollectionSpec,
  type CounterPairSum,
  type CounterRange,
  type CounterSet,
  type Filter,
  type FindOptions,
  type Page,
  type ReadOptions,
  type ReadStore,
  ReadStoreUnavailableError,
  type StoredDocument,
  type UnitOfWork,
} from '@crm/read-store';

/**
 * A read store that opens its engine on first use rather than when it is
 * built. Building the application must never need a server: the module
 * graph of every run mode is resolved in tests without one, and a process
 * whose database is down boots far enough to say so. A failed open is not
 * kept: the next call tries again (its error is the engine's, typically
 * ReadStoreUnavailableError, which callers already wait out).
 */
export class LazyReadStore implements ReadStore {
  private opening: Promise<ReadStore> | null = null;
  private closed = false;

  constructor(private readonly open: () => Promise<ReadStore>) {}

  ensureCollections(specs: readonly CollectionSpec[]): Promise<void> {
    return this.store().then((store) => store.ensureCollections(specs));
  }

  get<T extends StoredDocument = StoredDocument>(collection: string, id: string): Promise<T | null> {
    return this.store().then((store) => store.get<T>(collection, id));
  }

  getMany<T extends StoredDocument = StoredDocument>(
    collection: string,
    ids: readonly string[],
    options?: ReadOptions,
  ): Promise<T[]> {
    return this.store().then((store) => store.getMany<T>(collection, ids, options));
  }

  find<T extends StoredDocument = StoredDocument>(
    collection: string,
    options?: FindOptions,
  ): Promise<Page<T>> {
    return this.store().then((store) => store.find<T>(collection, options));
  }

  count(collection: string, filter?: Filter): Promise<number> {
    return this.store().then((store) => store.count(collection, filter));
  }

  getCounters(collection: string, ids: readonly string[]): Promise<CounterSet[]> {
    return this.store().then((store) => store.getCounters(collection, ids));
  }

  sumCounters(collection: string, sums: readonly CounterPairSum[]): Promise<number[]> {
    return this.store().then((store) => store.sumCounters(collection, sums));
  }

  rangeCounters(collection: string, range: CounterRange): Promise<CounterSet[]> {
    return this.store().then((store) => store.rangeCounters(collection, range));
  }

  commit(unit: UnitOfWork): Promise<void> {
    return this.store().then((store) => store.commit(unit));
  }

  checkpoint(projection: string): Promise<number> {
    return this.store().then((store) => store.checkpoint(projection));
  }

  resetProjection(projection: string, collections: readonly string[]): Promise<void> {
    return this.store().then((store) => store.resetProjection(projection, collections));
  }

  /** As the engine does; an engine without it keeps no old copies, so there is nothing to purge. */
  purgeDeleted(): Promise<void> {
    return this.store().then((store) => store.purgeDeleted?.());
  }

  /** Closes the engine if it was opened (waiting for an open under way); never opens it. */
  async close(): Promise<void> {
    this.closed = true;
    const opening = this.opening;
    if (!opening) return;
    const store = await opening.catch(() => null);
    await store?.close();
  }

  private store(): Promise<ReadStore> {
    if (this.closed) return Promise.reject(new ReadStoreUnavailableError('The read store is closed'));
    if (!this.opening) {
      const opening = this.open();
      this.opening = opening;
      // Forgotten on failure, so that an engine that was down is tried again on the next call.
      opening.catch(() => {
        if (this.opening === opening) this.opening = null;
      });
    }
    return this.opening;
  }
}
