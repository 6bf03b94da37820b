import { randomUUID } from 'node:crypto';

/**
 * Request bodies for a load that looks like a CRM's day: customers of both
 * kinds in a few segments, registered over six weeks of 2025, then calls,
 * emails, messages, meetings, purchases, surveys, campaign clicks and
 * support cases over the following months (back-dated `occurredAt`, as an
 * import of history would send). Only touchpoints that need no earlier one
 * of the same customer, so any order of arrival is valid. Deterministic in
 * the index, except the eventIds.
 */
const HISTORY_START_MS = Date.parse('2025-01-01T00:00:00.000Z');
const HOUR_MS = 3_600_000;
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

/** The `index`-th touchpoint of the load, for the customer registered `customerIndex`-th. */
export function touchpointBody(index: number, customerIndex: number): Record<string, unknown> {
  // After the registration, spread over about ten months.
  const occurredAt = new Date(
    HISTORY_START_MS + customerIndex * HOUR_MS + HOUR_MS + ((index * 7919) % 7200) * HOUR_MS,
  ).toISOString();
  const envelope = { eventId: randomUUID(), occurredAt };
  switch (index % 10) {
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
      return { ...envelope, type: 'SupportCaseOpened', caseId: `case-${index}`, subject: 'Late delivery' };
    default:
      return { ...envelope, type: 'EmailLogged', direction: 'inbound' };
  }
}
