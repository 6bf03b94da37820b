import { createEventFactory } from '@crm/domain/testing';
import { addOrder, type OrderFact, orderChannelLookup, withOrder } from './order-fact';

describe('order facts', () => {
  const f = createEventFactory();
  const JAN = { occurredAt: '2024-01-01T00:00:00.000Z', position: 7 };
  const FEB = { occurredAt: '2024-02-01T00:00:00.000Z', position: 3 };

  it('keep distinct orders in history order', () => {
    const orders = withOrder(
      withOrder([], f.purchaseCompleted({ orderId: 'b' }), FEB),
      f.purchaseCompleted({ orderId: 'a' }),
      JAN,
    );
    expect(orders.map((order) => order.orderId)).toEqual(['a', 'b']);
  });

  it('keep the first recorded purchase of a repeated orderId', () => {
    const once = withOrder([], f.purchaseCompleted({ orderId: 'a', channel: 'store' }), FEB);
    expect(withOrder(once, f.purchaseCompleted({ orderId: 'a', channel: 'web' }), JAN)).toBe(once);
  });

  it('look up the channel an order was placed through', () => {
    const lookup = orderChannelLookup(
      withOrder([], f.purchaseCompleted({ orderId: 'a', channel: 'app' }), JAN),
    );
    expect([lookup('a'), lookup('z')]).toEqual(['app', undefined]);
  });

  it('add an order in place, in history order, like withOrder', () => {
    const orders: OrderFact[] = [...withOrder([], f.purchaseCompleted({ orderId: 'b' }), FEB)];
    expect(addOrder(orders, f.purchaseCompleted({ orderId: 'a' }), JAN)).toBe(true);
    expect(addOrder(orders, f.purchaseCompleted({ orderId: 'b', channel: 'app' }), JAN)).toBe(false);
    expect(orders.map((order) => [order.orderId, order.channel])).toEqual([
      ['a', 'web'],
      ['b', 'web'],
    ]);
  });
});
