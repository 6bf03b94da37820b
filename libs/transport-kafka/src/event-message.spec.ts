import type { RecordedEvent } from '@crm/event-store';
import {
  EVENT_HEADERS,
  fromEventMessage,
  headerText,
  type IncomingMessage,
  PoisonMessageError,
  toEventMessage,
} from './event-message';

const recorded: RecordedEvent = {
  streamId: 'customer-ada',
  revision: 1,
  position: 42,
  recordedAt: '2026-03-01T10:00:01.000Z',
  eventId: '6f1c1a4e-7d1b-4a8e-9a43-0b8e8d9f5a01',
  type: 'PurchaseCompleted',
  version: 1,
  occurredAt: '2026-03-01T10:00:00.000Z',
  data: { orderId: 'o-1', amount: 4999, currency: 'EUR', channel: 'web', note: 'enc:v1:AAAA' },
  metadata: { correlationId: 'checkout-42', causationId: null, actor: 'api-key:shop', source: 'api' },
};

/** What a consumer receives for a message the relay produced. */
function delivered(message: ReturnType<typeof toEventMessage>): IncomingMessage {
  const headers = Object.fromEntries(
    Object.entries(message.headers ?? {}).map(([name, value]) => [name, Buffer.from(String(value))]),
  );
  return { key: Buffer.from(message.key), value: Buffer.from(message.value), headers };
}

function poison(message: IncomingMessage): string {
  try {
    fromEventMessage(message);
  } catch (error) {
    if (error instanceof PoisonMessageError) return error.message;
    throw error;
  }
  throw new Error('expected a PoisonMessageError');
}

const withValue = (value: unknown, key = 'ada'): IncomingMessage => ({
  key: Buffer.from(key),
  value: Buffer.from(JSON.stringify(value)),
});

describe('the event message', () => {
  it('is keyed by the customer, carries the envelope in headers and the stored event as the value', () => {
    const message = toEventMessage(recorded);
    expect(message.key).toBe('ada');
    expect(message.headers).toEqual({
      [EVENT_HEADERS.type]: 'PurchaseCompleted',
      [EVENT_HEADERS.version]: '1',
      [EVENT_HEADERS.eventId]: recorded.eventId,
      [EVENT_HEADERS.correlationId]: 'checkout-42',
      [EVENT_HEADERS.position]: '42',
      [EVENT_HEADERS.streamId]: 'customer-ada',
    });
    expect(JSON.parse(message.value)).toEqual(recorded);
  });

  it('round-trips: the consumer gets back the recorded event and its customer, data untouched', () => {
    expect(fromEventMessage(delivered(toEventMessage(recorded)))).toEqual({
      customerId: 'ada',
      recorded,
    });
  });

  it('keeps customer ids that contain dashes', () => {
    const message = toEventMessage({ ...recorded, streamId: 'customer-acme-gmbh-7' });
    expect(message.key).toBe('acme-gmbh-7');
    expect(fromEventMessage(delivered(message)).customerId).toBe('acme-gmbh-7');
  });

  it('leaves the correlation header out when the metadata has none', () => {
    const message = toEventMessage({ ...recorded, metadata: {} });
    expect(message.headers).not.toHaveProperty(EVENT_HEADERS.correlationId);
  });

  it('refuses to publish an event of another stream', () => {
    expect(() => toEventMessage({ ...recorded, streamId: '$system' })).toThrow(RangeError);
  });

  it('reads headers given as text, buffers or repeated values', () => {
    expect(headerText({ a: 'x' }, 'a')).toBe('x');
    expect(headerText({ a: Buffer.from('y') }, 'a')).toBe('y');
    expect(headerText({ a: [Buffer.from('z'), 'w'] }, 'a')).toBe('z');
    expect(headerText({}, 'a')).toBeNull();
    expect(headerText(undefined, 'a')).toBeNull();
  });
});

describe('a poison message', () => {
  it('has no value', () => {
    expect(poison({ key: Buffer.from('ada'), value: null })).toBe('the message has no value');
  });

  it('is not JSON', () => {
    expect(poison({ key: Buffer.from('ada'), value: Buffer.from('{oops') })).toMatch(
      /^the value is not JSON: /,
    );
  });

  it('is JSON but not an object', () => {
    expect(poison(withValue([1, 2]))).toBe('the value is not a JSON object');
  });

  it('lacks envelope fields or has them of the wrong type', () => {
    const { eventId: _eventId, ...withoutId } = recorded;
    expect(poison(withValue({ ...withoutId, position: 0, data: 'x' }))).toBe(
      'not a recorded event: position must be an integer ≥ 1; eventId must be a non-empty string; data must be an object',
    );
  });

  it('has an unknown type', () => {
    expect(poison(withValue({ ...recorded, type: 'CustomerTeleported' }))).toBe(
      'unknown event type "CustomerTeleported"',
    );
  });

  it('has a version newer than this build knows', () => {
    expect(poison(withValue({ ...recorded, version: 99 }))).toBe(
      'PurchaseCompleted version 99 is newer than this build knows (1)',
    );
  });

  it('belongs to a stream that is not a customer stream', () => {
    expect(poison(withValue({ ...recorded, streamId: 'order-1' }))).toBe(
      '"order-1" is not a customer stream',
    );
  });

  it('is keyed by another customer than its stream', () => {
    expect(poison(withValue(recorded, 'bob'))).toBe('the key "bob" is not the customer of "customer-ada"');
  });
});
