import { seededRandom } from './fold-equivalence';
import { edgeCaseHistory, randomHistory } from './random-history';

describe('generated histories for the fold specs', () => {
  const random = seededRandom(7);
  const histories = Array.from({ length: 150 }, () => randomHistory(random, 1 + Math.floor(random() * 60)));
  const count = (test: (events: ReturnType<typeof randomHistory>) => boolean) =>
    histories.filter(test).length;

  it('hold every event type', () => {
    const types = new Set(histories.flatMap((events) => events.map((e) => e.event.type)));
    expect(types.size).toBe(15);
  });

  it('often hold the cases a fold must get right', () => {
    const cases = {
      redelivered: count((events) => events.some((e, i) => events.indexOf(e) !== i)),
      beforeRegistration: count(
        (events) => events.findIndex((e) => e.event.type === 'CustomerRegistered') > 0,
      ),
      secondRegistration: count(
        (events) => events.filter((e) => e.event.type === 'CustomerRegistered').length > 1,
      ),
      backDated: count((events) =>
        events.some((e, i) => i > 0 && e.event.occurredAt < events[i - 1]!.event.occurredAt),
      ),
      repeatedOrder: count((events) => {
        const ids = events.flatMap((e) =>
          e.event.type === 'PurchaseCompleted' ? [e.event.data.orderId] : [],
        );
        return new Set(ids).size < ids.length;
      }),
      refundFirst: count((events) => {
        const refund = events.findIndex((e) => e.event.type === 'PurchaseRefunded');
        const purchase = events.findIndex((e) => e.event.type === 'PurchaseCompleted');
        return refund >= 0 && (purchase < 0 || refund < purchase);
      }),
      erased: count((events) => events.some((e) => e.event.type === 'CustomerErased')),
      offsetSpelling: count((events) => events.some((e) => e.event.occurredAt.endsWith('+02:00'))),
    };
    for (const [name, histories] of Object.entries(cases))
      expect([name, histories > 10]).toEqual([name, true]);
  });

  it('include a hand-written history of every case, with a redelivery', () => {
    const events = edgeCaseHistory();
    expect(new Set(events.map((e) => e.event.type)).size).toBe(15);
    expect(events[events.length - 1]).toBe(events[9]);
  });
});
