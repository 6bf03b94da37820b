import {
  bgNbdLogLikelihood,
  BgNbdSample,
  expectedPurchases,
  expectedPurchasesByIntegral,
  probabilityAlive,
} from './bg-nbd';
import { expectedAverageValue, gammaGammaLogLikelihood, GammaGammaSample } from './gamma-gamma';

/** The paper's CDNOW estimates (weeks). */
const CDNOW = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const SPEND = { p: 6.25, q: 3.74, gamma: 15.44 };

/*
 * Expected values computed independently, in Python from the papers'
 * formulas as printed (products and powers, not logarithms; 2F1 by its
 * untransformed series), with math.lgamma.
 */
describe('BG/NBD', () => {
  it.each([
    [0, 0, 38.86, -0.5547132764381584],
    [2, 30.43, 38.86, -9.45860630706627],
    [5, 10, 20, -13.983995188396234],
    [1, 5, 5, -3.84094402096063],
  ])('log-likelihood of x=%d, t_x=%d, T=%d is the paper equation (6)', (x, tx, T, expected) => {
    expect(bgNbdLogLikelihood(CDNOW, { x, tx, T })).toBeCloseTo(expected, 10);
  });

  it('stays finite for a customer with thousands of purchases (the direct product over/underflows)', () => {
    const value = bgNbdLogLikelihood(CDNOW, { x: 5000, tx: 990, T: 1000 });
    expect(Number.isFinite(value)).toBe(true);
    expect(Math.pow(CDNOW.alpha + 1000, -(CDNOW.r + 5000))).toBe(0);
    expect(Number.isFinite(expectedPurchases(CDNOW, { x: 5000, tx: 990, T: 1000 }, 365))).toBe(true);
    expect(probabilityAlive(CDNOW, { x: 5000, tx: 500, T: 1000 })).toBe(0);
  });

  it.each([
    [2, 30.43, 38.86, 0.726578570080673],
    [1, 5, 5, 0.753650201926064],
  ])('probabilityAlive of x=%d, t_x=%d, T=%d', (x, tx, T, expected) => {
    expect(probabilityAlive(CDNOW, { x, tx, T })).toBeCloseTo(expected, 12);
  });

  it('probabilityAlive is 1 without a repeat purchase, whatever T', () => {
    expect(probabilityAlive(CDNOW, { x: 0, tx: 0, T: 38.86 })).toBe(1);
    expect(probabilityAlive(CDNOW, { x: 0, tx: 0, T: 1e6 })).toBe(1);
  });

  it('probabilityAlive with the last purchase at T is (b+x−1)/(b+x−1+a)', () => {
    const x = 3;
    const expected = (CDNOW.b + x - 1) / (CDNOW.b + x - 1 + CDNOW.a);
    expect(probabilityAlive(CDNOW, { x, tx: 38.86, T: 38.86 })).toBeCloseTo(expected, 14);
    expect(expected).toBeCloseTo(0.8480551829852462, 14);
  });

  it('probabilityAlive falls as the time since the last purchase grows', () => {
    const recent = probabilityAlive(CDNOW, { x: 4, tx: 30, T: 32 });
    const old = probabilityAlive(CDNOW, { x: 4, tx: 10, T: 32 });
    expect(old).toBeLessThan(recent);
  });

  it.each([
    [0, 0, 38.86, 39, 0.19509805201125396],
    [2, 30.43, 38.86, 39, 1.226028174767135],
    [1, 5, 5, 52, 2.8984531172590153],
    [3, 38.86, 38.86, 10, 0.5993675484141506],
  ])(
    'expectedPurchases of x=%d, t_x=%d, T=%d over %d is the paper equation (10)',
    (x, tx, T, t, expected) => {
      expect(expectedPurchases(CDNOW, { x, tx, T }, t)).toBeCloseTo(expected, 10);
    },
  );

  it('expects nothing over an empty horizon', () => {
    expect(expectedPurchases(CDNOW, { x: 2, tx: 3, T: 4 }, 0)).toBe(0);
  });
});

