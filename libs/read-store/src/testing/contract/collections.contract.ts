import { InvalidNameError, UnknownCollectionError } from '../../read-store.errors';
import type { ReadStore } from '../../read-store.port';
import {
  declared,
  doc,
  idsOf,
  newCollection,
  newProjection,
  put,
  readAllPages,
  rejectionOf,
  seed,
  type StoreGetter,
} from './contract-fixtures';

export function collectionsContract(store: StoreGetter): void {
  describe('collections', () => {
    it('declares collections idempotently, keeping documents and adding new indexes', async () => {
      const [name, other] = [newCollection(), newCollection()];
      await store().ensureCollections([
        { name, indexes: ['score'] },
        { name: other, indexes: [] },
      ]);
      await seed(store(), name, [doc('a', 1, { score: 3, tier: 'gold' })]);
      await store().ensureCollections([{ name, indexes: ['score'] }]);
      await store().ensureCollections([{ name, indexes: ['score', 'tier', 'id', 'position'] }]);
      expect(await store().get(name, 'a')).toEqual(doc('a', 1, { score: 3, tier: 'gold' }));
      expect(await store().count(other)).toBe(0);
    });

    it('accepts an empty list of collections', async () => {
      await expect(store().ensureCollections([])).resolves.toBeUndefined();
    });

    it.each([
      ['an upper-case letter', 'Customers'],
      ['a leading digit', '1st'],
      ['a dash', 'with-dash'],
      ['a dot', 'a.b'],
      ['SQL', 'x"; DROP TABLE y; --'],
      ['64 characters', `a${'b'.repeat(63)}`],
      ['nothing', ''],
    ])('rejects a collection name with %s', async (_, name) => {
      const error = await rejectionOf(store().ensureCollections([{ name, indexes: [] }]));
      expect(error).toBeInstanceOf(InvalidNameError);
      expect(error).toMatchObject({ code: 'READ_STORE.INVALID_NAME', kind: 'collection', value: name });
    });

    it.each([
      ['a nested path', 'stats.orders'],
      ['an operator', '$where'],
      ['a leading digit', '9lives'],
      ['a space', 'first name'],
      ['a quote', "x')"],
    ])('rejects an index field with %s, creating nothing', async (_, field) => {
      const name = newCollection();
      const error = await rejectionOf(store().ensureCollections([{ name, indexes: ['ok', field] }]));
      expect(error).toMatchObject({ code: 'READ_STORE.INVALID_NAME', kind: 'field', value: field });
      await expect(store().count(name)).rejects.toBeInstanceOf(UnknownCollectionError);
    });

    describe('an index carrying fields', () => {
      const members = [
        doc('a', 1, { tier: 'gold', score: 5 }),
        doc('b', 1, { tier: 'gold', score: 1 }),
        doc('c', 1, { tier: 'gold', score: '9' }),
        doc('d', 1, { tier: 'gold' }),
        doc('e', 1, { tier: 'silver', score: 7 }),
        doc('f', 1, { tier: 'gold', score: 3 }),
        doc('g', 1, { tier: 'gold', score: null }),
        doc('h', 1, { tier: 'gold', score: 4.5 }),
      ];
      const golden = { filter: { tier: 'gold', score: { $gte: 3 } }, limit: 2 } as const;

      it('answers a class kept to a range of a carried field, page by page in id order', async () => {
        const name = await declared(store(), [{ field: 'tier', carries: ['score'] }, 'score']);
        await seed(store(), name, members);
        expect(await readAllPages(store(), name, golden)).toEqual({
          ids: ['a', 'f', 'h'],
          pageSizes: [2, 1],
        });
        expect(idsOf((await store().find(name, { filter: { tier: 'gold', score: null } })).items)).toEqual([
          'd',
          'g',
        ]);
        expect(await store().count(name, { tier: 'gold', score: { $lt: 5 } })).toBe(3);
      });

      it('keeps documents and answers when a field is declared again carrying others, or none', async () => {
        const name = await declared(store(), ['tier']);
        await seed(store(), name, members);
        for (const indexes of [
          [{ field: 'tier', carries: ['score'] }],
          [{ field: 'tier', carries: ['score', 'position'] }],
          ['tier'],
        ]) {
          await store().ensureCollections([{ name, indexes }]);
          expect((await readAllPages(store(), name, golden)).ids).toEqual(['a', 'f', 'h']);
        }
        expect(await store().count(name)).toBe(members.length);
      });

      it('refuses a carried field with a bad name, or one field declared twice carrying others, creating nothing', async () => {
        const [bad, twice] = [newCollection(), newCollection()];
        const badName = await rejectionOf(
          store().ensureCollections([{ name: bad, indexes: [{ field: 'tier', carries: ['a.b'] }] }]),
        );
        expect(badName).toMatchObject({ code: 'READ_STORE.INVALID_NAME', kind: 'field', value: 'a.b' });
        const doubled = await rejectionOf(
          store().ensureCollections([
            { name: twice, indexes: ['tier', { field: 'tier', carries: ['score'] }] },
          ]),
        );
        expect(doubled).toMatchObject({ code: 'READ_STORE.INVALID_QUERY' });
        for (const name of [bad, twice]) {
          await expect(store().count(name)).rejects.toBeInstanceOf(UnknownCollectionError);
        }
      });
    });

    it('accepts camel-case field names', async () => {
      const name = await declared(store(), ['netRevenue', 'netrevenue', 'last_touch_at']);
      await seed(store(), name, [doc('a', 1, { netRevenue: 10, netrevenue: 20 })]);
      expect(await store().count(name, { netRevenue: 10 })).toBe(1);
      expect(await store().count(name, { netrevenue: 10 })).toBe(0);
    });

    it('refuses every call on a collection that was never declared', async () => {
      const name = newCollection();
      const projection = newProjection();
      const calls: [string, (target: ReadStore) => Promise<unknown>][] = [
        ['get', (target) => target.get(name, 'a')],
        ['getMany', (target) => target.getMany(name, ['a'])],
        ['find', (target) => target.find(name)],
        ['count', (target) => target.count(name)],
        ['commit', (target) => target.commit({ projection, position: 1, writes: [put(name, doc('a', 1))] })],
        ['resetProjection', (target) => target.resetProjection(projection, [name])],
      ];
      for (const [call, invoke] of calls) {
        const error = await rejectionOf(invoke(store()));
        expect({ call, error }).toEqual({ call, error: expect.any(UnknownCollectionError) as unknown });
        expect(error).toMatchObject({ code: 'READ_STORE.UNKNOWN_COLLECTION', collection: name });
      }
      expect(await store().checkpoint(projection)).toBe(0);
    });
  });
}
