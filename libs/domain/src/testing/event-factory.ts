import {
  type CallLogged,
  type CallLoggedData,
  type CampaignInteraction,
  type ConsentChanged,
  type CrmEvent,
  type CustomerErased,
  type CustomerErasedData,
  type CustomersMerged,
  type CustomersMergedData,
  type CustomerProfileUpdated,
  type CustomerRegistered,
  type EmailLogged,
  type MeetingHeld,
  type MessageLogged,
  type PurchaseCompleted,
  type PurchaseRefunded,
  type SupportCaseOpened,
  type SupportCaseResolved,
  type SupportCaseResponded,
  type SurveyAnswered,
  type CampaignInteractionData,
  type ConsentChangedData,
  type CrmEventType,
  type CustomerProfileUpdatedData,
  type CustomerRegisteredData,
  type EmailLoggedData,
  EVENT_VERSIONS,
  type MeetingHeldData,
  type MessageLoggedData,
  type PurchaseCompletedData,
  type PurchaseRefundedData,
  type SupportCaseOpenedData,
  type SupportCaseResolvedData,
  type SupportCaseRespondedData,
  type SurveyAnsweredData,
  type FollowUpCancelled,
  type FollowUpCancelledData,
  type FollowUpCompleted,
  type FollowUpCompletedData,
  type FollowUpReassigned,
  type FollowUpReassignedData,
  type FollowUpScheduled,
  type FollowUpScheduledData,
  type SupportCaseSlaBreached,
  type SupportCaseSlaBreachedData,
  type SurveyRequested,
  type SurveyRequestedData,
} from '../events/catalogue';
import type { EventMetadata } from '../events/event-envelope';

/** The metadata every factory event carries unless overridden. */
export const TEST_METADATA: EventMetadata = {
  correlationId: 'test-correlation',
  causationId: null,
  actor: 'test',
  source: 'test',
};

export const TEST_START = '2024-01-01T09:00:00.000Z';

/** Envelope fields a test may pin; everything else is deterministic. */
export type EnvelopeOverrides = {
  readonly eventId?: string;
  readonly occurredAt?: string;
  readonly version?: number;
  readonly metadata?: Partial<EventMetadata>;
};

export type EventFactoryOptions = {
  readonly customerId?: string;
  /** Keeps eventIds of several factories apart (it becomes the UUID's first group). */
  readonly seed?: number;
  /** occurredAt of the first event. */
  readonly startAt?: string;
  /** Gap between consecutive events' occurredAt. */
  readonly stepMinutes?: number;
};

const MINUTE_MS = 60_000;

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0');
}

/**
 * Builds valid CRM events with deterministic eventIds (UUID v4 shaped, the
 * n-th event of a factory ends in n) and occurredAt (startAt + n steps).
 * Each builder takes partial data over sensible defaults, so a test spells
 * out only what it is about.
 */
