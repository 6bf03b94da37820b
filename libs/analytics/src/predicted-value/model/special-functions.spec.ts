import { hyp2f1, lnBeta, lnGamma, logAddExp } from './special-functions';

describe('special functions', () => {
  // Python's math.lgamma.
  it.each([
    [0.1, 2.2527126517342055],
    [0.5, 0.5723649429247004],
    [1, 0],
    [1.5, -0.12078223763524543],
    [2.5, 0.2846828704729196],
    [10, 12.801827480081467],
    [100.3, 360.51470572905816],
    [1e4, 82099.71749644238],
  ])('lnGamma(%d)', (x, expected) => {
    expect(lnGamma(x)).toBeCloseTo(expected, Math.abs(expected) > 1000 ? 8 : 12);
  });

  it('lnGamma is NaN off the positive axis', () => {
    expect(lnGamma(0)).toBeNaN();
    expect(lnGamma(-1.5)).toBeNaN();
  });

  it('lnBeta(2, 3) = ln(1/12)', () => {
    expect(lnBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 13);
  });

  it('hyp2f1 matches closed forms: 2F1(1,1;2;z) = −ln(1−z)/z, 2F1(a,b;b;z) = (1−z)^−a', () => {
    for (const z of [0.1, 0.5, 0.9, 0.99]) {
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(-Math.log(1 - z) / z, 10);
      expect(hyp2f1(0.7, 2.5, 2.5, z)).toBeCloseTo(Math.pow(1 - z, -0.7), 9);
    }
  });

  it('hyp2f1 is a polynomial when a parameter is a negative integer', () => {
    // 2F1(−2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1))
    expect(hyp2f1(-2, 3, 4, 0.5)).toBeCloseTo(1 - (2 * 3 * 0.5) / 4 + (3 * 4 * 0.25) / (4 * 5), 14);
  });

  it('hyp2f1 refuses z outside [0, 1)', () => {
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
    expect(() => hyp2f1(1, 1, 2, -0.1)).toThrow(RangeError);
  });

  it('logAddExp adds exponentials without overflow', () => {
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logAddExp(Number.NEGATIVE_INFINITY, -3)).toBe(-3);
  });
});
