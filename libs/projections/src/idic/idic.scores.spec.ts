import {
  differentiationScore,
  npsClass,
  rankAmong,
  recencyDays,
  rfmScore,
  touchpoints90d,
  valueTier,
} from './idic.scores';

describe('rankAmong', () => {
  it('counts the values strictly lower than the own value', () => {
    expect(rankAmong([5, 1, 3, 3, 8], 3)).toBe(1);
    expect(rankAmong([5, 1, 3, 3, 8], 9)).toBe(5);
    expect(rankAmong([], 1)).toBe(0);
  });
});

describe('rfmScore', () => {
  it('is min(5, 1 + floor(5 · L / N))', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((lower) => rfmScore(lower, 10))).toEqual([
      1, 1, 2, 2, 3, 3, 4, 4, 5, 5,
    ]);
  });

  it('gives 1 to a lone purchaser', () => {
    expect(rfmScore(0, 1)).toBe(1);
  });

  it('lets tied customers share a score, since ties share their L', () => {
    const revenues = [100, 200, 200, 200, 900];
    const scores = revenues.map((own) => rfmScore(rankAmong(revenues, own), revenues.length));
    expect(scores).toEqual([1, 2, 2, 2, 5]);
  });

  it('rejects a rank that cannot come from the population', () => {
    expect(() => rfmScore(0, 0)).toThrow(RangeError);
    expect(() => rfmScore(3, 3)).toThrow(RangeError);
    expect(() => rfmScore(-1, 3)).toThrow(RangeError);
    expect(() => rfmScore(0.5, 3)).toThrow(RangeError);
  });
});

describe('differentiationScore', () => {
  it('maps R + F + M from 3–15 onto 0–100, rounded', () => {
    expect(differentiationScore(1, 1, 1)).toBe(0);
    expect(differentiationScore(5, 5, 5)).toBe(100);
    expect(differentiationScore(3, 2, 1)).toBe(25);
    expect(differentiationScore(2, 1, 1)).toBe(8);
    expect(differentiationScore(2, 2, 1)).toBe(17);
  });
});

describe('valueTier', () => {
  it('is prospect without a purchase', () => {
    expect(valueTier({ orders: 0, netRevenue: 0 }, 0, 10)).toBe('prospect');
  });

  it('is below_zero when refunds bring net revenue to zero or less', () => {
    expect(valueTier({ orders: 1, netRevenue: 0 }, 9, 10)).toBe('below_zero');
    expect(valueTier({ orders: 2, netRevenue: -500 }, 0, 10)).toBe('below_zero');
  });

  it.each([
    [8, 'mvc'],
    [9, 'mvc'],
    [7, 'core'],
    [3, 'core'],
    [2, 'low'],
    [0, 'low'],
  ])('with L = %i of N = 10 is %s', (lower, tier) => {
    expect(valueTier({ orders: 1, netRevenue: 100 }, lower, 10)).toBe(tier);
  });
});

describe('npsClass', () => {
  it.each([
    [10, 'promoter'],
    [9, 'promoter'],
    [8, 'passive'],
    [7, 'passive'],
    [6, 'detractor'],
    [0, 'detractor'],
  ])('classes %i as %s', (score, expected) => {
    expect(npsClass(score)).toBe(expected);
  });
});

describe('recencyDays', () => {
  it('counts whole days since the last purchase, rounded down', () => {
    expect(recencyDays('2024-01-01T12:00:00.000Z', '2024-01-11T11:59:59.999Z')).toBe(9);
    expect(recencyDays('2024-01-01T12:00:00.000Z', new Date('2024-01-11T12:00:00.000Z'))).toBe(10);
  });
});

describe('touchpoints90d', () => {
  const doc = {
    touchpointsByDay: {
      '2024-01-01': 5,
      '2024-01-02': 1,
      '2024-03-15': 2,
      '2024-03-31': 3,
      '2024-04-01': 7,
    },
  };

  it('counts the days in [asOf − 90 days, asOf) for an asOf at midnight UTC', () => {
    // 2024-04-01 minus 90 days is 2024-01-02 (2024 is a leap year).
    expect(touchpoints90d(doc, '2024-04-01T00:00:00.000Z')).toBe(1 + 2 + 3);
  });

  it('counts the 90 calendar days ending with asOf’s own day for an asOf within a day', () => {
    expect(touchpoints90d(doc, '2024-04-01T12:00:00.000Z')).toBe(2 + 3 + 7);
  });

  it('is 0 without touchpoints', () => {
    expect(touchpoints90d({ touchpointsByDay: {} }, '2024-04-01T00:00:00.000Z')).toBe(0);
  });
});

describe('scoring parameters (what-if)', () => {
  it('gives exactly the domain formula with the default weights, for every R, F and M', () => {
    const scores = [1, 2, 3, 4, 5];
    for (const r of scores)
      for (const f of scores)
        for (const m of scores)
          expect(differentiationScore(r, f, m)).toBe(Math.round(((r + f + m - 3) / 12) * 100));
  });

  it('weighs each RFM score, staying within 0–100', () => {
    const monetaryOnly = { recency: 0, frequency: 0, monetary: 1 };
    expect(differentiationScore(1, 1, 5, monetaryOnly)).toBe(100);
    expect(differentiationScore(5, 5, 1, monetaryOnly)).toBe(0);
    expect(differentiationScore(5, 1, 1, { recency: 2, frequency: 1, monetary: 1 })).toBe(50);
  });

  it('moves the value tiers with the cut-offs', () => {
    const doc = { orders: 1, netRevenue: 100 };
    expect(valueTier(doc, 5, 10)).toBe('core');
    expect(valueTier(doc, 5, 10, { mvc: 0.5, core: 0.2 })).toBe('mvc');
    expect(valueTier(doc, 1, 10, { mvc: 0.9, core: 0.2 })).toBe('low');
  });
});
