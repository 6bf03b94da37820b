import type { EventToAppend } from '../event-store.port';
import { InvalidAppendError } from '../event-store.errors';
import { validateAppend } from './kurrent-append.validation';
import { claimStreamOf } from './kurrent-event-id-claims';

const event = (overrides: Partial<EventToAppend> = {}): EventToAppend => ({
  eventId: '3F2C1A9E-8D4B-4C2A-9F1E-0B7D6C5A4E3F',
  type: 'T',
  version: 1,
  occurredAt: '2024-01-01T00:00:00.000Z',
  data: { a: 1, skipped: undefined },
  metadata: {},
  ...overrides,
});

describe('append validation', () => {
  it('returns the events as the JSON the server will store, with lower-case event ids', () => {
    const { events, expectedRevision } = validateAppend('customer-1', [event()], 3);
    expect(expectedRevision).toBe(3);
    expect(events).toEqual([event({ eventId: '3f2c1a9e-8d4b-4c2a-9f1e-0b7d6c5a4e3f', data: { a: 1 } })]);
  });

  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;

  it.each([
    ['an empty stream id', '', [event()], 'any'],
    ['a system stream id', '$settings', [event()], 'any'],
    ['a claim stream id', claimStreamOf('x'), [event()], 'any'],
    ['no events', 'customer-1', [], 'any'],
    ['a negative expected revision', 'customer-1', [event()], -1],
    ['an unknown expected revision', 'customer-1', [event()], 'latest'],
    ['an eventId that is not a UUID', 'customer-1', [event({ eventId: 'evt-1' })], 'any'],
    ['an empty event type', 'customer-1', [event({ type: '' })], 'any'],
    ['a system event type', 'customer-1', [event({ type: '$metadata' })], 'any'],
    ['data that is not JSON', 'customer-1', [event({ data: cyclic })], 'any'],
    ['metadata with a BigInt', 'customer-1', [event({ metadata: { n: 1n } })], 'any'],
  ])('rejects %s as InvalidAppendError', (_, streamId, events: EventToAppend[], expected: unknown) => {
    expect(() => validateAppend(streamId, events, expected)).toThrow(InvalidAppendError);
  });
});
