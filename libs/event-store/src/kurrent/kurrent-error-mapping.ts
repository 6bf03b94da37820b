import { ErrorType } from '@kurrent/kurrentdb-client';
import type { CurrentStreamState } from '@kurrent/kurrentdb-client';
import type { ExpectedRevision } from '../event-store.port';
import {
  EventStoreError,
  EventStoreUnavailableError,
  InvalidAppendError,
  WrongExpectedRevisionError,
} from '../event-store.errors';
import { toActualRevision } from './kurrent-expected-revision';

const ERROR_TYPES: ReadonlySet<string> = new Set(Object.values(ErrorType));

/**
 * The client's error type, read by shape rather than `instanceof`: jest (and
 * a second copy of the client) load the classes once per realm.
 */
export function clientErrorType(error: unknown): ErrorType | undefined {
  if (!(error instanceof Error) || !('type' in error) || typeof error.type !== 'string') return undefined;
  return ERROR_TYPES.has(error.type) ? (error.type as ErrorType) : undefined;
}

export function isWrongExpectedVersion(error: unknown): error is Error & { actualState: CurrentStreamState } {
  return clientErrorType(error) === ErrorType.WRONG_EXPECTED_VERSION && 'actualState' in (error as object);
}

/** A failed append in the port's terms: conflicts, bad input, or an unavailable store. */
export function toAppendError(error: unknown, streamId: string, expected: ExpectedRevision): Error {
  if (error instanceof EventStoreError) return error;
  if (isWrongExpectedVersion(error)) {
    return new WrongExpectedRevisionError(streamId, expected, toActualRevision(error.actualState));
  }
  switch (clientErrorType(error)) {
    case ErrorType.INVALID_ARGUMENT:
    case ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED:
    case ErrorType.APPEND_RECORD_SIZE_EXCEEDED:
    case ErrorType.TRANSACTION_MAX_SIZE_EXCEEDED:
      return new InvalidAppendError(streamId, messageOf(error));
    case ErrorType.STREAM_DELETED:
    case ErrorType.STREAM_TOMBSTONED:
      return new InvalidAppendError(streamId, 'the stream has been deleted');
    default:
      return new EventStoreUnavailableError(`Append to ${streamId} failed: ${messageOf(error)}`, {
        cause: error,
      });
  }
}

/**
 * A failed read. Nothing a read can hit is the caller's fault, so whatever the
 * server or the connection says, the store is unavailable for now.
 */
export function toReadError(error: unknown): Error {
  if (error instanceof EventStoreError) return error;
  return new EventStoreUnavailableError(`The event store could not be read: ${messageOf(error)}`, {
    cause: error,
  });
}

export function isStreamNotFound(error: unknown): boolean {
  return clientErrorType(error) === ErrorType.STREAM_NOT_FOUND;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
