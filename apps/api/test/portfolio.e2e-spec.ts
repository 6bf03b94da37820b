import { customerPath, expectError, recordTouchpoint, registerCustomer } from './support/api';
import { purchase, refund } from './support/read-models';
import { TestApp } from './support/test-app';

jest.setTimeout(60_000);

type CohortsBody = {
  readonly from: string;
  readonly to: string;
  readonly months: number;
  readonly cohorts: readonly { cohort: string; size: number; retention: (number | null)[] }[];
  readonly position: number;
};

type FitBody = {
  readonly fitId: string;
  readonly calibrationEnd: string;
  readonly unit: string;
  readonly position: number;
  readonly bgnbd: Record<string, unknown> & {
    r: number;
    alpha: number;
    a: number;
    b: number;
    customers: number;
  };
  readonly gammaGamma: (Record<string, unknown> & { p: number; q: number; gamma: number }) | null;
  readonly customers: number;
  readonly customersWithRepeat: number;
};

type ScoresPredictionBody = {
  readonly probabilityAlive: number | null;
  readonly expectedPurchases365d: number | null;
  readonly predictedValue: number | null;
  readonly prediction: { fitId: string; calibrationEnd: string; expectedAverageValue: number | null } | null;
};

const day = (n: number, hour = 10) => new Date(Date.UTC(2025, 0, 1 + n, hour)).toISOString();

/**
 * Twelve customers (nine with a repeat purchase day) whose first purchases fall in January, February and
 * March 2025, with repeat purchases at varied gaps (two on one day for
 * `p00`, a refund for `p01`), and one prospect without a purchase.
 */
async function seed(app: TestApp): Promise<number> {
  let last = 0;
  for (let i = 0; i < 12; i++) {
    const id = `p${String(i).padStart(2, '0')}`;
    await registerCustomer(app, id);
    const first = (i % 3) * 31 + i; // Jan, Feb or Mar
    const gaps = [0, 9, 17, 40, 63].slice(0, 1 + (i % 5));
    let at = first;
    for (const [k, gap] of gaps.entries()) {
      at += gap;
      last = (await recordTouchpoint(app, id, purchase(`${id}-o${k}`, 1000 + 250 * ((i + k) % 4), day(at))))
        .globalPosition;
    }
  }
  await recordTouchpoint(app, 'p00', purchase('p00-same-day', 500, day(0, 18)));
  last = (await recordTouchpoint(app, 'p01', refund('p01-o0', 400, day(200)))).globalPosition;
  await registerCustomer(app, 'prospect');
  return last;
}

