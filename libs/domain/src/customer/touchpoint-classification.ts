import {
  type CrmEvent,
  isTouchpointType,
  type MessageChannel,
  type PurchaseChannel,
  type TouchpointEvent,
} from '../events/catalogue';

/**
 * The channel a touchpoint counts under in channel mix. Note `phone` is shared
 * by calls and phone orders: both are contact over the phone.
 */
export type TouchpointChannel =
  'phone' | 'email' | MessageChannel | 'meeting' | PurchaseChannel | 'survey' | 'support' | 'campaign';

export const TOUCHPOINT_CHANNELS: readonly TouchpointChannel[] = [
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
];

/** Finds the channel an order was placed through, from whatever the caller has folded so far. */
export type OrderChannelLookup = (orderId: string) => PurchaseChannel | undefined;

/** Every event except registration, profile updates and consent changes. */
export function isTouchpoint(event: CrmEvent): event is TouchpointEvent {
  return isTouchpointType(event.type);
}

/**
 * The channel of a touchpoint (domain.md). A refund counts under its
 * purchase's channel; it is undefined only when that purchase is unknown to
 * the lookup, which the decider prevents for anything it recorded.
 */
export function touchpointChannel(
  event: TouchpointEvent,
  orderChannelOf: OrderChannelLookup,
): TouchpointChannel | undefined {
  switch (event.type) {
    case 'CallLogged':
      return 'phone';
    case 'EmailLogged':
      return 'email';
    case 'MessageLogged':
      return event.data.channel;
    case 'MeetingHeld':
      return 'meeting';
    case 'PurchaseCompleted':
      return event.data.channel;
    case 'PurchaseRefunded':
      return orderChannelOf(event.data.orderId);
    case 'SurveyAnswered':
      return 'survey';
    case 'SupportCaseOpened':
    case 'SupportCaseResponded':
    case 'SupportCaseResolved':
      return 'support';
    case 'CampaignInteraction':
      return 'campaign';
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/**
 * Whether the customer reached out or engaged (domain.md): what moves them to
 * `acquisition` and feeds `inboundShare`. Purchases and refunds are
 * transactions, not contact initiated on a channel, so they are not inbound.
 */
export function isInbound(event: CrmEvent): boolean {
  switch (event.type) {
    case 'CallLogged':
    case 'EmailLogged':
    case 'MessageLogged':
      return event.data.direction === 'inbound';
    case 'MeetingHeld':
    case 'SurveyAnswered':
    case 'SupportCaseOpened':
      return true;
    case 'CampaignInteraction':
      return event.data.action !== 'sent';
    case 'CustomerRegistered':
    case 'CustomerProfileUpdated':
    case 'ConsentChanged':
    case 'CustomerErased':
    case 'CustomersMerged':
    case 'PurchaseCompleted':
    case 'PurchaseRefunded':
    case 'SupportCaseResponded':
    case 'SupportCaseResolved':
    case 'FollowUpScheduled':
    case 'FollowUpReassigned':
    case 'FollowUpCompleted':
    case 'FollowUpCancelled':
    case 'SurveyRequested':
    case 'SupportCaseSlaBreached':
      return false;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
