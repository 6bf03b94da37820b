import type { DomainEvent } from './event-envelope';

export type CustomerKind = 'person' | 'company';
export type Direction = 'inbound' | 'outbound';
export type CallOutcome = 'connected' | 'no_answer' | 'voicemail' | 'busy';
export type MessageChannel = 'chat' | 'sms' | 'whatsapp' | 'social';
export type PurchaseChannel = 'web' | 'store' | 'phone' | 'app';
export type SurveyType = 'nps' | 'csat' | 'ces';
export type CampaignAction = 'sent' | 'opened' | 'clicked' | 'converted';

export type CustomerProfile = {
  readonly name?: string;
  readonly email?: string;
  readonly phone?: string;
  readonly segment?: string;
  readonly acquisitionChannel?: string;
  readonly attributes?: Readonly<Record<string, string | number | boolean | null>>;
};

export type CustomerRegisteredData = CustomerProfile & {
  readonly customerId: string;
  readonly kind: CustomerKind;
  readonly name: string;
};
/** The profile fields a customer may change (not `kind`, not the id). */
export type ProfileField = keyof CustomerProfile;
export const PROFILE_FIELDS: readonly ProfileField[] = [
  'name',
  'email',
  'phone',
  'segment',
  'acquisitionChannel',
  'attributes',
];
/** Only the changed profile fields; `null` clears a field (`name` cannot be cleared). */
export type CustomerProfileUpdatedData = {
  readonly [K in ProfileField]?: CustomerProfile[K] | (K extends 'name' ? never : null);
};
export type ConsentChangedData = { readonly purpose: string; readonly granted: boolean };
export type CallLoggedData = {
  readonly direction: Direction;
  readonly durationSeconds: number;
  readonly outcome: CallOutcome;
  readonly agentId?: string;
  readonly notes?: string;
};
export type EmailLoggedData = {
  readonly direction: Direction;
  readonly subject?: string;
  readonly campaignId?: string;
};
export type MessageLoggedData = { readonly channel: MessageChannel; readonly direction: Direction };
export type MeetingHeldData = { readonly durationMinutes: number; readonly location?: string };
export type PurchaseItem = {
  readonly sku: string;
  readonly category: string;
  readonly quantity: number;
  readonly unitAmount: number;
};
export type PurchaseCompletedData = {
  readonly orderId: string;
  readonly amount: number;
  readonly currency: string;
  readonly channel: PurchaseChannel;
  readonly items?: readonly PurchaseItem[];
};
export type PurchaseRefundedData = {
  readonly orderId: string;
  readonly amount: number;
  readonly currency: string;
  readonly reason?: string;
};
export type SurveyAnsweredData = {
  readonly surveyType: SurveyType;
  readonly score: number;
  readonly comment?: string;
  /** The SurveyRequested this answers, when the survey was asked for (domain.md, "Automations"). */
  readonly requestId?: string;
};
export type SupportCaseOpenedData = {
  readonly caseId: string;
  readonly subject: string;
  readonly priority?: string;
};
export type SupportCaseRespondedData = { readonly caseId: string };
export type SupportCaseResolvedData = { readonly caseId: string; readonly firstContact: boolean };
export type CampaignInteractionData = { readonly campaignId: string; readonly action: CampaignAction };
/**
 * A task for someone on the team about this customer (collaborative CRM,
 * domain.md "Follow-ups"). `assignee` names an agent or a queue, never the
 * customer; `reason` is free text and so personal data.
 */
export type FollowUpScheduledData = {
  readonly followUpId: string;
  readonly assignee: string;
  /** When it is due (ISO-8601 UTC): required. */
  readonly dueAt: string;
  readonly reason: string;
  readonly caseId?: string;
};
export type FollowUpReassignedData = { readonly followUpId: string; readonly assignee: string };
export type FollowUpCompletedData = { readonly followUpId: string; readonly outcome: string };
export type FollowUpCancelledData = { readonly followUpId: string };
/** Automations: a resolved case's customer is asked for feedback. */
export type SurveyRequestedData = {
  readonly requestId: string;
  readonly surveyType: SurveyType;
  readonly caseId: string;
};
/** Automations: the case had no first response by its service-level due time (`occurredAt` = `dueAt`). */
export type SupportCaseSlaBreachedData = { readonly caseId: string; readonly dueAt: string };
/**
 * The customer's personal data was erased (crypto-shredded). It carries no
 * personal data itself; the stream stays, with every personal field of every
 * earlier event reading as ERASED_VALUE.
 */
