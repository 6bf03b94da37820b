import { InvalidNameError, UnknownCollectionError } from '../../read-store.errors';
import type { ReadStore } from '../../read-store.port';
import {
  declared,
  doc,
  newCollection,
  newProjection,
  put,
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
