import { counterEntries, type StoredDocument, type Write } from '@crm/read-store';
import type { CustomerEvent, DocumentReader, Projection } from '../../runner/projection';

/**
 * The read store's write semantics in memory, for unit specs of a
 * projection: puts and deletes guarded by position, increments added.
 */
export class InMemoryUnits implements DocumentReader {
  readonly documents = new Map<string, Map<string, StoredDocument>>();
  readonly counters = new Map<string, Map<string, Map<string, number>>>();

  constructor(private readonly projection: Projection) {}

  getMany<T extends StoredDocument>(collection: string, ids: readonly string[]): Promise<T[]> {
    const stored = this.documents.get(collection);
    const found = [...new Set(ids)].flatMap((id): T[] => {
      const doc = stored?.get(id);
      // The caller's claim about the shape, as with the real store.
      return doc === undefined ? [] : [structuredClone(doc) as T];
    });
    return Promise.resolve(found);
  }

  /** Projects a batch and applies its writes; returns them. */
  async apply(batch: readonly CustomerEvent[]): Promise<Write[]> {
    const writes = await this.projection.project(batch, this);
    this.commit(writes);
    return writes;
  }

  async retract(customerIds: readonly string[]): Promise<Write[]> {
    const writes = (await this.projection.retract?.(customerIds, this)) ?? [];
    this.commit(writes);
    return writes;
  }

  commit(writes: readonly Write[]): void {
    for (const write of writes) {
      if (write.kind === 'increment') {
        const sets = this.mapOf(this.counters, write.collection);
        const set = this.mapOf(sets, write.id);
        for (const [name, delta] of counterEntries(write.counters)) {
          const value = (set.get(name) ?? 0) + delta;
          if (value === 0) set.delete(name);
          else set.set(name, value);
        }
        continue;
      }
      const docs = this.mapOf(this.documents, write.collection);
      if (write.kind === 'put') {
        const stored = docs.get(write.document.id);
        if (stored === undefined || stored.position < write.document.position)
          docs.set(write.document.id, structuredClone(write.document));
      } else {
        const stored = docs.get(write.id);
        if (stored !== undefined && stored.position < write.position) docs.delete(write.id);
      }
    }
  }

  /** The documents of a collection by id. */
  all<T extends StoredDocument>(collection: string): T[] {
    return [...(this.documents.get(collection)?.values() ?? [])].sort((a, b) =>
      a.id < b.id ? -1 : 1,
    ) as T[];
  }

  /** A counter set as plain data, zeros left out. */
  set(collection: string, id: string): Record<string, number> {
    return Object.fromEntries(this.counters.get(collection)?.get(id) ?? []);
  }

  /** Every non-empty counter set of a collection. */
  sets(collection: string): Record<string, Record<string, number>> {
    return Object.fromEntries(
      [...(this.counters.get(collection) ?? new Map<string, Map<string, number>>())]
        .filter(([, set]) => set.size > 0)
        .map(([id, set]) => [id, Object.fromEntries(set)] as const)
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  }

  private mapOf<K, V extends Map<string, unknown>>(maps: Map<K, V>, key: K): V {
    let map = maps.get(key);
    if (map === undefined) {
      map = new Map() as V;
      maps.set(key, map);
    }
    return map;
  }
}
