import { READ_STORE, type ReadStore } from '@crm/read-store';
import { digestOf } from '../../../libs/projections/src/testing/read-model-digest';
import {
  customerPath,
  expectError,
  fieldsOf,
  newCustomerId,
  recordTouchpoint,
  registerCustomer,
} from './support/api';
import { TestApp } from './support/test-app';

const LIVE_COLLECTIONS = ['journeys', 'idic', 'kpi_facts'];

type Journey = {
  stage: string;
  status: string;
  touchpoints: number;
  timeline: { items: { occurredAt: string }[]; nextCursor: string | null };
  meta: { asOf: string; source: string };
};
type Scores = {
  differentiate: { value: { orders: number; valueTier: string; netRevenue: number } };
  ranks: { purchasers: number } | null;
};
type Kpis = { total: { valueCreation: { orders: number; revenue: number } } };
type Tier = 'prospect' | 'below_zero' | 'low' | 'core' | 'mvc';
type WhatIf = {
  asOf: string;
  summary: {
    customers: number;
    purchasers: number;
    valueTiers: Record<Tier, { whatIf: number; baseline: number }>;
    status: Record<'active' | 'lapsed', { whatIf: number; baseline: number }>;
    tierChanged: number;
  };
  items: { customerId: string; valueTier: string; status: string; baseline: { valueTier: string } }[];
  total: number;
  nextOffset: number | null;
};

/**
 * Time travel and what-if over a small history written through the API:
 * three customers with back-dated purchases. Each buys once, at 100, 200 and
 * 300, in Jan, Feb and Mar 2025; one more registers in April and buys nothing.
 */
