import { CUSTOMER_STREAM_PREFIX, customerStreamId, toCrmEvent } from '@crm/domain';
import type { EventStore, RecordedEvent } from '@crm/event-store';
import type { CustomerEvent } from '../../runner/projection';

/**
 * Where a rebuild by customer stands: it builds the documents of the
 * customers registered up to `after` (a log position), from their events up
 * to `head`, the log's head when it started.
 */
export type ByCustomerCursor = { readonly head: number; readonly after: number };

export type CustomersPage = {
  readonly customers: string[];
  readonly next: ByCustomerCursor;
  /** No registration at or below the head is left. */
  readonly done: boolean;
};

const STREAM_PAGE = 1000;

/**
 * The next customers to rebuild: the streams of the next registrations in
 * log order. A customer's documents start at their registration (evolve
 * ignores anything before it), so these are all the customers a rebuild up
 * to `head` has to build. A second registration in a stream names the
 * customer again; rebuilding them twice changes nothing (positions guard).
 */
export async function nextCustomers(
  events: EventStore,
  cursor: ByCustomerCursor,
  limit: number,
): Promise<CustomersPage> {
  const page = await events.readAll({
    after: cursor.after,
    limit,
    types: ['CustomerRegistered'],
    streamPrefix: CUSTOMER_STREAM_PREFIX,
  });
  const within = page.filter((recorded) => recorded.position <= cursor.head);
  const last = within[within.length - 1];
  const done = within.length < limit || (last?.position ?? cursor.head) >= cursor.head;
  return {
    customers: within.map(customerIdOf),
    next: { head: cursor.head, after: done ? cursor.head : (last?.position ?? cursor.head) },
    done,
  };
}

/** A customer's events up to `head`, a page at a time, in log order. */
export async function* customerEventsUpTo(
  events: EventStore,
  customerId: string,
  head: number,
): AsyncGenerator<CustomerEvent[]> {
  for (let fromRevision = 0; ;) {
    const page = await events.readStream(customerStreamId(customerId), { fromRevision, limit: STREAM_PAGE });
    const within = page.filter((recorded) => recorded.position <= head);
    if (within.length > 0) yield within.map(toCustomerEvent);
    const last = page[page.length - 1];
    if (last === undefined || within.length < page.length || page.length < STREAM_PAGE) return;
    fromRevision = last.revision + 1;
  }
}

export function isCustomerEvent(recorded: RecordedEvent): boolean {
  return recorded.streamId.startsWith(CUSTOMER_STREAM_PREFIX);
}

export function toCustomerEvent(recorded: RecordedEvent): CustomerEvent {
  return { customerId: customerIdOf(recorded), event: toCrmEvent(recorded), position: recorded.position };
}

function customerIdOf(recorded: RecordedEvent): string {
  return recorded.streamId.slice(CUSTOMER_STREAM_PREFIX.length);
}

/**
 * Which of `count` shares a customer belongs to: FNV-1a of the id, so every
 * thread of a parallel rebuild agrees without talking, and the shares come
 * out even whatever the ids look like.
 */
export function shareOf(customerId: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < customerId.length; i++) {
    hash ^= customerId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % count;
}
