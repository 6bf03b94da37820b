import { InvalidQueryError } from '../read-store.errors';
import type { Filter } from '../read-store.port';
import { normalizeFilter } from './filter.normalization';

describe('normalizeFilter', () => {
  it('reads a scalar as $eq and keeps one predicate per operator, in order', () => {
    expect(normalizeFilter({ tier: 'gold', score: { $gte: 2, $lt: 5 }, id: { $in: ['a', null] } })).toEqual([
      { field: 'tier', op: '$eq', value: 'gold' },
      { field: 'score', op: '$gte', value: 2 },
      { field: 'score', op: '$lt', value: 5 },
      { field: 'id', op: '$in', values: ['a', null] },
    ]);
  });

  it('ignores conditions and operators that are undefined', () => {
    const filter = { segment: undefined, score: { $gte: undefined, $lt: 5 } } as unknown as Filter;
    expect(normalizeFilter(filter)).toEqual([{ field: 'score', op: '$lt', value: 5 }]);
    expect(normalizeFilter(undefined)).toEqual([]);
  });

  it('names the field and operator it rejects', () => {
    expect(() => normalizeFilter({ score: { $gt: null } } as unknown as Filter)).toThrow(
      new InvalidQueryError('score.$gt is not a string, finite number or boolean'),
    );
    expect(() => normalizeFilter({ score: { $nin: [1] } } as unknown as Filter)).toThrow(
      new InvalidQueryError('unknown operator $nin on score'),
    );
  });
});
