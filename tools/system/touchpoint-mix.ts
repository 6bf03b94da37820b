import { randomUUID } from 'node:crypto';

/**
 * Request bodies for a load that looks like a CRM's day: customers of both
 * kinds in a few segments, registered over the first days of 2025, then each
 * customer's visits a few days apart: calls, emails, messages, meetings,
 * purchases with items, surveys, campaign clicks, support cases opened and
 * resolved at the next visit (back-dated `occurredAt`, as an import of
 * history would send). The kind of a visit rotates per customer, so every
 * customer gets the whole mix. Deterministic, except the eventIds and the
 * time of the cases opened "hours ago" (CaseKind).
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

/**
 * How a customer's support cases go, for the service-level automation
 * (docs/automations.md): by customer, so every load has each kind.
 * - `answered-in-time`: opened in history and answered 20 minutes later, in
 *   the same request (one batch, so the answer is in the stream before any
 *   deadline can be judged), then resolved at the next visit: no breach.
 * - `answered-late`: opened in history, answered 25 hours later (after the
 *   deadline of every priority), same request; resolved at the next visit:
 *   breached.
 * - `overdue-now`: opened `high` three hours before it is sent (its 60-minute
 *   deadline passed two hours ago, by the clock of the automations) and
 *   never answered nor resolved: breached.
 */
export type CaseKind = 'answered-in-time' | 'answered-late' | 'overdue-now';

export function caseKind(customerIndex: number): CaseKind {
  if (customerIndex % 5 === 0) return 'overdue-now';
  if (customerIndex % 5 === 1) return 'answered-late';
  return 'answered-in-time';
}

const PRIORITIES = ['high', 'normal', 'low', undefined] as const;
const MINUTE_MS = 60_000;

/** The case a support case opened at a visit is known by, so the next visit can resolve it. */
function caseId(customerIndex: number, visit: number): string {
  return `case-${customerIndex}-${visit}`;
}

/**
 * The first touchpoint of the `index`-th visit of the load (visitBodies),
 * for a load that sends one touchpoint per visit (the pipeline bench): a
 * case's opening without its first response.
 */
export function touchpointBody(index: number, customerIndex: number, visit: number): Record<string, unknown> {
  const [first] = visitBodies(index, customerIndex, visit);
  if (first === undefined) throw new Error('a visit without a touchpoint');
  return first;
}

/** A support case opened at a visit, with its first response in the same request unless `overdue-now`. */
function supportCase(
  index: number,
  customerIndex: number,
  visit: number,
  nowMs: number,
): Record<string, unknown>[] {
  const id = caseId(customerIndex, visit);
  const kind = caseKind(customerIndex);
  if (kind === 'overdue-now') {
    const occurredAt = new Date(nowMs - 3 * 60 * MINUTE_MS).toISOString();
    return [
      {
        eventId: randomUUID(),
        occurredAt,
        type: 'SupportCaseOpened',
        caseId: id,
        subject: 'No answer',
        priority: 'high',
      },
    ];
  }
  const openedAt = Date.parse(visitTime(customerIndex, visit));
  const priority = PRIORITIES[index % PRIORITIES.length];
  const answerAfterMinutes = kind === 'answered-in-time' ? 20 : 25 * 60;
  return [
    {
      eventId: randomUUID(),
      occurredAt: new Date(openedAt).toISOString(),
      type: 'SupportCaseOpened',
      caseId: id,
      subject: 'Late delivery',
      ...(priority !== undefined && { priority }),
    },
    {
      eventId: randomUUID(),
      occurredAt: new Date(openedAt + answerAfterMinutes * MINUTE_MS).toISOString(),
      type: 'SupportCaseResponded',
      caseId: id,
    },
  ];
}

/**
 * The touchpoints of the `index`-th visit of the load: the `visit`-th of the
 * customer registered `customerIndex`-th. One, or two for a support case
 * opened and answered (to be sent as one batch). A customer's visits must be
 * sent in order (a support case is resolved at the visit after the one that
 * opened it). `nowMs` dates the `overdue-now` cases.
 */
export function visitBodies(
  index: number,
  customerIndex: number,
  visit: number,
  nowMs: number = Date.now(),
): Record<string, unknown>[] {
  const envelope = { eventId: randomUUID(), occurredAt: visitTime(customerIndex, visit) };
  const kind = (customerIndex + visit) % 10;
  if (kind === 8) return supportCase(index, customerIndex, visit, nowMs);
  return [oneTouchpoint(index, customerIndex, visit, kind, envelope)];
}

function oneTouchpoint(
  index: number,
  customerIndex: number,
  visit: number,
  kind: number,
  envelope: { readonly eventId: string; readonly occurredAt: string },
): Record<string, unknown> {
  switch (kind) {
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
    default:
      // The case opened at the previous visit, unless there was none or it is left unanswered.
      return visit === 0 || caseKind(customerIndex) === 'overdue-now'
        ? { ...envelope, type: 'EmailLogged', direction: 'inbound' }
        : {
            ...envelope,
            type: 'SupportCaseResolved',
            caseId: caseId(customerIndex, visit - 1),
            firstContact: index % 2 === 0,
          };
  }
}
