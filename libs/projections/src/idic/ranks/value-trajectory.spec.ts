import { createEventFactory } from '@crm/domain/testing';
import { DAY_MS, epochMs } from '../../shared/instant';
import type { ProjectedEvent } from '../../shared/projected-event';
import { seededRandom } from '../../shared/testing/fold-equivalence';
import { inLogOrder } from '../../shared/testing/projection-log.fixture';
import { edgeCaseHistory, randomHistory } from '../../shared/testing/random-history';
import { foldIdic } from '../idic.projection';
import { type RankedValues, type TrajectoryStep, valueTrajectory } from './value-trajectory';

/** The document as of the start of `day`: the customer's events that occurred before it, folded. */
function foldedAsOf(events: readonly ProjectedEvent[], day: number): RankedValues | null {
  const counted = events.filter((e) => epochMs(e.event.occurredAt) < day * DAY_MS);
  const doc = foldIdic(null, counted);
  if (doc === null || doc.orders === 0 || doc.lastPurchaseAt === null) return null;
  return { netRevenue: doc.netRevenue, orders: doc.orders, lastPurchaseMs: epochMs(doc.lastPurchaseAt) };
}

function valuesOn(steps: readonly TrajectoryStep[], day: number): RankedValues | null {
  let values: RankedValues | null = null;
  for (const step of steps) if (step.day < day) values = step.values;
  return values;
}

/** The days around every fact (where the values can change), and one before them all. */
function daysAround(events: readonly ProjectedEvent[]): number[] {
  const days = events.map((e) => Math.floor(epochMs(e.event.occurredAt) / DAY_MS));
  const around = days.flatMap((day) => [day, day + 1, day + 2]);
  return [...new Set([Math.min(...days) - 1, ...around])].sort((x, y) => x - y);
}

function expectTrajectoryMatchesFolds(events: readonly ProjectedEvent[], label: string): void {
  const doc = foldIdic(null, events);
  if (doc === null) return;
  const steps = valueTrajectory(doc.facts);
  for (const day of daysAround(events)) {
    expect({ label, day, values: valuesOn(steps, day) }).toEqual({
      label,
      day,
      values: foldedAsOf(events, day),
    });
  }
}

describe('valueTrajectory', () => {
  it('gives, for every day, the values of the events that occurred before it, on messy histories', () => {
    const random = seededRandom(41);
    for (let run = 0; run < 120; run++) {
      expectTrajectoryMatchesFolds(randomHistory(random, 1 + Math.floor(random() * 50)), `history ${run}`);
    }
  });

  it('handles every edge case of the hand-written history', () => {
    expectTrajectoryMatchesFolds(edgeCaseHistory(), 'edge cases');
  });

  it('steps only on the days the values change', () => {
    const f = createEventFactory();
    const at = (occurredAt: string) => ({ occurredAt });
    const doc = foldIdic(
      null,
      inLogOrder([
        f.customerRegistered({}, at('2024-01-01T09:00:00.000Z')),
        f.purchaseCompleted({ orderId: 'o-1', amount: 1_000 }, at('2024-01-03T10:00:00.000Z')),
        f.callLogged({}, at('2024-01-04T10:00:00.000Z')),
        f.purchaseRefunded({ orderId: 'o-1', amount: 400 }, at('2024-01-05T00:00:00.000Z')),
      ]),
    );
    const day = (instant: string) => Math.floor(Date.parse(instant) / DAY_MS);
    const threeJan = Date.parse('2024-01-03T10:00:00.000Z');
    expect(
      valueTrajectory(doc?.facts ?? { orders: [], registrations: [], repeatedOrders: [], refunds: [] }),
    ).toEqual([
      {
        day: day('2024-01-03T00:00:00Z'),
        values: { netRevenue: 1_000, orders: 1, lastPurchaseMs: threeJan },
      },
      { day: day('2024-01-05T00:00:00Z'), values: { netRevenue: 600, orders: 1, lastPurchaseMs: threeJan } },
    ]);
  });

  it('starts as of each day at the first registration logged that occurred before it', () => {
    const f = createEventFactory();
    const at = (occurredAt: string) => ({ occurredAt });
    const events = inLogOrder([
      f.customerRegistered({}, at('2024-03-01T09:00:00.000Z')),
      f.purchaseCompleted({ orderId: 'o-1', amount: 500 }, at('2024-01-10T09:00:00.000Z')),
      // A second registration, back-dated: before March it is the one, and o-1 is logged before it.
      f.customerRegistered({}, at('2024-01-01T09:00:00.000Z')),
      f.purchaseCompleted({ orderId: 'o-2', amount: 700 }, at('2024-01-20T09:00:00.000Z')),
      // A repeated orderId, back-dated: it counts while the first recorded o-1 does not yet.
      f.purchaseCompleted({ orderId: 'o-1', amount: 900 }, at('2024-01-05T09:00:00.000Z')),
    ]);
    expectTrajectoryMatchesFolds(events, 'registrations and a repeated order');
  });
});
