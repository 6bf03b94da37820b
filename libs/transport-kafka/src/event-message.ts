import { CUSTOMER_STREAM_PREFIX, EVENT_VERSIONS, isCrmEventType } from '@crm/domain';
import type { RecordedEvent } from '@crm/event-store';
import type { IncomingMessage, MessageHeaders, OutgoingMessage } from './broker/message-broker';

/**
 * How an event of the log travels on the event topic. The key is the
 * customer id, so one customer's events share a partition and keep their
 * log order; the value is the recorded event exactly as the store holds it
 * (personal fields stay as stored, encrypted or not); the headers repeat
 * what a router or a dead-letter inspector needs without parsing the value.
 */
export const EVENT_HEADERS = {
  type: 'crm-type',
  version: 'crm-version',
  eventId: 'crm-event-id',
  correlationId: 'crm-correlation-id',
  position: 'crm-position',
  streamId: 'crm-stream-id',
} as const;

/** A message the consumers cannot turn into an event: never retried, dead-lettered at once. */
export class PoisonMessageError extends Error {
  readonly code = 'KAFKA.POISON_MESSAGE';
  constructor(message: string) {
    super(message);
    this.name = 'PoisonMessageError';
  }
}

/** The customer of a `customer-…` stream, or null for any other stream. */
export function customerIdOf(streamId: string): string | null {
  if (!streamId.startsWith(CUSTOMER_STREAM_PREFIX)) return null;
  const customerId = streamId.slice(CUSTOMER_STREAM_PREFIX.length);
  return customerId === '' ? null : customerId;
}

export function toEventMessage(
  event: RecordedEvent,
): OutgoingMessage & { key: string; value: string; headers: Record<string, string> } {
  const customerId = customerIdOf(event.streamId);
  if (customerId === null) throw new RangeError(`"${event.streamId}" is not a customer stream`);
  const headers: Record<string, string> = {
    [EVENT_HEADERS.type]: event.type,
    [EVENT_HEADERS.version]: String(event.version),
    [EVENT_HEADERS.eventId]: event.eventId,
    [EVENT_HEADERS.position]: String(event.position),
    [EVENT_HEADERS.streamId]: event.streamId,
  };
  const correlationId = event.metadata['correlationId'];
  if (typeof correlationId === 'string') headers[EVENT_HEADERS.correlationId] = correlationId;
  const stored: RecordedEvent = {
    streamId: event.streamId,
    revision: event.revision,
    position: event.position,
    recordedAt: event.recordedAt,
    eventId: event.eventId,
    type: event.type,
    version: event.version,
    occurredAt: event.occurredAt,
    data: event.data,
    metadata: event.metadata,
  };
  return { key: customerId, value: JSON.stringify(stored), headers };
}

export type { IncomingMessage };

export type DecodedMessage = { readonly customerId: string; readonly recorded: RecordedEvent };

/**
 * Parses and checks a message of the event topic.
 *
 * @throws PoisonMessageError when it is not JSON, not a recorded event of a
 * customer stream, of an unknown type or of a version this build does not
 * know, or keyed by another customer.
 */
export function fromEventMessage(message: IncomingMessage): DecodedMessage {
  if (message.value === null) throw new PoisonMessageError('the message has no value');
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.value.toString('utf8'));
  } catch (error) {
    throw new PoisonMessageError(`the value is not JSON: ${(error as Error).message}`);
  }
  const recorded = recordedEventOf(parsed);
  const customerId = customerIdOf(recorded.streamId);
  if (customerId === null) throw new PoisonMessageError(`"${recorded.streamId}" is not a customer stream`);
  const key = message.key?.toString('utf8') ?? null;
  if (key !== customerId) {
    throw new PoisonMessageError(`the key "${String(key)}" is not the customer of "${recorded.streamId}"`);
  }
  return { customerId, recorded };
}

function recordedEventOf(value: unknown): RecordedEvent {
  if (!isRecord(value)) throw new PoisonMessageError('the value is not a JSON object');
  const problems: string[] = [];
  const need = (field: string, ok: (v: unknown) => boolean, what: string): void => {
    if (!ok(value[field])) problems.push(`${field} must be ${what}`);
  };
  const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v !== '';
  const naturalFrom = (min: number) => (v: unknown) => Number.isSafeInteger(v) && (v as number) >= min;
  need('streamId', nonEmpty, 'a non-empty string');
  need('revision', naturalFrom(0), 'an integer ≥ 0');
  need('position', naturalFrom(1), 'an integer ≥ 1');
  need('recordedAt', nonEmpty, 'a non-empty string');
  need('eventId', nonEmpty, 'a non-empty string');
  need('type', nonEmpty, 'a non-empty string');
  need('version', naturalFrom(1), 'an integer ≥ 1');
  need('occurredAt', nonEmpty, 'a non-empty string');
  need('data', isRecord, 'an object');
  need('metadata', isRecord, 'an object');
  if (problems.length > 0) throw new PoisonMessageError(`not a recorded event: ${problems.join('; ')}`);
  const recorded = value as RecordedEvent;
  if (!isCrmEventType(recorded.type)) throw new PoisonMessageError(`unknown event type "${recorded.type}"`);
  const known = EVENT_VERSIONS[recorded.type];
  if (recorded.version > known) {
    throw new PoisonMessageError(
      `${recorded.type} version ${recorded.version} is newer than this build knows (${known})`,
    );
  }
  return recorded;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A header as text (the first value when repeated), or null. */
export function headerText(headers: MessageHeaders | undefined, name: string): string | null {
  const raw = headers?.[name];
  const first: string | Buffer | undefined = isList(raw) ? raw[0] : raw;
  if (first === undefined) return null;
  return typeof first === 'string' ? first : first.toString('utf8');
}

function isList<T>(value: T | readonly T[]): value is readonly T[] {
  return Array.isArray(value);
}
