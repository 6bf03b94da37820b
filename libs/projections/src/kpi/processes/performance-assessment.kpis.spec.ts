import type { SurveyType } from '@crm/domain';
import { computeKpis } from '../compute-kpis';
import type { KpiFactsDocument } from '../facts/kpi-facts.document';
import { at, customerFacts, MARCH_2024 } from '../testing/kpi-facts.fixture';

const FEBRUARY_2024 = { from: '2024-02-01T00:00:00.000Z', to: '2024-03-01T00:00:00.000Z' };
const APRIL_2024 = { from: '2024-04-01T00:00:00.000Z', to: '2024-05-01T00:00:00.000Z' };

const performance = (facts: readonly KpiFactsDocument[]) =>
  computeKpis(facts, MARCH_2024).performanceAssessment;

/** One customer answering `type` surveys in March, plus one answer just before and one just after. */
const answers = (type: SurveyType, scores: readonly number[]) =>
  customerFacts({ id: `${type}-answers`, registeredAt: '2024-01-01' }, (f) => [
    f.surveyAnswered({ surveyType: type, score: 1 }, at('2024-02-29T23:59:59Z')),
    ...scores.map((score, day) => f.surveyAnswered({ surveyType: type, score }, at(`2024-03-${10 + day}`))),
    f.surveyAnswered({ surveyType: type, score: 1 }, at('2024-04-01T00:00:00Z')),
  ]);

