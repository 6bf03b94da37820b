import { readsHistories } from './reads-history';
import { firstPurchaseAt, monthPeriods, purchaserSample, readPeriods, readSpecs } from './reads-plan';

const start = Date.UTC(2024, 11, 1);
const end = Date.UTC(2026, 11, 1);

describe('the reads bench plan', () => {
  it('takes whole calendar months ending at the last month boundary of the log, latest first', () => {
    expect(monthPeriods(start, end, 1, 3)).toEqual([
      { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' },
      { from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' },
      { from: '2026-09-01T00:00:00.000Z', to: '2026-10-01T00:00:00.000Z' },
    ]);
  });

  it('stops at a log that ends inside a month, and at its start', () => {
    expect(monthPeriods(start, Date.UTC(2026, 10, 17, 5), 12, 2)).toEqual([
      { from: '2025-11-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' },
      { from: '2025-10-01T00:00:00.000Z', to: '2026-10-01T00:00:00.000Z' },
    ]);
    expect(monthPeriods(start, end, 24, 6)).toEqual([
      { from: '2024-12-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' },
    ]);
    expect(() => monthPeriods(start, end, 25, 1)).toThrow(RangeError);
  });

  it('names the routes and query parameters of every read, rotating customers and periods', () => {
    const periods = readPeriods(start, end);
    const specs = readSpecs(['bench-1', 'bench-2'], periods);
    const paths = (index: number) => Object.fromEntries(specs.map((spec) => [spec.name, spec.path(index)]));
    expect(paths(0)).toEqual({
      journey: '/customers/bench-1/journey',
      scores: '/customers/bench-1/scores',
      segmentMvc: '/customers?valueTier=mvc&limit=50',
      segmentTopNetRevenue: '/customers?sort=-netRevenue&limit=50',
      kpisMonth: '/kpis?from=2026-11-01T00:00:00.000Z&to=2026-12-01T00:00:00.000Z&granularity=month',
      kpis12Months: '/kpis?from=2025-12-01T00:00:00.000Z&to=2026-12-01T00:00:00.000Z&granularity=month',
      timeTravelKpisMonth:
        '/analytics/kpis?asOf=2026-12-01T00:00:00.000Z&from=2026-11-01T00:00:00.000Z&to=2026-12-01T00:00:00.000Z',
      timeTravelScores: '/analytics/customers/bench-1/scores?asOf=2026-12-01T00:00:00.000Z',
      campaigns: '/campaigns?sort=attributedRevenue&limit=50',
      campaignMonth: '/campaigns/camp-2026-11?from=2026-11-01T00:00:00.000Z&to=2026-12-01T00:00:00.000Z',
    });
    expect(paths(1).journey).toBe('/customers/bench-2/journey');
    expect(paths(1).kpisMonth).toBe(
      '/kpis?from=2026-10-01T00:00:00.000Z&to=2026-11-01T00:00:00.000Z&granularity=month',
    );
    expect(paths(6).kpisMonth).toBe(paths(0).kpisMonth);
  });

  it('samples distinct customers who bought before a given instant, the same for the same seed', () => {
    const histories = readsHistories(20_000, 400);
    const before = Date.UTC(2026, 0, 1);
    const sample = purchaserSample(histories, 50, 1, before);
    expect(new Set(sample).size).toBe(50);
    for (const id of sample) {
      expect(firstPurchaseAt(histories, Number(id.slice('bench-'.length)))).toBeLessThan(before);
    }
    expect(purchaserSample(histories, 50, 1, before)).toEqual(sample);
  });
});
