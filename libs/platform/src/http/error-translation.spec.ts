import {
  BadRequestException,
  HttpException,
  MethodNotAllowedException,
  NotFoundException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { CommandRejectedError, DomainError, type DomainErrorKind } from '@crm/domain';
import {
  EventIdConflictError,
  EventStoreUnavailableError,
  InvalidAppendError,
  WrongExpectedRevisionError,
} from '@crm/event-store';
import { ReadStoreUnavailableError } from '@crm/read-store';
import { ReadTooLargeError } from '../slicing/read-too-large.error';
import { ApiError, type ErrorBody, RequestValidationError } from './api-error';
import { toErrorBody } from './error-translation';
import { MalformedJsonError, UnacceptableJsonError } from './json-body';

const detail = { field: 'amount', code: 'REFUND.EXCEEDS_PAID', message: 'too much' };

describe('toErrorBody', () => {
  it('passes an ApiError through with its own status, code, message and details', () => {
    const error = new ApiError(413, 'BATCH.TOO_MANY_ITEMS', 'A batch holds at most 3 items', [
      { field: 'items', code: 'arrayMaxSize', message: 'got 4 items' },
    ]);

    expect(toErrorBody(error)).toEqual<ErrorBody>({
      statusCode: 413,
      code: 'BATCH.TOO_MANY_ITEMS',
      message: 'A batch holds at most 3 items',
      details: [{ field: 'items', code: 'arrayMaxSize', message: 'got 4 items' }],
    });
  });

  it('renders a RequestValidationError as 400 VALIDATION.FAILED with its details', () => {
    const details = [{ field: 'occurredAt', code: 'missingOffset', message: 'needs an offset' }];

    expect(toErrorBody(new RequestValidationError(details))).toEqual<ErrorBody>({
      statusCode: 400,
      code: 'VALIDATION.FAILED',
      message: 'The request is invalid',
      details,
    });
  });

  it.each<[DomainErrorKind, number]>([
    ['not_found', 404],
    ['conflict', 409],
    ['rule_violation', 422],
  ])('renders a DomainError of kind %s as %i with its own code and details', (kind, statusCode) => {
    const error = new DomainError('REFUND.EXCEEDS_PAID', kind, 'Refund too large', [detail]);

    expect(toErrorBody(error)).toEqual<ErrorBody>({
      statusCode,
      code: 'REFUND.EXCEEDS_PAID',
      message: 'Refund too large',
      details: [detail],
    });
  });

  it('renders a CommandRejectedError as the DomainError that caused it', () => {
    const reason = new DomainError('SUPPORT_CASE.NOT_OPENED', 'rule_violation', 'Case never opened', [
      detail,
    ]);

    expect(toErrorBody(new CommandRejectedError(3, reason))).toEqual(toErrorBody(reason));
  });

  it('renders a WrongExpectedRevisionError as 409 naming expectedRevision and both revisions', () => {
    const error = new WrongExpectedRevisionError('customer-a', 3, 5);

    expect(toErrorBody(error)).toEqual<ErrorBody>({
      statusCode: 409,
      code: 'EVENT_STORE.WRONG_EXPECTED_REVISION',
      message: error.message,
      details: [{ field: 'expectedRevision', code: 'mismatch', message: 'expected 3, stream is at 5' }],
    });
  });

  it('says "no stream" when the expected revision met a stream that does not exist', () => {
    const body = toErrorBody(new WrongExpectedRevisionError('customer-a', 'exists', null));

    expect(body.details[0]?.message).toBe('expected exists, stream is at no stream');
  });

  it('renders an EventIdConflictError as 409 EVENT_STORE.EVENT_ID_CONFLICT naming eventId', () => {
    const error = new EventIdConflictError('e-1', 'customer-b', 'customer-a');

    expect(toErrorBody(error)).toEqual<ErrorBody>({
      statusCode: 409,
      code: 'EVENT_STORE.EVENT_ID_CONFLICT',
      message: error.message,
      details: [{ field: 'eventId', code: 'used_by_another_stream', message: error.message }],
    });
  });

  it('renders an InvalidAppendError as 400 EVENT_STORE.INVALID_APPEND', () => {
    const error = new InvalidAppendError('customer-a', 'there are no events to append');

    expect(toErrorBody(error)).toEqual<ErrorBody>({
      statusCode: 400,
      code: 'EVENT_STORE.INVALID_APPEND',
      message: error.message,
      details: [],
    });
  });

  it('renders an EventStoreUnavailableError as 503 without leaking its internal message', () => {
    const error = new EventStoreUnavailableError('Cannot open event store /srv/secret/events.sqlite');

    const body = toErrorBody(error);

    expect(body).toEqual<ErrorBody>({
      statusCode: 503,
      code: 'EVENT_STORE.UNAVAILABLE',
      message: 'The event store is unavailable; retry later',
      details: [],
    });
  });

  it('renders a ReadTooLargeError as 422 with its own code and message, no field at fault', () => {
    const error = new ReadTooLargeError('ANALYTICS.TOO_LARGE', 'The history holds 9 events; at most 5');

    expect(toErrorBody(error)).toEqual<ErrorBody>({
      statusCode: 422,
      code: 'ANALYTICS.TOO_LARGE',
      message: 'The history holds 9 events; at most 5',
      details: [],
    });
  });

  it('renders a MalformedJsonError as 400 PAYLOAD.MALFORMED_JSON with the parser reason', () => {
    const body = toErrorBody(new MalformedJsonError('Unexpected end of JSON input'));

    expect(body).toEqual<ErrorBody>({
      statusCode: 400,
      code: 'PAYLOAD.MALFORMED_JSON',
      message: 'The body is not valid JSON: Unexpected end of JSON input',
      details: [],
    });
  });

  it('renders a ReadStoreUnavailableError as 503 without leaking its internal message', () => {
    const error = new ReadStoreUnavailableError('MongoServerSelectionError: mongodb://secret@host');

    expect(toErrorBody(error)).toEqual<ErrorBody>({
      statusCode: 503,
      code: 'READ_STORE.UNAVAILABLE',
      message: 'The read store is unavailable; retry later',
      details: [],
    });
  });

  it('renders an UnacceptableJsonError as 400 VALIDATION.FAILED with its details', () => {
    const details = [{ field: 'attributes.n', code: 'notFinite', message: 'too large' }];

    expect(toErrorBody(new UnacceptableJsonError(details))).toEqual<ErrorBody>({
      statusCode: 400,
      code: 'VALIDATION.FAILED',
      message: 'The request is invalid',
      details,
    });
  });

  it.each<[string, HttpException, number, string]>([
    ['BadRequestException', new BadRequestException('bad'), 400, 'REQUEST.BAD'],
    ['NotFoundException', new NotFoundException('Cannot GET /secret?api_key=x'), 404, 'ROUTE.NOT_FOUND'],
    ['MethodNotAllowedException', new MethodNotAllowedException(), 405, 'ROUTE.METHOD_NOT_ALLOWED'],
    ['PayloadTooLargeException', new PayloadTooLargeException(), 413, 'PAYLOAD.TOO_LARGE'],
    [
      'UnsupportedMediaTypeException',
      new UnsupportedMediaTypeException(),
      415,
      'PAYLOAD.UNSUPPORTED_MEDIA_TYPE',
    ],
    ['an HttpException of another 4xx status', new HttpException('teapot', 418), 400, 'REQUEST.BAD'],
    ['an HttpException of another 5xx status', new HttpException('gateway', 502), 500, 'INTERNAL.ERROR'],
  ])('renders %s as %i %s with our own message, never the URL', (_label, error, statusCode, code) => {
    const body = toErrorBody(error);

    expect(body).toEqual<ErrorBody>({ statusCode, code, message: expect.any(String) as string, details: [] });
    expect(body.message).not.toContain('secret');
  });

  it('says that a 415 needs application/json', () => {
    expect(toErrorBody(new UnsupportedMediaTypeException()).message).toContain('application/json');
  });

  it.each<[string, unknown]>([
    ['an Error', new Error('SQLITE_CORRUPT at /srv/secret')],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a thrown string', 'boom'],
    ['undefined', undefined],
    ['null', null],
    ['an object that looks like an HTTP error', { statusCode: 400, code: 'FAKE', message: 'not trusted' }],
    ['an object carrying a known code', { code: 'EVENT_STORE.UNAVAILABLE', message: 'not an Error' }],
    ['an Error with a code of no translation', Object.assign(new Error('ENOENT /srv'), { code: 'ENOENT' })],
  ])('renders %s as 500 INTERNAL.ERROR with a generic message', (_label, error) => {
    expect(toErrorBody(error)).toEqual<ErrorBody>({
      statusCode: 500,
      code: 'INTERNAL.ERROR',
      message: 'Something went wrong on our side',
      details: [],
    });
  });
});
