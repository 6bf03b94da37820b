import type { CrmEvent } from '@crm/domain';
import { createEventFactory } from '@crm/domain/testing';
import { InMemoryUnits } from '../campaigns/testing/in-memory-units';
import { combineHistories } from '../merge/merged-history';
import type { CustomerEvent } from '../runner/projection';
import { monthId, monthIndex, monthOfId } from './cohort-counters';
import {
  COHORT_COUNTERS_COLLECTION,
  PURCHASE_HISTORY_COLLECTION,
  type PurchaseHistoryDocument,
} from './purchase-history.document';
import { purchaseHistoryProjection } from './purchase-history.projection';

class Log {
  private position = 0;
  readonly events: CustomerEvent[] = [];

  add(customerId: string, ...events: CrmEvent[]): CustomerEvent[] {
    const added = events.map((event) => ({ event, position: ++this.position, customerId }));
    this.events.push(...added);
    return added;
  }
}

const at = (occurredAt: string) => ({ occurredAt });

function customer(customerId: string, seed: number) {
  const f = createEventFactory({ customerId, seed, startAt: '2025-01-01T00:00:00.000Z' });
  return {
    f,
    registered: () => f.customerRegistered({}, at('2025-01-01T00:00:00.000Z')),
    purchase: (orderId: string, amount: number, when: string) =>
      f.purchaseCompleted({ orderId, amount }, at(when)),
    refund: (orderId: string, amount: number, when: string) =>
      f.purchaseRefunded({ orderId, amount }, at(when)),
  };
}

async function projected(
  events: readonly CustomerEvent[],
  batchSize = events.length,
): Promise<InMemoryUnits> {
  const units = new InMemoryUnits(purchaseHistoryProjection);
  for (let i = 0; i < events.length; i += batchSize) await units.apply(events.slice(i, i + batchSize));
  return units;
}

describe('month ids', () => {
  it('round-trip and order as strings', () => {
    expect(monthId(monthIndex(Date.parse('2024-12-31T23:59:59.999Z')))).toBe('2024-12');
    expect(monthId(monthIndex(Date.parse('2025-01-01T00:00:00.000Z')))).toBe('2025-01');
    expect(monthOfId('2025-01') - monthOfId('2024-12')).toBe(1);
  });
});

describe('the customer-portfolio projection', () => {
  const log = new Log();
  const a = customer('a', 1);
  const b = customer('b', 2);
  log.add('a', a.registered(), a.purchase('o1', 1000, '2025-01-05T10:00:00.000Z'));
  log.add('b', b.registered(), b.purchase('o2', 500, '2025-01-20T10:00:00.000Z'));
  log.add(
    'a',
    a.purchase('o3', 700, '2025-03-02T10:00:00.000Z'),
    a.refund('o1', 200, '2025-03-04T10:00:00.000Z'),
  );
  // History recorded late: b's purchase in February comes after a's March in the log.
  log.add(
    'b',
    b.purchase('o4', 300, '2025-02-11T10:00:00.000Z'),
    b.purchase('o4', 999, '2025-02-12T10:00:00.000Z'),
  );

  it('keeps distinct orders in occurredAt order and refunds beside them', async () => {
    const units = await projected(log.events);
    const docs = units.all<PurchaseHistoryDocument & { position: number }>(PURCHASE_HISTORY_COLLECTION);
    const bDoc = docs.find((doc) => doc.id === 'b');
    expect(bDoc?.purchases.map((p) => [p.orderId, p.amount])).toEqual([
      ['o2', 500],
      ['o4', 300],
    ]);
    const aDoc = docs.find((doc) => doc.id === 'a');
    expect(aDoc?.refunds).toEqual([
      { orderId: 'o1', at: Date.parse('2025-03-04T10:00:00.000Z'), amount: 200 },
    ]);
  });

  it('counts each customer in the cohort of their first purchase month, once per month with a purchase', async () => {
    const units = await projected(log.events);
    expect(units.sets(COHORT_COUNTERS_COLLECTION)).toEqual({
      '2025-01': { size: 2, 'k:0': 2, 'k:1': 1, 'k:2': 1 },
    });
  });

  it('adds nothing on replay and gives the same counters one event at a time', async () => {
    const whole = await projected(log.events);
    await whole.apply(log.events);
    const oneByOne = await projected(log.events, 1);
    expect(whole.sets(COHORT_COUNTERS_COLLECTION)).toEqual(oneByOne.sets(COHORT_COUNTERS_COLLECTION));
    expect(whole.all(PURCHASE_HISTORY_COLLECTION)).toEqual(oneByOne.all(PURCHASE_HISTORY_COLLECTION));
  });

  it('moves a customer to an earlier cohort when older history arrives', async () => {
    const late = new Log();
    const c = customer('c', 3);
    late.add('c', c.registered(), c.purchase('o1', 100, '2025-05-01T00:00:00.000Z'));
    const units = await projected(late.events);
    await units.apply(late.add('c', c.purchase('o0', 100, '2025-03-31T23:00:00.000Z')));
    expect(units.sets(COHORT_COUNTERS_COLLECTION)).toEqual({ '2025-03': { size: 1, 'k:0': 1, 'k:2': 1 } });
  });

  it('retracts a customer from the counters (a dead letter rebuilt from nothing)', async () => {
    const units = await projected(log.events);
    await units.retract(['b']);
    expect(units.sets(COHORT_COUNTERS_COLLECTION)).toEqual({ '2025-01': { size: 1, 'k:0': 1, 'k:2': 1 } });
  });

  it('counts a merged pair as one customer of the earlier cohort', async () => {
    const merged = new Log();
    const s = customer('s', 4);
    const m = customer('m', 5);
    const survivorOwn = merged.add('s', s.registered(), s.purchase('os', 100, '2025-04-10T00:00:00.000Z'));
    const mergedOwn = merged.add('m', m.registered(), m.purchase('om', 100, '2025-02-10T00:00:00.000Z'));
    const units = await projected(merged.events);
    expect(units.sets(COHORT_COUNTERS_COLLECTION)).toEqual({
      '2025-02': { size: 1, 'k:0': 1 },
      '2025-04': { size: 1, 'k:0': 1 },
    });
    const merge = { survivorId: 's', mergedId: 'm' };
    const [mergedSide] = merged.add('m', m.f.customersMerged(merge, at('2025-05-01T00:00:00.000Z')));
    const [survivorSide] = merged.add('s', s.f.customersMerged(merge, at('2025-05-01T00:00:00.000Z')));
    const history = combineHistories([...survivorOwn, survivorSide!], [[...mergedOwn, mergedSide!]]);
    await units.apply([mergedSide!, { ...survivorSide!, mergedHistory: history }]);
    expect(units.sets(COHORT_COUNTERS_COLLECTION)).toEqual({ '2025-02': { size: 1, 'k:0': 1, 'k:2': 1 } });
    expect(units.all(PURCHASE_HISTORY_COLLECTION).map((doc) => doc.id)).toEqual(['s']);
  });

  it('marks an erased customer and keeps their anonymous figures', async () => {
    const units = await projected(log.events);
    const before = units.sets(COHORT_COUNTERS_COLLECTION);
    await units.apply(log.add('b', b.f.customerErased({ reason: 'gdpr-art-17' })).map((e) => e));
    expect(units.sets(COHORT_COUNTERS_COLLECTION)).toEqual(before);
    const bDoc = units
      .all<PurchaseHistoryDocument & { position: number }>(PURCHASE_HISTORY_COLLECTION)
      .find((d) => d.id === 'b');
    expect(bDoc?.erased).toBe(true);
  });
});