describe('performance assessment KPIs', () => {
  describe('nps', () => {
    it('is %promoters − %detractors, passives counting only in the base', () => {
      // Promoters 10, 10, 9; passives 8, 7; detractors 6, 0 → (3 − 2) / 7.
      expect(performance([answers('nps', [10, 8, 10, 7, 6, 9, 0])]).nps).toBeCloseTo((100 * 1) / 7, 10);
    });

    it('ranges from −100 to 100', () => {
      expect(performance([answers('nps', [0, 6])]).nps).toBe(-100);
      expect(performance([answers('nps', [9, 10])]).nps).toBe(100);
      expect(performance([answers('nps', [7, 8])]).nps).toBe(0);
    });
  });

  it('has csat as the percentage of CSAT answers of 4 or 5', () => {
    expect(performance([answers('csat', [5, 4, 3, 1])]).csat).toBe(50);
  });

  it('has ces as the unrounded mean CES answer', () => {
    expect(performance([answers('ces', [2, 3, 6])]).ces).toBeCloseTo(11 / 3, 12);
  });

  it('keeps the three survey scores apart', () => {
    const kpis = performance([answers('nps', [10]), answers('csat', [2]), answers('ces', [7])]);
    expect([kpis.nps, kpis.csat, kpis.ces]).toEqual([100, 0, 7]);
  });

  it('has firstContactResolution over the cases resolved in the period', () => {
    const cases = customerFacts({ id: 'cases', registeredAt: '2024-01-01' }, (f) => [
      f.supportCaseOpened({ caseId: 'a' }, at('2024-02-20')),
      f.supportCaseResolved({ caseId: 'a', firstContact: true }, at('2024-03-02')),
      f.supportCaseOpened({ caseId: 'b' }, at('2024-03-05')),
      f.supportCaseResolved({ caseId: 'b', firstContact: false }, at('2024-03-06')),
      f.supportCaseOpened({ caseId: 'c' }, at('2024-03-07')),
      f.supportCaseResolved({ caseId: 'c', firstContact: true }, at('2024-03-08')),
      f.supportCaseOpened({ caseId: 'd' }, at('2024-03-20')),
      f.supportCaseResolved({ caseId: 'd', firstContact: false }, at('2024-04-02')),
      f.supportCaseOpened({ caseId: 'e' }, at('2024-03-21')),
    ]);
    expect(performance([cases]).firstContactResolution).toBeCloseTo(2 / 3, 12);
  });

  describe('surveyResponseRate', () => {
    const requests = customerFacts({ id: 'surveyed', registeredAt: '2024-01-01' }, (f) => [
      f.surveyRequested({ requestId: 'before' }, at('2024-02-29T23:59:59Z')),
      f.surveyAnswered({ requestId: 'before', surveyType: 'csat', score: 5 }, at('2024-03-02')),
      f.surveyRequested({ requestId: 'answered-twice' }, at('2024-03-01T00:00:00Z')),
      f.surveyAnswered({ requestId: 'answered-twice', surveyType: 'csat', score: 5 }, at('2024-03-02')),
      f.surveyAnswered({ requestId: 'answered-twice', surveyType: 'csat', score: 2 }, at('2024-03-03')),
      f.surveyRequested({ requestId: 'answered-in-april' }, at('2024-03-31T23:00:00Z')),
      f.surveyAnswered({ requestId: 'answered-in-april', surveyType: 'csat', score: 4 }, at('2024-04-03')),
      f.surveyRequested({ requestId: 'unanswered' }, at('2024-03-10')),
      f.surveyAnswered({ surveyType: 'csat', score: 4 }, at('2024-03-11')),
      f.surveyRequested({ requestId: 'in-april' }, at('2024-04-01T00:00:00Z')),
    ]);

    it('divides the requests made in the period that were answered, whenever, by those requests', () => {
      // In March: answered-twice (once), answered-in-april, unanswered; the unsolicited answer names none.
      expect(performance([requests]).surveyResponseRate).toBe(2 / 3);
    });

    it('counts a request answered before it was logged, or back-dated before its request, once', () => {
      const early = customerFacts({ id: 'early-answers', registeredAt: '2024-01-01' }, (f) => [
        f.surveyAnswered({ requestId: 'r', surveyType: 'nps', score: 9 }, at('2024-03-05')),
        f.surveyRequested({ requestId: 'r', surveyType: 'nps' }, at('2024-03-04')),
        f.surveyRequested({ requestId: 'q' }, at('2024-03-06')),
        f.surveyAnswered({ requestId: 'q', surveyType: 'csat', score: 3 }, at('2024-03-05T12:00:00Z')),
        f.surveyAnswered({ requestId: 'orphan', surveyType: 'csat', score: 3 }, at('2024-03-05')),
      ]);
      expect(performance([early]).surveyResponseRate).toBe(1);
    });

    it('counts the answer only in the period of its request', () => {
      expect(computeKpis([requests], APRIL_2024).performanceAssessment.surveyResponseRate).toBe(0);
    });

    it('is null when no survey was requested in the period', () => {
      const unsolicited = answers('csat', [5]);
      expect(performance([unsolicited]).surveyResponseRate).toBeNull();
      expect(computeKpis([requests], FEBRUARY_2024).performanceAssessment.surveyResponseRate).toBe(1);
    });
  });

  describe('funnel', () => {
    const facts = [
      customerFacts({ id: 'reach', registeredAt: '2024-01-01' }, (f) => [
        f.callLogged({ direction: 'outbound' }, at('2024-01-02')),
        f.emailLogged({ direction: 'inbound' }, at('2024-04-02')),
      ]),
      customerFacts({ id: 'acquisition', registeredAt: '2024-01-01' }, (f) => [
        f.campaignInteraction({ action: 'clicked' }, at('2024-03-03')),
      ]),
      customerFacts({ id: 'conversion', registeredAt: '2024-01-01' }, (f) => [
        f.purchaseCompleted({ orderId: 'o-1' }, at('2024-02-01')),
        f.purchaseCompleted({ orderId: 'o-2' }, at('2024-04-01T00:00:00Z')),
      ]),
      customerFacts({ id: 'retention', registeredAt: '2024-01-01' }, (f) => [
        f.purchaseCompleted({ orderId: 'o-1' }, at('2024-02-01')),
        f.purchaseCompleted({ orderId: 'o-2' }, at('2024-03-01')),
        f.surveyAnswered({ surveyType: 'nps', score: 8 }, at('2024-03-02')),
      ]),
      customerFacts({ id: 'loyalty', registeredAt: '2024-01-01' }, (f) => [
        f.purchaseCompleted({ orderId: 'o-1' }, at('2024-02-01')),
        f.purchaseCompleted({ orderId: 'o-2' }, at('2024-03-01')),
        f.surveyAnswered({ surveyType: 'nps', score: 10 }, at('2024-03-02')),
      ]),
      customerFacts({ id: 'registered-later', registeredAt: '2024-04-01T00:00:00Z' }),
    ];

    it('counts each customer at `to` once, under the highest stage reached before `to`', () => {
      expect(performance(facts).funnel).toEqual({
        reach: 1,
        acquisition: 1,
        conversion: 1,
        retention: 1,
        loyalty: 1,
      });
    });
  });

  describe('conversionRate', () => {
    const facts = [
      customerFacts({ id: 'never-bought', registeredAt: '2024-01-01' }),
      customerFacts({ id: 'first-in-march', registeredAt: '2024-01-01' }, (f) => [
        f.purchaseCompleted({ orderId: 'o-1' }, at('2024-03-10')),
        f.purchaseCompleted({ orderId: 'o-2' }, at('2024-03-11')),
      ]),
      customerFacts({ id: 'bought-before', registeredAt: '2024-01-01' }, (f) => [
        f.purchaseCompleted({ orderId: 'o-1' }, at('2024-02-29T23:59:59Z')),
        f.purchaseCompleted({ orderId: 'o-2' }, at('2024-03-10')),
      ]),
      customerFacts({ id: 'new-and-converted', registeredAt: '2024-03-15' }, (f) => [
        f.purchaseCompleted({ orderId: 'o-1' }, at('2024-03-16')),
      ]),
      customerFacts({ id: 'first-in-april', registeredAt: '2024-02-01' }, (f) => [
        f.purchaseCompleted({ orderId: 'o-1' }, at('2024-04-01T00:00:00Z')),
      ]),
      customerFacts({ id: 'registered-at-to', registeredAt: '2024-04-01T00:00:00Z' }),
    ];

    it('divides first purchases in the period by customers at `to` with no purchase before `from`', () => {
      // Denominator: never-bought, first-in-march, new-and-converted, first-in-april.
      expect(performance(facts).conversionRate).toBe(2 / 4);
    });
  });

  it('has null for every rate with an empty base and an all-zero funnel', () => {
    expect(performance([])).toEqual({
      nps: null,
      csat: null,
      ces: null,
      firstContactResolution: null,
      surveyResponseRate: null,
      funnel: { reach: 0, acquisition: 0, conversion: 0, retention: 0, loyalty: 0 },
      conversionRate: null,
    });
  });
});
