import { InvalidNameError, InvalidQueryError, InvalidWriteError } from '../../read-store.errors';
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

    it('reads only the fields asked for: id, position, each field as stored, a missing one as null', async () => {
      const collection = await declared(store(), ['score']);
      const wide = (id: string, position: number, score: number): StoredDocument =>
        doc(id, position, {
          score,
          name: `Customer ${id}`,
          email: null,
          stats: { byChannel: { web: 2 }, history: [1, { at: 'x' }] },
          bulk: 'x'.repeat(2000),
        });
      const documents = [wide('a', 1, 30), wide('b', 2, 10), wide('c', 3, 20), wide('d', 4, 10)];
      await seed(store(), collection, documents);
      const fields = ['stats', 'email', 'absent', 'name', 'id'];
      const expected = (stored: StoredDocument): StoredDocument => ({
        id: stored.id,
        position: stored.position,
        stats: stored['stats'],
        email: null,
        absent: null,
        name: stored['name'],
      });

      const many = await store().getMany(collection, ['c', 'missing', 'a'], { fields });
      expect(many).toStrictEqual([
        expected(documents[2] as StoredDocument),
        expected(documents[0] as StoredDocument),
      ]);

      // Paged by a field that is not among those read: the same order and cursors as whole documents.
      const sort = [{ field: 'score', direction: 'desc' } as const];
      const first = await store().find(collection, { sort, limit: 2, fields: ['name'] });
      expect(first.items).toStrictEqual(
        [documents[0], documents[2]].map((stored) => ({
          id: stored?.id,
          position: stored?.position,
          name: stored?.['name'],
        })),
      );
      const rest = await store().find(collection, {
        sort,
        limit: 2,
        fields: ['name'],
        cursor: first.nextCursor ?? '',
      });
      expect(idsOf(rest.items)).toEqual(['d', 'b']);
      expect(rest.nextCursor).toBeNull();
      const filtered = await store().find(collection, { filter: { score: 10 }, fields: [] });
      expect(filtered.items).toStrictEqual([doc('b', 2), doc('d', 4)]);
    });

    it('refuses fields that are not a list of field names', async () => {
      const collection = await declared(store());
      for (const fields of [['a.b'], ['$where'], 'name', Array.from({ length: 51 }, (_, i) => `f${i}`)]) {
        const options = { fields } as unknown as { fields: string[] };
        const refused = (error: unknown): boolean =>
          error instanceof InvalidNameError || error instanceof InvalidQueryError;
        expect(refused(await rejectionOf(store().getMany(collection, ['a'], options)))).toBe(true);
        expect(refused(await rejectionOf(store().find(collection, options)))).toBe(true);
      }
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
