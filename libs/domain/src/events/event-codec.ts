import { type CrmEvent, isCrmEventType } from './catalogue';
import type { EventMetadata } from './event-envelope';

/** The shape any event store hands back; structural so the domain imports no adapter. */
export type StoredEventShape = {
  readonly eventId: string;
  readonly type: string;
  readonly version: number;
  readonly occurredAt: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
};

export class UnknownEventTypeError extends Error {
  constructor(readonly type: string) {
    super(`Unknown event type "${type}"`);
    this.name = 'UnknownEventTypeError';
  }
}

/**
 * Turns a stored event back into a typed CRM event. Our own writes are the
 * only source of the log, so the payload is trusted once the type is known;
 * this is where upcasters go when an event's version changes.
 */
export function toCrmEvent(stored: StoredEventShape): CrmEvent {
  if (!isCrmEventType(stored.type)) throw new UnknownEventTypeError(stored.type);
  return {
    type: stored.type,
    version: stored.version,
    eventId: stored.eventId,
    occurredAt: stored.occurredAt,
    data: stored.data,
    metadata: stored.metadata as EventMetadata,
  } as CrmEvent;
}

/** The inverse: what an event store needs to append a CRM event. */
export function toStoredShape(event: CrmEvent): StoredEventShape {
  return {
    eventId: event.eventId,
    type: event.type,
    version: event.version,
    occurredAt: event.occurredAt,
    data: event.data,
    metadata: event.metadata,
  };
}
