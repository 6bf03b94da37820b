import { valueTier } from '../idic/idic.scores';
import { minLowerCount, tierFilter, tierOf, VALUE_TIERS, type ValueTierBounds } from './value-tier-bounds';

describe('minLowerCount', () => {
  it.each([
    [0.8, 1, 1],
    [0.8, 5, 4],
    [0.8, 10, 8],
    [0.8, 11, 9],
    [0.3, 10, 3],
    [0.3, 11, 4],
    [0.3, 1, 1],
  ])('the least L with L/N ≥ %s for N = %s is %s', (share, population, lower) => {
    expect(minLowerCount(share, population)).toBe(lower);
  });

  it('splits L exactly where valueTier does, float comparison included, for every N up to 500', () => {
    const disagreements: string[] = [];
    for (let population = 1; population <= 500; population++) {
      const mvc = minLowerCount(0.8, population);
      const core = minLowerCount(0.3, population);
      for (let lower = 0; lower < population; lower++) {
        const byBounds = lower >= mvc ? 'mvc' : lower >= core ? 'core' : 'low';
        const byShare = valueTier({ orders: 1, netRevenue: 1 }, lower, population);
        if (byShare !== byBounds)
          disagreements.push(`L ${lower} of N ${population}: ${byShare} vs ${byBounds}`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});

describe('tierOf', () => {
  const bounds: ValueTierBounds = { purchasers: 10, mvcFrom: 900, coreFrom: 300 };

  it.each([
    [{ orders: 0, netRevenue: 0 }, 'prospect'],
    [{ orders: 2, netRevenue: 0 }, 'below_zero'],
    [{ orders: 1, netRevenue: -5 }, 'below_zero'],
    [{ orders: 1, netRevenue: 1 }, 'low'],
    [{ orders: 1, netRevenue: 299 }, 'low'],
    [{ orders: 1, netRevenue: 300 }, 'core'],
    [{ orders: 1, netRevenue: 899 }, 'core'],
    [{ orders: 1, netRevenue: 900 }, 'mvc'],
  ])('places %j in %s', (doc, tier) => {
    expect(tierOf(doc, bounds)).toBe(tier);
  });

  it('has no mvc or core when the population has none', () => {
    expect(tierOf({ orders: 1, netRevenue: 10 ** 9 }, { purchasers: 2, mvcFrom: null, coreFrom: null })).toBe(
      'low',
    );
  });
});

describe('tierFilter', () => {
  const bounds: ValueTierBounds = { purchasers: 10, mvcFrom: 900, coreFrom: 300 };

  it('selects a tier in customerId order by its class, and the ranked tiers by their range within it', () => {
    expect(tierFilter('prospect', bounds, 'id')).toEqual({ valueClass: 'prospect' });
    expect(tierFilter('below_zero', bounds, 'id')).toEqual({ valueClass: 'below_zero' });
    expect(tierFilter('low', bounds, 'id')).toEqual({ valueClass: 'positive', netRevenue: { $lt: 300 } });
    expect(tierFilter('core', bounds, 'id')).toEqual({
      valueClass: 'positive',
      netRevenue: { $gte: 300, $lt: 900 },
    });
    expect(tierFilter('mvc', bounds, 'id')).toEqual({ valueClass: 'positive', netRevenue: { $gte: 900 } });
  });

  it('selects a ranked tier in netRevenue order by its range alone, which the netRevenue index serves', () => {
    expect(tierFilter('low', bounds, 'netRevenue')).toEqual({ netRevenue: { $gt: 0, $lt: 300 } });
    expect(tierFilter('core', bounds, 'netRevenue')).toEqual({ netRevenue: { $gt: 0, $gte: 300, $lt: 900 } });
    expect(tierFilter('mvc', bounds, 'netRevenue')).toEqual({ netRevenue: { $gt: 0, $gte: 900 } });
  });

  it('leaves the tier to the caller where no index of the sort serves it', () => {
    for (const tier of VALUE_TIERS) expect(tierFilter(tier, bounds, 'orders')).toBeUndefined();
    expect(tierFilter('prospect', bounds, 'netRevenue')).toBeUndefined();
    expect(tierFilter('below_zero', bounds, 'lastPurchaseAt')).toBeUndefined();
  });

  it('is null for an empty tier, and leaves a missing upper bound open', () => {
    const none: ValueTierBounds = { purchasers: 2, mvcFrom: null, coreFrom: null };
    expect(tierFilter('mvc', none, 'id')).toBeNull();
    expect(tierFilter('core', none, 'netRevenue')).toBeNull();
    expect(tierFilter('low', none, 'id')).toEqual({ valueClass: 'positive', netRevenue: { $lt: undefined } });
  });
});