export type CustomerErasedData = {
  /** Why, in the operator's words (e.g. `gdpr-art-17`); must not contain personal data. */
  readonly reason?: string;
  /** Who asked for it: a ticket or request reference, not a person's name. */
  readonly requestedBy?: string;
};

/**
 * Two records of one customer became one (domain.md, "Customer profile,
 * consent and identity"): recorded on both streams, the survivor's and the
 * merged one's. From then on the merged customer's history counts as the
 * survivor's and the merged stream takes no command. Ids only: no personal data.
 */
export type CustomersMergedData = { readonly survivorId: string; readonly mergedId: string };

export type CustomerRegistered = DomainEvent<'CustomerRegistered', CustomerRegisteredData>;
export type CustomerProfileUpdated = DomainEvent<'CustomerProfileUpdated', CustomerProfileUpdatedData>;
export type ConsentChanged = DomainEvent<'ConsentChanged', ConsentChangedData>;
export type CallLogged = DomainEvent<'CallLogged', CallLoggedData>;
export type EmailLogged = DomainEvent<'EmailLogged', EmailLoggedData>;
export type MessageLogged = DomainEvent<'MessageLogged', MessageLoggedData>;
export type MeetingHeld = DomainEvent<'MeetingHeld', MeetingHeldData>;
export type PurchaseCompleted = DomainEvent<'PurchaseCompleted', PurchaseCompletedData>;
export type PurchaseRefunded = DomainEvent<'PurchaseRefunded', PurchaseRefundedData>;
export type SurveyAnswered = DomainEvent<'SurveyAnswered', SurveyAnsweredData>;
export type SupportCaseOpened = DomainEvent<'SupportCaseOpened', SupportCaseOpenedData>;
export type SupportCaseResponded = DomainEvent<'SupportCaseResponded', SupportCaseRespondedData>;
export type SupportCaseResolved = DomainEvent<'SupportCaseResolved', SupportCaseResolvedData>;
export type CampaignInteraction = DomainEvent<'CampaignInteraction', CampaignInteractionData>;
export type CustomerErased = DomainEvent<'CustomerErased', CustomerErasedData>;
export type CustomersMerged = DomainEvent<'CustomersMerged', CustomersMergedData>;
export type FollowUpScheduled = DomainEvent<'FollowUpScheduled', FollowUpScheduledData>;
export type FollowUpReassigned = DomainEvent<'FollowUpReassigned', FollowUpReassignedData>;
export type FollowUpCompleted = DomainEvent<'FollowUpCompleted', FollowUpCompletedData>;
export type FollowUpCancelled = DomainEvent<'FollowUpCancelled', FollowUpCancelledData>;
export type SurveyRequested = DomainEvent<'SurveyRequested', SurveyRequestedData>;
export type SupportCaseSlaBreached = DomainEvent<'SupportCaseSlaBreached', SupportCaseSlaBreachedData>;

/** Collaborative CRM: tasks on a customer. Not touchpoints (no channel, stage or inbound effect). */
export type FollowUpEvent = FollowUpScheduled | FollowUpReassigned | FollowUpCompleted | FollowUpCancelled;
/**
 * What the automations record (reactors, domain.md "Automations"). Not
 * touchpoints either: they record what the business decided or missed, not
 * a contact with the customer.
 */
export type AutomatedEvent = SurveyRequested | SupportCaseSlaBreached;

/** Every event except registration, profile updates and consent changes. */
export type TouchpointEvent =
  | CallLogged
  | EmailLogged
  | MessageLogged
  | MeetingHeld
  | PurchaseCompleted
  | PurchaseRefunded
  | SurveyAnswered
  | SupportCaseOpened
  | SupportCaseResponded
  | SupportCaseResolved
  | CampaignInteraction;

export type CrmEvent =
  | CustomerRegistered
  | CustomerProfileUpdated
  | ConsentChanged
  | CustomerErased
  | CustomersMerged
  | TouchpointEvent
  | FollowUpEvent
  | AutomatedEvent;
