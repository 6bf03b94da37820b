import { InvalidCursorError, InvalidNameError, InvalidQueryError } from '../../read-store.errors';
import type { Sort, StoredDocument } from '../../read-store.port';
import {
  declared,
  doc,
  expectedOrder,
  idsOf,
  readAllPages,
  rejectionOf,
  seed,
  type StoreGetter,
} from './contract-fixtures';

const TIERS = ['gold', 'silver', 'bronze'] as const;

/** Many ties per sort value, ids not in write order, a field that is null or missing in a third of the documents. */
function rankedDocuments(count: number): StoredDocument[] {
  return Array.from({ length: count }, (_, index) => {
    const scrambled = (index * 97) % count;
    const lastTouch = index % 4 === 0 ? null : `2024-0${(index % 9) + 1}-01T00:00:00.000Z`;
    return doc(`cust-${String(scrambled).padStart(4, '0')}`, index + 1, {
      tier: TIERS[index % 3],
      score: index % 7,
      ...(index % 5 === 0 ? {} : { lastTouchAt: lastTouch }),
    });
  });
}

const asc = (field: string) => ({ field, direction: 'asc' }) as const;
const desc = (field: string) => ({ field, direction: 'desc' }) as const;

const PAGED_SORTS: readonly [string, Sort][] = [
  ['by id, the default', []],
  ['by a field with many ties', [asc('tier')]],
  ['descending', [desc('score')]],
  ['by several fields in mixed directions', [asc('tier'), desc('score')]],
  ['descending first, then ascending', [desc('score'), asc('tier')]],
  ['by a field with null and missing values, ascending', [asc('lastTouchAt')]],
  ['by a field with null and missing values, descending', [desc('lastTouchAt'), asc('score')]],
  ['by position', [desc('position')]],
  ['by id descending', [desc('id')]],
];

