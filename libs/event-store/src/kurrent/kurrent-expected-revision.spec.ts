import {
  toActualRevision,
  toSafeNumber,
  toStreamState,
  isExpectedRevision,
} from './kurrent-expected-revision';

describe('expected revision mapping', () => {
  it.each([
    ['any', 'any'],
    ['no_stream', 'no_stream'],
    ['exists', 'stream_exists'],
    [0, 0n],
    [41, 41n],
  ] as const)('maps %p to the client stream state %p', (expected, state) => {
    expect(toStreamState(expected)).toBe(state);
  });

  it('reports a missing stream as actual revision null and a revision as a number', () => {
    expect(toActualRevision('no_stream')).toBeNull();
    expect(toActualRevision(7n)).toBe(7);
  });

  it('reports deleted (-5) and tombstoned (-6) streams as holding nothing', () => {
    expect(toActualRevision(-5n)).toBeNull();
    expect(toActualRevision(-6n)).toBeNull();
  });

  it('refuses numbers beyond 2^53 - 1 instead of rounding them', () => {
    expect(toSafeNumber(BigInt(Number.MAX_SAFE_INTEGER), 'commit position')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toSafeNumber(BigInt(Number.MAX_SAFE_INTEGER) + 1n, 'commit position')).toThrow(RangeError);
  });

  it.each([[-1], [1.5], [Number.NaN], ['latest'], [null]])('rejects %p as an expected revision', (value) => {
    expect(isExpectedRevision(value)).toBe(false);
  });
});
