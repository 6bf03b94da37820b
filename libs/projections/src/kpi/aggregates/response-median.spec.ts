import { median } from '../kpi-math';
import { responseBucket, responseSetId } from './kpi-term-sink';
import { type ExactResponses, ResponseMedian } from './response-median';

const DAY = 20_000;

/** Responses as the projection keeps them: bucket counts per piece and exact values per piece and bucket. */
function kept(pieces: Record<string, readonly (readonly [number, number])[]>, respondedBefore?: number) {
  const buckets = new Map<number, number>();
  const exact = new Map<string, [number, number, number][]>();
  for (const [piece, responses] of Object.entries(pieces)) {
    for (const [respondedDay, ms] of responses) {
      const bucket = responseBucket(ms);
      if (respondedBefore === undefined || respondedDay < respondedBefore)
        buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
      const id = responseSetId(piece, bucket);
      const values = exact.get(id) ?? [];
      exact.set(id, values);
      const same = values.find(([day, value]) => day === respondedDay && value === ms);
      if (same) same[2] += 1;
      else values.push([respondedDay, ms, 1]);
    }
  }
  return { buckets, exact: exact as ExactResponses };
}

function expected(pieces: Record<string, readonly (readonly [number, number])[]>, respondedBefore?: number) {
  return median(
    Object.values(pieces)
      .flat()
      .filter(([day]) => respondedBefore === undefined || day < respondedBefore)
      .map(([, ms]) => ms / 60_000),
  );
}

describe('ResponseMedian', () => {
  it('orders values of any size and sign into buckets that keep their order', () => {
    const values = [-5_000, -1, 0, 1, 7, 8, 9, 59_999, 60_000, 3_600_000, 2 ** 40];
    const buckets = values.map(responseBucket);
    expect([...buckets].sort((a, b) => a - b)).toEqual(buckets);
    expect(new Set(buckets.slice(0, 6)).size).toBe(6);
  });

  it.each([
    [
      'an odd count in one piece',
      {
        a: [
          [DAY, 60_000],
          [DAY, 120_000],
          [DAY, 30_000],
        ],
      },
    ],
    [
      'an even count whose middle values are in two buckets',
      {
        a: [
          [DAY, 1_000],
          [DAY, 900_000],
        ],
        b: [
          [DAY, 2_000],
          [DAY, 3_600_000],
        ],
      },
    ],
    [
      'repeated values counted more than once',
      {
        a: [
          [DAY, 5],
          [DAY, 5],
          [DAY, 5],
          [DAY, 7_200_000],
        ],
      },
    ],
    [
      'negative and zero times',
      {
        a: [
          [DAY, -60_000],
          [DAY, 0],
          [DAY, 1],
        ],
        b: [[DAY, 2]],
      },
    ],
  ] as const)('finds the exact median with %s', (_, pieces) => {
    const { buckets, exact } = kept(pieces);
    const median = new ResponseMedian(buckets, Object.keys(pieces));
    expect(median.sets.length).toBeLessThanOrEqual(2 * Object.keys(pieces).length);
    expect(median.of(exact, undefined)).toBe(expected(pieces));
  });

  it('leaves out responses given on or after the time-travel day, in counts and values alike', () => {
    const pieces = {
      a: [
        [DAY, 60_000],
        [DAY + 3, 61_000],
        [DAY + 1, 90_000],
        [DAY + 5, 10],
      ] as const,
    };
    const { buckets, exact } = kept(pieces, DAY + 2);
    expect(new ResponseMedian(buckets, ['a']).of(exact, DAY + 2)).toBe(expected(pieces, DAY + 2));
    expect(expected(pieces, DAY + 2)).toBe(1.25);
  });

  it('is null without responses and reads nothing', () => {
    const median = new ResponseMedian(new Map(), ['a', 'b']);
    expect(median.sets).toEqual([]);
    expect(median.of(new Map(), undefined)).toBeNull();
  });

  it('refuses exact values that disagree with the counts', () => {
    const median = new ResponseMedian(new Map([[responseBucket(60_000), 3]]), ['a']);
    expect(() => median.of(new Map(), undefined)).toThrow(/fewer exact values than counted/);
  });
});