export function createEventFactory(options: EventFactoryOptions = {}) {
  const customerId = options.customerId ?? 'cust-1';
  const seed = options.seed ?? 0;
  const startMs = Date.parse(options.startAt ?? TEST_START);
  const stepMs = (options.stepMinutes ?? 60) * MINUTE_MS;
  let sequence = 0;

  function envelope(type: CrmEventType, overrides: EnvelopeOverrides = {}): Omit<CrmEvent, 'type' | 'data'> {
    const index = sequence++;
    return {
      version: overrides.version ?? EVENT_VERSIONS[type],
      eventId: overrides.eventId ?? `${hex(seed, 8)}-0000-4000-8000-${hex(index + 1, 12)}`,
      occurredAt: overrides.occurredAt ?? new Date(startMs + index * stepMs).toISOString(),
      metadata: { ...TEST_METADATA, ...overrides.metadata },
    };
  }

  return {
    customerId,
    customerRegistered: (
      data: Partial<CustomerRegisteredData> = {},
      overrides?: EnvelopeOverrides,
    ): CustomerRegistered => ({
      type: 'CustomerRegistered',
      ...envelope('CustomerRegistered', overrides),
      data: { customerId, kind: 'person', name: 'Ada Lovelace', ...data },
    }),
    profileUpdated: (
      data: CustomerProfileUpdatedData = { segment: 'smb' },
      overrides?: EnvelopeOverrides,
    ): CustomerProfileUpdated => ({
      type: 'CustomerProfileUpdated',
      ...envelope('CustomerProfileUpdated', overrides),
      data,
    }),
    consentChanged: (
      data: Partial<ConsentChangedData> = {},
      overrides?: EnvelopeOverrides,
    ): ConsentChanged => ({
      type: 'ConsentChanged',
      ...envelope('ConsentChanged', overrides),
      data: { purpose: 'marketing_email', granted: true, ...data },
    }),
    callLogged: (data: Partial<CallLoggedData> = {}, overrides?: EnvelopeOverrides): CallLogged => ({
      type: 'CallLogged',
      ...envelope('CallLogged', overrides),
      data: { direction: 'inbound', durationSeconds: 120, outcome: 'connected', ...data },
    }),
    emailLogged: (data: Partial<EmailLoggedData> = {}, overrides?: EnvelopeOverrides): EmailLogged => ({
      type: 'EmailLogged',
      ...envelope('EmailLogged', overrides),
      data: { direction: 'inbound', subject: 'Question about my order', ...data },
    }),
    messageLogged: (data: Partial<MessageLoggedData> = {}, overrides?: EnvelopeOverrides): MessageLogged => ({
      type: 'MessageLogged',
      ...envelope('MessageLogged', overrides),
      data: { channel: 'chat', direction: 'inbound', ...data },
    }),
    meetingHeld: (data: Partial<MeetingHeldData> = {}, overrides?: EnvelopeOverrides): MeetingHeld => ({
      type: 'MeetingHeld',
      ...envelope('MeetingHeld', overrides),
      data: { durationMinutes: 30, ...data },
    }),
    purchaseCompleted: (
      data: Partial<PurchaseCompletedData> = {},
      overrides?: EnvelopeOverrides,
    ): PurchaseCompleted => ({
      type: 'PurchaseCompleted',
      ...envelope('PurchaseCompleted', overrides),
      data: {
        orderId: 'order-1',
        amount: 10_000,
        currency: 'EUR',
        channel: 'web',
        items: [{ sku: 'sku-1', category: 'books', quantity: 2, unitAmount: 5_000 }],
        ...data,
      },
    }),
    purchaseRefunded: (
      data: Partial<PurchaseRefundedData> = {},
      overrides?: EnvelopeOverrides,
    ): PurchaseRefunded => ({
      type: 'PurchaseRefunded',
      ...envelope('PurchaseRefunded', overrides),
      data: { orderId: 'order-1', amount: 5_000, currency: 'EUR', ...data },
    }),
    surveyAnswered: (
      data: Partial<SurveyAnsweredData> = {},
      overrides?: EnvelopeOverrides,
    ): SurveyAnswered => ({
      type: 'SurveyAnswered',
      ...envelope('SurveyAnswered', overrides),
      data: { surveyType: 'nps', score: 9, ...data },
    }),
    supportCaseOpened: (
      data: Partial<SupportCaseOpenedData> = {},
      overrides?: EnvelopeOverrides,
    ): SupportCaseOpened => ({
      type: 'SupportCaseOpened',
      ...envelope('SupportCaseOpened', overrides),
      data: { caseId: 'case-1', subject: 'Parcel not delivered', ...data },
    }),
    supportCaseResponded: (
      data: Partial<SupportCaseRespondedData> = {},
      overrides?: EnvelopeOverrides,
    ): SupportCaseResponded => ({
      type: 'SupportCaseResponded',
      ...envelope('SupportCaseResponded', overrides),
      data: { caseId: 'case-1', ...data },
    }),
    supportCaseResolved: (
      data: Partial<SupportCaseResolvedData> = {},
      overrides?: EnvelopeOverrides,
    ): SupportCaseResolved => ({
      type: 'SupportCaseResolved',
      ...envelope('SupportCaseResolved', overrides),
      data: { caseId: 'case-1', firstContact: true, ...data },
    }),
    customerErased: (data: CustomerErasedData = {}, overrides?: EnvelopeOverrides): CustomerErased => ({
      type: 'CustomerErased',
      ...envelope('CustomerErased', overrides),
      data,
    }),
    customersMerged: (data: CustomersMergedData, overrides?: EnvelopeOverrides): CustomersMerged => ({
      type: 'CustomersMerged',
      ...envelope('CustomersMerged', overrides),
      data,
    }),
    campaignInteraction: (
      data: Partial<CampaignInteractionData> = {},
      overrides?: EnvelopeOverrides,
    ): CampaignInteraction => ({
      type: 'CampaignInteraction',
      ...envelope('CampaignInteraction', overrides),
      data: { campaignId: 'spring-sale', action: 'opened', ...data },
    }),
    followUpScheduled: (
      data: Partial<FollowUpScheduledData> = {},
      overrides?: EnvelopeOverrides,
    ): FollowUpScheduled => ({
      type: 'FollowUpScheduled',
      ...envelope('FollowUpScheduled', overrides),
      data: {
        followUpId: 'follow-up-1',
        assignee: 'agent-7',
        dueAt: '2024-01-08T09:00:00.000Z',
        reason: 'Call back about the renewal',
        ...data,
      },
    }),
    followUpReassigned: (
      data: Partial<FollowUpReassignedData> = {},
      overrides?: EnvelopeOverrides,
    ): FollowUpReassigned => ({
      type: 'FollowUpReassigned',
      ...envelope('FollowUpReassigned', overrides),
      data: { followUpId: 'follow-up-1', assignee: 'agent-9', ...data },
    }),
    followUpCompleted: (
      data: Partial<FollowUpCompletedData> = {},
      overrides?: EnvelopeOverrides,
    ): FollowUpCompleted => ({
      type: 'FollowUpCompleted',
      ...envelope('FollowUpCompleted', overrides),
      data: { followUpId: 'follow-up-1', outcome: 'Renewed for a year', ...data },
    }),
    followUpCancelled: (
      data: Partial<FollowUpCancelledData> = {},
      overrides?: EnvelopeOverrides,
    ): FollowUpCancelled => ({
      type: 'FollowUpCancelled',
      ...envelope('FollowUpCancelled', overrides),
      data: { followUpId: 'follow-up-1', ...data },
    }),
    surveyRequested: (
      data: Partial<SurveyRequestedData> = {},
      overrides?: EnvelopeOverrides,
    ): SurveyRequested => ({
      type: 'SurveyRequested',
      ...envelope('SurveyRequested', overrides),
      data: { requestId: 'request-1', surveyType: 'csat', caseId: 'case-1', ...data },
    }),
    supportCaseSlaBreached: (
      data: Partial<SupportCaseSlaBreachedData> = {},
      overrides?: EnvelopeOverrides,
    ): SupportCaseSlaBreached => ({
      type: 'SupportCaseSlaBreached',
      ...envelope('SupportCaseSlaBreached', overrides),
      data: { caseId: 'case-1', dueAt: '2024-01-01T13:00:00.000Z', ...data },
    }),
  };
}

export type EventFactory = ReturnType<typeof createEventFactory>;
