import type { CrmEvent } from '@crm/domain';
import { createEventFactory, type EventFactory } from '@crm/domain/testing';
import type { ProjectedEvent } from '../../shared/projected-event';
import { type Random, seededRandom } from '../../shared/testing/fold-equivalence';

export { seededRandom };

/** Unlike the shared pick, an item may itself be undefined (an absent optional field). */
function pick<T>(random: Random, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('pick from an empty list');
  return items[Math.floor(random() * items.length)] as T;
}

const DAY_MS = 86_400_000;
const YEAR_START = Date.parse('2024-01-01T00:00:00.000Z');
/** Instants that are not canonical as logged: an offset, and extended years (±YYYYYY), which sort wrongly as strings. */
const ODD_INSTANTS = [
  '2024-03-05T10:00:00+02:00',
  '2024-06-01T00:00:00Z',
  '-000001-06-01T00:00:00.000Z',
  '+010000-01-01T00:00:00.000Z',
];

/**
 * A deliberately messy customer stream, the kind imports and redelivery
 * produce and the decider would partly forbid: touchpoints before the
 * registration, back-dated and tied occurredAt, repeated orderIds, refunds
 * before (or without) their purchase, repeated support milestones, blank
 * profile fields, other consent purposes, a second registration, an erasure,
 * survey requests answered never, once, twice or before they were asked, SLA
 * breaches of cases opened earlier, later or never, and events delivered again at or below positions already seen. Positions
 * grow with gaps, as a customer's events do in the global log.
 */
export function randomHistory(seed: number, length: number): ProjectedEvent[] {
  const random = seededRandom(seed);
  const f = createEventFactory({ customerId: `random-${seed}`, seed });
  const instants: string[] = [];
  const occurredAt = (): string => {
    const roll = random();
    if (roll < 0.1 && instants.length > 0) return pick(random, instants);
    if (roll < 0.13) return pick(random, ODD_INSTANTS);
    const instant = new Date(YEAR_START + Math.floor(random() * 365 * DAY_MS)).toISOString();
    instants.push(instant);
    return instant;
  };
  const events: CrmEvent[] = [];
  if (random() < 0.3) events.push(randomEvent(f, random, occurredAt()));
  events.push(f.customerRegistered(registrationData(random), { occurredAt: occurredAt() }));
  while (events.length < length) events.push(randomEvent(f, random, occurredAt()));
  return withPositions(events, random);
}

function withPositions(events: readonly CrmEvent[], random: Random): ProjectedEvent[] {
  const projected: ProjectedEvent[] = [];
  let position = Math.floor(random() * 100);
  for (const event of events) {
    const earlier = projected[Math.floor(random() * projected.length)];
    if (earlier !== undefined && random() < 0.05) projected.push(earlier);
    position += 1 + Math.floor(random() * 3);
    projected.push({ event, position });
  }
  return projected;
}

function registrationData(random: Random) {
  return {
    kind: pick(random, ['person', 'company'] as const),
    email: pick(random, ['ada@example.test', '  ', undefined]),
    phone: pick(random, ['+441234567890', undefined]),
    segment: pick(random, [' smb ', 'enterprise', '', undefined]),
  };
}

const ORDERS = ['o-1', 'o-2', 'o-3', 'o-4', 'o-5'];
const CASES = ['c-1', 'c-2', 'c-3'];
const REQUESTS = ['r-1', 'r-2', 'r-3'];

function randomEvent(f: EventFactory, random: Random, occurredAt: string): CrmEvent {
  const at = { occurredAt };
  const direction = pick(random, ['inbound', 'outbound'] as const);
  const builders: (() => CrmEvent)[] = [
    () => f.customerRegistered(registrationData(random), at),
    () => f.customerErased({}, at),
    () => f.profileUpdated(profileUpdate(random), at),
    () =>
      f.consentChanged(
        { purpose: pick(random, ['marketing_email', 'profiling']), granted: random() < 0.5 },
        at,
      ),
    () => f.callLogged({ direction }, at),
    () => f.emailLogged({ direction }, at),
    () =>
      f.messageLogged(
        { direction, channel: pick(random, ['chat', 'sms', 'whatsapp', 'social'] as const) },
        at,
      ),
    () => f.meetingHeld({}, at),
    () =>
      f.campaignInteraction(
        { action: pick(random, ['sent', 'opened', 'clicked', 'converted'] as const) },
        at,
      ),
    () => purchase(f, random, at),
    () => purchase(f, random, at),
    () => f.purchaseRefunded({ orderId: pick(random, ORDERS), amount: 100 + Math.floor(random() * 900) }, at),
    () => f.purchaseRefunded({ orderId: pick(random, ORDERS), amount: 100 }, at),
    () => survey(f, random, at),
    () => f.surveyRequested({ requestId: pick(random, REQUESTS) }, at),
    () => f.surveyAnswered({ requestId: pick(random, REQUESTS), surveyType: 'csat', score: 4 }, at),
    () => f.supportCaseOpened({ caseId: pick(random, CASES) }, at),
    () => f.supportCaseResponded({ caseId: pick(random, CASES) }, at),
    () => f.supportCaseResolved({ caseId: pick(random, CASES), firstContact: random() < 0.5 }, at),
    () => f.supportCaseSlaBreached({ caseId: pick(random, CASES), dueAt: at.occurredAt }, at),
  ];
  return pick(random, builders)();
}

function profileUpdate(random: Random) {
  return {
    ...(random() < 0.5 ? { name: pick(random, ['Ada', ' ']) } : {}),
    ...(random() < 0.5 ? { email: pick(random, ['ada@example.test', '']) } : {}),
    ...(random() < 0.5 ? { phone: pick(random, ['+441234567890', ' ']) } : {}),
    ...(random() < 0.5 ? { segment: pick(random, ['retail', ' vip ', '']) } : {}),
  };
}

function purchase(f: EventFactory, random: Random, at: { occurredAt: string }): CrmEvent {
  const channel = pick(random, ['web', 'store', 'phone', 'app'] as const);
  return f.purchaseCompleted(
    { orderId: pick(random, ORDERS), amount: 1_000 + Math.floor(random() * 9_000), channel },
    at,
  );
}

function survey(f: EventFactory, random: Random, at: { occurredAt: string }): CrmEvent {
  const surveyType = pick(random, ['nps', 'csat', 'ces'] as const);
  const max = { nps: 10, csat: 5, ces: 7 }[surveyType];
  const min = surveyType === 'nps' ? 0 : 1;
  return f.surveyAnswered({ surveyType, score: min + Math.floor(random() * (max - min + 1)) }, at);
}
