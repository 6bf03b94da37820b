import { InvalidWriteError } from '../../read-store.errors';
import type { StoredDocument } from '../../read-store.port';
import {
  declared,
  doc,
  idsOf,
  newProjection,
  put,
  rejectionOf,
  seed,
  type StoreGetter,
} from './contract-fixtures';

const cyclic = (): Record<string, unknown> => {
  const node: Record<string, unknown> = { name: 'loop' };
  node['self'] = node;
  return node;
};

export function documentsContract(store: StoreGetter): void {
  describe('documents', () => {
    it('reads a document back exactly as it was put', async () => {
      const collection = await declared(store());
      const stored = doc('cust-1', 7, {
        name: 'Zoë Ångström 🚀',
        empty: '',
        score: -12.75,
        big: 9_007_199_254_740_991,
        active: false,
        email: null,
        tags: ['vip', 3, null, { nested: true }],
        stats: { byChannel: { web: 2, phone: 0 }, history: [] },
      });
      await seed(store(), collection, [stored]);
      expect(await store().get(collection, 'cust-1')).toEqual(stored);
    });

    it('returns null for an id that was never put', async () => {
      const collection = await declared(store());
      expect(await store().get(collection, 'nobody')).toBeNull();
    });

    it('treats ids as opaque strings', async () => {
      const collection = await declared(store());
      const ids = ["o'brien", 'a/b?c=d', 'ünïcödé', ' spaced ', '%_*', 'x"; DROP TABLE y; --'];
      await seed(
        store(),
        collection,
        ids.map((id) => doc(id, 1)),
      );
      for (const id of ids) expect(await store().get(collection, id)).toEqual(doc(id, 1));
      expect(await store().get(collection, '%')).toBeNull();
    });

    it('drops fields set to undefined, as JSON does', async () => {
      const collection = await declared(store());
      await seed(store(), collection, [
        doc('a', 1, { email: undefined, nested: { phone: undefined, n: 1 } }),
      ]);
      const stored = await store().get(collection, 'a');
      expect(stored).toEqual(doc('a', 1, { nested: { n: 1 } }));
      expect(Object.keys(stored ?? {})).not.toContain('email');
    });

    it('gets many documents in the order asked, each once, skipping unknown ids', async () => {
      const collection = await declared(store());
      await seed(store(), collection, [doc('a', 1), doc('b', 2), doc('c', 3)]);
      const found = await store().getMany(collection, ['c', 'missing', 'a', 'c']);
      expect(idsOf(found)).toEqual(['c', 'a']);
      expect(found[0]).toEqual(doc('c', 3));
      expect(await store().getMany(collection, [])).toEqual([]);
    });

    it.each<[string, Record<string, unknown>]>([
      ['a Date', { at: new Date('2024-01-01T00:00:00Z') }],
      ['NaN', { score: Number.NaN }],
      ['Infinity', { score: Number.POSITIVE_INFINITY }],
      ['a BigInt', { amount: 10n }],
      ['a Map', { byChannel: new Map([['web', 1]]) }],
      ['a function', { compute: () => 1 }],
      ['a key starting with $', { nested: { $set: 1 } }],
      ['_id at the top level', { _id: 'x' }],
      ['undefined inside an array', { list: [1, undefined] }],
      ['a cycle', { graph: cyclic() }],
    ])('rejects a document holding %s and writes nothing', async (_, fields) => {
      const collection = await declared(store());
      const projection = newProjection();
      const unit = {
        projection,
        position: 2,
        writes: [put(collection, doc('fine', 1)), put(collection, doc('bad', 2, fields))],
      };
      const error = await rejectionOf(store().commit(unit));
      expect(error).toBeInstanceOf(InvalidWriteError);
      expect(error).toMatchObject({ code: 'READ_STORE.INVALID_WRITE' });
      expect(await store().getMany(collection, ['fine', 'bad'])).toEqual([]);
      expect(await store().checkpoint(projection)).toBe(0);
    });

    it.each<[string, unknown]>([
      ['an empty id', { id: '', position: 1 }],
      ['a numeric id', { id: 7, position: 1 }],
      ['no position', { id: 'a' }],
      ['a negative position', { id: 'a', position: -1 }],
      ['a fractional position', { id: 'a', position: 1.5 }],
      ['a position as text', { id: 'a', position: '1' }],
      ['an array', [1, 2]],
    ])('rejects a document with %s', async (_, document) => {
      const collection = await declared(store());
      const unit = {
        projection: newProjection(),
        position: 5,
        writes: [put(collection, document as StoredDocument)],
      };
      await expect(store().commit(unit)).rejects.toBeInstanceOf(InvalidWriteError);
    });
  });
}
