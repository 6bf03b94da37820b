import type { TouchpointType } from '@crm/domain';

export type TouchpointSample = {
  /** The type-specific fields, every optional one included, exactly as a client sends them. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** Touchpoints the customer needs first (a refund needs its purchase, a reply its case). */
  readonly given: readonly Readonly<Record<string, unknown>>[];
};

const purchase = {
  type: 'PurchaseCompleted',
  orderId: 'order-1',
  amount: 4999,
  currency: 'EUR',
  channel: 'web',
};
const openedCase = { type: 'SupportCaseOpened', caseId: 'case-1', subject: 'Zip is broken' };

/** One valid body per touchpoint type of the catalogue. */
export const TOUCHPOINT_SAMPLES: Readonly<Record<TouchpointType, TouchpointSample>> = {
  CallLogged: {
    fields: {
      direction: 'inbound',
      durationSeconds: 125,
      outcome: 'connected',
      agentId: 'agent-7',
      notes: 'Asked about delivery',
    },
    given: [],
  },
  EmailLogged: {
    fields: { direction: 'outbound', subject: 'Your order', campaignId: 'spring-24' },
    given: [],
  },
  MessageLogged: { fields: { channel: 'whatsapp', direction: 'inbound' }, given: [] },
  MeetingHeld: { fields: { durationMinutes: 45, location: 'Berlin office' }, given: [] },
  PurchaseCompleted: {
    fields: {
      orderId: 'order-1',
      amount: 4999,
      currency: 'EUR',
      channel: 'web',
      items: [
        { sku: 'SKU-1', category: 'shoes', quantity: 1, unitAmount: 3999 },
        { sku: 'SKU-2', category: 'socks', quantity: 2, unitAmount: 500 },
        { sku: 'GIFT', category: 'gifts', quantity: 1, unitAmount: 0 },
      ],
    },
    given: [],
  },
  PurchaseRefunded: {
    fields: { orderId: 'order-1', amount: 1000, currency: 'EUR', reason: 'damaged' },
    given: [purchase],
  },
  SurveyAnswered: { fields: { surveyType: 'nps', score: 9, comment: 'Great service' }, given: [] },
  SupportCaseOpened: { fields: { caseId: 'case-1', subject: 'Zip is broken', priority: 'high' }, given: [] },
  SupportCaseResponded: { fields: { caseId: 'case-1' }, given: [openedCase] },
  SupportCaseResolved: { fields: { caseId: 'case-1', firstContact: true }, given: [openedCase] },
  CampaignInteraction: { fields: { campaignId: 'spring-24', action: 'clicked' }, given: [] },
};

export const SAMPLE_TYPES = Object.keys(TOUCHPOINT_SAMPLES) as TouchpointType[];

/** A cheap valid touchpoint, for tests about everything but the payload. */
export function meeting(extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return { type: 'MeetingHeld', durationMinutes: 30, ...extra };
}

/** The required (bold) fields of each touchpoint type in the event catalogue, sorted. */
export const REQUIRED_FIELDS: Readonly<Record<TouchpointType, readonly string[]>> = {
  CallLogged: ['direction', 'durationSeconds', 'outcome'],
  EmailLogged: ['direction'],
  MessageLogged: ['channel', 'direction'],
  MeetingHeld: ['durationMinutes'],
  PurchaseCompleted: ['amount', 'channel', 'currency', 'orderId'],
  PurchaseRefunded: ['amount', 'currency', 'orderId'],
  SurveyAnswered: ['score', 'surveyType'],
  SupportCaseOpened: ['caseId', 'subject'],
  SupportCaseResponded: ['caseId'],
  SupportCaseResolved: ['caseId', 'firstContact'],
  CampaignInteraction: ['action', 'campaignId'],
};
