import { newCustomerId, recordTouchpoint } from './support/api';
import {
  call,
  email,
  purchase,
  refund,
  registerAt,
  type ScoresBody,
  scoresOf,
  survey,
} from './support/read-models';
import { TestApp } from './support/test-app';
import { meeting } from './support/touchpoints';

jest.setTimeout(30_000);

const REGISTERED = '2024-12-01T00:00:00Z';
const AS_OF = '2025-03-01T00:00:00.000Z';

/*
 * Ranks are population-wide (every purchaser of the app), so each test starts
 * its own app: the populations below are exactly the customers it registers.
 * Expected figures are worked out by hand from domain.md:
 * score = min(5, 1 + floor(5 · L / N)), differentiationScore = round((R + F + M − 3) / 12 · 100).
 */
describe('GET /customers/:customerId/scores', () => {
  let app: TestApp;
  let position: number;

  beforeEach(async () => {
    app = await TestApp.start();
    position = 0;
  });

  afterEach(async () => {
    await app.stop();
  });

  const customer = (name: string, extra: Record<string, unknown> = {}): Promise<string> =>
    registerAt(app, newCustomerId(name), REGISTERED, extra);

  const record = async (customerId: string, body: Record<string, unknown>): Promise<void> => {
    position = (await recordTouchpoint(app, customerId, body)).globalPosition;
  };

  /** The scores once every write so far is projected (read-your-writes). */
  const scores = (customerId: string, asOf = AS_OF): Promise<ScoresBody> =>
    scoresOf(app, customerId, { asOf, minPosition: position });

  const valueOf = async (customerId: string) => {
    const body = await scores(customerId);
    const { rfm, differentiationScore, valueTier } = body.differentiate.value;
    return { ranks: body.ranks, rfm, differentiationScore, valueTier };
  };

  it('ranks RFM against the purchaser population, so scores and tiers move as other customers buy', async () => {
    const a = await customer('a');
    await record(a, purchase('a-1', 1000, '2025-02-01T00:00:00Z'));

    expect(await valueOf(a)).toEqual({
      ranks: { recencyLower: 0, frequencyLower: 0, monetaryLower: 0, purchasers: 1 },
      rfm: { recency: 1, frequency: 1, monetary: 1 },
      differentiationScore: 0,
      valueTier: 'low',
    });

    const b = await customer('b');
    await record(b, purchase('b-1', 3000, '2025-02-15T00:00:00Z'));

    expect(await valueOf(b)).toEqual({
      ranks: { recencyLower: 1, frequencyLower: 0, monetaryLower: 1, purchasers: 2 },
      rfm: { recency: 3, frequency: 1, monetary: 3 },
      differentiationScore: 33,
      valueTier: 'core',
    });

    const c = await customer('c');
    await record(c, purchase('c-1', 500, '2025-01-01T00:00:00Z'));
    await record(c, purchase('c-2', 700, '2025-01-10T00:00:00Z'));

    expect(await valueOf(a)).toEqual({
      ranks: { recencyLower: 1, frequencyLower: 0, monetaryLower: 0, purchasers: 3 },
      rfm: { recency: 2, frequency: 1, monetary: 1 },
      differentiationScore: 8,
      valueTier: 'low',
    });
    expect(await valueOf(b)).toEqual({
      ranks: { recencyLower: 2, frequencyLower: 0, monetaryLower: 2, purchasers: 3 },
      rfm: { recency: 4, frequency: 1, monetary: 4 },
      differentiationScore: 50,
      valueTier: 'core',
    });
    expect(await valueOf(c)).toEqual({
      ranks: { recencyLower: 0, frequencyLower: 2, monetaryLower: 1, purchasers: 3 },
      rfm: { recency: 1, frequency: 4, monetary: 2 },
      differentiationScore: 33,
      valueTier: 'core',
    });

    const d = await customer('d');
    await record(d, purchase('d-1', 9000, '2025-02-20T00:00:00Z'));
    expect((await valueOf(d)).valueTier).toBe('core');
    const e = await customer('e');
    await record(e, purchase('e-1', 20000, '2025-02-25T00:00:00Z'));

    expect(await valueOf(e)).toEqual({
      ranks: { recencyLower: 4, frequencyLower: 0, monetaryLower: 4, purchasers: 5 },
      rfm: { recency: 5, frequency: 1, monetary: 5 },
      differentiationScore: 67,
      valueTier: 'mvc',
    });
    expect(await valueOf(d)).toEqual({
      ranks: { recencyLower: 3, frequencyLower: 0, monetaryLower: 3, purchasers: 5 },
      rfm: { recency: 4, frequency: 1, monetary: 4 },
      differentiationScore: 50,
      valueTier: 'core',
    });
    expect(await valueOf(b)).toEqual({
      ranks: { recencyLower: 2, frequencyLower: 0, monetaryLower: 2, purchasers: 5 },
      rfm: { recency: 3, frequency: 1, monetary: 3 },
      differentiationScore: 33,
      valueTier: 'core',
    });
    // C's net revenue did not change, but the population around it did: core → low.
    expect(await valueOf(c)).toEqual({
      ranks: { recencyLower: 0, frequencyLower: 4, monetaryLower: 1, purchasers: 5 },
      rfm: { recency: 1, frequency: 5, monetary: 2 },
      differentiationScore: 42,
      valueTier: 'low',
    });
  });

  it('reports the value figures behind the scores', async () => {
    const c = await customer('value');
    await record(c, purchase('v-1', 500, '2025-01-01T00:00:00Z'));
    await record(c, purchase('v-2', 700, '2025-01-10T18:00:00Z'));
    await record(c, refund('v-1', 200, '2025-01-12T00:00:00Z'));

    const { value } = (await scores(c)).differentiate;

    expect(value).toMatchObject({
      netRevenue: 1000,
      purchaseTotal: 1200,
      refundTotal: 200,
      orders: 2,
      aov: 600,
      lastPurchaseAt: '2025-01-10T18:00:00.000Z',
      daysSinceLastPurchase: 49,
    });
  });

  it('recomputes recency at asOf', async () => {
    const early = await customer('early');
    await record(early, purchase('x-1', 100, '2025-01-01T00:00:00Z'));
    const late = await customer('late');
    await record(late, purchase('y-1', 100, '2025-02-01T00:00:00Z'));

    const now = await scores(late, '2025-03-01T00:00:00Z');
    const before = await scores(late, '2025-01-15T00:00:00Z');

    expect(now.differentiate.value.daysSinceLastPurchase).toBe(28);
    expect(now.differentiate.value.rfm?.recency).toBe(3);
    expect(now.meta.asOf).toBe('2025-03-01T00:00:00.000Z');
    // Before its purchase the document still holds it (no time travel): the days go negative.
    expect(before.differentiate.value.daysSinceLastPurchase).toBe(-17);
    expect(before.ranks?.recencyLower).toBe(1);
  });

  it('moves a purchaser whose refunds bring net revenue to zero to below_zero, lowest on monetary', async () => {
    const a = await customer('refunder');
    await record(a, purchase('r-1', 1000, '2025-02-01T00:00:00Z'));
    const b = await customer('keeper');
    await record(b, purchase('k-1', 500, '2025-02-10T00:00:00Z'));
    await record(a, refund('r-1', 400, '2025-02-03T00:00:00Z'));

    expect(await valueOf(a)).toMatchObject({
      ranks: { monetaryLower: 1, purchasers: 2 },
      rfm: { monetary: 3 },
      valueTier: 'core',
    });
    expect((await valueOf(b)).valueTier).toBe('low');

    await record(a, refund('r-1', 600, '2025-02-04T00:00:00Z'));
    const refunded = await scores(a);

    expect(refunded.differentiate.value).toMatchObject({
      netRevenue: 0,
      purchaseTotal: 1000,
      refundTotal: 1000,
      orders: 1,
      aov: 1000,
      valueTier: 'below_zero',
      rfm: { recency: 1, frequency: 1, monetary: 1 },
      differentiationScore: 0,
    });
    expect(refunded.ranks).toEqual({ recencyLower: 0, frequencyLower: 0, monetaryLower: 0, purchasers: 2 });
    expect(await valueOf(b)).toMatchObject({
      ranks: { monetaryLower: 1, purchasers: 2 },
      rfm: { monetary: 3 },
      valueTier: 'core',
    });
  });

  it('does not score a prospect, nor count it in anyone else’s population', async () => {
    const prospect = await customer('prospect');
    await record(prospect, call('inbound', '2025-02-01T00:00:00Z'));
    const buyer = await customer('buyer');
    await record(buyer, purchase('b-1', 800, '2025-02-01T00:00:00Z'));

    const body = await scores(prospect);

    expect(body.ranks).toBeNull();
    expect(body.differentiate.value).toEqual({
      netRevenue: 0,
      purchaseTotal: 0,
      refundTotal: 0,
      orders: 0,
      aov: null,
      lastPurchaseAt: null,
      daysSinceLastPurchase: null,
      rfm: null,
      differentiationScore: null,
      valueTier: 'prospect',
    });
    expect(body.interact).toMatchObject({ touchpoints: 1, inboundShare: 1 });
    expect((await scores(buyer)).ranks).toEqual({
      recencyLower: 0,
      frequencyLower: 0,
      monetaryLower: 0,
      purchasers: 1,
    });
  });

  it('gives tied customers the same scores and tier (recency ties by whole days)', async () => {
    const t1 = await customer('tie-1');
    await record(t1, purchase('t1-1', 2000, '2025-02-10T10:00:00Z'));
    const t2 = await customer('tie-2');
    await record(t2, purchase('t2-1', 2000, '2025-02-10T20:00:00Z'));
    const low = await customer('below');
    await record(low, purchase('l-1', 500, '2025-01-01T00:00:00Z'));

    const tied = {
      ranks: { recencyLower: 1, frequencyLower: 0, monetaryLower: 1, purchasers: 3 },
      rfm: { recency: 2, frequency: 1, monetary: 2 },
      differentiationScore: 17,
      valueTier: 'core',
    };
    expect(await valueOf(t1)).toEqual(tied);
    expect(await valueOf(t2)).toEqual(tied);
    expect(await valueOf(low)).toEqual({
      ranks: { recencyLower: 0, frequencyLower: 0, monetaryLower: 0, purchasers: 3 },
      rfm: { recency: 1, frequency: 1, monetary: 1 },
      differentiationScore: 0,
      valueTier: 'low',
    });
  });

  it('answers null, never 0 or NaN, for ratios without a denominator', async () => {
    const quiet = await customer('quiet');
    await record(await customer('other'), meeting({ occurredAt: '2025-02-01T00:00:00Z' }));

    const body = await scores(quiet);

    expect(body.identify).toEqual({ email: null, phone: null, profileCompleteness: 0.25 });
    expect(body.differentiate.needs).toEqual({ preferredChannel: null, topCategory: null });
    expect(body.interact).toEqual({ touchpoints: 0, touchpoints90d: 0, inboundShare: null });
    expect(body.satisfaction).toEqual({ latestNps: null, npsClass: null, avgCsat: null });
    expect(body.differentiate.value.aov).toBeNull();
  });

  it('normalises identity keys and measures profile completeness', async () => {
    const customerId = await customer('identity', {
      email: 'Ann.Lee@Example.COM',
      phone: '+49 (30) 123-4567',
      segment: 'retail',
    });
    await record(customerId, meeting({ occurredAt: '2025-02-01T00:00:00Z' }));

    expect((await scores(customerId)).identify).toEqual({
      email: 'ann.lee@example.com',
      phone: '+49301234567',
      profileCompleteness: 1,
    });
  });

  it('finds the preferred channel (ties → most recent), the top category and the interaction figures', async () => {
    const customerId = await customer('needs');
    await record(
      customerId,
      purchase('n-1', 3000, '2025-01-10T00:00:00Z', {
        items: [
          { sku: 'S-1', category: 'shoes', quantity: 1, unitAmount: 2000 },
          { sku: 'S-2', category: 'socks', quantity: 2, unitAmount: 500 },
        ],
      }),
    );
    await record(
      customerId,
      purchase('n-2', 1500, '2025-02-10T00:00:00Z', {
        channel: 'app',
        items: [{ sku: 'S-2', category: 'socks', quantity: 3, unitAmount: 500 }],
      }),
    );
    await record(customerId, call('inbound', '2025-02-11T00:00:00Z'));
    await record(customerId, call('outbound', '2025-02-12T00:00:00Z'));
    await record(customerId, email('inbound', '2025-02-13T00:00:00Z'));
    await record(customerId, email('outbound', '2025-02-14T00:00:00Z'));

    const tied = await scores(customerId);

    expect(tied.differentiate.needs).toEqual({ preferredChannel: 'email', topCategory: 'socks' });
    expect(tied.interact).toEqual({ touchpoints: 6, touchpoints90d: 6, inboundShare: 2 / 6 });

    await record(customerId, call('outbound', '2025-01-01T00:00:00Z'));
    const more = await scores(customerId);

    expect(more.differentiate.needs.preferredChannel).toBe('phone');
    expect(more.interact).toEqual({ touchpoints: 7, touchpoints90d: 7, inboundShare: 2 / 7 });
    expect((await scores(customerId, '2025-04-15T00:00:00Z')).interact.touchpoints90d).toBe(5);
  });

  it('takes the latest NPS answer by occurredAt and averages CSAT', async () => {
    const customerId = await customer('satisfaction');
    await record(customerId, survey('nps', 9, '2025-02-20T00:00:00Z'));
    await record(customerId, survey('nps', 4, '2025-01-15T00:00:00Z'));
    await record(customerId, survey('csat', 5, '2025-02-21T00:00:00Z'));
    await record(customerId, survey('csat', 2, '2025-02-22T00:00:00Z'));

    expect((await scores(customerId)).satisfaction).toEqual({
      latestNps: 9,
      npsClass: 'promoter',
      avgCsat: 3.5,
    });

    await record(customerId, survey('nps', 7, '2025-02-25T00:00:00Z'));
    expect((await scores(customerId)).satisfaction).toMatchObject({ latestNps: 7, npsClass: 'passive' });
    await record(customerId, survey('nps', 6, '2025-02-26T00:00:00Z'));
    expect((await scores(customerId)).satisfaction).toMatchObject({ latestNps: 6, npsClass: 'detractor' });
  });
});
