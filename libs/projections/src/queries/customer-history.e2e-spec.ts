import { customerStreamId } from '@crm/domain';
import { createEventFactory } from '@crm/domain/testing';
import { SqliteEventStore } from '@crm/event-store';
import { Slicer } from '@crm/platform/slicing';
import { customerHistory } from './customer-history';

/** One customer with a long stream: a registration and 1,200 calls (two pages), a day apart. */
describe('customerHistory', () => {
  const ada = createEventFactory({ customerId: 'ada', seed: 1 });
  const calls = 1200;
  let events: SqliteEventStore;

  beforeAll(async () => {
    events = await SqliteEventStore.open({ file: ':memory:' });
    const day = (n: number) => new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString();
    await events.append(customerStreamId('ada'), [
      ada.customerRegistered({}, { occurredAt: day(0) }),
      ...Array.from({ length: calls }, (_, n) => ada.callLogged({}, { occurredAt: day(n + 1) })),
    ]);
  });
  afterAll(() => events.close());

  it('folds the same journey and timeline whether it yields at every event or never', async () => {
    const sliced = await customerHistory(events, 'ada', {}, new Slicer({ sliceMs: 0 }));
    const whole = await customerHistory(events, 'ada', {}, new Slicer({ sliceMs: 1e9 }));

    expect(sliced?.timeline).toHaveLength(calls);
    expect(sliced).toEqual(whole);
  });

  it('lets what waits on the event loop run while it folds a long stream', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('next turn'));

    await customerHistory(events, 'ada', {}, new Slicer({ sliceMs: 0 }));
    order.push('history done');

    expect(order).toEqual(['next turn', 'history done']);
  });
});
