import { expectError, recordTouchpoint } from './support/api';
import {
  type KpiReportBody,
  kpisOf,
  purchase,
  refund,
  registerAt,
  segmentPage,
  survey,
} from './support/read-models';
import { TestApp } from './support/test-app';

jest.setTimeout(30_000);

const MARCH = { from: '2025-03-01T00:00:00.000Z', to: '2025-04-01T00:00:00.000Z' };

/**
 * Four customers, one app of their own, every fact dated so that March 2025
 * can be worked out by hand (domain.md formulas):
 *
 * - p1 (person, retail, email; registered in February): o-0 700 on Feb 20, o-1 5000 on Mar 5,
 *   a 200 refund of o-0 on Mar 6, o-2 3000 on Mar 20, NPS 10, CSAT 5; o-3 1000 at exactly Apr 1 00:00.
 * - p2 (person, retail): o-1 2000 on Mar 10, refund 500 on Mar 15, NPS 6, CSAT 3.
 * - p3 (company, smb): NPS 8, CSAT 4, CES 5, two support cases (first reply after 30 and 90
 *   minutes; one resolved at first contact).
 * - p4 (person, no segment): NPS 9, CES 2.
 */
async function recordScenario(app: TestApp): Promise<number> {
  let position = 0;
  const record = async (customerId: string, body: Record<string, unknown>): Promise<void> => {
    position = (await recordTouchpoint(app, customerId, body)).globalPosition;
  };
  await registerAt(app, 'k-p1', '2025-02-10T00:00:00Z', { segment: 'retail', email: 'p1@example.com' });
  await registerAt(app, 'k-p2', '2025-03-02T00:00:00Z', { segment: 'retail' });
  await registerAt(app, 'k-p3', '2025-03-03T00:00:00Z', { kind: 'company', segment: 'smb' });
  await registerAt(app, 'k-p4', '2025-03-04T00:00:00Z');

  await record('k-p1', purchase('o-0', 700, '2025-02-20T10:00:00Z'));
  await record('k-p1', purchase('o-1', 5000, '2025-03-05T10:00:00Z'));
  await record('k-p1', refund('o-0', 200, '2025-03-06T10:00:00Z'));
  await record('k-p1', purchase('o-2', 3000, '2025-03-20T10:00:00Z'));
  await record('k-p1', survey('nps', 10, '2025-03-21T10:00:00Z'));
  await record('k-p1', survey('csat', 5, '2025-03-22T10:00:00Z'));
  await record('k-p1', purchase('o-3', 1000, '2025-04-01T00:00:00Z'));

  await record('k-p2', purchase('o-1', 2000, '2025-03-10T10:00:00Z'));
  await record('k-p2', refund('o-1', 500, '2025-03-15T10:00:00Z'));
  await record('k-p2', survey('nps', 6, '2025-03-16T10:00:00Z'));
  await record('k-p2', survey('csat', 3, '2025-03-17T10:00:00Z'));

  await record('k-p3', survey('nps', 8, '2025-03-18T10:00:00Z'));
  await record('k-p3', survey('csat', 4, '2025-03-19T10:00:00Z'));
  await record('k-p3', survey('ces', 5, '2025-03-19T11:00:00Z'));
  const supportCase = (type: string, caseId: string, occurredAt: string, extra = {}) => ({
    type,
    caseId,
    occurredAt,
    ...extra,
  });
  await record('k-p3', supportCase('SupportCaseOpened', 'k-1', '2025-03-10T10:00:00Z', { subject: 'Login' }));
  await record('k-p3', supportCase('SupportCaseResponded', 'k-1', '2025-03-10T10:30:00Z'));
  await record(
    'k-p3',
    supportCase('SupportCaseResolved', 'k-1', '2025-03-11T10:00:00Z', { firstContact: true }),
  );
  await record('k-p3', supportCase('SupportCaseOpened', 'k-2', '2025-03-12T09:00:00Z', { subject: 'Bill' }));
  await record('k-p3', supportCase('SupportCaseResponded', 'k-2', '2025-03-12T10:30:00Z'));
  await record(
    'k-p3',
    supportCase('SupportCaseResolved', 'k-2', '2025-03-13T10:00:00Z', { firstContact: false }),
  );

  await record('k-p4', survey('nps', 9, '2025-03-25T10:00:00Z'));
  await record('k-p4', survey('ces', 2, '2025-03-26T10:00:00Z'));
  return position;
}

