import { randomUUID } from 'node:crypto';
import type { EventStore, EventToAppend, RecordedEvent } from '../../event-store.port';

export type StoreGetter = () => EventStore;

/** A stream no other test (or other run against a shared server) can touch. */
export function newStreamId(label = 'contract'): string {
  return `${label}-${randomUUID()}`;
}

export function newEvent(overrides: Partial<EventToAppend> = {}): EventToAppend {
  return {
    eventId: randomUUID(),
    type: 'ContractEventHappened',
    version: 1,
    occurredAt: '2024-05-01T12:00:00.000Z',
    data: { note: 'hello', nested: { count: 1 }, list: [1, 'two'] },
    metadata: { correlationId: randomUUID(), causationId: null, actor: 'contract', source: 'test' },
    ...overrides,
  };
}

export function newEvents(count: number, overrides: Partial<EventToAppend> = {}): EventToAppend[] {
  return Array.from({ length: count }, () => newEvent(overrides));
}

/** The error a promise rejects with; fails the test if it fulfils. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject, but it fulfilled');
}

export function eventIds(events: readonly RecordedEvent[]): string[] {
  return events.map((event) => event.eventId);
}

/** Pulls `count` items, failing instead of hanging when they do not come. */
export async function take<T>(iterator: AsyncIterator<T>, count: number, timeoutMs = 3000): Promise<T[]> {
  const items: T[] = [];
  while (items.length < count) {
    const next = await within(iterator.next(), timeoutMs, `item ${items.length + 1} of ${count}`);
    if (next.done) throw new Error(`The iterator ended after ${items.length} of ${count} items`);
    items.push(next.value);
  }
  return items;
}

export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function isStrictlyIncreasing(values: readonly number[]): boolean {
  return values.every((value, index) => index === 0 || value > (values[index - 1] ?? Infinity));
}
