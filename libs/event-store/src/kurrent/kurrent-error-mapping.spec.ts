import { ErrorType, InvalidArgumentError, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import {
  EventIdConflictError,
  EventStoreUnavailableError,
  InvalidAppendError,
  WrongExpectedRevisionError,
} from '../event-store.errors';
import { toAppendError, toReadError } from './kurrent-error-mapping';

const wrongVersion = (current: 'no_stream' | bigint): WrongExpectedVersionError =>
  new WrongExpectedVersionError(undefined, { streamName: 's', expected: 'no_stream', current });

/** The client's errors as they reach us: an Error with the client's `type`. */
const clientError = (type: ErrorType): Error => Object.assign(new Error(`client says ${type}`), { type });

describe('append error mapping', () => {
  it('turns the client wrong-expected-version into the port error with the port expectation and actual revision', () => {
    const error = toAppendError(wrongVersion(3n), 'customer-1', 'no_stream');
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ streamId: 'customer-1', expected: 'no_stream', actual: 3 });
  });

  it('reports actual null when the stream does not exist', () => {
    expect(toAppendError(wrongVersion('no_stream'), 'customer-1', 'exists')).toMatchObject({
      expected: 'exists',
      actual: null,
    });
  });

  it.each([
    ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED,
    ErrorType.APPEND_RECORD_SIZE_EXCEEDED,
    ErrorType.STREAM_DELETED,
    ErrorType.STREAM_TOMBSTONED,
  ])('treats %s as a call retrying cannot fix', (type) => {
    expect(toAppendError(clientError(type), 's', 'any')).toBeInstanceOf(InvalidAppendError);
  });

  it('treats the client invalid-argument error as bad input', () => {
    expect(toAppendError(new InvalidArgumentError('bad uuid'), 's', 'any')).toBeInstanceOf(
      InvalidAppendError,
    );
  });

  it.each([
    ErrorType.UNAVAILABLE,
    ErrorType.DEADLINE_EXCEEDED,
    ErrorType.NOT_LEADER,
    ErrorType.ACCESS_DENIED,
    ErrorType.UNKNOWN,
  ])('treats %s as the store being unavailable, keeping the cause', (type) => {
    const cause = clientError(type);
    const error = toAppendError(cause, 's', 'any');
    expect(error).toBeInstanceOf(EventStoreUnavailableError);
    expect(error.cause).toBe(cause);
  });

  it('treats anything unrecognised (a raw gRPC error, a non-Error) as unavailable', () => {
    expect(toAppendError(new Error('14 UNAVAILABLE'), 's', 'any')).toBeInstanceOf(EventStoreUnavailableError);
    expect(toAppendError('boom', 's', 'any')).toBeInstanceOf(EventStoreUnavailableError);
  });

  it("passes the port's own errors through untouched", () => {
    const conflict = new EventIdConflictError('e', 's', 'other');
    expect(toAppendError(conflict, 's', 'any')).toBe(conflict);
  });
});

describe('read error mapping', () => {
  it('reports every client failure as unavailable', () => {
    expect(toReadError(clientError(ErrorType.UNAVAILABLE))).toBeInstanceOf(EventStoreUnavailableError);
    expect(toReadError(new RangeError('position beyond 2^53'))).toBeInstanceOf(EventStoreUnavailableError);
  });
});
