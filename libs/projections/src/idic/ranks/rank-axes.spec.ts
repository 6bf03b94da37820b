import { seededRandom } from '../../shared/testing/fold-equivalence';
import { liveRevenueBucket, moneyBucket, RANK_AXES, recencyDay } from './rank-axes';

/** Integers of every size and sign, powers of two and their neighbours included. */
function sampleValues(): number[] {
  const random = seededRandom(5);
  const values = new Set<number>([0, 1, -1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]);
  for (let bits = 0; bits <= 53; bits++) {
    const power = 2 ** bits;
    for (const value of [power - 1, power, power + 1]) {
      if (Number.isSafeInteger(value)) {
        values.add(value);
        values.add(-value);
      }
    }
  }
  for (let run = 0; run < 5_000; run++) {
    const value = Math.round((random() - 0.5) * 10 ** (1 + random() * 12));
    values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

describe('rank axes', () => {
  const values = sampleValues();

  it('keep the order of values in every bucketing: a < b never puts a in a later bucket', () => {
    const bucketings = [liveRevenueBucket, ...RANK_AXES.flatMap((axis) => axis.levels)];
    const disorder: string[] = [];
    for (const bucket of bucketings)
      values.forEach((value, index) => {
        const next = values[index + 1];
        if (next !== undefined && bucket(value) > bucket(next)) disorder.push(`${value} vs ${next}`);
      });
    expect(disorder).toEqual([]);
  });

  it('put each bucket of a level inside one bucket of the level above', () => {
    for (const axis of RANK_AXES)
      axis.levels.forEach((finer, level) => {
        const coarser = axis.levels[level - 1];
        if (coarser === undefined) return;
        const parentOf = new Map<number, number>();
        for (const value of values) {
          const known = parentOf.get(finer(value));
          expect({ axis: axis.key, level, value, parent: known ?? coarser(value) }).toEqual({
            axis: axis.key,
            level,
            value,
            parent: coarser(value),
          });
          parentOf.set(finer(value), coarser(value));
        }
      });
  });

  it('give small amounts a bucket each and large ones a bounded share of their value', () => {
    expect([0, 1, 7, 15].map((value) => moneyBucket(value, 8))).toEqual([0, 1, 7, 15]);
    const byBucket = new Map<number, number[]>();
    for (const value of values.filter((candidate) => Math.abs(candidate) >= 16)) {
      const bucket = moneyBucket(value, 8);
      byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), value]);
    }
    for (const peers of byBucket.values()) {
      const smallest = Math.min(...peers.map(Math.abs));
      expect(Math.max(...peers) - Math.min(...peers)).toBeLessThanOrEqual(smallest / 8);
    }
  });

  it('rank recency by the day a purchase ends, so a purchase at midnight ties the day before', () => {
    const midnight = Date.parse('2024-03-02T00:00:00.000Z');
    expect(recencyDay(midnight)).toBe(recencyDay(midnight - 1));
    expect(recencyDay(midnight + 1)).toBe(recencyDay(midnight) + 1);
  });
});
