import type { CrmEvent, PurchaseChannel, TouchpointEvent } from '../events/catalogue';
import { createEventFactory } from '../testing/event-factory';
import {
  isInbound,
  isTouchpoint,
  TOUCHPOINT_CHANNELS,
  type TouchpointChannel,
  touchpointChannel,
} from './touchpoint-classification';

const f = createEventFactory();
const noOrders = (): PurchaseChannel | undefined => undefined;

describe('touchpointChannel', () => {
  it.each<[string, TouchpointEvent, TouchpointChannel]>([
    ['a call', f.callLogged(), 'phone'],
    ['an email', f.emailLogged(), 'email'],
    ['a chat message', f.messageLogged({ channel: 'chat' }), 'chat'],
    ['an SMS', f.messageLogged({ channel: 'sms' }), 'sms'],
    ['a WhatsApp message', f.messageLogged({ channel: 'whatsapp' }), 'whatsapp'],
    ['a social message', f.messageLogged({ channel: 'social' }), 'social'],
    ['a meeting', f.meetingHeld(), 'meeting'],
    ['a web purchase', f.purchaseCompleted({ channel: 'web' }), 'web'],
    ['a store purchase', f.purchaseCompleted({ channel: 'store' }), 'store'],
    ['a phone purchase', f.purchaseCompleted({ channel: 'phone' }), 'phone'],
    ['an app purchase', f.purchaseCompleted({ channel: 'app' }), 'app'],
    ['a survey answer', f.surveyAnswered(), 'survey'],
    ['an opened support case', f.supportCaseOpened(), 'support'],
    ['a support response', f.supportCaseResponded(), 'support'],
    ['a resolved support case', f.supportCaseResolved(), 'support'],
    ['a campaign interaction', f.campaignInteraction(), 'campaign'],
  ])('counts %s under %s', (_name, event, channel) => {
    expect(touchpointChannel(event, noOrders)).toBe(channel);
  });

  it.each<PurchaseChannel>(['web', 'store', 'phone', 'app'])(
    'counts a refund of a %s order under its channel',
    (channel) => {
      const lookedUp: string[] = [];
      const orderChannelOf = (orderId: string): PurchaseChannel | undefined => {
        lookedUp.push(orderId);
        return orderId === 'order-7' ? channel : undefined;
      };
      expect(touchpointChannel(f.purchaseRefunded({ orderId: 'order-7' }), orderChannelOf)).toBe(channel);
      expect(lookedUp).toEqual(['order-7']);
    },
  );

  it('gives no channel for a refund whose purchase is unknown', () => {
    expect(touchpointChannel(f.purchaseRefunded({ orderId: 'lost' }), noOrders)).toBeUndefined();
  });

  it('lists every channel a touchpoint can count under exactly once', () => {
    expect(new Set(TOUCHPOINT_CHANNELS).size).toBe(TOUCHPOINT_CHANNELS.length);
    expect([...TOUCHPOINT_CHANNELS].sort()).toEqual(
      [
        'phone',
        'email',
        'chat',
        'sms',
        'whatsapp',
        'social',
        'meeting',
        'web',
        'store',
        'app',
        'survey',
        'support',
        'campaign',
      ].sort(),
    );
  });
});

describe('isInbound', () => {
  it.each<[string, CrmEvent]>([
    ['an inbound call', f.callLogged({ direction: 'inbound' })],
    ['an inbound email', f.emailLogged({ direction: 'inbound' })],
    ['an inbound message', f.messageLogged({ direction: 'inbound' })],
    ['a meeting', f.meetingHeld()],
    ['a survey answer', f.surveyAnswered()],
    ['an opened campaign', f.campaignInteraction({ action: 'opened' })],
    ['a clicked campaign', f.campaignInteraction({ action: 'clicked' })],
    ['a converted campaign', f.campaignInteraction({ action: 'converted' })],
    ['an opened support case', f.supportCaseOpened()],
  ])('treats %s as inbound', (_name, event) => {
    expect(isInbound(event)).toBe(true);
  });

  it.each<[string, CrmEvent]>([
    ['an outbound call', f.callLogged({ direction: 'outbound' })],
    ['an outbound email', f.emailLogged({ direction: 'outbound' })],
    ['an outbound message', f.messageLogged({ direction: 'outbound' })],
    ['a campaign send', f.campaignInteraction({ action: 'sent' })],
    ['a purchase', f.purchaseCompleted()],
    ['a refund', f.purchaseRefunded()],
    ['an agent response to a support case', f.supportCaseResponded()],
    ['a resolved support case', f.supportCaseResolved()],
    ['a registration', f.customerRegistered()],
    ['a profile update', f.profileUpdated()],
    ['a consent change', f.consentChanged()],
  ])('does not treat %s as inbound', (_name, event) => {
    expect(isInbound(event)).toBe(false);
  });
});

describe('isTouchpoint', () => {
  it.each<CrmEvent>([
    f.callLogged(),
    f.emailLogged(),
    f.messageLogged(),
    f.meetingHeld(),
    f.purchaseCompleted(),
    f.purchaseRefunded(),
    f.surveyAnswered(),
    f.supportCaseOpened(),
    f.supportCaseResponded(),
    f.supportCaseResolved(),
    f.campaignInteraction(),
  ])('counts a $type as a touchpoint', (event) => {
    expect(isTouchpoint(event)).toBe(true);
  });

  it.each<CrmEvent>([f.customerRegistered(), f.profileUpdated(), f.consentChanged()])(
    'does not count a $type as a touchpoint',
    (event) => {
      expect(isTouchpoint(event)).toBe(false);
    },
  );
});
