import { type CrmEvent } from '@crm/domain';
import { createEventFactory } from '@crm/domain/testing';
import { inLogOrder, present, project, withoutPositions } from '../shared/testing/projection-log.fixture';
import type { JourneyDocument, JourneyStage } from './journey.document';
import { evolveJourney } from './journey.projection';

const at = (occurredAt: string) => ({ occurredAt });
const journeyOf = (...events: CrmEvent[]): JourneyDocument => present(project(evolveJourney, events));
const stagesAfterEach = (...events: CrmEvent[]): JourneyStage[] => {
  const stages: JourneyStage[] = [];
  inLogOrder(events).reduce<JourneyDocument | null>((doc, e) => {
    const next = evolveJourney(doc, e);
    if (next !== null) stages.push(next.stage);
    return next;
  }, null);
  return stages;
};

const JAN_1 = '2024-01-01T09:00:00.000Z';

describe('journey stages', () => {
  it('climbs reach → acquisition → conversion → retention → loyalty', () => {
    const f = createEventFactory();
    expect(
      stagesAfterEach(
        f.customerRegistered(),
        f.emailLogged({ direction: 'inbound' }),
        f.purchaseCompleted({ orderId: 'o-1' }),
        f.purchaseCompleted({ orderId: 'o-2' }),
        f.surveyAnswered({ surveyType: 'nps', score: 9 }),
      ),
    ).toEqual(['reach', 'acquisition', 'conversion', 'retention', 'loyalty']);
  });

  it('is not moved by outbound contact or a campaign send', () => {
    const f = createEventFactory();
    const doc = journeyOf(
      f.customerRegistered(),
      f.callLogged({ direction: 'outbound' }),
      f.emailLogged({ direction: 'outbound' }),
      f.campaignInteraction({ action: 'sent' }),
      f.supportCaseResponded(),
    );
    expect(doc.stage).toBe('reach');
  });

  it.each([
    ['a meeting', (f: ReturnType<typeof createEventFactory>) => f.meetingHeld()],
    [
      'a survey answer',
      (f: ReturnType<typeof createEventFactory>) => f.surveyAnswered({ surveyType: 'csat', score: 2 }),
    ],
    [
      'a campaign click',
      (f: ReturnType<typeof createEventFactory>) => f.campaignInteraction({ action: 'clicked' }),
    ],
    ['a support case opened', (f: ReturnType<typeof createEventFactory>) => f.supportCaseOpened()],
    [
      'an inbound message',
      (f: ReturnType<typeof createEventFactory>) => f.messageLogged({ direction: 'inbound' }),
    ],
  ])('reaches acquisition with %s', (_name, touch) => {
    const f = createEventFactory();
    expect(journeyOf(f.customerRegistered(), touch(f)).stage).toBe('acquisition');
  });

  it('lists acquisition at the purchase that jumped over it, when no inbound touchpoint came first', () => {
    const f = createEventFactory();
    const doc = journeyOf(
      f.customerRegistered({}, at(JAN_1)),
      f.purchaseCompleted({}, at('2024-01-02T09:00:00.000Z')),
      f.callLogged({ direction: 'inbound' }, at('2024-01-03T09:00:00.000Z')),
    );
    expect(doc.stage).toBe('conversion');
    expect(doc.stageHistory).toEqual([
      { stage: 'reach', reachedAt: JAN_1 },
      { stage: 'acquisition', reachedAt: '2024-01-02T09:00:00.000Z' },
      { stage: 'conversion', reachedAt: '2024-01-02T09:00:00.000Z' },
    ]);
  });

  it('lists every stage jumped over at the same instant, reach → retention in one step', () => {
    const f = createEventFactory();
    const sameInstant = '2024-01-02T09:00:00.000Z';
    const doc = journeyOf(
      f.customerRegistered({}, at(JAN_1)),
      f.purchaseCompleted({ orderId: 'o-1' }, at(sameInstant)),
      f.purchaseCompleted({ orderId: 'o-2' }, at(sameInstant)),
    );
    expect(doc.stageHistory).toEqual([
      { stage: 'reach', reachedAt: JAN_1 },
      { stage: 'acquisition', reachedAt: sameInstant },
      { stage: 'conversion', reachedAt: sameInstant },
      { stage: 'retention', reachedAt: sameInstant },
    ]);
  });

  it('moves acquisition back to an inbound touchpoint back-dated before the purchase', () => {
    const f = createEventFactory();
    const doc = journeyOf(
      f.customerRegistered({}, at(JAN_1)),
      f.purchaseCompleted({}, at('2024-01-05T09:00:00.000Z')),
      f.callLogged({ direction: 'inbound' }, at('2024-01-03T09:00:00.000Z')),
    );
    expect(doc.stageHistory).toEqual([
      { stage: 'reach', reachedAt: JAN_1 },
      { stage: 'acquisition', reachedAt: '2024-01-03T09:00:00.000Z' },
      { stage: 'conversion', reachedAt: '2024-01-05T09:00:00.000Z' },
    ]);
  });

  it('never moves back when a later NPS answer is 6', () => {
    const f = createEventFactory();
    const loyal = journeyOf(
      f.customerRegistered(),
      f.purchaseCompleted({ orderId: 'o-1' }),
      f.purchaseCompleted({ orderId: 'o-2' }),
      f.surveyAnswered({ surveyType: 'nps', score: 10 }),
    );
    const afterDetractor = present(
      evolveJourney(loyal, { event: f.surveyAnswered({ surveyType: 'nps', score: 6 }), position: 5 }),
    );
    expect(afterDetractor.stage).toBe('loyalty');
    expect(afterDetractor.stageHistory).toEqual(loyal.stageHistory);
  });

  it('reaches loyalty only after retention, when the second order comes after a promoter answer', () => {
    const f = createEventFactory();
    const events = [
      f.customerRegistered({}, at(JAN_1)),
      f.purchaseCompleted({ orderId: 'o-1' }, at('2024-01-02T09:00:00.000Z')),
      f.surveyAnswered({ surveyType: 'nps', score: 10 }, at('2024-01-03T09:00:00.000Z')),
      f.purchaseCompleted({ orderId: 'o-2' }, at('2024-01-04T09:00:00.000Z')),
    ];
    expect(stagesAfterEach(...events)).toEqual(['reach', 'conversion', 'conversion', 'loyalty']);
    expect(journeyOf(...events).stageHistory.slice(-2)).toEqual([
      { stage: 'retention', reachedAt: '2024-01-04T09:00:00.000Z' },
      { stage: 'loyalty', reachedAt: '2024-01-04T09:00:00.000Z' },
    ]);
  });

  it('reaches loyalty at the promoter answer that comes after retention', () => {
    const f = createEventFactory();
    const doc = journeyOf(
      f.customerRegistered({}, at(JAN_1)),
      f.purchaseCompleted({ orderId: 'o-1' }, at('2024-01-02T09:00:00.000Z')),
      f.purchaseCompleted({ orderId: 'o-2' }, at('2024-01-03T09:00:00.000Z')),
      f.surveyAnswered({ surveyType: 'nps', score: 8 }, at('2024-01-04T09:00:00.000Z')),
      f.surveyAnswered({ surveyType: 'nps', score: 9 }, at('2024-01-05T09:00:00.000Z')),
    );
    expect(doc.stageHistory[doc.stageHistory.length - 1]).toEqual({
      stage: 'loyalty',
      reachedAt: '2024-01-05T09:00:00.000Z',
    });
  });

  it('uses the latest NPS answer as of the moment retention is reached', () => {
    const f = createEventFactory();
    const doc = journeyOf(
      f.customerRegistered({}, at(JAN_1)),
      f.surveyAnswered({ surveyType: 'nps', score: 10 }, at('2024-01-02T09:00:00.000Z')),
      f.surveyAnswered({ surveyType: 'nps', score: 3 }, at('2024-01-03T09:00:00.000Z')),
      f.purchaseCompleted({ orderId: 'o-1' }, at('2024-01-04T09:00:00.000Z')),
      f.purchaseCompleted({ orderId: 'o-2' }, at('2024-01-05T09:00:00.000Z')),
    );
    expect(doc.stage).toBe('retention');
  });

  it('breaks an occurredAt tie between NPS answers by log order', () => {
    const f = createEventFactory();
    const sameInstant = at('2024-01-02T09:00:00.000Z');
    const promoterLast = journeyOf(
      f.customerRegistered({}, at(JAN_1)),
      f.purchaseCompleted({ orderId: 'o-1' }, at(JAN_1)),
      f.purchaseCompleted({ orderId: 'o-2' }, at(JAN_1)),
      f.surveyAnswered({ surveyType: 'nps', score: 3 }, sameInstant),
      f.surveyAnswered({ surveyType: 'nps', score: 10 }, sameInstant),
    );
    expect(promoterLast.stage).toBe('loyalty');
  });

  it('ignores CSAT and CES answers for loyalty', () => {
    const f = createEventFactory();
    const doc = journeyOf(
      f.customerRegistered(),
      f.purchaseCompleted({ orderId: 'o-1' }),
      f.purchaseCompleted({ orderId: 'o-2' }),
      f.surveyAnswered({ surveyType: 'csat', score: 5 }),
      f.surveyAnswered({ surveyType: 'ces', score: 7 }),
    );
    expect(doc.stage).toBe('retention');
  });

  it('dates stages reached by facts that predate registration at the registration', () => {
    const f = createEventFactory();
    const doc = journeyOf(
      f.customerRegistered({}, at('2024-01-10T00:00:00.000Z')),
      f.callLogged({ direction: 'inbound' }, at('2024-01-01T00:00:00.000Z')),
      f.purchaseCompleted({}, at('2024-01-05T00:00:00.000Z')),
    );
    expect(doc.stageHistory).toEqual([
      { stage: 'reach', reachedAt: '2024-01-10T00:00:00.000Z' },
      { stage: 'acquisition', reachedAt: '2024-01-10T00:00:00.000Z' },
      { stage: 'conversion', reachedAt: '2024-01-10T00:00:00.000Z' },
    ]);
  });

  it('revises when loyalty was reached if a detractor answer is back-dated before it, as if logged in order', () => {
    const f = createEventFactory();
    const promoter = f.surveyAnswered({ surveyType: 'nps', score: 10 }, at('2024-01-02T09:00:00.000Z'));
    const first = f.purchaseCompleted({ orderId: 'o-1' }, at('2024-01-03T09:00:00.000Z'));
    const detractor = f.surveyAnswered({ surveyType: 'nps', score: 2 }, at('2024-01-04T09:00:00.000Z'));
    const second = f.purchaseCompleted({ orderId: 'o-2' }, at('2024-01-05T09:00:00.000Z'));
    const laterPromoter = f.surveyAnswered({ surveyType: 'nps', score: 9 }, at('2024-02-01T09:00:00.000Z'));
    const registered = f.customerRegistered({}, at(JAN_1));

    const inOrder = journeyOf(registered, promoter, first, detractor, second, laterPromoter);
    const backDated = journeyOf(registered, promoter, first, second, laterPromoter, detractor);

    expect(withoutPositions(backDated)).toEqual(withoutPositions(inOrder));
    expect(backDated.stageHistory[backDated.stageHistory.length - 1]).toEqual({
      stage: 'loyalty',
      reachedAt: '2024-02-01T09:00:00.000Z',
    });
  });
});
