import type { OrderChannelLookup, PurchaseChannel, PurchaseCompleted } from '@crm/domain';
import { type EventRef, insertByRef, sortedByRef } from './event-ref';

/**
 * One distinct order. Kept as a list, not a record keyed by orderId: ids are
 * client data and must not collide with prototype keys once stored as JSON.
 */
export type OrderFact = EventRef & {
  readonly orderId: string;
  readonly channel: PurchaseChannel;
};

export function hasOrder(orders: readonly OrderFact[], orderId: string): boolean {
  return orders.some((order) => order.orderId === orderId);
}

/**
 * Adds the order in history order. A repeated orderId is ignored: the
 * decider rejects it, and for anything imported the first recorded purchase
 * wins, exactly as the domain's own evolve does.
 */
export function withOrder(
  orders: readonly OrderFact[],
  event: PurchaseCompleted,
  at: EventRef,
): readonly OrderFact[] {
  if (hasOrder(orders, event.data.orderId)) return orders;
  return sortedByRef([...orders, { ...at, orderId: event.data.orderId, channel: event.data.channel }]);
}

/**
 * withOrder for a list the caller owns (a fold's working copy, already in
 * history order): adds the order in place. Returns false for a repeated
 * orderId, which changes nothing.
 */
export function addOrder(orders: OrderFact[], event: PurchaseCompleted, at: EventRef): boolean {
  if (hasOrder(orders, event.data.orderId)) return false;
  const { orderId, channel } = event.data;
  insertByRef(orders, { occurredAt: at.occurredAt, position: at.position, orderId, channel });
  return true;
}

/** Refunds count under the channel of the purchase they refund (domain.md). */
export function orderChannelLookup(orders: readonly OrderFact[]): OrderChannelLookup {
  return (orderId) => orders.find((order) => order.orderId === orderId)?.channel;
}