describe('GET /kpis', () => {
  let app: TestApp;
  let position: number;

  beforeAll(async () => {
    app = await TestApp.start();
    position = await recordScenario(app);
  });

  afterAll(async () => {
    await app.stop();
  });

  const report = (params: Record<string, string>): Promise<KpiReportBody> =>
    kpisOf(app, { ...params, minPosition: position });

  describe('a month with known purchases, refunds, surveys and cases', () => {
    let march: KpiReportBody;

    beforeAll(async () => {
      march = await report(MARCH);
    });

    it('answers the period itself as the only period when no granularity is given', () => {
      expect(march).toMatchObject({ ...MARCH, granularity: null });
      expect(march.periods).toHaveLength(1);
      const [only] = march.periods;
      expect(only).toEqual({ ...MARCH, ...march.total });
    });

    it('reads bounds with any offset as the same UTC instants', async () => {
      const shifted = await report({ from: '2025-03-01T01:00:00+01:00', to: '2025-03-31T19:00:00-05:00' });

      expect(shifted).toEqual({ ...march, meta: shifted.meta });
    });

    it('computes value creation: net revenue, orders, aov, frequency, repeat, retention and churn', () => {
      const { valueCreation } = march.total;

      // 5000 + 3000 + 2000 − 200 − 500; o-3 at exactly `to` is out.
      expect(valueCreation.revenue).toBe(9300);
      expect(valueCreation.orders).toBe(3);
      expect(valueCreation.aov).toBeCloseTo(10000 / 3, 9);
      expect(valueCreation.purchaseFrequency).toBe(1.5);
      expect(valueCreation.repeatPurchaseRate).toBe(0.5);
      // S = {p1}, E = {p1, p2}, N = {p2}: (2 − 1) / 1; nobody of S lapsed.
      expect(valueCreation.retentionRate).toBe(1);
      expect(valueCreation.churnRate).toBe(0);
    });

    it('computes performance assessment: nps, csat, ces, first-contact resolution, funnel, conversion', () => {
      expect(march.total.performanceAssessment).toEqual({
        // Answers 10, 6, 8, 9: 50 % promoters − 25 % detractors.
        nps: 25,
        csat: expect.closeTo(200 / 3, 9) as unknown,
        ces: 3.5,
        firstContactResolution: 0.5,
        // No survey was requested (SurveyRequested); the answers above name no request.
        surveyResponseRate: null,
        funnel: { reach: 0, acquisition: 2, conversion: 1, retention: 0, loyalty: 1 },
        // p2, p3, p4 had not bought before March; p2 bought in it.
        conversionRate: expect.closeTo(1 / 3, 9) as unknown,
      });
    });

    it('computes strategy development, multichannel integration and information management', () => {
      expect(march.total.strategyDevelopment).toMatchObject({
        newCustomers: {
          total: 3,
          byKind: { person: 2, company: 1 },
          bySegment: { retail: 1, smb: 1, unknown: 1 },
        },
        revenueBySegment: { retail: 9300 },
      });
      expect(march.total.multichannelIntegration).toEqual({
        touchpointsByChannel: expect.objectContaining({
          web: 5,
          survey: 9,
          support: 6,
          phone: 0,
          email: 0,
          store: 0,
        }) as unknown,
        // p1, p2 and p3 on two channels, p4 on surveys only.
        multichannelShare: 0.75,
        medianFirstResponseMinutes: 60,
        // Two cases opened in March, neither breached its first-response service level.
        slaBreachRate: 0,
      });
      expect(withoutLag(march.total).informationManagement).toEqual({
        avgProfileCompleteness: 0.5,
        marketingConsentShare: 0,
        identifiedShare: 0.25,
      });
    });
  });

  it('answers null for every ratio whose denominator is empty', async () => {
    const before = await report({ from: '2024-01-01T00:00:00Z', to: '2024-02-01T00:00:00Z' });

    expect(before.total.valueCreation).toEqual({
      revenue: 0,
      orders: 0,
      aov: null,
      purchaseFrequency: null,
      repeatPurchaseRate: null,
      retentionRate: null,
      churnRate: null,
    });
    expect(before.total.performanceAssessment).toEqual({
      nps: null,
      csat: null,
      ces: null,
      firstContactResolution: null,
      surveyResponseRate: null,
      funnel: { reach: 0, acquisition: 0, conversion: 0, retention: 0, loyalty: 0 },
      conversionRate: null,
    });
    expect(before.total.multichannelIntegration).toMatchObject({
      multichannelShare: null,
      medianFirstResponseMinutes: null,
      slaBreachRate: null,
    });
    expect(withoutLag(before.total).informationManagement).toEqual({
      avgProfileCompleteness: null,
      marketingConsentShare: null,
      identifiedShare: null,
    });
    expect(before.total.strategyDevelopment.newCustomers.total).toBe(0);
  });

  it('keeps populations but nulls event ratios in a quiet month', async () => {
    const june = await report({ from: '2025-06-01T00:00:00Z', to: '2025-07-01T00:00:00Z' });

    expect(june.total.valueCreation).toEqual({
      revenue: 0,
      orders: 0,
      aov: null,
      purchaseFrequency: null,
      repeatPurchaseRate: null,
      // p1 and p2 are active at both ends (last purchases Apr 1 and Mar 10).
      retentionRate: 1,
      churnRate: 0,
    });
    expect(june.total.performanceAssessment).toMatchObject({
      nps: null,
      csat: null,
      ces: null,
      conversionRate: 0,
    });
    expect(june.total.multichannelIntegration.multichannelShare).toBeNull();
  });

  describe('granularity', () => {
    it('cuts days', async () => {
      const days = await report({
        from: '2025-03-01T00:00:00Z',
        to: '2025-03-08T00:00:00Z',
        granularity: 'day',
      });

      expect(days.granularity).toBe('day');
      expect(days.periods.map((period) => period.from)).toEqual(
        [1, 2, 3, 4, 5, 6, 7].map((day) => `2025-03-0${day}T00:00:00.000Z`),
      );
      expect(days.periods.map((period) => period.valueCreation.orders)).toEqual([0, 0, 0, 0, 1, 0, 0]);
      expect(days.periods.map((period) => period.strategyDevelopment.newCustomers.total)).toEqual([
        0, 1, 1, 1, 0, 0, 0,
      ]);
    });

    it('cuts ISO weeks starting on Monday, clipped to the period', async () => {
      const weeks = await report({ ...MARCH, granularity: 'week' });

      expect(weeks.periods.map(({ from, to }) => [from.slice(0, 10), to.slice(0, 10)])).toEqual([
        ['2025-03-01', '2025-03-03'],
        ['2025-03-03', '2025-03-10'],
        ['2025-03-10', '2025-03-17'],
        ['2025-03-17', '2025-03-24'],
        ['2025-03-24', '2025-03-31'],
        ['2025-03-31', '2025-04-01'],
      ]);
      expect(weeks.periods.map((period) => period.valueCreation.orders)).toEqual([0, 1, 1, 1, 0, 0]);
      expect(weeks.periods.map((period) => period.valueCreation.revenue)).toEqual([
        0, 4800, 1500, 3000, 0, 0,
      ]);
      expect(weeks.total.valueCreation.revenue).toBe(9300);
    });

    it('cuts calendar months, the first and last clipped', async () => {
      const months = await report({
        from: '2025-01-15T00:00:00Z',
        to: '2025-04-10T00:00:00Z',
        granularity: 'month',
      });

      expect(months.periods.map(({ from, to }) => `${from.slice(0, 10)}/${to.slice(0, 10)}`)).toEqual([
        '2025-01-15/2025-02-01',
        '2025-02-01/2025-03-01',
        '2025-03-01/2025-04-01',
        '2025-04-01/2025-04-10',
      ]);
      expect(months.periods.map((period) => period.valueCreation.orders)).toEqual([0, 1, 3, 1]);
      expect(months.periods.map((period) => period.valueCreation.revenue)).toEqual([0, 700, 9300, 1000]);
      expect(months.total.valueCreation).toMatchObject({ orders: 5, revenue: 11000 });
    });

    it('answers no periods for an empty range', async () => {
      const empty = await report({ from: MARCH.from, to: MARCH.from, granularity: 'day' });

      expect(empty.periods).toEqual([]);
      expect(empty.total.valueCreation.orders).toBe(0);
    });

    it('refuses more than 400 periods, naming granularity', async () => {
      const response = await app.get(
        `/kpis?from=2020-01-01T00:00:00Z&to=2025-01-01T00:00:00Z&granularity=day&minPosition=${position}`,
      );

      const body = expectError(response, 400, 'VALIDATION.FAILED');
      expect(body.details.map((detail) => detail.field)).toEqual(['granularity']);
    });
  });

  it('reports projectionLag in meta and under information management', async () => {
    const body = await report(MARCH);

    expect(body.meta.position).toBeGreaterThanOrEqual(position);
    expect(body.meta.projectionLag).toEqual({ events: 0, seconds: 0 });
    expect(body.total.informationManagement.projectionLag).toEqual(body.meta.projectionLag);
  });

  it('has a funnel at `to` that agrees with the journey stages of the segment route', async () => {
    const kpis = await report({ from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' });

    for (const [stage, count] of Object.entries(kpis.total.performanceAssessment.funnel)) {
      const page = await segmentPage(app, { stage, minPosition: position });
      expect({ stage, count: page.items.length }).toEqual({ stage, count });
    }
  });
});

describe('GET /kpis read-your-writes', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start();
  });

  afterAll(async () => {
    await app.stop();
  });

  it('counts a purchase at the position its write returned', async () => {
    await registerAt(app, 'ryw', '2025-05-01T00:00:00Z');
    const range = { from: '2025-05-01T00:00:00Z', to: '2025-06-01T00:00:00Z' };
    for (const [index, amount] of [1200, 800, 400].entries()) {
      const written = await recordTouchpoint(
        app,
        'ryw',
        purchase(`o-${index}`, amount, '2025-05-10T00:00:00Z'),
      );
      const kpis = await kpisOf(app, { ...range, minPosition: written.globalPosition });
      expect(kpis.total.valueCreation.orders).toBe(index + 1);
    }
    const kpis = await kpisOf(app, range);
    expect(kpis.total.valueCreation).toMatchObject({ revenue: 2400, orders: 3, aov: 800 });
  });
});