describe('portfolio analysis: cohorts and predicted value', () => {
  let app: TestApp;
  let last: number;

  beforeAll(async () => {
    app = await TestApp.start();
    last = await seed(app);
    // Reads of the read models wait for the log through any read with minPosition.
    expect((await app.get(`${customerPath('p00', '/scores')}?minPosition=${last}`)).statusCode).toBe(200);
  });
  afterAll(() => app.stop());

  it('serves cohorts by month of first purchase with retention per month offset', async () => {
    const response = await app.get<CohortsBody>('/analytics/cohorts?from=2025-01&to=2025-04&months=4');
    expect(response.statusCode).toBe(200);
    expect(response.body.cohorts.map((c) => [c.cohort, c.size])).toEqual([
      ['2025-01', 4],
      ['2025-02', 4],
      ['2025-03', 4],
    ]);
    for (const cohort of response.body.cohorts) {
      expect(cohort.retention[0]).toBe(1);
      expect(cohort.retention).toHaveLength(4);
      for (const share of cohort.retention) expect(share).toBeGreaterThanOrEqual(0);
    }
  });

  it('serves the same table as CSV', async () => {
    const json = await app.get<CohortsBody>('/analytics/cohorts?from=2025-01&to=2025-04&months=3');
    const csv = await app.app.inject({
      method: 'GET',
      url: '/analytics/cohorts?from=2025-01&to=2025-04&months=3&format=csv',
      headers: { authorization: `Bearer ${app.apiKey}` },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('cohort,size,m0,m1,m2');
    expect(lines.slice(1)).toEqual(
      json.body.cohorts.map((c) => [c.cohort, c.size, ...c.retention.map((s) => String(s))].join(',')),
    );
  });

  it.each([
    ['from=2025-13', 'from'],
    ['to=2025-01&from=2025-02', 'to'],
    ['months=0', 'months'],
    ['months=121', 'months'],
    ['format=xml', 'format'],
    ['colour=blue', 'colour'],
  ])('refuses cohorts?%s naming %s', async (query, field) => {
    const body = expectError(await app.get(`/analytics/cohorts?${query}`), 400, 'VALIDATION.FAILED');
    expect(body.details.map((d) => d.field)).toContain(field);
  });

  it('has no fit before the first, and scores say null', async () => {
    expectError(await app.get('/analytics/predicted-value/fits/latest'), 404, 'PREDICTED_VALUE.NO_FIT');
    const scores = await app.get<ScoresPredictionBody>(customerPath('p03', '/scores'));
    expect(scores.body).toMatchObject({
      probabilityAlive: null,
      expectedPurchases365d: null,
      predictedValue: null,
      prediction: null,
    });
  });

  it('refuses a fit with nobody to fit, and bad bodies', async () => {
    const empty = expectError(
      await app.post('/analytics/predicted-value/fit', { calibrationEnd: '2024-06-01T00:00:00Z' }),
      422,
      'PREDICTED_VALUE.NO_CUSTOMERS',
    );
    expect(empty.details[0]?.field).toBe('calibrationEnd');
    const bad = expectError(
      await app.post('/analytics/predicted-value/fit', {
        calibrationEnd: '2025-06-01',
        unit: 'month',
        extra: 1,
      }),
      400,
      'VALIDATION.FAILED',
    );
    expect(bad.details.map((d) => d.field).sort()).toEqual(['calibrationEnd', 'extra', 'unit']);
  });

  it('fits as of a calibration end, the same way twice, and serves it as the latest', async () => {
    const body = { calibrationEnd: '2025-07-01T00:00:00Z', unit: 'week' };
    const first = await app.post<FitBody>('/analytics/predicted-value/fit', body);
    expect(first.statusCode).toBe(200);
    expect(first.body).toMatchObject({
      calibrationEnd: '2025-07-01T00:00:00.000Z',
      unit: 'week',
      customers: 12,
      customersWithRepeat: 9,
      position: expect.any(Number) as number,
    });
    for (const key of ['r', 'alpha', 'a', 'b'] as const) expect(first.body.bgnbd[key]).toBeGreaterThan(0);
    expect(first.body.gammaGamma?.customers).toBe(9);
    const again = await app.post<FitBody>('/analytics/predicted-value/fit', body);
    expect(again.body.fitId).toBe(first.body.fitId);
    expect(again.body.bgnbd).toEqual(first.body.bgnbd);
    expect(again.body.gammaGamma).toEqual(first.body.gammaGamma);
    const latest = await app.get<FitBody>('/analytics/predicted-value/fits/latest');
    expect(latest.body.fitId).toBe(first.body.fitId);
  });

  it('adds the latest fit’s figures to a customer’s scores, null for one it did not cover', async () => {
    const fit = await app.post<FitBody>('/analytics/predicted-value/fit', {
      calibrationEnd: '2025-07-01T00:00:00Z',
    });
    const scores = await app.get<ScoresPredictionBody>(customerPath('p04', '/scores'));
    expect(scores.body.prediction).toEqual({
      fitId: fit.body.fitId,
      calibrationEnd: '2025-07-01T00:00:00.000Z',
      expectedAverageValue: expect.any(Number) as number,
    });
    expect(scores.body.probabilityAlive).toBeGreaterThan(0);
    expect(scores.body.probabilityAlive).toBeLessThanOrEqual(1);
    expect(scores.body.expectedPurchases365d).toBeGreaterThan(0);
    expect(scores.body.predictedValue).toBeCloseTo(
      (scores.body.expectedPurchases365d ?? 0) * (scores.body.prediction?.expectedAverageValue ?? 0),
      6,
    );
    // A customer without a repeat purchase is alive for the model.
    expect((await app.get<ScoresPredictionBody>(customerPath('p00', '/scores'))).body.probabilityAlive).toBe(
      1,
    );
    expect(
      (await app.get<ScoresPredictionBody>(customerPath('prospect', '/scores'))).body.prediction,
    ).toBeNull();
  });

  it('lists the customers of the latest fit by predicted value for targeting', async () => {
    await app.post('/analytics/predicted-value/fit', { calibrationEnd: '2025-07-01T00:00:00Z' });
    const page = await app.get<{ items: { customerId: string }[] }>(
      '/customers?sort=-predictedValue&limit=100',
    );
    expect(page.statusCode).toBe(200);
    const ids = page.body.items.map((item) => item.customerId);
    expect(ids).toHaveLength(12);
    expect(ids).not.toContain('prospect');
    const values: number[] = [];
    for (const id of ids)
      values.push(
        (await app.get<ScoresPredictionBody>(customerPath(id, '/scores'))).body.predictedValue ?? NaN,
      );
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const ascending = await app.get<{ items: { customerId: string }[] }>(
      '/customers?sort=predictedValue&limit=5',
    );
    expect(ascending.body.items.map((item) => item.customerId)).toEqual([...ids].reverse().slice(0, 5));
  });

  it('expects purchases and value over a what-if horizon with the latest fit', async () => {
    const fit = await app.post<FitBody>('/analytics/predicted-value/fit', {
      calibrationEnd: '2025-07-01T00:00:00Z',
    });
    type Horizon = {
      horizonDays: number;
      fitId: string;
      summary: { customers: number; expectedPurchases: number; predictedValue: number };
      items: { customerId: string; expectedPurchases: number; predictedValue: number | null }[];
    };
    const year = await app.post<{ horizon: Horizon }>('/analytics/what-if', { horizonDays: 365 });
    expect(year.statusCode).toBe(200);
    expect(year.body.horizon).toMatchObject({ horizonDays: 365, fitId: fit.body.fitId });
    expect(year.body.horizon.summary.customers).toBe(12);
    const p04 = year.body.horizon.items.find((item) => item.customerId === 'p04');
    const scores = await app.get<ScoresPredictionBody>(customerPath('p04', '/scores'));
    expect(p04?.expectedPurchases).toBeCloseTo(scores.body.expectedPurchases365d ?? NaN, 10);
    const twoYears = await app.post<{ horizon: Horizon }>('/analytics/what-if', { horizonDays: 730 });
    expect(twoYears.body.horizon.summary.predictedValue).toBeGreaterThan(
      year.body.horizon.summary.predictedValue,
    );
    const without = await app.post<Record<string, unknown>>('/analytics/what-if', {});
    expect(without.body).not.toHaveProperty('horizon');
    expectError(await app.post('/analytics/what-if', { horizonDays: 0 }), 400, 'VALIDATION.FAILED');
  });
});
