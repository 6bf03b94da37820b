import {
  type CallOutcome,
  type CampaignAction,
  type Direction,
  type SurveyType,
  isInbound,
  isTouchpoint,
  type TouchpointChannel,
  type TouchpointEvent,
  type TouchpointType,
  touchpointChannel,
} from '@crm/domain';
import { canonicalInstant, type IsoInstant, orderChannelLookup, type ProjectedEvent } from '../shared';
import type { JourneyDocument } from './journey.document';

/**
 * What a timeline entry says about each kind of touchpoint. Free text
 * (notes, subjects, locations, reasons, comments) is left out: it is
 * personal data, encrypted per customer in the log, and has no place in a
 * list view.
 */
export type TimelineSummaryByType = {
  readonly CallLogged: {
    readonly durationSeconds: number;
    readonly outcome: CallOutcome;
    readonly agentId: string | null;
  };
  readonly EmailLogged: { readonly campaignId: string | null };
  readonly MessageLogged: Record<string, never>;
  readonly MeetingHeld: { readonly durationMinutes: number };
  readonly PurchaseCompleted: {
    readonly orderId: string;
    readonly amount: number;
    readonly currency: string;
    readonly itemCount: number;
  };
  readonly PurchaseRefunded: { readonly orderId: string; readonly amount: number; readonly currency: string };
  readonly SurveyAnswered: { readonly surveyType: SurveyType; readonly score: number };
  readonly SupportCaseOpened: { readonly caseId: string; readonly priority: string | null };
  readonly SupportCaseResponded: { readonly caseId: string };
  readonly SupportCaseResolved: { readonly caseId: string; readonly firstContact: boolean };
  readonly CampaignInteraction: { readonly campaignId: string; readonly action: CampaignAction };
};

type TimelineEntryOf<T extends TouchpointType> = {
  /** The eventId: a redelivered event overwrites its own entry. */
  readonly id: string;
  readonly customerId: string;
  readonly type: T;
  readonly occurredAt: IsoInstant;
  /** Pages are ordered by (occurredAt, position). */
  readonly position: number;
  /** null only for a refund whose purchase the journey does not know. */
  readonly channel: TouchpointChannel | null;
  readonly inbound: boolean;
  /** Set for calls, emails and messages, the touchpoints that have one. */
  readonly direction: Direction | null;
  readonly summary: TimelineSummaryByType[T];
};

/** One touchpoint in a customer's timeline (a separate collection, paged by occurredAt then position). */
export type TimelineEntry = { [T in TouchpointType]: TimelineEntryOf<T> }[TouchpointType];

/**
 * The timeline entry for a touchpoint, or null for anything else. The
 * journey supplies the customer (events other than registration do not
 * carry it) and the channel of a refunded order; pass the journey as it is
 * after evolving this very event.
 */
export function timelineEntry(e: ProjectedEvent, journey: JourneyDocument | null): TimelineEntry | null {
  const { event } = e;
  if (journey === null || !isTouchpoint(event)) return null;
  const base = {
    id: event.eventId,
    customerId: journey.customerId,
    occurredAt: canonicalInstant(event.occurredAt),
    position: e.position,
    channel: touchpointChannel(event, orderChannelLookup(journey.facts.orders)) ?? null,
    inbound: isInbound(event),
    direction: directionOf(event),
  };
  return { ...base, ...typedSummary(event) };
}

function directionOf(event: TouchpointEvent): Direction | null {
  switch (event.type) {
    case 'CallLogged':
    case 'EmailLogged':
    case 'MessageLogged':
      return event.data.direction;
    default:
      return null;
  }
}

type TypedSummary = { [T in TouchpointType]: { type: T; summary: TimelineSummaryByType[T] } }[TouchpointType];

function typedSummary(event: TouchpointEvent): TypedSummary {
  switch (event.type) {
    case 'CallLogged': {
      const { durationSeconds, outcome, agentId } = event.data;
      return { type: event.type, summary: { durationSeconds, outcome, agentId: agentId ?? null } };
    }
    case 'EmailLogged':
      return { type: event.type, summary: { campaignId: event.data.campaignId ?? null } };
    case 'MessageLogged':
      return { type: event.type, summary: {} };
    case 'MeetingHeld':
      return { type: event.type, summary: { durationMinutes: event.data.durationMinutes } };
    case 'PurchaseCompleted': {
      const { orderId, amount, currency, items } = event.data;
      const itemCount = (items ?? []).reduce((sum, item) => sum + item.quantity, 0);
      return { type: event.type, summary: { orderId, amount, currency, itemCount } };
    }
    case 'PurchaseRefunded': {
      const { orderId, amount, currency } = event.data;
      return { type: event.type, summary: { orderId, amount, currency } };
    }
    case 'SurveyAnswered':
      return { type: event.type, summary: { surveyType: event.data.surveyType, score: event.data.score } };
    case 'SupportCaseOpened':
      return {
        type: event.type,
        summary: { caseId: event.data.caseId, priority: event.data.priority ?? null },
      };
    case 'SupportCaseResponded':
      return { type: event.type, summary: { caseId: event.data.caseId } };
    case 'SupportCaseResolved': {
      const { caseId, firstContact } = event.data;
      return { type: event.type, summary: { caseId, firstContact } };
    }
    case 'CampaignInteraction': {
      const { campaignId, action } = event.data;
      return { type: event.type, summary: { campaignId, action } };
    }
  }
}