describe('GET /kpis with the projections off', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start({ PROJECTIONS: 'off', READ_WAIT_MS: '50' });
  });

  afterAll(async () => {
    await app.stop();
  });

  it('reports how many events and seconds the read models are behind the log', async () => {
    await registerAt(app, 'lagging', '2025-05-01T00:00:00Z');
    await recordTouchpoint(app, 'lagging', purchase('o-1', 100, '2025-05-02T00:00:00Z'));
    const written = await recordTouchpoint(app, 'lagging', purchase('o-2', 100, '2025-05-03T00:00:00Z'));

    const body = await kpisOf(app, { from: '2025-05-01T00:00:00Z', to: '2025-06-01T00:00:00Z' });

    expect(body.meta.position).toBe(0);
    expect(body.meta.projectionLag.events).toBe(written.globalPosition);
    expect(body.meta.projectionLag.seconds).toEqual(expect.any(Number));
    expect(body.meta.projectionLag.seconds).toBeGreaterThanOrEqual(0);
    expect(body.total.valueCreation.orders).toBe(0);
    expectError(
      await app.get(
        `/kpis?from=2025-05-01T00:00:00Z&to=2025-06-01T00:00:00Z&minPosition=${written.globalPosition}`,
      ),
      503,
      'PROJECTION.NOT_CAUGHT_UP',
    );
  });
});

/** The figures without the lag, which only the total carries (the caller knows the log head). */
function withoutLag(kpis: KpiReportBody['total']): KpiReportBody['total'] {
  const { projectionLag: _lag, ...informationManagement } = kpis.informationManagement;
  return { ...kpis, informationManagement };
}
