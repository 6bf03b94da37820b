import { at, customerFacts } from '../testing/kpi-facts.fixture';
import { funnelStageAt } from './funnel-stage';

const END_OF_MARCH = Date.parse('2024-04-01T00:00:00Z');

describe('funnelStageAt', () => {
  it('is reach for a registered customer without inbound contact', () => {
    const doc = customerFacts({ id: 'c', registeredAt: '2024-01-01' }, (f) => [
      f.campaignInteraction({ action: 'sent' }, at('2024-01-02')),
      f.supportCaseResponded({}, at('2024-01-03')),
    ]);
    expect(funnelStageAt(doc, END_OF_MARCH)).toBe('reach');
  });

  it('counts a customer whose first fact is a purchase at conversion: the current stage, not the path', () => {
    const doc = customerFacts({ id: 'c', registeredAt: '2024-01-01' }, (f) => [
      f.purchaseCompleted({}, at('2024-01-02')),
    ]);
    expect(funnelStageAt(doc, END_OF_MARCH)).toBe('conversion');
  });

  it('needs two distinct orders for retention', () => {
    const doc = customerFacts({ id: 'c', registeredAt: '2024-01-01' }, (f) => [
      f.purchaseCompleted({ orderId: 'o-1' }, at('2024-01-02')),
      f.purchaseCompleted({ orderId: 'o-1' }, at('2024-01-03')),
    ]);
    expect(funnelStageAt(doc, END_OF_MARCH)).toBe('conversion');
  });

  it('reaches loyalty when a promoter answer precedes the second order', () => {
    const doc = customerFacts({ id: 'c', registeredAt: '2024-01-01' }, (f) => [
      f.purchaseCompleted({ orderId: 'o-1' }, at('2024-01-02')),
      f.surveyAnswered({ surveyType: 'nps', score: 9 }, at('2024-01-03')),
      f.purchaseCompleted({ orderId: 'o-2' }, at('2024-01-04')),
    ]);
    expect(funnelStageAt(doc, END_OF_MARCH)).toBe('loyalty');
  });

  it('keeps loyalty after a later detractor answer: the stage never moves back', () => {
    const doc = customerFacts({ id: 'c', registeredAt: '2024-01-01' }, (f) => [
      f.purchaseCompleted({ orderId: 'o-1' }, at('2024-01-02')),
      f.purchaseCompleted({ orderId: 'o-2' }, at('2024-01-03')),
      f.surveyAnswered({ surveyType: 'nps', score: 10 }, at('2024-01-04')),
      f.surveyAnswered({ surveyType: 'nps', score: 2 }, at('2024-01-05')),
    ]);
    expect(funnelStageAt(doc, END_OF_MARCH)).toBe('loyalty');
  });

  it('stays at retention when the latest NPS at the second order is a detractor', () => {
    const doc = customerFacts({ id: 'c', registeredAt: '2024-01-01' }, (f) => [
      f.purchaseCompleted({ orderId: 'o-1' }, at('2024-01-02')),
      f.surveyAnswered({ surveyType: 'nps', score: 10 }, at('2024-01-03')),
      f.surveyAnswered({ surveyType: 'nps', score: 3 }, at('2024-01-04')),
      f.purchaseCompleted({ orderId: 'o-2' }, at('2024-01-05')),
    ]);
    expect(funnelStageAt(doc, END_OF_MARCH)).toBe('retention');
  });

  it('evaluates in occurredAt order, not in the order the answers were recorded', () => {
    const doc = customerFacts({ id: 'c', registeredAt: '2024-01-01' }, (f) => [
      f.purchaseCompleted({ orderId: 'o-1' }, at('2024-01-02')),
      f.surveyAnswered({ surveyType: 'nps', score: 3 }, at('2024-01-04')),
      f.surveyAnswered({ surveyType: 'nps', score: 10 }, at('2024-01-03')),
      f.purchaseCompleted({ orderId: 'o-2' }, at('2024-01-05')),
    ]);
    // Recorded last, the 10 is nevertheless older than the 3 that was latest when the second order came.
    expect(funnelStageAt(doc, END_OF_MARCH)).toBe('retention');
  });

  it('breaks a tie in occurredAt by log order', () => {
    const sameInstant = at('2024-01-05');
    const doc = customerFacts({ id: 'c', registeredAt: '2024-01-01' }, (f) => [
      f.purchaseCompleted({ orderId: 'o-1' }, at('2024-01-02')),
      f.purchaseCompleted({ orderId: 'o-2' }, at('2024-01-03')),
      f.surveyAnswered({ surveyType: 'nps', score: 2 }, sameInstant),
      f.surveyAnswered({ surveyType: 'nps', score: 9 }, sameInstant),
    ]);
    expect(funnelStageAt(doc, END_OF_MARCH)).toBe('loyalty');
  });

  it('counts facts back-dated before the registration as of the registration', () => {
    const doc = customerFacts({ id: 'c', registeredAt: '2024-02-01' }, (f) => [
      f.purchaseCompleted({ orderId: 'o-1' }, at('2024-01-02')),
      f.purchaseCompleted({ orderId: 'o-2' }, at('2024-01-03')),
      f.surveyAnswered({ surveyType: 'nps', score: 10 }, at('2024-01-04')),
      f.surveyAnswered({ surveyType: 'nps', score: 5 }, at('2024-01-05')),
    ]);
    // At registration the latest answer is the 5, so the promoter answer never counted.
    expect(funnelStageAt(doc, END_OF_MARCH)).toBe('retention');
  });

  it('ignores facts at or after t', () => {
    const doc = customerFacts({ id: 'c', registeredAt: '2024-01-01' }, (f) => [
      f.emailLogged({ direction: 'inbound' }, at('2024-04-01T00:00:00Z')),
    ]);
    expect(funnelStageAt(doc, END_OF_MARCH)).toBe('reach');
  });
});
