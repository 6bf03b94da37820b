import { LRUCache } from 'lru-cache';

/**
 * A least-recently-used map of at most `capacity` entries, on the lru-cache
 * package. This wrapper only adds what the settings need: a capacity of 0
 * turns the cache off (lru-cache itself requires a positive `max`). lru-cache
 * allocates its index for `max` entries up front, about 8 bytes each.
 */
export class LruCache<K extends NonNullable<unknown>, V extends NonNullable<unknown>> {
  private readonly entries: LRUCache<K, V> | null;

  constructor(capacity: number) {
    this.entries = capacity > 0 ? new LRUCache<K, V>({ max: capacity }) : null;
  }

  /** The value, marked as the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    return this.entries?.get(key);
  }

  /** Stores or replaces (also a use); the least recently used entry goes when over capacity. */
  set(key: K, value: V): void {
    this.entries?.set(key, value);
  }

  delete(key: K): void {
    this.entries?.delete(key);
  }

  clear(): void {
    this.entries?.clear();
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }
}