describe('analytics: time travel and what-if', () => {
  let app: TestApp;
  const ids = [newCustomerId('a'), newCustomerId('b'), newCustomerId('c')];
  const late = newCustomerId('late');

  beforeAll(async () => {
    app = await TestApp.start();
    for (const [index, id] of ids.entries()) {
      await registerCustomer(app, id, { occurredAt: '2024-12-01T00:00:00Z' });
      await recordTouchpoint(app, id, {
        type: 'PurchaseCompleted',
        orderId: `o-${index}`,
        amount: 100 * (index + 1),
        currency: 'EUR',
        channel: 'web',
        occurredAt: `2025-0${index + 1}-15T12:00:00Z`,
      });
    }
    await registerCustomer(app, late, { occurredAt: '2025-04-01T00:00:00Z' });
    const last = await recordTouchpoint(app, late, {
      type: 'CallLogged',
      direction: 'inbound',
      durationSeconds: 30,
      outcome: 'connected',
      occurredAt: '2025-04-02T00:00:00Z',
    });
    // Read-your-writes: the live models have applied everything before the tests compare digests.
    expect(
      (await app.get(`${customerPath(late, '/journey')}?minPosition=${last.globalPosition}`)).statusCode,
    ).toBe(200);
  });
  afterAll(() => app.stop());

  describe('GET /analytics/customers/:id/journey', () => {
    it('answers what the journey was at asOf, from the history', async () => {
      const url = (asOf: string) => `/analytics${customerPath(ids[2] ?? '', '/journey')}?asOf=${asOf}`;
      const before = await app.get<Journey>(url('2025-03-01T00:00:00Z'));
      const after = await app.get<Journey>(url('2025-04-01T00:00:00Z'));
      expect(before.statusCode).toBe(200);
      expect(before.body).toMatchObject({ stage: 'reach', touchpoints: 0, meta: { source: 'history' } });
      expect(after.body).toMatchObject({ stage: 'conversion', touchpoints: 1, status: 'active' });
      const today = await app.get<Journey>(customerPath(ids[2] ?? '', '/journey?asOf=2025-03-01T00:00:00Z'));
      expect(today.body.stage).toBe('conversion');
    });

    it('is 404 before the customer registered', async () => {
      const response = await app.get(`/analytics${customerPath(late, '/journey')}?asOf=2025-03-01T00:00:00Z`);
      expectError(response, 404, 'CUSTOMER.NOT_FOUND');
    });

    it('needs a valid asOf, cursor and limit', async () => {
      const path = `/analytics${customerPath(late, '/journey')}`;
      expect(fieldsOf(expectError(await app.get(path), 400, 'VALIDATION.FAILED'))).toEqual(['asOf']);
      expect(
        fieldsOf(expectError(await app.get(`${path}?asOf=2025-13-01T00:00:00Z`), 400, 'VALIDATION.FAILED')),
      ).toEqual(['asOf']);
      expect(
        fieldsOf(
          expectError(
            await app.get(`${path}?asOf=2026-01-01T00:00:00Z&cursor=nope`),
            400,
            'VALIDATION.FAILED',
          ),
        ),
      ).toEqual(['cursor']);
      expect(
        fieldsOf(
          expectError(await app.get(`${path}?asOf=2026-01-01T00:00:00Z&limit=0`), 400, 'VALIDATION.FAILED'),
        ),
      ).toEqual(['limit']);
    });
  });

  describe('GET /analytics/customers/:id/scores', () => {
    it('ranks among the purchasers at asOf', async () => {
      const at = async (asOf: string) =>
        (await app.get<Scores>(`/analytics${customerPath(ids[0] ?? '', '/scores')}?asOf=${asOf}`)).body;
      expect((await at('2025-02-01T00:00:00Z')).ranks?.purchasers).toBe(1);
      expect((await at('2025-04-01T00:00:00Z')).ranks?.purchasers).toBe(3);
      expect((await at('2025-01-01T00:00:00Z')).differentiate.value).toMatchObject({
        orders: 0,
        valueTier: 'prospect',
      });
    });

    it('is 404 before registration and 400 without asOf', async () => {
      expectError(
        await app.get(`/analytics${customerPath(late, '/scores')}?asOf=2025-01-01T00:00:00Z`),
        404,
        'CUSTOMER.NOT_FOUND',
      );
      expectError(await app.get(`/analytics${customerPath(late, '/scores')}`), 400, 'VALIDATION.FAILED');
    });
  });

  describe('GET /analytics/kpis', () => {
    it('gives the KPIs of a past period as known at asOf', async () => {
      const response = await app.get<Kpis>(
        '/analytics/kpis?asOf=2025-03-01T00:00:00Z&from=2025-01-01T00:00:00Z&to=2025-03-01T00:00:00Z&granularity=month',
      );
      expect(response.statusCode).toBe(200);
      expect(response.body.total.valueCreation).toMatchObject({ orders: 2, revenue: 300 });
    });

    it('refuses a period ending after asOf, and missing or bad bounds, naming each field', async () => {
      const after = await app.get(
        '/analytics/kpis?asOf=2025-02-01T00:00:00Z&from=2025-01-01T00:00:00Z&to=2025-03-01T00:00:00Z',
      );
      expect(fieldsOf(expectError(after, 400, 'VALIDATION.FAILED'))).toEqual(['to']);
      expect(fieldsOf(expectError(await app.get('/analytics/kpis'), 400, 'VALIDATION.FAILED'))).toEqual([
        'asOf',
        'from',
        'to',
      ]);
      const granularity = await app.get(
        '/analytics/kpis?asOf=2025-03-01T00:00:00Z&from=2025-01-01T00:00:00Z&to=2025-03-01T00:00:00Z&granularity=year',
      );
      expect(fieldsOf(expectError(granularity, 400, 'VALIDATION.FAILED'))).toEqual(['granularity']);
    });
  });

  describe('POST /analytics/what-if', () => {
    const store = (): ReadStore => app.app.get<ReadStore>(READ_STORE);

    it('with no parameters gives today’s tiers, and leaves the live read models untouched', async () => {
      const before = await digestOf(store(), LIVE_COLLECTIONS);
      const response = await app.post<WhatIf>('/analytics/what-if', { asOf: '2025-06-01T00:00:00Z' });
      expect(response.statusCode).toBe(200);
      const { summary } = response.body;
      expect(summary).toMatchObject({ purchasers: 3, tierChanged: 0 });
      expect(summary.customers).toBeGreaterThanOrEqual(4);
      // N = 3: L/N is 0, 1/3 and 2/3, so nobody reaches 0.8.
      expect(summary.valueTiers.mvc).toEqual({ whatIf: 0, baseline: 0 });
      expect(summary.valueTiers.core).toEqual({ whatIf: 2, baseline: 2 });
      expect(summary.valueTiers.low).toEqual({ whatIf: 1, baseline: 1 });
      expect(await digestOf(store(), LIVE_COLLECTIONS)).toBe(before);
    });

    it('moves tiers and statuses with other cut-offs and churn window, compared with the baseline', async () => {
      const before = await digestOf(store(), LIVE_COLLECTIONS);
      const response = await app.post<WhatIf>('/analytics/what-if', {
        asOf: '2025-06-01T00:00:00Z',
        valueTierCutoffs: { mvc: 0.6, core: 0 },
        rfmWeights: { recency: 0, frequency: 0, monetary: 1 },
        churnWindowDays: 100,
      });
      const { summary, items } = response.body;
      expect(summary.valueTiers.mvc).toEqual({ whatIf: 1, baseline: 0 });
      expect(summary.valueTiers.core).toEqual({ whatIf: 2, baseline: 2 });
      expect(summary.valueTiers.low).toEqual({ whatIf: 0, baseline: 1 });
      expect(summary.tierChanged).toBe(2);
      // Jan and Feb purchases are more than 100 days before June 1st; under 180 nobody lapsed.
      expect(summary.status.lapsed).toEqual({ whatIf: 2, baseline: 0 });
      const first = items.find((item) => item.customerId === ids[0]);
      expect(first).toMatchObject({ valueTier: 'core', status: 'lapsed', baseline: { valueTier: 'low' } });
      expect(await digestOf(store(), LIVE_COLLECTIONS)).toBe(before);
    });

    it('pages the result set by offset', async () => {
      const page = await app.post<WhatIf>('/analytics/what-if', { limit: 2 });
      expect(page.body.items).toHaveLength(2);
      expect(page.body.nextOffset).toBe(2);
      const rest = await app.post<WhatIf>('/analytics/what-if', { limit: 100, offset: 2 });
      expect(rest.body.items.length + 2).toBe(page.body.total);
      expect(rest.body.nextOffset).toBeNull();
    });

    it('rejects bad parameters with every field named', async () => {
      const response = await app.post('/analytics/what-if', {
        asOf: 'soon',
        valueTierCutoffs: { mvc: 1.5, core: 0.2 },
        rfmWeights: { recency: 0, frequency: 0, monetary: 0 },
        churnWindowDays: 0,
        colour: 'red',
      });
      expect(fieldsOf(expectError(response, 400, 'VALIDATION.FAILED')).sort()).toEqual(
        ['asOf', 'churnWindowDays', 'colour', 'rfmWeights.monetary', 'valueTierCutoffs.mvc'].sort(),
      );
      const inverted = await app.post('/analytics/what-if', { valueTierCutoffs: { mvc: 0.2, core: 0.5 } });
      expect(fieldsOf(expectError(inverted, 400, 'VALIDATION.FAILED'))).toEqual(['valueTierCutoffs.core']);
    });
  });
});
