import { InvalidCursorError } from '../read-store.errors';
import { decodeCursor, encodeCursor, type SortKey } from './page-cursor.codec';

const keys: SortKey[] = [
  { field: 'score', direction: 'desc' },
  { field: 'id', direction: 'desc' },
];

describe('page cursor codec', () => {
  it('round-trips the sort values of the last item, null included', () => {
    for (const values of [
      [12.5, 'cust-1'],
      [null, 'cust-2'],
      ['Zoë 🚀', 'ünïcödé/id'],
    ]) {
      expect(decodeCursor(encodeCursor(keys, values), keys)).toEqual(values);
    }
  });

  it('is URL-safe without escaping', () => {
    expect(encodeCursor(keys, ['?&=/+', 'a b'])).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('refuses a cursor made for another sort direction or field', () => {
    const cursor = encodeCursor(keys, [1, 'a']);
    const flipped: SortKey[] = keys.map((key) => ({ ...key, direction: 'asc' }));
    expect(() => decodeCursor(cursor, flipped)).toThrow(InvalidCursorError);
    expect(() => decodeCursor(cursor, [{ field: 'id', direction: 'desc' }])).toThrow(InvalidCursorError);
  });

  it.each([
    ['a value that is not a scalar', { s: 'score:desc,id:desc', k: [{}, 'a'] }],
    ['too few values', { s: 'score:desc,id:desc', k: ['a'] }],
    ['no sort', { k: [1, 'a'] }],
  ])('refuses a payload with %s', (_, payload) => {
    const cursor = Buffer.from(JSON.stringify(payload)).toString('base64url');
    expect(() => decodeCursor(cursor, keys)).toThrow(InvalidCursorError);
  });

  it('refuses an oversized cursor before decoding it', () => {
    expect(() => decodeCursor('A'.repeat(70_000), keys)).toThrow(InvalidCursorError);
  });
});
