import type { ExpectedRevision } from '../event-store.port';
import {
  EventIdConflictError,
  type EventStoreError,
  EventStoreUnavailableError,
  InvalidAppendError,
  WrongExpectedRevisionError,
} from '../event-store.errors';

/** A port error as plain data, so it can cross from the writer thread (structured clone drops classes). */
export type WireError =
  | {
      readonly code: 'EVENT_STORE.WRONG_EXPECTED_REVISION';
      readonly streamId: string;
      readonly expected: ExpectedRevision;
      readonly actual: number | null;
    }
  | {
      readonly code: 'EVENT_STORE.EVENT_ID_CONFLICT';
      readonly eventId: string;
      readonly streamId: string;
      readonly existingStreamId: string;
    }
  | { readonly code: 'EVENT_STORE.INVALID_APPEND'; readonly streamId: string; readonly reason: string }
  | { readonly code: 'EVENT_STORE.UNAVAILABLE'; readonly message: string };

export function toWire(error: unknown): WireError {
  if (error instanceof WrongExpectedRevisionError) {
    const { code, streamId, expected, actual } = error;
    return { code, streamId, expected, actual };
  }
  if (error instanceof EventIdConflictError) {
    const { code, eventId, streamId, existingStreamId } = error;
    return { code, eventId, streamId, existingStreamId };
  }
  if (error instanceof InvalidAppendError)
    return { code: error.code, streamId: error.streamId, reason: error.reason };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'EVENT_STORE.UNAVAILABLE', message };
}

export function fromWire(wire: WireError): EventStoreError {
  switch (wire.code) {
    case 'EVENT_STORE.WRONG_EXPECTED_REVISION':
      return new WrongExpectedRevisionError(wire.streamId, wire.expected, wire.actual);
    case 'EVENT_STORE.EVENT_ID_CONFLICT':
      return new EventIdConflictError(wire.eventId, wire.streamId, wire.existingStreamId);
    case 'EVENT_STORE.INVALID_APPEND':
      return new InvalidAppendError(wire.streamId, wire.reason);
    case 'EVENT_STORE.UNAVAILABLE':
      return new EventStoreUnavailableError(wire.message);
  }
}
