import { Slicer } from '@crm/platform/slicing';
import { SqliteReadStore, type ReadStore } from '@crm/read-store';
import { slicedReads } from './sliced-reads';

describe('slicedReads', () => {
  let store: SqliteReadStore;

  beforeAll(async () => {
    store = await SqliteReadStore.open({ file: ':memory:' });
    await store.ensureCollections([
      { name: 'docs', indexes: [] },
      { name: 'sets', indexes: [], kind: 'counters' },
    ]);
    await store.commit({
      projection: 'p',
      position: 1,
      writes: [
        { kind: 'put', collection: 'docs', document: { id: 'a', position: 1, n: 1 } },
        { kind: 'increment', collection: 'sets', id: 's', counters: { c: 2 } },
      ],
    });
  });
  afterAll(() => store.close());

  /** The order in which a query of four reads and a request arriving meanwhile (a setImmediate) run. */
  async function interleaving(reads: ReadStore): Promise<string[]> {
    const order: string[] = [];
    const query = (async () => {
      await reads.get('docs', 'a');
      order.push('get');
      await reads.find('docs', {});
      order.push('find');
      await reads.getCounters('sets', ['s']);
      order.push('getCounters');
      await reads.rangeCounters('sets', { from: '', to: 'z' });
      order.push('rangeCounters');
    })();
    setImmediate(() => order.push('request'));
    await query;
    await new Promise((resolve) => setImmediate(resolve));
    return order;
  }

  it('lets a request in between the reads of one query once its slice has run its time', async () => {
    // A slice of 0 ms: every read is due a turn.
    expect(await interleaving(slicedReads(store, new Slicer({ sliceMs: 0 })))).toEqual([
      'get',
      'request',
      'find',
      'getCounters',
      'rangeCounters',
    ]);
  });

  it('where the store alone runs the whole query first (what the slices are for)', async () => {
    expect(await interleaving(store)).toEqual(['get', 'find', 'getCounters', 'rangeCounters', 'request']);
  });

  it('carries on at once while the slice has time left', async () => {
    const forever = new Slicer({ sliceMs: 60_000 });
    expect(await interleaving(slicedReads(store, forever))).toEqual([
      'get',
      'find',
      'getCounters',
      'rangeCounters',
      'request',
    ]);
  });

  it('reads what the store reads and writes through it', async () => {
    const reads = slicedReads(store);
    expect(await reads.get('docs', 'a')).toEqual(await store.get('docs', 'a'));
    expect(await reads.getMany('docs', ['a'])).toEqual(await store.getMany('docs', ['a']));
    expect(await reads.count('docs')).toBe(1);
    expect(await reads.getCounters('sets', ['s'])).toEqual(await store.getCounters('sets', ['s']));
    await reads.commit({ projection: 'p', position: 2, writes: [] });
    expect(await reads.checkpoint('p')).toBe(2);
  });
});