export function sortAndPagingContract(store: StoreGetter): void {
  describe('sorting', () => {
    it('sorts numbers numerically and strings by byte, both ways', async () => {
      const collection = await declared(store(), ['n']);
      await seed(store(), collection, [
        doc('a', 1, { n: 10, s: 'b' }),
        doc('b', 2, { n: 2, s: 'B' }),
        doc('c', 3, { n: 1.5, s: 'ab' }),
        doc('d', 4, { n: -1, s: 'Z' }),
        doc('e', 5, { n: 100, s: 'a' }),
      ]);
      const order = async (sort: Sort) => idsOf((await store().find(collection, { sort })).items);
      expect(await order([asc('n')])).toEqual(['d', 'c', 'b', 'a', 'e']);
      expect(await order([desc('n')])).toEqual(['e', 'a', 'b', 'c', 'd']);
      expect(await order([asc('s')])).toEqual(['b', 'd', 'e', 'c', 'a']);
      expect(await order([desc('s')])).toEqual(['a', 'c', 'e', 'd', 'b']);
    });

    it('puts null and missing values first ascending and last descending', async () => {
      const collection = await declared(store());
      await seed(store(), collection, [
        doc('a', 1, { at: '2024-02-01' }),
        doc('b', 2, { at: null }),
        doc('c', 3, {}),
        doc('d', 4, { at: '2024-01-01' }),
      ]);
      const order = async (sort: Sort) => idsOf((await store().find(collection, { sort })).items);
      expect(await order([asc('at')])).toEqual(['b', 'c', 'd', 'a']);
      expect(await order([desc('at')])).toEqual(['a', 'd', 'c', 'b']);
    });

    it("breaks ties by id in the last key's direction, and orders by id by default", async () => {
      const collection = await declared(store(), ['tier']);
      await seed(store(), collection, [
        doc('b', 1, { tier: 'gold' }),
        doc('c', 2, { tier: 'gold' }),
        doc('a', 3, { tier: 'silver' }),
        doc('d', 4, { tier: 'gold' }),
      ]);
      const order = async (sort?: Sort) => idsOf((await store().find(collection, { sort })).items);
      expect(await order()).toEqual(['a', 'b', 'c', 'd']);
      expect(await order([asc('tier')])).toEqual(['b', 'c', 'd', 'a']);
      expect(await order([desc('tier')])).toEqual(['a', 'd', 'c', 'b']);
    });

    it.each<[string, unknown, unknown]>([
      ['an unknown direction', [{ field: 'n', direction: 'up' }], InvalidQueryError],
      ['a field named twice', [asc('n'), desc('n')], InvalidQueryError],
      ['a nested field', [asc('stats.orders')], InvalidNameError],
      ['something other than a list', asc('n'), InvalidQueryError],
    ])('rejects a sort with %s', async (_, sort, errorType) => {
      const collection = await declared(store());
      expect(await rejectionOf(store().find(collection, { sort: sort as Sort }))).toBeInstanceOf(errorType);
    });
  });

  describe('paging', () => {
    it.each(PAGED_SORTS)(
      'returns each of 250 documents exactly once, in order, sorting %s',
      async (_, sort) => {
        const collection = await declared(store(), ['tier', 'score', 'lastTouchAt']);
        const documents = rankedDocuments(250);
        await seed(store(), collection, documents);
        const { ids, pageSizes } = await readAllPages(store(), collection, { sort, limit: 40 });
        expect(ids).toEqual(expectedOrder(documents, sort));
        expect(pageSizes).toEqual([40, 40, 40, 40, 40, 40, 10]);
      },
    );

    it('pages through the documents a filter matches', async () => {
      const collection = await declared(store(), ['tier', 'score']);
      const documents = rankedDocuments(250);
      await seed(store(), collection, documents);
      const sort = [desc('score')];
      const filter = { tier: 'gold', score: { $gte: 2 } };
      const { ids } = await readAllPages(store(), collection, { filter, sort, limit: 9 });
      const matching = documents.filter(
        (document) => document['tier'] === 'gold' && Number(document['score']) >= 2,
      );
      expect(ids).toEqual(expectedOrder(matching, sort));
    });

    it('ends without an empty page when the last page is exactly full', async () => {
      const collection = await declared(store());
      await seed(store(), collection, rankedDocuments(20));
      const { pageSizes } = await readAllPages(store(), collection, { limit: 10 });
      expect(pageSizes).toEqual([10, 10]);
    });

    it('returns an empty last page with no cursor for an empty collection', async () => {
      const collection = await declared(store());
      expect(await store().find(collection)).toEqual({ items: [], nextCursor: null });
    });

    it.each([
      ['garbage', 'not a cursor!'],
      ['an empty string', ''],
      ['base64url text', Buffer.from('hello').toString('base64url')],
      ['base64url JSON of another shape', Buffer.from('{"after":"a"}').toString('base64url')],
    ])('rejects %s as a cursor', async (_, cursor) => {
      const collection = await declared(store());
      const error = await rejectionOf(store().find(collection, { cursor }));
      expect(error).toBeInstanceOf(InvalidCursorError);
      expect(error).toMatchObject({ code: 'READ_STORE.INVALID_CURSOR' });
    });

    it('rejects a cursor used with another sort', async () => {
      const collection = await declared(store());
      await seed(store(), collection, rankedDocuments(5));
      const { nextCursor } = await store().find(collection, { sort: [asc('score')], limit: 2 });
      expect(nextCursor).toEqual(expect.any(String));
      const cursor = nextCursor ?? '';
      await expect(
        store().find(collection, { sort: [asc('score')], limit: 2, cursor }),
      ).resolves.toBeDefined();
      for (const sort of [[desc('score')], [asc('tier')], []]) {
        await expect(store().find(collection, { sort, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
      }
    });
  });

  describe('limits', () => {
    it('returns 100 documents by default and up to 1000 on request', async () => {
      const collection = await declared(store());
      await seed(store(), collection, rankedDocuments(1001));
      const byDefault = await store().find(collection);
      expect(byDefault.items).toHaveLength(100);
      expect(byDefault.nextCursor).not.toBeNull();
      const largest = await store().find(collection, { limit: 1000 });
      expect(largest.items).toHaveLength(1000);
      const rest = await store().find(collection, { limit: 1000, cursor: largest.nextCursor ?? '' });
      expect(rest.items).toHaveLength(1);
      expect(rest.nextCursor).toBeNull();
    });

    it.each([0, -1, 1001, 2.5, Number.NaN])('rejects a limit of %p', async (limit) => {
      const collection = await declared(store());
      const error = await rejectionOf(store().find(collection, { limit }));
      expect(error).toBeInstanceOf(InvalidQueryError);
    });
  });
}
