import { randomUUID } from 'node:crypto';

/**
 * Request bodies for a load that looks like a CRM's day: customers of both
 * kinds in a few segments, registered over the first days of 2025, then each
 * customer's visits a few days apart: calls, emails, messages, meetings,
 * purchases with items, surveys, campaign clicks, support cases opened and
 * answered at the next visit (back-dated `occurredAt`, as an import of
 * history would send). The kind of a visit rotates per customer, so every
 * customer gets the whole mix. Deterministic, except the eventIds.
 */
const HISTORY_START_MS = Date.parse('2025-01-01T00:00:00.000Z');
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Visits this many days apart, up to this many; beyond, an hour apart (so any load stays in the KPI window). */
const VISIT_SPACING_DAYS = 6;
const SPACED_VISITS = 80;
const SEGMENTS = ['consumer', 'smb', 'enterprise'] as const;
const CHANNELS = ['web', 'store', 'phone', 'app'] as const;
const SURVEYS = [
  ['nps', 11, 0],
  ['csat', 5, 1],
  ['ces', 7, 1],
] as const;

export function customerId(prefix: string, index: number): string {
  return `${prefix}-${String(index).padStart(5, '0')}`;
}

export function registrationBody(id: string, index: number): Record<string, unknown> {
  return {
    customerId: id,
    eventId: randomUUID(),
    kind: index % 5 === 0 ? 'company' : 'person',
    name: `Customer ${index}`,
    segment: SEGMENTS[index % SEGMENTS.length],
    acquisitionChannel: index % 2 === 0 ? 'referral' : 'search',
    occurredAt: new Date(HISTORY_START_MS + index * HOUR_MS).toISOString(),
  };
}

/** When a customer's `visit`-th touchpoint happened: after the registration, later with every visit. */
function visitTime(customerIndex: number, visit: number): string {
  const spaced = Math.min(visit, SPACED_VISITS);
  const offset = (spaced + 1) * VISIT_SPACING_DAYS * DAY_MS + Math.max(0, visit - SPACED_VISITS) * HOUR_MS;
  return new Date(HISTORY_START_MS + customerIndex * HOUR_MS + offset).toISOString();
}

/** The case a support case opened at a visit is known by, so the next visit can answer it. */
function caseId(customerIndex: number, visit: number): string {
  return `case-${customerIndex}-${visit}`;
}

/**
 * The `index`-th touchpoint of the load: the `visit`-th of the customer
 * registered `customerIndex`-th. A customer's visits must be sent in order
 * (a support case is answered at the visit after the one that opened it).
 */
export function touchpointBody(index: number, customerIndex: number, visit: number): Record<string, unknown> {
  const envelope = { eventId: randomUUID(), occurredAt: visitTime(customerIndex, visit) };
  switch ((customerIndex + visit) % 10) {
    case 0:
      return {
        ...envelope,
        type: 'CallLogged',
        direction: 'inbound',
        durationSeconds: 60 + (index % 600),
        outcome: 'connected',
      };
    case 1:
      return { ...envelope, type: 'EmailLogged', direction: 'outbound', subject: 'Your order' };
    case 2:
      return { ...envelope, type: 'MessageLogged', channel: 'chat', direction: 'inbound' };
    case 3:
      return { ...envelope, type: 'MeetingHeld', durationMinutes: 30 };
    case 4:
    case 5: {
      const amount = 500 + ((index * 131) % 20_000);
      return {
        ...envelope,
        type: 'PurchaseCompleted',
        orderId: `order-${index}`,
        amount,
        currency: 'EUR',
        channel: CHANNELS[index % CHANNELS.length],
        items: [{ sku: `sku-${index % 40}`, category: 'books', quantity: 1, unitAmount: amount }],
      };
    }
    case 6: {
      const [surveyType, span, lowest] = SURVEYS[index % SURVEYS.length] ?? SURVEYS[0];
      return { ...envelope, type: 'SurveyAnswered', surveyType, score: lowest + (index % span) };
    }
    case 7:
      return {
        ...envelope,
        type: 'CampaignInteraction',
        campaignId: `spring-${index % 3}`,
        action: 'clicked',
      };
    case 8:
      return {
        ...envelope,
        type: 'SupportCaseOpened',
        caseId: caseId(customerIndex, visit),
        subject: 'Late delivery',
      };
    default:
      return visit === 0
        ? { ...envelope, type: 'EmailLogged', direction: 'inbound' }
        : { ...envelope, type: 'SupportCaseResponded', caseId: caseId(customerIndex, visit - 1) };
  }
}
