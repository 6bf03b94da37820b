import { type CrmEvent } from '@crm/domain';
import { createEventFactory } from '@crm/domain/testing';
import { inLogOrder, present, replay } from '../shared/testing/projection-log.fixture';
import type { JourneyDocument } from './journey.document';
import { evolveJourney } from './journey.projection';
import { timelineEntry } from './journey.timeline';

const f = createEventFactory({ customerId: 'c-7' });
const journey: JourneyDocument = present(
  replay(
    evolveJourney,
    inLogOrder([f.customerRegistered(), f.purchaseCompleted({ orderId: 'o-1', channel: 'store' })]),
  ),
);
const entryFor = (event: CrmEvent) => timelineEntry({ event, position: 42 }, journey);

describe('timelineEntry', () => {
  it('describes a call with its channel, direction and outcome, without the notes', () => {
    const call = f.callLogged(
      {
        direction: 'outbound',
        outcome: 'voicemail',
        durationSeconds: 30,
        agentId: 'agent-1',
        notes: 'private',
      },
      { occurredAt: '2024-05-01T10:00:00+02:00' },
    );
    expect(entryFor(call)).toEqual({
      id: call.eventId,
      customerId: 'c-7',
      type: 'CallLogged',
      occurredAt: '2024-05-01T08:00:00.000Z',
      position: 42,
      channel: 'phone',
      inbound: false,
      direction: 'outbound',
      summary: { durationSeconds: 30, outcome: 'voicemail', agentId: 'agent-1' },
    });
  });

  it('gives a refund the channel of the purchase it refunds, without the reason', () => {
    const refund = f.purchaseRefunded({ orderId: 'o-1', amount: 500, currency: 'EUR', reason: 'broken' });
    expect(entryFor(refund)).toMatchObject({
      type: 'PurchaseRefunded',
      channel: 'store',
      inbound: false,
      direction: null,
      summary: { orderId: 'o-1', amount: 500, currency: 'EUR' },
    });
  });

  it('leaves the channel null for a refund of an order the journey does not know', () => {
    expect(entryFor(f.purchaseRefunded({ orderId: 'unknown' }))?.channel).toBeNull();
  });

  it.each<[string, CrmEvent, object]>([
    ['email', f.emailLogged({ subject: 'secret', campaignId: 'c1' }), { campaignId: 'c1' }],
    ['message', f.messageLogged({ channel: 'whatsapp' }), {}],
    ['meeting', f.meetingHeld({ durationMinutes: 45, location: 'HQ' }), { durationMinutes: 45 }],
    [
      'purchase',
      f.purchaseCompleted({
        orderId: 'o-2',
        amount: 900,
        items: [
          { sku: 'a', category: 'x', quantity: 2, unitAmount: 300 },
          { sku: 'b', category: 'y', quantity: 1, unitAmount: 300 },
        ],
      }),
      { orderId: 'o-2', amount: 900, currency: 'EUR', itemCount: 3 },
    ],
    [
      'survey',
      f.surveyAnswered({ surveyType: 'csat', score: 4, comment: 'meh' }),
      { surveyType: 'csat', score: 4 },
    ],
    ['case opened', f.supportCaseOpened({ caseId: 'k', subject: 'secret' }), { caseId: 'k', priority: null }],
    ['case responded', f.supportCaseResponded({ caseId: 'k' }), { caseId: 'k' }],
    [
      'case resolved',
      f.supportCaseResolved({ caseId: 'k', firstContact: false }),
      { caseId: 'k', firstContact: false },
    ],
    [
      'campaign',
      f.campaignInteraction({ campaignId: 'spring', action: 'clicked' }),
      { campaignId: 'spring', action: 'clicked' },
    ],
  ])('summarises a %s without free text', (_name, event, summary) => {
    expect(entryFor(event)?.summary).toStrictEqual(summary);
  });

  it('marks inbound touchpoints and their channel', () => {
    expect(entryFor(f.messageLogged({ channel: 'sms', direction: 'inbound' }))).toMatchObject({
      channel: 'sms',
      inbound: true,
      direction: 'inbound',
    });
    expect(entryFor(f.meetingHeld())).toMatchObject({ channel: 'meeting', inbound: true, direction: null });
  });

  it('has no entry for events that are not touchpoints', () => {
    expect(entryFor(f.profileUpdated())).toBeNull();
    expect(entryFor(f.consentChanged())).toBeNull();
    expect(entryFor(f.customerRegistered())).toBeNull();
  });

  it('has no entry for a customer without a journey', () => {
    expect(timelineEntry({ event: f.callLogged(), position: 1 }, null)).toBeNull();
  });
});