describe('Gamma-Gamma', () => {
  it.each([
    [1, 10, -3.9213505021119652],
    [2, 22.35, -3.551316759731715],
    [4, 50.5, -4.895300999218042],
  ])('log-likelihood of x=%d, m̄=%d', (x, mean, expected) => {
    expect(gammaGammaLogLikelihood(SPEND, { x, mean })).toBeCloseTo(expected, 10);
  });

  it.each([
    [1, 10, 17.68631813125695],
    [2, 22.35, 24.663713910761153],
  ])('expectedAverageValue of x=%d, m̄=%d', (x, mean, expected) => {
    expect(expectedAverageValue(SPEND, { x, mean })).toBeCloseTo(expected, 10);
  });

  it('without repeat purchases expects the population mean pγ/(q−1)', () => {
    expect(expectedAverageValue(SPEND, { x: 0, mean: 0 })).toBeCloseTo(
      (SPEND.p * SPEND.gamma) / (SPEND.q - 1),
      12,
    );
  });
});

describe('expectedPurchases by the integral over p', () => {
  it.each([
    [CDNOW, { x: 0, tx: 0, T: 38.86 }, 39],
    [CDNOW, { x: 2, tx: 30.43, T: 38.86 }, 39],
    [CDNOW, { x: 7, tx: 20, T: 30 }, 52],
    [{ r: 0.5, alpha: 12, a: 1.7, b: 3 }, { x: 3, tx: 100, T: 200 }, 365],
    [{ r: 2, alpha: 40, a: 30, b: 90 }, { x: 12, tx: 300, T: 320 }, 365],
  ])('agrees with the 2F1 closed form (%o, %o, t=%d)', (params, summary, t) => {
    const closed = expectedPurchases(params, summary, t);
    expect(expectedPurchasesByIntegral(params, summary, t)).toBeCloseTo(closed, 5);
  });

  it('answers where the series would need millions of terms (a and b in the millions)', () => {
    const params = { r: 0.9, alpha: 30, a: 2.4e6, b: 6.9e6 };
    const summary = { x: 3, tx: 20, T: 26 };
    // p is all but known, a/(a+b+x): the expectation with p fixed, (1 − (1 + pt/(α+T))^−(r+x))/p, times P(alive).
    const p = params.a / (params.a + params.b + summary.x);
    const fixedP = (1 - Math.pow(1 + (p * 52) / (30 + 26), -(0.9 + 3))) / p;
    expect(expectedPurchases(params, summary, 52)).toBeCloseTo(fixedP * probabilityAlive(params, summary), 4);
  });
});

describe('prepared samples', () => {
  const customers = [
    { x: 0, tx: 0, T: 38.86 },
    { x: 2, tx: 30.43, T: 38.86 },
    { x: 2, tx: 30.43, T: 38.86 },
    { x: 5, tx: 10, T: 20 },
    { x: 1, tx: 5, T: 5 },
  ];

  it('sums the BG/NBD log-likelihood of every customer', () => {
    const sum = customers.reduce((total, c) => total + bgNbdLogLikelihood(CDNOW, c), 0);
    expect(new BgNbdSample(customers).logLikelihood(CDNOW)).toBeCloseTo(sum, 10);
  });

  it('sums the Gamma-Gamma log-likelihood of every customer', () => {
    const spends = [
      { x: 1, mean: 10 },
      { x: 2, mean: 22.35 },
      { x: 4, mean: 50.5 },
      { x: 2, mean: 7 },
    ];
    const sum = spends.reduce((total, s) => total + gammaGammaLogLikelihood(SPEND, s), 0);
    expect(new GammaGammaSample(spends).logLikelihood(SPEND)).toBeCloseTo(sum, 10);
  });
});
