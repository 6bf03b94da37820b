import type { CrmEvent, CustomerProfile } from '@crm/domain';
import { createEventFactory, type EventFactory } from '@crm/domain/testing';
import type { ProjectedEvent } from '../projected-event';
import { deepFreeze, pick, type Random, randomInt } from './fold-equivalence';

const DAY_MS = 86_400_000;
const START_MS = Date.parse('2024-01-01T00:00:00.000Z');

/**
 * A messy customer stream: every event type, touchpoints before the
 * registration, a second registration, back-dated events, instants spelled
 * with an offset or without milliseconds, repeated orderIds, refunds before
 * (or without) their purchase, blank and unnormalised profile fields,
 * erasure, and redelivered events (a position already seen, later in the
 * list). Positions otherwise grow with gaps, as in a log shared by many
 * customers. Frozen.
 */
export function randomHistory(random: Random, length: number, customerId = 'c-1'): ProjectedEvent[] {
  const f = createEventFactory({ customerId, seed: randomInt(random, 1_000_000) });
  const events: ProjectedEvent[] = [];
  let position = randomInt(random, 50);
  const registerAt = random() < 0.8 ? 0 : randomInt(random, length);
  for (let index = 0; index < length; index++) {
    const previous = events[randomInt(random, events.length)];
    if (previous !== undefined && random() < 0.08) {
      events.push(previous);
      continue;
    }
    position += 1 + randomInt(random, 3);
    const event = index === registerAt ? registration(f, random) : randomEvent(f, random);
    events.push({ event, position });
  }
  return deepFreeze(events);
}

/**
 * One hand-written history with every case a fold must get right, named:
 * events before the registration, a second registration, back-dated
 * events, a repeated orderId, a refund before its purchase and one for an
 * unknown order, profile updates (one older than what is known, one
 * blank), NPS, CSAT and CES answers, every touchpoint type, erasure, an
 * offset spelling, and a redelivered event. Frozen.
 */
export function edgeCaseHistory(): ProjectedEvent[] {
  const f = createEventFactory({ customerId: 'edge' });
  const at = (occurredAt: string): Overrides => ({ occurredAt });
  const events: CrmEvent[] = [
    f.callLogged({ direction: 'inbound' }, at('2024-01-01T08:00:00.000Z')), // before registration
    f.customerRegistered(
      { kind: 'company', email: ' A@B.com ', segment: 'smb' },
      at('2024-01-02T09:00:00.000Z'),
    ),
    f.purchaseRefunded({ orderId: 'o-1', amount: 500 }, at('2024-01-03T09:00:00.000Z')), // before its purchase
    f.purchaseCompleted({ orderId: 'o-1', channel: 'store' }, at('2024-01-04T09:00:00.000Z')),
    f.purchaseCompleted({ orderId: 'o-1', channel: 'web', amount: 99 }, at('2024-01-05T09:00:00.000Z')),
    f.purchaseRefunded({ orderId: 'o-404', amount: 100 }, at('2024-01-05T10:00:00.000Z')),
    f.emailLogged({ direction: 'outbound' }, at('2024-01-06T09:00:00.000Z')),
    f.messageLogged({ channel: 'whatsapp', direction: 'inbound' }, at('2024-01-06T09:00:00.000Z')),
    f.meetingHeld({}, at('2024-01-07T09:00:00+02:00')),
    f.surveyAnswered({ surveyType: 'nps', score: 10 }, at('2024-01-08T09:00:00.000Z')),
    f.surveyAnswered({ surveyType: 'csat', score: 4 }, at('2024-01-08T10:00:00.000Z')),
    f.surveyAnswered({ surveyType: 'ces', score: 2 }, at('2024-01-08T11:00:00.000Z')),
    f.supportCaseOpened({ caseId: 'k-1' }, at('2024-01-09T09:00:00.000Z')),
    f.supportCaseResponded({ caseId: 'k-1' }, at('2024-01-09T10:00:00.000Z')),
    f.supportCaseResolved({ caseId: 'k-1', firstContact: true }, at('2024-01-09T11:00:00.000Z')),
    f.campaignInteraction({ action: 'sent' }, at('2024-01-10T09:00:00.000Z')),
    f.campaignInteraction({ action: 'converted' }, at('2024-01-10T10:00:00.000Z')),
    f.purchaseCompleted({ orderId: 'o-2', channel: 'app' }, at('2023-12-01T09:00:00.000Z')), // back-dated
    f.surveyAnswered({ surveyType: 'nps', score: 3 }, at('2023-12-02T09:00:00.000Z')), // back-dated
    f.profileUpdated({ segment: 'enterprise', phone: '+44 20 7946 0958' }, at('2024-01-11T09:00:00.000Z')),
    f.profileUpdated({ segment: 'retail' }, at('2023-06-01T09:00:00.000Z')), // older than what is known
    f.profileUpdated({ email: ' ' }, at('2024-01-12T09:00:00.000Z')), // blank clears
    f.customerRegistered({ kind: 'person', segment: 'other' }, at('2024-01-13T09:00:00.000Z')), // a second one
    f.consentChanged({ granted: false }, at('2024-01-14T09:00:00.000Z')),
    f.customerErased({}, at('2024-01-15T09:00:00.000Z')),
    f.surveyAnswered({ surveyType: 'nps', score: 9 }, at('2024-01-16T09:00:00.000Z')),
  ];
  const logged = events.map((event, index) => ({ event, position: 10 + 2 * index }));
  const redelivered = logged[9];
  return deepFreeze(redelivered === undefined ? logged : [...logged, redelivered]);
}

