import type { CrmEvent } from '@crm/domain';
import { createEventFactory } from '@crm/domain/testing';
import { type Random, randomInt, seededRandom } from '../../shared/testing/fold-equivalence';
import type { ProjectedEvent } from '../../shared/projected-event';

const DAY_MS = 86_400_000;
const START_MS = Date.parse('2023-01-01T00:00:00.000Z');
/** Registrations spread over this many days; each history runs on for up to a year after. */
const REGISTRATION_DAYS = 730;

export type ScaleCustomer = { readonly customerId: string; readonly events: readonly ProjectedEvent[] };

/**
 * A population shaped like a live CRM's, for measuring the rank queries at
 * scale: one customer in five never buys; the others buy 1–30 times over a
 * year, amounts spread over four orders of magnitude (so netRevenue values
 * rarely tie), one purchase in six partly or fully refunded, between
 * touchpoints of every kind on many distinct days (documents of realistic
 * size). Positions grow across customers as `firstPosition` onwards, each
 * customer's events contiguous. Deterministic for a seed.
 */
export function* scalePopulation(
  customers: number,
  seed = 1,
  firstPosition = 1,
): Generator<ScaleCustomer, void, undefined> {
  const random = seededRandom(seed);
  let position = firstPosition;
  for (let index = 0; index < customers; index++) {
    const customerId = `scale-${index}`;
    const events = historyOf(customerId, index, random).map((event) => ({ event, position: position++ }));
    yield { customerId, events };
  }
}

function historyOf(customerId: string, index: number, random: Random): CrmEvent[] {
  const f = createEventFactory({ customerId, seed: index });
  const registeredMs = START_MS + randomInt(random, REGISTRATION_DAYS) * DAY_MS + randomInt(random, DAY_MS);
  const at = (ms: number) => ({ occurredAt: new Date(ms).toISOString() });
  const events: CrmEvent[] = [
    f.customerRegistered({ email: `c${index}@example.com`, segment: 'retail' }, at(registeredMs)),
  ];
  const purchases = random() < 0.2 ? 0 : 1 + randomInt(random, 30);
  const touchpoints = 10 + randomInt(random, 40);
  const spanMs = (1 + randomInt(random, 365)) * DAY_MS;
  const when = () => registeredMs + 1 + randomInt(random, spanMs);
  for (let order = 0; order < purchases; order++) {
    const amount = Math.round(100 * 10 ** (random() * 4)) + randomInt(random, 100);
    const orderId = `${customerId}-o${order}`;
    const boughtMs = when();
    events.push(f.purchaseCompleted({ orderId, amount }, at(boughtMs)));
    if (random() < 1 / 6) {
      const refund = random() < 0.5 ? amount : 1 + randomInt(random, amount);
      events.push(
        f.purchaseRefunded({ orderId, amount: refund }, at(boughtMs + randomInt(random, 30 * DAY_MS))),
      );
    }
  }
  for (let touch = 0; touch < touchpoints; touch++) events.push(touchpoint(f, random, at(when())));
  return events;
}

type Factory = ReturnType<typeof createEventFactory>;

function touchpoint(f: Factory, random: Random, at: { occurredAt: string }): CrmEvent {
  switch (randomInt(random, 6)) {
    case 0:
      return f.callLogged({}, at);
    case 1:
      return f.emailLogged({ direction: random() < 0.5 ? 'inbound' : 'outbound' }, at);
    case 2:
      return f.messageLogged({ channel: 'chat' }, at);
    case 3:
      return f.surveyAnswered({ surveyType: 'nps', score: randomInt(random, 11) }, at);
    case 4:
      return f.surveyAnswered({ surveyType: 'csat', score: 1 + randomInt(random, 5) }, at);
    default:
      return f.campaignInteraction({ action: 'opened' }, at);
  }
}
