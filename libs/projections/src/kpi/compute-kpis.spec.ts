import { computeKpis, DEFAULT_CHURN_WINDOW_DAYS } from './compute-kpis';
import type { PayneFrowKpis } from './payne-frow-kpis';
import { at, customerFacts, MARCH_2024 } from './testing/kpi-facts.fixture';

describe('computeKpis', () => {
  it('groups the KPIs under the five Payne & Frow processes, null for every empty denominator', () => {
    expect(computeKpis([], MARCH_2024)).toEqual<PayneFrowKpis>({
      strategyDevelopment: {
        newCustomers: {
          total: 0,
          byKind: { person: 0, company: 0 },
          bySegment: {},
          byKindAndSegment: { person: {}, company: {} },
        },
        revenueBySegment: {},
      },
      valueCreation: {
        revenue: 0,
        orders: 0,
        aov: null,
        purchaseFrequency: null,
        repeatPurchaseRate: null,
        retentionRate: null,
        churnRate: null,
      },
      multichannelIntegration: {
        touchpointsByChannel: {
          phone: 0,
          email: 0,
          chat: 0,
          sms: 0,
          whatsapp: 0,
          social: 0,
          meeting: 0,
          web: 0,
          store: 0,
          app: 0,
          survey: 0,
          support: 0,
          campaign: 0,
        },
        multichannelShare: null,
        medianFirstResponseMinutes: null,
        slaBreachRate: null,
      },
      informationManagement: {
        avgProfileCompleteness: null,
        marketingConsentShare: null,
        identifiedShare: null,
      },
      performanceAssessment: {
        nps: null,
        csat: null,
        ces: null,
        firstContactResolution: null,
        surveyResponseRate: null,
        funnel: { reach: 0, acquisition: 0, conversion: 0, retention: 0, loyalty: 0 },
        conversionRate: null,
      },
    });
  });

  it('reports one customer consistently across the processes', () => {
    const ada = customerFacts(
      { id: 'ada', registeredAt: '2024-03-04', segment: 'smb', email: 'ada@example.test' },
      (f) => [
        f.emailLogged({ direction: 'inbound' }, at('2024-03-05')),
        f.purchaseCompleted({ orderId: 'o-1', amount: 2_500, channel: 'web' }, at('2024-03-06')),
        f.surveyAnswered({ surveyType: 'nps', score: 9 }, at('2024-03-07')),
      ],
    );
    const kpis = computeKpis([ada], MARCH_2024);
    expect(kpis.strategyDevelopment.newCustomers.bySegment).toEqual({ smb: 1 });
    expect(kpis.strategyDevelopment.revenueBySegment).toEqual({ smb: 2_500 });
    expect(kpis.valueCreation).toMatchObject({ revenue: 2_500, orders: 1, aov: 2_500, retentionRate: null });
    expect(kpis.multichannelIntegration.multichannelShare).toBe(1);
    expect(kpis.informationManagement).toEqual({
      avgProfileCompleteness: 0.75,
      marketingConsentShare: 0,
      identifiedShare: 1,
    });
    expect(kpis.performanceAssessment).toMatchObject({ nps: 100, conversionRate: 1 });
    expect(kpis.performanceAssessment.funnel.conversion).toBe(1);
  });

  it('does not depend on the order of the documents', () => {
    const a = customerFacts({ id: 'a', registeredAt: '2024-01-01' }, (f) => [
      f.purchaseCompleted({ orderId: 'o', amount: 100 }, at('2024-03-02')),
    ]);
    const b = customerFacts({ id: 'b', registeredAt: '2024-03-02', segment: 'smb' }, (f) => [
      f.supportCaseOpened({}, at('2024-03-03T10:00:00Z')),
      f.supportCaseResponded({}, at('2024-03-03T10:07:00Z')),
    ]);
    expect(computeKpis([b, a], MARCH_2024)).toEqual(computeKpis([a, b], MARCH_2024));
  });

  it('defaults the churn window to 180 days', () => {
    expect(DEFAULT_CHURN_WINDOW_DAYS).toBe(180);
  });

  it('rejects an unparseable or inverted period and a negative churn window', () => {
    expect(() => computeKpis([], { from: 'soon', to: MARCH_2024.to })).toThrow(RangeError);
    expect(() => computeKpis([], { from: MARCH_2024.to, to: MARCH_2024.from })).toThrow(RangeError);
    expect(() => computeKpis([], MARCH_2024, { churnWindowDays: -1 })).toThrow(RangeError);
    expect(() => computeKpis([], MARCH_2024, { churnWindowDays: Number.NaN })).toThrow(RangeError);
  });

  it('treats an empty period as having no events but still reports the customers at `to`', () => {
    const a = customerFacts({ id: 'a', registeredAt: '2024-01-01', phone: '+4930123' });
    const kpis = computeKpis([a], { from: MARCH_2024.from, to: MARCH_2024.from });
    expect(kpis.valueCreation.orders).toBe(0);
    expect(kpis.informationManagement.identifiedShare).toBe(1);
  });
});