export type CrmEventType = CrmEvent['type'];
export type TouchpointType = TouchpointEvent['type'];
export type EventOfType<T extends CrmEventType> = Extract<CrmEvent, { type: T }>;
export type DataOf<T extends CrmEventType> = EventOfType<T>['data'];

/** Current schema version of each event type (bump together with an upcaster). */
export const EVENT_VERSIONS: Readonly<Record<CrmEventType, number>> = {
  CustomerRegistered: 1,
  CustomerProfileUpdated: 1,
  ConsentChanged: 1,
  CallLogged: 1,
  EmailLogged: 1,
  MessageLogged: 1,
  MeetingHeld: 1,
  PurchaseCompleted: 1,
  PurchaseRefunded: 1,
  SurveyAnswered: 1,
  SupportCaseOpened: 1,
  SupportCaseResponded: 1,
  SupportCaseResolved: 1,
  CampaignInteraction: 1,
  CustomerErased: 1,
  CustomersMerged: 1,
  FollowUpScheduled: 1,
  FollowUpReassigned: 1,
  FollowUpCompleted: 1,
  FollowUpCancelled: 1,
  SurveyRequested: 1,
  SupportCaseSlaBreached: 1,
};

export const FOLLOW_UP_TYPES: readonly FollowUpEvent['type'][] = [
  'FollowUpScheduled',
  'FollowUpReassigned',
  'FollowUpCompleted',
  'FollowUpCancelled',
];

export const AUTOMATED_TYPES: readonly AutomatedEvent['type'][] = [
  'SurveyRequested',
  'SupportCaseSlaBreached',
];

export const TOUCHPOINT_TYPES: readonly TouchpointType[] = [
  'CallLogged',
  'EmailLogged',
  'MessageLogged',
  'MeetingHeld',
  'PurchaseCompleted',
  'PurchaseRefunded',
  'SurveyAnswered',
  'SupportCaseOpened',
  'SupportCaseResponded',
  'SupportCaseResolved',
  'CampaignInteraction',
];

export const CRM_EVENT_TYPES: readonly CrmEventType[] = Object.keys(EVENT_VERSIONS) as CrmEventType[];

/**
 * Personal data per event type: the fields that identify a person or carry
 * free text about them. They are the ones encrypted per customer
 * (crypto-shredding) and read as ERASED_VALUE after erasure. A field is
 * encrypted as a whole JSON value (`attributes`, an object, included).
 */
export const PERSONAL_FIELDS: Readonly<Record<CrmEventType, readonly string[]>> = {
  CustomerRegistered: ['name', 'email', 'phone', 'attributes'],
  CustomerProfileUpdated: ['name', 'email', 'phone', 'attributes'],
  ConsentChanged: [],
  CallLogged: ['notes'],
  EmailLogged: ['subject'],
  MessageLogged: [],
  MeetingHeld: ['location'],
  PurchaseCompleted: [],
  PurchaseRefunded: ['reason'],
  SurveyAnswered: ['comment'],
  SupportCaseOpened: ['subject'],
  SupportCaseResponded: [],
  SupportCaseResolved: [],
  CampaignInteraction: [],
  CustomerErased: [],
  CustomersMerged: [],
  FollowUpScheduled: ['reason'],
  FollowUpReassigned: [],
  FollowUpCompleted: ['outcome'],
  FollowUpCancelled: [],
  SurveyRequested: [],
  SupportCaseSlaBreached: [],
};

/**
 * What a personal field reads as once its customer's data key is gone
 * (crypto-shredding), whatever its type was. Non-blank on purpose: "a name
 * was given" stays true, so completeness and KPIs do not move on erasure.
 */
export const ERASED_VALUE = '[erased]';

export function isCrmEventType(type: string): type is CrmEventType {
  return Object.prototype.hasOwnProperty.call(EVENT_VERSIONS, type);
}

export function isTouchpointType(type: string): type is TouchpointType {
  return (TOUCHPOINT_TYPES as readonly string[]).includes(type);
}

export function isFollowUpType(type: string): type is FollowUpEvent['type'] {
  return (FOLLOW_UP_TYPES as readonly string[]).includes(type);
}

export function isAutomatedType(type: string): type is AutomatedEvent['type'] {
  return (AUTOMATED_TYPES as readonly string[]).includes(type);
}

export function customerStreamId(customerId: string): string {
  return `customer-${customerId}`;
}

export const CUSTOMER_STREAM_PREFIX = 'customer-';
