import type { ExpectedRevision } from './event-store.port';

/** Base of every error the event store port throws; `code` is stable. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

export class WrongExpectedRevisionError extends EventStoreError {
  readonly code = 'EVENT_STORE.WRONG_EXPECTED_REVISION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | null,
  ) {
    super(
      `Stream ${streamId} is at revision ${actual === null ? 'none (no stream)' : actual}, expected ${String(expected)}`,
    );
    this.name = 'WrongExpectedRevisionError';
  }
}

export class EventIdConflictError extends EventStoreError {
  readonly code = 'EVENT_STORE.EVENT_ID_CONFLICT';
  constructor(
    readonly eventId: string,
    readonly streamId: string,
    readonly existingStreamId: string,
  ) {
    super(`eventId ${eventId} is already used by another stream`);
    this.name = 'EventIdConflictError';
  }
}

export class EventStoreUnavailableError extends EventStoreError {
  readonly code = 'EVENT_STORE.UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventStoreUnavailableError';
  }
}

/** The call itself is malformed (no events, bad expected revision, data not JSON-serializable); retrying cannot help. */
export class InvalidAppendError extends EventStoreError {
  readonly code = 'EVENT_STORE.INVALID_APPEND';
  constructor(
    readonly streamId: string,
    readonly reason: string,
  ) {
    super(`Invalid append to ${streamId}: ${reason}`);
    this.name = 'InvalidAppendError';
  }
}
