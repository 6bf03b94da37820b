import { LruCache } from './lru-cache';

describe('LruCache', () => {
  it('returns what was stored and undefined for unknown keys', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);

    expect(cache.get('a')).toBe(1);
    expect(cache.get('b')).toBeUndefined();
  });

  it('evicts the least recently used entry when over capacity', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');

    cache.set('c', 3);

    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
    expect(cache.size).toBe(2);
  });

  it('treats overwriting a key as a use and keeps one entry for it', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 10);

    cache.set('c', 3);

    expect([cache.get('a'), cache.get('b')]).toEqual([10, undefined]);
    expect(cache.size).toBe(2);
  });

  it('stores nothing at capacity 0', () => {
    const cache = new LruCache<string, number>(0);
    cache.set('a', 1);

    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('forgets a deleted key', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.delete('a');

    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('forgets every entry on clear', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.clear();

    expect([cache.get('a'), cache.get('b')]).toEqual([undefined, undefined]);
    expect(cache.size).toBe(0);
  });
});
