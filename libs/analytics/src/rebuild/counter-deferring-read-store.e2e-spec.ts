import { SqliteReadStore } from '@crm/read-store';
import { CounterDeferringReadStore } from './counter-deferring-read-store';

async function openStore(): Promise<SqliteReadStore> {
  const store = await SqliteReadStore.open({ file: ':memory:' });
  await store.ensureCollections([
    { name: 'docs', indexes: [] },
    { name: 'tally', indexes: [], kind: 'counters' },
  ]);
  return store;
}

const put = (id: string, position: number) =>
  ({ kind: 'put', collection: 'docs', document: { id, position } }) as const;
const increment = (id: string, counters: Record<string, number> | ReadonlyMap<string, number>) =>
  ({ kind: 'increment', collection: 'tally', id, counters }) as const;

describe('CounterDeferringReadStore', () => {
  it('commits documents at once and the summed increments only when flushed', async () => {
    const store = await openStore();
    const deferring = new CounterDeferringReadStore(store);
    await deferring.commit({
      projection: 'p:by-customer',
      position: 9,
      writes: [put('a', 3), increment('day', { x: 2, y: 1 })],
    });
    await deferring.commit({
      projection: 'p:by-customer',
      position: 9,
      writes: [put('b', 5), increment('day', { x: 3, y: -1 })],
    });
    expect(await store.getMany('docs', ['a', 'b'])).toHaveLength(2);
    expect(await store.getCounters('tally', ['day'])).toEqual([]);
    expect(deferring.holding).toBe(2);
    const commit = jest.spyOn(store, 'commit');
    await deferring.flush();
    expect(commit).toHaveBeenCalledTimes(1);
    // y summed to 0: the store leaves it out.
    expect(commit.mock.calls[0]?.[0].writes).toEqual([
      increment(
        'day',
        new Map([
          ['x', 5],
          ['y', 0],
        ]),
      ),
    ]);
    expect(await store.getCounters('tally', ['day'])).toEqual([{ id: 'day', counters: new Map([['x', 5]]) }]);
    expect(deferring.holding).toBe(0);
    await deferring.flush();
    expect(commit).toHaveBeenCalledTimes(1);
    await store.close();
  });

  it('writes what it holds with the unit that takes it past its bound', async () => {
    const store = await openStore();
    const deferring = new CounterDeferringReadStore(store, 2);
    await deferring.commit({ projection: 'p', position: 1, writes: [increment('d1', { a: 1, b: 1 })] });
    expect(await store.getCounters('tally', ['d1'])).toEqual([]);
    await deferring.commit({
      projection: 'p',
      position: 2,
      writes: [put('c', 2), increment('d2', { a: 4 })],
    });
    expect(await store.getCounters('tally', ['d1', 'd2'])).toEqual([
      {
        id: 'd1',
        counters: new Map([
          ['a', 1],
          ['b', 1],
        ]),
      },
      { id: 'd2', counters: new Map([['a', 4]]) },
    ]);
    expect(await store.checkpoint('p')).toBe(2);
    expect(deferring.holding).toBe(0);
    await store.close();
  });

  it('forgets what it holds for a projection that is reset', async () => {
    const store = await openStore();
    const deferring = new CounterDeferringReadStore(store);
    await deferring.commit({ projection: 'p', position: 1, writes: [increment('d1', { a: 1 })] });
    await deferring.resetProjection('p', ['docs', 'tally']);
    await deferring.flush();
    expect(await store.getCounters('tally', ['d1'])).toEqual([]);
    await store.close();
  });
});
