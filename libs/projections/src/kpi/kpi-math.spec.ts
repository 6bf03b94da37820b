import { mean, median, percentage, ratio, sum, totalsBy } from './kpi-math';

describe('kpi math', () => {
  it('gives null, not 0 or NaN, for a ratio over an empty denominator', () => {
    expect(ratio(0, 0)).toBeNull();
    expect(ratio(3, 0)).toBeNull();
    expect(percentage(0, 0)).toBeNull();
    expect(mean([])).toBeNull();
    expect(median([])).toBeNull();
  });

  it('divides without rounding', () => {
    expect(ratio(1, 3)).toBeCloseTo(0.3333333333, 10);
    expect(percentage(1, 4)).toBe(25);
    expect(percentage(-2, 8)).toBe(-25);
    expect(mean([1, 2])).toBe(1.5);
    expect(sum([])).toBe(0);
  });

  it('takes the middle value of an odd count, whatever the input order', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([7])).toBe(7);
  });

  it('takes the mean of the middle two of an even count', () => {
    expect(median([50, 10, 30, 20])).toBe(25);
    expect(median([1, 2])).toBe(1.5);
  });

  it('totals per key and keeps client-chosen keys such as __proto__ as own properties', () => {
    const totals = totalsBy(
      [
        { key: 'smb', amount: 5 },
        { key: '__proto__', amount: 2 },
        { key: 'smb', amount: 1 },
      ],
      (item) => item.key,
      (item) => item.amount,
    );
    expect(Object.entries(totals)).toEqual([
      ['smb', 6],
      ['__proto__', 2],
    ]);
  });
});
