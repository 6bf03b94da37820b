import { InvalidQueryError, InvalidWriteError, UnknownCollectionError } from '../../read-store.errors';
import { type CounterSet, type ReadStore, sumCounterPairs, type Write } from '../../read-store.port';
import {
  declared,
  doc,
  newCollection,
  newProjection,
  put,
  rejectionOf,
  type StoreGetter,
} from './contract-fixtures';

async function counterCollection(store: ReadStore): Promise<string> {
  const name = newCollection('k');
  await store.ensureCollections([{ name, indexes: [], kind: 'counters' }]);
  return name;
}

function increment(collection: string, id: string, counters: Record<string, number>): Write {
  return { kind: 'increment', collection, id, counters };
}

function plain(sets: readonly CounterSet[]): Record<string, Record<string, number>> {
  return Object.fromEntries(sets.map((set) => [set.id, Object.fromEntries(set.counters)]));
}

export function countersContract(store: StoreGetter): void {
  describe('counter sets', () => {
    it('sums the counters named <a>:<b> below two bounds, each set as it stands after the units', async () => {
      const counters = await counterCollection(store());
      const projection = newProjection();
      const pairs: Record<string, number> = {};
      for (const a of [-20_000, -3, 0, 7, 19_999, 20_000, 9_007_199_254_740_991])
        for (const b of [-1_500, -1, 0, 1, 12, 250_000])
          pairs[`${a}:${b}`] = 1 + ((a * 7 + b * 13) % 5 === 0 ? 3 : 1);
      await store().commit({ projection, position: 1, writes: [increment(counters, 'p', pairs)] });
      await store().commit({
        projection,
        position: 2,
        writes: [increment(counters, 'p', { '7:12': -2, '0:0': 5 }), increment(counters, 'q', { '3:4': 9 })],
      });
      const [stored] = await store().getCounters(counters, ['p']);
      const sums = [
        { set: 'p', belowFirst: null, belowSecond: null },
        { set: 'p', belowFirst: 7, belowSecond: null },
        { set: 'p', belowFirst: 20_000, belowSecond: 1 },
        { set: 'p', belowFirst: null, belowSecond: -1 },
        { set: 'p', belowFirst: -3, belowSecond: 250_000 },
        { set: 'p', belowFirst: 9_007_199_254_740_991, belowSecond: 0 },
        { set: 'q', belowFirst: 4, belowSecond: 5 },
        { set: 'q', belowFirst: 3, belowSecond: 5 },
        { set: 'none', belowFirst: null, belowSecond: null },
      ];
      const totals = await store().sumCounters(counters, sums);
      const asRead = new Map([
        ['p', stored?.counters ?? new Map<string, number>()],
        ['q', new Map([['3:4', 9]])],
      ]);
      expect(totals).toEqual(sums.map((sum) => sumCounterPairs(asRead.get(sum.set) ?? new Map(), sum)));
      expect(totals.slice(0, 2)).toEqual([
        Object.values(pairs).reduce((all, count) => all + count, 0) + 3,
        Object.entries(pairs)
          .filter(([name]) => Number(name.split(':')[0]) < 7)
          .reduce((all, [, count]) => all + count, 0) + 5,
      ]);
      expect(totals.slice(6)).toEqual([9, 0, 0]);
      expect(await store().sumCounters(counters, [])).toEqual([]);
    });

    it('sums a set of single integers (a histogram) as <a>:<a>', async () => {
      const counters = await counterCollection(store());
      const histogram = { '-250': 2, '0': 1, '9': 4, '10': 8, '1700000000000': 16 };
      await store().commit({
        projection: newProjection(),
        position: 1,
        writes: [increment(counters, 'h', histogram)],
      });
      const sums = [
        { set: 'h', belowFirst: null, belowSecond: null },
        { set: 'h', belowFirst: 10, belowSecond: null },
        { set: 'h', belowFirst: -250, belowSecond: null },
        { set: 'h', belowFirst: 1_700_000_000_001, belowSecond: null },
        { set: 'h', belowFirst: null, belowSecond: 1 },
      ];
      const totals = await store().sumCounters(counters, sums);
      expect(totals).toEqual([31, 7, 0, 31, 3]);
      const asRead = new Map(Object.entries(histogram));
      expect(totals).toEqual(sums.map((sum) => sumCounterPairs(asRead, sum)));
    });

    it('refuses a sum without a set id or with a bound that is no safe integer', async () => {
      const counters = await counterCollection(store());
      const bad = [{ set: 's', belowFirst: 1.5, belowSecond: null }];
      expect(await rejectionOf(store().sumCounters(counters, bad))).toBeInstanceOf(InvalidQueryError);
      const noSet = [{ belowFirst: 1, belowSecond: 1 }] as unknown as Parameters<ReadStore['sumCounters']>[1];
      expect(await rejectionOf(store().sumCounters(counters, noSet))).toBeInstanceOf(InvalidQueryError);
      expect(await rejectionOf(store().sumCounters(newCollection('k'), []))).toBeInstanceOf(
        UnknownCollectionError,
      );
    });

    it('adds increments to counters, creating them, with the unit', async () => {
      const counters = await counterCollection(store());
      const projection = newProjection();
      await store().commit({
        projection,
        position: 3,
        writes: [increment(counters, 'd:2026-01-01', { orders: 2, 'revenue|b2c': 500 })],
      });
      await store().commit({
        projection,
        position: 4,
        writes: [
          increment(counters, 'd:2026-01-01', { orders: 1, 'revenue|b2c': -200 }),
          increment(counters, 'd:2026-01-02', { orders: 5 }),
        ],
      });
      expect(plain(await store().getCounters(counters, ['d:2026-01-02', 'd:2026-01-01', 'none']))).toEqual({
        'd:2026-01-02': { orders: 5 },
        'd:2026-01-01': { orders: 3, 'revenue|b2c': 300 },
      });
      expect(
        (await store().getCounters(counters, ['d:2026-01-02', 'd:2026-01-01'])).map((s) => s.id),
      ).toEqual(['d:2026-01-02', 'd:2026-01-01']);
      expect(await store().checkpoint(projection)).toBe(4);
    });

    it('takes counters given as a Map like those given as an object, and refuses anything else', async () => {
      const counters = await counterCollection(store());
      const projection = newProjection();
      const asMap: Write = {
        kind: 'increment',
        collection: counters,
        id: 's',
        counters: new Map([
          ['__proto__', 2],
          ['zero', 0],
        ]),
      };
      await store().commit({ projection, position: 1, writes: [asMap, increment(counters, 's', { b: 1 })] });
      expect(plain(await store().getCounters(counters, ['s']))).toEqual({ s: { ['__proto__']: 2, b: 1 } });
      const notCounters = { kind: 'increment', collection: counters, id: 's', counters: [['a', 1]] };
      const error = await rejectionOf(
        store().commit({ projection, position: 2, writes: [notCounters as unknown as Write] }),
      );
      expect(error).toBeInstanceOf(InvalidWriteError);
      expect(await store().checkpoint(projection)).toBe(1);
    });

    it('sums several increments of one set in one unit and leaves out counters back at 0', async () => {
      const counters = await counterCollection(store());
      const projection = newProjection();
      await store().commit({ projection, position: 1, writes: [increment(counters, 's', { a: 1, b: 1 })] });
      await store().commit({
        projection,
        position: 2,
        writes: [increment(counters, 's', { a: 2 }), increment(counters, 's', { a: -3, b: 0 })],
      });
      expect(plain(await store().getCounters(counters, ['s']))).toEqual({ s: { b: 1 } });
      await store().commit({ projection, position: 3, writes: [increment(counters, 's', { b: -1 })] });
      expect(await store().getCounters(counters, ['s'])).toEqual([]);
    });

    it('keeps any counter name as given: dots, dollars, percent signs, __proto__', async () => {
      const counters = await counterCollection(store());
      // Parsed, so __proto__ is an own key as it would be in a request body.
      const names = JSON.parse('{"a.b":1,"$x":2,"%2E":3,"__proto__":4,"seg|ü 😀":5}') as Record<
        string,
        number
      >;
      const writes: Write[] = [
        {
          kind: 'increment',
          collection: counters,
          id: 'odd.$id',
          counters: names,
        },
      ];
      await store().commit({ projection: newProjection(), position: 1, writes });
      const [set] = await store().getCounters(counters, ['odd.$id']);
      expect([...(set?.counters ?? [])].sort()).toEqual(
        [
          ['%2E', 3],
          ['$x', 2],
          ['__proto__', 4],
          ['a.b', 1],
          ['seg|ü 😀', 5],
        ].sort(),
      );
    });

    it('counts units of different writers that create the same sets at once', async () => {
      const counters = await counterCollection(store());
      const units = Array.from({ length: 6 }, (_, index) => ({
        projection: newProjection(`writer-${index}`),
        position: 1,
        writes: [increment(counters, 'new-a', { n: 1 }), increment(counters, 'new-b', { n: 2 })],
      }));
      await Promise.all(units.map((unit) => store().commit(unit)));
      expect(plain(await store().getCounters(counters, ['new-a', 'new-b']))).toEqual({
        'new-a': { n: 6 },
        'new-b': { n: 12 },
      });
    });

    it('reads a range of sets in id order, upper bound exclusive', async () => {
      const counters = await counterCollection(store());
      const ids = ['m:2025-12', 'm:2026-01', 'm:2026-02', 'm:2026-03', 'n:2026-01'];
      await store().commit({
        projection: newProjection(),
        position: 1,
        writes: [...ids].reverse().map((id, index) => increment(counters, id, { n: index + 1 })),
      });
      const range = await store().rangeCounters(counters, { from: 'm:2026-01', to: 'm:2026-03' });
      expect(range.map((set) => set.id)).toEqual(['m:2026-01', 'm:2026-02']);
      expect(await store().rangeCounters(counters, { from: 'm:', to: 'm;' })).toHaveLength(4);
    });

    it('refuses a unit that would take a counter beyond the safe integers, writing nothing of it', async () => {
      const counters = await counterCollection(store());
      const documents = await declared(store());
      const projection = newProjection();
      const near = Number.MAX_SAFE_INTEGER - 10;
      await store().commit({
        projection,
        position: 1,
        writes: [increment(counters, 's', { big: near, small: 1 })],
      });

      const over = {
        projection,
        position: 2,
        writes: [
          put(documents, doc('a', 2)),
          increment(counters, 's', { small: 1 }),
          increment(counters, 's', { big: 11 }),
        ],
      };
      expect(await rejectionOf(store().commit(over))).toBeInstanceOf(InvalidWriteError);
      expect(plain(await store().getCounters(counters, ['s']))).toEqual({ s: { big: near, small: 1 } });
      expect(await store().get(documents, 'a')).toBeNull();
      expect(await store().checkpoint(projection)).toBe(1);

      await store().commit({ projection, position: 3, writes: [increment(counters, 's', { big: 10 })] });
      expect(plain(await store().getCounters(counters, ['s']))).toEqual({
        s: { big: Number.MAX_SAFE_INTEGER, small: 1 },
      });
    });

    it('commits increments atomically with the documents: a bad write rejects the whole unit', async () => {
      const [counters, documents] = [await counterCollection(store()), await declared(store())];
      const projection = newProjection();
      const bad: Write = { kind: 'increment', collection: counters, id: 's', counters: { n: 1.5 } };
      const error = await rejectionOf(
        store().commit({ projection, position: 2, writes: [put(documents, doc('a', 2)), bad] }),
      );
      expect(error).toBeInstanceOf(InvalidWriteError);
      expect(await store().get(documents, 'a')).toBeNull();
      expect(await store().getCounters(counters, ['s'])).toEqual([]);
      expect(await store().checkpoint(projection)).toBe(0);
    });

    it('refuses a counters collection that was never ensured, and each kind read as the other', async () => {
      const documents = await declared(store());
      const counters = await counterCollection(store());
      expect(await rejectionOf(store().getCounters(newCollection(), ['x']))).toBeInstanceOf(
        UnknownCollectionError,
      );
      const unit = {
        projection: newProjection(),
        position: 1,
        writes: [increment(newCollection(), 's', { n: 1 })],
      };
      expect(await rejectionOf(store().commit(unit))).toBeInstanceOf(UnknownCollectionError);
      expect(await rejectionOf(store().getCounters(documents, ['x']))).toBeInstanceOf(UnknownCollectionError);
      expect(await rejectionOf(store().find(counters))).toBeInstanceOf(UnknownCollectionError);
      const intoDocuments = {
        projection: newProjection(),
        position: 1,
        writes: [increment(documents, 's', { n: 1 })],
      };
      expect(await rejectionOf(store().commit(intoDocuments))).toBeInstanceOf(UnknownCollectionError);
    });

    it('clears counter sets with resetProjection', async () => {
      const counters = await counterCollection(store());
      const projection = newProjection();
      await store().commit({ projection, position: 7, writes: [increment(counters, 's', { n: 1 })] });
      await store().resetProjection(projection, [counters]);
      expect(await store().getCounters(counters, ['s'])).toEqual([]);
      expect(await store().checkpoint(projection)).toBe(0);
    });
  });
}