type Overrides = { occurredAt: string };

/**
 * Anywhere in a year, so later events are often back-dated; now and then one
 * of a few shared instants, so occurredAt ties (broken by log order) occur.
 * In one of three spellings the API or an import may store.
 */
function when(random: Random): Overrides {
  const ms =
    random() < 0.15
      ? START_MS + randomInt(random, 3) * DAY_MS
      : START_MS + randomInt(random, 400) * DAY_MS + randomInt(random, 4) * 3_600_000;
  const canonical = new Date(ms).toISOString();
  const spelling = random();
  if (spelling < 0.1) return { occurredAt: canonical.replace('.000Z', 'Z') };
  if (spelling < 0.2) return { occurredAt: withOffset(ms, 2) };
  return { occurredAt: canonical };
}

function withOffset(ms: number, hours: number): string {
  const local = new Date(ms + hours * 3_600_000).toISOString().slice(0, 19);
  return `${local}+0${hours}:00`;
}

function registration(f: EventFactory, random: Random): CrmEvent {
  const kind = random() < 0.3 ? 'company' : 'person';
  return f.customerRegistered({ kind, ...profile(random), name: 'Ada' }, when(random));
}

function profile(random: Random): CustomerProfile {
  const fields: { -readonly [K in keyof CustomerProfile]: CustomerProfile[K] } = {};
  if (random() < 0.5) fields.name = pick(random, ['Ada', ' ', 'Grace']);
  if (random() < 0.5) fields.email = pick(random, [' Ada@Example.COM ', 'grace@example.com', '']);
  if (random() < 0.5)
    fields.phone = pick(random, ['+44 20 7946 0958', '0049 (0)30 1234567', '020 7946', ' ']);
  if (random() < 0.5) fields.segment = pick(random, ['smb', ' enterprise ', '', 'retail']);
  return fields;
}

const ORDER_IDS = ['o-1', 'o-2', 'o-3', 'o-4', 'o-5'];
const CATEGORIES = ['books', 'toys', 'food', 'constructor', 'Books'];

function randomEvent(f: EventFactory, random: Random): CrmEvent {
  const at = when(random);
  const direction = pick(random, ['inbound', 'outbound'] as const);
  switch (randomInt(random, 17)) {
    case 0:
      return registration(f, random);
    case 1:
      return f.profileUpdated(profile(random), at);
    case 2:
      return f.consentChanged({ granted: random() < 0.5 }, at);
    case 3:
      return random() < 0.5 ? f.customerErased({}, at) : f.callLogged({ direction }, at);
    case 4:
      return f.callLogged({ direction, outcome: pick(random, ['connected', 'no_answer'] as const) }, at);
    case 5:
      return f.emailLogged({ direction }, at);
    case 6: {
      const channel = pick(random, ['chat', 'sms', 'whatsapp', 'social'] as const);
      return f.messageLogged({ channel, direction }, at);
    }
    case 7:
      return f.meetingHeld({}, at);
    case 8:
    case 9:
      return purchase(f, random, at);
    case 10:
      return f.purchaseRefunded(
        { orderId: pick(random, ORDER_IDS), amount: 100 + randomInt(random, 900) },
        at,
      );
    case 11:
    case 12:
      return survey(f, random, at);
    case 13:
      return f.supportCaseOpened({ caseId: pick(random, ['k-1', 'k-2']) }, at);
    case 14:
      return f.supportCaseResponded({ caseId: 'k-1' }, at);
    case 15:
      return f.supportCaseResolved({ caseId: 'k-1', firstContact: random() < 0.5 }, at);
    default: {
      const action = pick(random, ['sent', 'opened', 'clicked', 'converted'] as const);
      return f.campaignInteraction({ action }, at);
    }
  }
}

function purchase(f: EventFactory, random: Random, at: Overrides): CrmEvent {
  const items = Array.from({ length: randomInt(random, 3) }, () => ({
    sku: 'sku',
    category: pick(random, CATEGORIES),
    quantity: 1 + randomInt(random, 3),
    unitAmount: randomInt(random, 3) * 1_000,
  }));
  const channel = pick(random, ['web', 'store', 'phone', 'app'] as const);
  const orderId = pick(random, ORDER_IDS);
  return f.purchaseCompleted({ orderId, amount: 1_000 + randomInt(random, 9_000), channel, items }, at);
}

function survey(f: EventFactory, random: Random, at: Overrides): CrmEvent {
  const surveyType = pick(random, ['nps', 'nps', 'csat', 'ces'] as const);
  const top = { nps: 10, csat: 5, ces: 7 }[surveyType];
  const lowest = surveyType === 'nps' ? 0 : 1;
  return f.surveyAnswered({ surveyType, score: lowest + randomInt(random, top - lowest + 1) }, at);
}
