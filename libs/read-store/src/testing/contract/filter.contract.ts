import { InvalidNameError, InvalidQueryError } from '../../read-store.errors';
import type { Filter } from '../../read-store.port';
import { declared, doc, idsOf, rejectionOf, seed, type StoreGetter } from './contract-fixtures';

/** Values of several types per field, to show that comparisons never cross types. */
const CATALOGUE = [
  doc('a', 1, { n: 1, s: 'apple', flag: true, tag: null, at: '2024-01-05T10:00:00.000Z' }),
  doc('b', 2, { n: 2.5, s: 'banana', flag: false, at: '2024-01-20T00:00:00.000Z' }),
  doc('c', 3, { n: 10, s: 'cherry', flag: true, tag: 'x', at: '2024-10-01T00:00:00.000Z' }),
  doc('d', 4, { n: '10', s: 'date', flag: 1, tag: 'y' }),
  doc('e', 5, { n: null, s: 'Elder', flag: 0 }),
  doc('f', 6, { n: -3 }),
  doc('g', 7, {}),
];

const CASES: readonly [string, Filter, string[]][] = [
  ['no filter', {}, ['a', 'b', 'c', 'd', 'e', 'f', 'g']],
  ['a string by shorthand', { s: 'banana' }, ['b']],
  ['a number, not the same digits as text', { n: 10 }, ['c']],
  ['text, not the same digits as a number', { n: '10' }, ['d']],
  ['true, not 1', { flag: true }, ['a', 'c']],
  ['1, not true', { flag: 1 }, ['d']],
  ['false, not 0', { flag: false }, ['b']],
  ['null, matching null and missing', { n: null }, ['e', 'g']],
  ['null on a field most documents lack', { tag: null }, ['a', 'b', 'e', 'f', 'g']],
  ['$eq', { n: { $eq: 2.5 } }, ['b']],
  ['$eq null', { tag: { $eq: null } }, ['a', 'b', 'e', 'f', 'g']],
  ['$ne, matching other types and missing', { n: { $ne: 10 } }, ['a', 'b', 'd', 'e', 'f', 'g']],
  ['$ne null, matching present values', { n: { $ne: null } }, ['a', 'b', 'c', 'd', 'f']],
  ['$ne on a string', { tag: { $ne: 'x' } }, ['a', 'b', 'd', 'e', 'f', 'g']],
  ['$gt on numbers only', { n: { $gt: 1 } }, ['b', 'c']],
  ['$gte on numbers only', { n: { $gte: 1 } }, ['a', 'b', 'c']],
  ['$lt, never matching null or missing', { n: { $lt: 2.5 } }, ['a', 'f']],
  ['$lte', { n: { $lte: 2.5 } }, ['a', 'b', 'f']],
  ['a numeric range', { n: { $gt: 0, $lt: 10 } }, ['a', 'b']],
  ['$gt on strings only', { n: { $gt: '1' } }, ['d']],
  ['a string range, by byte (upper case first)', { s: { $gte: 'b', $lt: 'd' } }, ['b', 'c']],
  ['$lt on strings', { s: { $lt: 'b' } }, ['a', 'e']],
  ['an ISO-8601 date range', { at: { $gte: '2024-01-10', $lt: '2024-12-31' } }, ['b', 'c']],
  ['a boolean range', { flag: { $gt: false } }, ['a', 'c']],
  ['$in over numbers and strings', { n: { $in: [1, 10, 'apple'] } }, ['a', 'c']],
  ['$in with null', { n: { $in: ['10', null] } }, ['d', 'e', 'g']],
  ['$in over booleans and numbers', { flag: { $in: [true, 0] } }, ['a', 'c', 'e']],
  ['an empty $in', { n: { $in: [] } }, []],
  ['conditions on several fields', { s: { $in: ['cherry', 'apple'] }, n: 10 }, ['c']],
  ['conditions that exclude each other', { s: 'cherry', n: 1 }, []],
  ['id', { id: { $in: ['a', 'c', 'zz'] } }, ['a', 'c']],
  ['an id range', { id: { $gt: 'e' } }, ['f', 'g']],
  ['position', { position: { $gte: 6 } }, ['f', 'g']],
  ['a bound left undefined', { n: { $gte: 2, $lt: undefined } }, ['b', 'c']],
  ['a condition left with no operator', { n: { $gt: undefined } }, ['a', 'b', 'c', 'd', 'e', 'f', 'g']],
];

const INVALID: readonly [string, unknown][] = [
  ['an unknown operator', { n: { $regex: 'a' } }],
  ['an operator the port leaves out', { n: { $exists: true } }],
  ['a null range bound', { n: { $gt: null } }],
  ['an infinite bound', { n: { $lt: Number.POSITIVE_INFINITY } }],
  ['NaN', { n: Number.NaN }],
  ['an object to compare with', { n: { $eq: {} } }],
  ['an array to compare with', { n: [1] }],
  ['$in that is not a list', { n: { $in: 'a' } }],
  ['$in holding an object', { n: { $in: [{}] } }],
  ['a filter that is a list', [{ n: 1 }]],
];

export function filterContract(store: StoreGetter): void {
  describe('filtering', () => {
    it.each(CASES)('matches %s', async (_, filter, expected) => {
      const collection = await declared(store(), ['n', 's']);
      await seed(store(), collection, CATALOGUE);
      expect(idsOf((await store().find(collection, { filter })).items)).toEqual(expected);
      expect(await store().count(collection, filter)).toBe(expected.length);
    });

    it.each(INVALID)('rejects %s', async (_, filter) => {
      const collection = await declared(store());
      const error = await rejectionOf(store().find(collection, { filter: filter as Filter }));
      expect(error).toBeInstanceOf(InvalidQueryError);
      expect(error).toMatchObject({ code: 'READ_STORE.INVALID_QUERY' });
      await expect(store().count(collection, filter as Filter)).rejects.toBeInstanceOf(InvalidQueryError);
    });

    it('rejects a nested field path', async () => {
      const collection = await declared(store());
      await expect(store().find(collection, { filter: { 'stats.orders': 1 } })).rejects.toBeInstanceOf(
        InvalidNameError,
      );
    });
  });
}
